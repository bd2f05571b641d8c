/// One word of a keepalived line, and whether it was written in double quotes.
public struct KeepalivedWord: Sendable, Equatable {
    public var text: String
    public var quoted: Bool
}

/// A significant line of a keepalived configuration: a keyword (or block entry) with its arguments,
/// possibly opening a block (`... {`), or a lone `}` closing one.
public struct KeepalivedLine: Sendable, Equatable {
    /// 1-based physical line number.
    public var number: Int
    /// The words without the trailing `{`; empty for `}`.
    public var words: [KeepalivedWord]
    public var opensBlock: Bool
    public var closesBlock: Bool
}
