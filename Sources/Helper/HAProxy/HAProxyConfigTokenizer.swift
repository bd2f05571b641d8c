import IPCProtocol

/// Splits haproxy configuration text into lines of words exactly as haproxy 2.6's `readcfgfile()`
/// and `parse_line()` (src/cfgparse.c, src/tools.c) do with the options the configuration reader
/// uses (`PARSE_OPT_ENV | DQUOTE | SQUOTE | BKSLASH | SHARP | WORD_EXPAND`):
/// - leading blanks are skipped; blanks (`isspace`: space, `\t`, `\v`, `\f`, `\r`) separate words
///   outside quotes; `#` outside quotes ends the line, also in the middle of a word;
/// - `"..."` and `'...'` quote (adjacent quoted and unquoted parts make one word); a backslash
///   outside single quotes escapes ` `, `\`, `#`, `'`, `"`, `$` (in double quotes only) and turns
///   `\t`, `\n`, `\r`, `\xHH` into bytes; any other backslash stays a backslash;
/// - `$NAME`/`${NAME}` is an environment expansion inside double quotes (outside them `$` is a
///   plain character).
///
/// The tokenizer interprets what the helper must understand and refuses, rather than interprets,
/// what Octavia never renders: any `$` inside double quotes (an expansion, or an error for haproxy),
/// `.if`/`.elif`/`.else`/`.endif`/`.diag`/`.notice`/`.warning`/`.alert` lines (any first word
/// starting with `.`), a quoted or escaped first word, control characters other than tab and
/// non-ASCII bytes (haproxy's `char` is signed, its `isspace` locale-dependent), `\xHH`,
/// `\t`/`\n`/`\r` escapes, empty words, unterminated quotes and lines of more than 64 words
/// (haproxy's own limit).
public enum HAProxyConfigTokenizer {
    /// haproxy's MAX_LINE_ARGS.
    static let maximumWords = 64

    /// The lines that have at least one word, or a 400 naming the first line that cannot be read safely.
    public static func lines(_ text: String) throws(HAProxyError) -> [HAProxyConfigLine] {
        var result: [HAProxyConfigLine] = []
        var number = 0
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let words = try words(Array(raw), line: number)
            if !words.isEmpty { result.append(HAProxyConfigLine(number: number, words: words)) }
        }
        return result
    }

    static func refuse(_ line: Int, _ reason: String) -> HAProxyError {
        .refused(details: "line \(line): \(reason)")
    }

    /// haproxy's `isspace()` in the C locale, without `\n` (the line separator).
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }

    /// The words of one line (without its `\n`).
    public static func words(_ bytes: [UInt8], line: Int) throws(HAProxyError) -> [HAProxyConfigWord] {
        for byte in bytes where (byte < 0x20 && byte != 0x09) || byte >= 0x7F {
            throw refuse(line, "control or non-ASCII byte \(byte) in the line")
        }
        var words: [HAProxyConfigWord] = []
        var current: [UInt8] = []
        var inWord = false
        var plain = true
        var squote = false
        var dquote = false
        var i = 0
        func finishWord() {
            if inWord { words.append(HAProxyConfigWord(String(decoding: current, as: UTF8.self), plain: plain)) }
            current = []
            inWord = false
            plain = true
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "#") && !squote && !dquote { break }
            if isBlank(c) && !squote && !dquote {
                finishWord()
                i += 1
                continue
            }
            inWord = true
            switch c {
            case UInt8(ascii: "\"") where !squote:
                dquote.toggle()
                plain = false
                i += 1
            case UInt8(ascii: "'") where !dquote:
                squote.toggle()
                plain = false
                i += 1
            case UInt8(ascii: "\\") where !squote:
                plain = false
                let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
                switch next {
                case UInt8(ascii: " "), UInt8(ascii: "\\"), UInt8(ascii: "#"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                    current.append(next ?? 0)
                    i += 2
                case UInt8(ascii: "$") where dquote:
                    current.append(UInt8(ascii: "$"))
                    i += 2
                case UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "x"):
                    throw refuse(line, "escape sequences producing control or arbitrary bytes are not allowed")
                default:
                    // Not an escape sequence: haproxy keeps the backslash and reads the next character normally.
                    current.append(c)
                    i += 1
                }
            case UInt8(ascii: "$") where dquote:
                throw refuse(line, "environment variable expansions are not allowed")
            default:
                current.append(c)
                i += 1
            }
        }
        if squote || dquote { throw refuse(line, "unterminated quote") }
        finishWord()
        guard let first = words.first else { return [] }
        if !first.plain { throw refuse(line, "a keyword may not be quoted or escaped") }
        if first.value.hasPrefix(".") { throw refuse(line, "'.' directives (conditionals, diagnostics) are not allowed") }
        if words.contains(where: { $0.value.isEmpty }) { throw refuse(line, "empty words are not allowed") }
        if words.count > maximumWords { throw refuse(line, "more than \(maximumWords) words") }
        return words
    }
}
