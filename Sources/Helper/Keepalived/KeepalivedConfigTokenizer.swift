/// Splits a keepalived configuration into lines and words exactly as keepalived 2.2 does
/// (`lib/parser.c`: `read_line`, `decomment`, `alloc_strvec_quoted_escaped`), for the subset of its
/// syntax the agent accepts, and refuses everything where keepalived would read more than plain words.
///
/// keepalived reads a physical line (at most 1023 bytes: `fgets` into a 1024-byte buffer cuts longer
/// lines into several), drops trailing CR/LF and leading blanks, cuts a comment at the first `#` or
/// `!` outside double quotes (a `\` escapes them and ends a line as a continuation), then acts on a
/// leading `@`/`@^` (conditional on the config id), `$NAME=` (a definition), `~SEQ(...)` / `~LST(...)`
/// (line generators), substitutes `$NAME` / `${NAME}` anywhere, treats `include*` lines as file
/// inclusions, splits the rest at the first `{` or `}` outside double quotes, and finally splits words
/// at blanks, where single and double quotes group and `\` escapes (octal, hex, control characters).
///
/// This tokenizer refuses, with the line number: lines longer than ``maximumLineLength``; any byte
/// that is not printable ASCII or a tab; any `\` (escape or continuation, comments included); single
/// quotes; `$` (definitions and substitutions); `@` conditionals; `~` sequences; lines whose first
/// word starts with `include`; a quoted first word (a quoted keyword); quotes that do not enclose a
/// whole word; unterminated quotes; `#`, `!`, `{`, `}` inside quotes; and braces anywhere but a `{`
/// that ends a keyword line or a `}` alone on its line. What remains is read the same way by
/// keepalived and by ``KeepalivedConfigGrammar``.
public enum KeepalivedConfigTokenizer {
    /// keepalived cuts physical lines at 1023 bytes; anything near that is refused.
    public static let maximumLineLength = 1000

    /// The configuration's significant lines (comments and blank lines dropped), in order.
    public static func lines(_ text: String) throws(KeepalivedConfigRefusal) -> [KeepalivedLine] {
        var result: [KeepalivedLine] = []
        var number = 0
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            if let line = try line(Array(raw), number: number) { result.append(line) }
        }
        return result
    }

    /// One physical line (without its `\n`); nil when it is blank or a comment.
    static func line(_ raw: [UInt8], number: Int) throws(KeepalivedConfigRefusal) -> KeepalivedLine? {
        func refuse(_ reason: String) -> KeepalivedConfigRefusal { KeepalivedConfigRefusal(line: number, reason: reason) }
        var bytes = raw[...]
        while let last = bytes.last, last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        guard bytes.count <= maximumLineLength else { throw refuse("line longer than \(maximumLineLength) bytes") }
        let tab = UInt8(ascii: "\t"), space = UInt8(ascii: " "), quote = UInt8(ascii: "\"")
        guard bytes.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 < 0x7F) }) else {
            throw refuse("only printable ASCII and tabs are allowed")
        }
        guard !bytes.contains(UInt8(ascii: "\\")) else { throw refuse("backslashes (escapes, line continuations) are not allowed") }
        while let first = bytes.first, first == space || first == tab { bytes = bytes.dropFirst() }
        // The comment: from the first '#' or '!' outside double quotes (keepalived's decomment()).
        var inQuotes = false
        var end = bytes.endIndex
        for index in bytes.indices {
            let c = bytes[index]
            if c == quote {
                inQuotes.toggle()
            } else if !inQuotes, c == UInt8(ascii: "#") || c == UInt8(ascii: "!") {
                end = index
                break
            }
        }
        guard !inQuotes else { throw refuse("unterminated quoted string") }
        let content = bytes[bytes.startIndex..<end]
        guard let first = content.first else { return nil }
        switch first {
        case UInt8(ascii: "@"): throw refuse("conditional lines ('@') are not allowed")
        case UInt8(ascii: "$"): throw refuse("parameter definitions ('$') are not allowed")
        case UInt8(ascii: "~"): throw refuse("sequence lines ('~SEQ', '~LST') are not allowed")
        default: break
        }
        guard !content.contains(UInt8(ascii: "$")) else { throw refuse("parameter substitutions ('$') are not allowed") }
        guard !content.contains(UInt8(ascii: "'")) else { throw refuse("single quotes are not allowed") }
        if content.starts(with: "include".utf8) { throw refuse("include is not allowed") }

        // Words: blanks separate, braces are words of their own, "..." is one whole word.
        var words: [KeepalivedWord] = []
        var index = content.startIndex
        while index < content.endIndex {
            let c = content[index]
            if c == space || c == tab {
                index += 1
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "}") {
                words.append(KeepalivedWord(text: String(decoding: [c], as: UTF8.self), quoted: false))
                index += 1
            } else if c == quote {
                guard let close = content[(index + 1)...].firstIndex(of: quote) else { throw refuse("unterminated quoted string") }
                let inner = content[(index + 1)..<close]
                guard !inner.isEmpty else { throw refuse("empty quoted string") }
                guard !inner.contains(where: { "#!{}".utf8.contains($0) }) else {
                    throw refuse("'#', '!', '{' and '}' are not allowed inside quotes")
                }
                let after = close + 1
                if after < content.endIndex, ![space, tab, UInt8(ascii: "{"), UInt8(ascii: "}")].contains(content[after]) {
                    throw refuse("a quoted string must be a whole word")
                }
                words.append(KeepalivedWord(text: String(decoding: inner, as: UTF8.self), quoted: true))
                index = after
            } else {
                var stop = index
                while stop < content.endIndex, ![space, tab, quote, UInt8(ascii: "{"), UInt8(ascii: "}")].contains(content[stop]) { stop += 1 }
                if stop < content.endIndex, content[stop] == quote { throw refuse("a quoted string must be a whole word") }
                words.append(KeepalivedWord(text: String(decoding: content[index..<stop], as: UTF8.self), quoted: false))
                index = stop
            }
        }
        guard let keyword = words.first else { return nil }
        guard !keyword.quoted else { throw refuse("a keyword must not be quoted") }
        if keyword.text == "}" {
            guard words.count == 1 else { throw refuse("'}' must stand alone on its line") }
            return KeepalivedLine(number: number, words: [], opensBlock: false, closesBlock: true)
        }
        let opensBlock = words.last.map { $0.text == "{" && !$0.quoted } ?? false
        let body = opensBlock ? Array(words.dropLast()) : words
        guard !body.isEmpty, !body.contains(where: { !$0.quoted && ($0.text == "{" || $0.text == "}") }) else {
            throw refuse("'{' may only end a keyword line, '}' must stand alone")
        }
        return KeepalivedLine(number: number, words: body, opensBlock: opensBlock, closesBlock: false)
    }
}
