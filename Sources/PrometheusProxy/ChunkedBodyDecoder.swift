/// Decodes an HTTP/1.1 chunked body incrementally (haproxy's exporter answers HTTP/1.1 chunked).
public struct ChunkedBodyDecoder: Sendable {
    enum State: Equatable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailer
        case finished
    }

    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Longest size or trailer line accepted (a size, extensions, CRLF).
    static let lineLimit = 4096

    private var state = State.sizeLine
    private var line: [UInt8] = []

    public init() {}

    /// True once the last chunk and the trailer arrived.
    public var isFinished: Bool { state == .finished }

    /// Decodes `input`, appending the body bytes it carries to `output`.
    public mutating func decode(_ input: ArraySlice<UInt8>, into output: inout [UInt8]) throws(Malformed) {
        var index = input.startIndex
        while index < input.endIndex {
            switch state {
            case .finished:
                return
            case .data(let remaining):
                let take = min(remaining, input.endIndex - index)
                output.append(contentsOf: input[index..<(index + take)])
                index += take
                state = remaining - take == 0 ? .dataEnd : .data(remaining: remaining - take)
            case .sizeLine, .dataEnd, .trailer:
                let byte = input[index]
                index += 1
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    if line.count > Self.lineLimit { throw Malformed(description: "chunk line too long") }
                    continue
                }
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                defer { line.removeAll(keepingCapacity: true) }
                try endOfLine()
            }
        }
    }

    private mutating func endOfLine() throws(Malformed) {
        switch state {
        case .sizeLine:
            let digits = line.prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            guard !digits.isEmpty, digits.count <= 15, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) else {
                throw Malformed(description: "bad chunk size")
            }
            state = size == 0 ? .trailer : .data(remaining: size)
        case .dataEnd:
            guard line.isEmpty else { throw Malformed(description: "chunk not followed by CRLF") }
            state = .sizeLine
        case .trailer:
            if line.isEmpty { state = .finished }
        case .data, .finished:
            break
        }
    }
}
