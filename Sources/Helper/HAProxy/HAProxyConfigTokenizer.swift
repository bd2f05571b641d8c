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
        try forEachLine(in: text) { line in result.append(line) }
        return result
    }

    /// Hands each line that has at least one word to `body` as soon as it is read, or throws a 400
    /// naming the first line that cannot be read safely (`body` has seen the lines before it). A
    /// caller that checks as it reads holds one line at a time, whatever the number of lines.
    public static func forEachLine(
        in text: String, _ body: (HAProxyConfigLine) throws(HAProxyError) -> Void
    ) throws(HAProxyError) {
        // Native strings are contiguous: no copy. Any other string is read from a copy of its bytes.
        let result: Result<Void, HAProxyError> =
            text.utf8.withContiguousStorageIfAvailable { bytes in Result { () throws(HAProxyError) in try forEachLine(in: bytes, body) } }
            ?? Array(text.utf8).withUnsafeBufferPointer { bytes in Result { () throws(HAProxyError) in try forEachLine(in: bytes, body) } }
        try result.get()
    }

    /// ``forEachLine(in:_:)`` over the text's bytes: one pass, no copy of a line.
    static func forEachLine(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (HAProxyConfigLine) throws(HAProxyError) -> Void
    ) throws(HAProxyError) {
        var number = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            number += 1
            let words = try words(UnsafeBufferPointer(rebasing: bytes[start..<end]), line: number)
            if !words.isEmpty { try body(HAProxyConfigLine(number: number, words: words)) }
            start = end + 1
        }
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
        let result: Result<[HAProxyConfigWord], HAProxyError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(HAProxyError) in try words(buffer, line: line) }
        }
        return try result.get()
    }

    /// ``words(_:line:)`` over a buffer. A word written as it reads (no quote, no backslash) becomes
    /// its `String` straight from the buffer; only a quoted or escaped word is assembled byte by byte.
    static func words(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(HAProxyError) -> [HAProxyConfigWord] {
        for byte in bytes where (byte < 0x20 && byte != 0x09) || byte >= 0x7F {
            throw refuse(line, "control or non-ASCII byte \(byte) in the line")
        }
        var words: [HAProxyConfigWord] = []
        /// The resolved bytes of a word that is not plain (empty while the word is plain).
        var current: [UInt8] = []
        var wordStart = -1
        var plain = true
        var squote = false
        var dquote = false
        var i = 0
        /// Leaves the plain fast path: the word's bytes so far are its value so far.
        func resolving() {
            if plain {
                current.removeAll(keepingCapacity: true)
                current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[wordStart..<i]))
                plain = false
            }
        }
        func finishWord() {
            if wordStart >= 0 {
                let value = plain ? String(decoding: UnsafeBufferPointer(rebasing: bytes[wordStart..<i]), as: UTF8.self) : String(decoding: current, as: UTF8.self)
                words.append(HAProxyConfigWord(value, plain: plain))
            }
            wordStart = -1
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
            if wordStart < 0 { wordStart = i }
            switch c {
            case UInt8(ascii: "\"") where !squote:
                resolving()
                dquote.toggle()
                i += 1
            case UInt8(ascii: "'") where !dquote:
                resolving()
                squote.toggle()
                i += 1
            case UInt8(ascii: "\\") where !squote:
                resolving()
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
                if !plain { current.append(c) }
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
