/// Why a keepalived configuration was refused, and where.
public struct KeepalivedConfigRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number; 0 for the whole text.
    public var line: Int
    public var reason: String

    public var description: String { line > 0 ? "keepalived configuration line \(line): \(reason)" : "keepalived configuration: \(reason)" }
}
