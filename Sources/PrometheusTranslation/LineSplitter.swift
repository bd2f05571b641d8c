/// Splits a byte stream into lines as Python's `readlines()` does: each ends with its `\n`, and what
/// follows the last `\n` is a final line of its own.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// The bytes held back: the start of a line whose end has not arrived yet.
    public var pendingCount: Int { pending.count }

    /// Appends `bytes` and calls `body` with every line now complete.
    public mutating func feed(_ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        pending.append(contentsOf: bytes)
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            try body(pending[start...newline])
            start = newline + 1
        }
        pending.removeFirst(start)
    }

    /// Calls `body` with the final unterminated line, if any (at end of input).
    public mutating func finish(_ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        defer { pending.removeAll() }
        if !pending.isEmpty { try body(pending[...]) }
    }
}
