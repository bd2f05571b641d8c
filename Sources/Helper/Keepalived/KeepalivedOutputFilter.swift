import IPCProtocol
/// Picks the lines of keepalived's output (from `--config-test`, or its log) that may be shown to
/// the controller: keepalived's own messages about the uploaded text, and nothing that could quote
/// another file.
///
/// Lines located in a file other than the agent's own configuration files (`octavia-keepalived*`)
/// are dropped whole.
/// A line is passed on only when, after its location prefix (`(FILE: Line N)` / `(Line N)`, shown
/// as `line N:` counted in the uploaded text) and a log timestamp or `Keepalived_xxx[pid]:` prefix
/// are removed, every word of it (surrounding punctuation stripped) is either a word of the uploaded
/// text or a plain message word: letters with at most the first one upper case, `_` and `-`, or up to
/// six upper-case letters (a word
/// with inner punctuation, like `[group]:0`, passes when each piece does, numbers of up to 5 digits
/// included). Base64,
/// key material, hashes, paths and numbers that do not occur in the upload drop the whole line.
/// At most ``maximumLines`` lines of at most ``maximumLineBytes`` bytes, ``maximumBytes`` in all.
public enum KeepalivedOutputFilter {
    public static let maximumLines = 8
    public static let maximumLineBytes = 200
    public static let maximumBytes = 1024

    static let punctuation = Set("'\"()[]{}<>,.:;!?`")

    /// The lines of `output` that may be shown; `lineOffset` is subtracted from keepalived's line
    /// numbers (the agent's header in front of the uploaded text).
    public static func lines(_ output: String, reference: String, lineOffset: Int = 0) -> [String] {
        let known = Set(reference.split(whereSeparator: { " \t\r\n\"{}".contains($0) }).map { stripped(String($0)) })
        var result: [String] = []
        var bytes = 0
        var dropped = 0
        for raw in output.split(separator: "\n") {
            guard let line = shown(String(raw), known: known, lineOffset: lineOffset) else { continue }
            guard result.count < maximumLines, bytes + line.utf8.count <= maximumBytes else {
                dropped += 1
                continue
            }
            if result.last == line { continue }
            bytes += line.utf8.count
            result.append(line)
        }
        if dropped > 0 { result.append("(\(dropped) more line(s) not shown)") }
        return result
    }

    /// One output line as it may be shown, or nil.
    static func shown(_ raw: String, known: Set<String>, lineOffset: Int) -> String? {
        guard raw.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 < 0x7F) }) else { return nil }
        var text = Substring(raw.trimmingASCIIWhitespace())
        // A log timestamp ("Wed Dec  2 05:40:00 2026: ") and a process tag ("Keepalived_vrrp[12]: ").
        if let colon = firstRange(of: ": ", in: text), text[..<colon.lowerBound].contains(":") {
            text = text[colon.upperBound...]
        }
        if text.hasPrefix("Keepalived"), let colon = firstRange(of: "]: ", in: text) { text = text[colon.upperBound...] }
        var location = ""
        if text.hasPrefix("("), let close = text.firstIndex(of: ")") {
            let inside = text[text.index(after: text.startIndex)..<close]
            let words = inside.split(separator: " ")
            if words.count >= 2, words[words.count - 2] == "Line", let number = Int(words[words.count - 1]) {
                // A line of another file (an include; the policy refuses them): never shown.
                if words.count > 2 {
                    let file = words[0..<(words.count - 2)].joined(separator: " ")
                    let name = file.split(separator: "/").last.map(String.init) ?? file
                    guard name.hasPrefix("octavia-keepalived") else { return nil }
                }
                let shifted = number - lineOffset
                location = shifted > 0 ? "line \(shifted): " : ""
                text = text[text.index(after: close)...].drop(while: { $0 == " " })
            }
        }
        guard !text.isEmpty else { return nil }
        if text.hasPrefix("SECURITY VIOLATION") {
            return location + "SECURITY VIOLATION - scripts would be executed without keepalived's script security"
        }
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let plain = stripped(String(word))
            if plain.isEmpty || known.contains(plain) || isMessageWord(plain) { continue }
            // "[ipv4-group]:0": each piece between punctuation must pass on its own.
            for piece in plain.split(whereSeparator: { punctuation.contains($0) }).map(String.init) {
                guard known.contains(piece) || isMessageWord(piece) || isSmallNumber(piece) else { return nil }
            }
        }
        let line = location + text
        return line.utf8.count <= maximumLineBytes ? line : String(decoding: Array(line.utf8.prefix(maximumLineBytes)), as: UTF8.self) + "..."
    }

    /// The first occurrence of `needle` in `text`.
    static func firstRange(of needle: String, in text: Substring) -> Range<Substring.Index>? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix(needle) { return index..<text.index(index, offsetBy: needle.count) }
            index = text.index(after: index)
        }
        return nil
    }

    static func stripped(_ word: String) -> String {
        var slice = Substring(word)
        while let first = slice.first, punctuation.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, punctuation.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }

    /// A port, a count, a line number: at most 5 digits.
    static func isSmallNumber(_ word: String) -> Bool { (1...5).contains(word.utf8.count) && word.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    /// `Unknown`, `keyword`, `script_security`, `-`, `VRRP`: a word keepalived's messages are made of.
    static func isMessageWord(_ word: String) -> Bool {
        guard word.utf8.count <= 32 else { return false }
        // VRRP, IPVS, SCTP: short upper-case words.
        if word.utf8.count <= 6, word.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) { return true }
        for (index, c) in word.utf8.enumerated() {
            let lower = c >= 0x61 && c <= 0x7A
            let upper = c >= 0x41 && c <= 0x5A
            guard lower || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || (index == 0 && upper) else { return false }
        }
        return true
    }
}
