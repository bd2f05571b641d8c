/// Small text helpers the helper needs without Foundation.
extension String {
    /// The first `limit` of `bytes` as text, every byte outside printable ASCII shown as `?`: one
    /// line of a tool's output, made safe to pass on.
    init(printableASCII bytes: some Collection<UInt8>, limit: Int) {
        self.init(decoding: bytes.prefix(limit).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// The string without leading and trailing characters from `set`.
    func trimmingCharacters(of set: String) -> String {
        let chars = Set(set)
        var slice = self[...]
        while let first = slice.first, chars.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, chars.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }

    /// `replacingOccurrences` without Foundation.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
