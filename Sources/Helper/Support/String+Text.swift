/// Small text helpers the helper needs without Foundation.
extension String {
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
