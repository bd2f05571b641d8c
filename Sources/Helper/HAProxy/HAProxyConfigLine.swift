import IPCProtocol

/// One word of a haproxy configuration line as haproxy 2.6 reads it.
public struct HAProxyConfigWord: Sendable, Equatable {
    /// The value haproxy sees: quotes removed, escapes resolved.
    public let value: String
    /// True when the word was written as it reads: no quote and no backslash in it.
    public let plain: Bool

    public init(_ value: String, plain: Bool = true) {
        self.value = value
        self.plain = plain
    }
}

/// One non-empty line of a haproxy configuration, split into words.
public struct HAProxyConfigLine: Sendable, Equatable {
    /// 1-based line number in the text.
    public let number: Int
    public let words: [HAProxyConfigWord]

    /// The word values.
    public var values: [String] { words.map(\.value) }
}
