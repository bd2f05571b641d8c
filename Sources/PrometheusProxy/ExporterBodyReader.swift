/// The exporter's body under its framing: chunked, a length, or until the connection closes.
public struct ExporterBodyReader: Sendable {
    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    private let framing: ExporterResponseHead.Framing
    private var chunked = ChunkedBodyDecoder()
    private var remaining: Int

    public init(framing: ExporterResponseHead.Framing) {
        self.framing = framing
        if case .length(let length) = framing { remaining = length } else { remaining = 0 }
    }

    /// True when the body is complete (never for a body that ends at close: the close tells).
    public var isFinished: Bool {
        switch framing {
        case .chunked: chunked.isFinished
        case .length: remaining == 0
        case .untilClose: false
        }
    }

    /// True when the end of the connection is the end of the body.
    public var endsAtClose: Bool { framing == .untilClose }

    /// Appends the body bytes in `input` to `output` (bytes past the body's end are ignored).
    public mutating func decode(_ input: ArraySlice<UInt8>, into output: inout [UInt8]) throws(Malformed) {
        switch framing {
        case .chunked:
            do { try chunked.decode(input, into: &output) } catch { throw Malformed(description: error.description) }
        case .length:
            let take = min(remaining, input.count)
            output.append(contentsOf: input.prefix(take))
            remaining -= take
        case .untilClose:
            output.append(contentsOf: input)
        }
    }
}
