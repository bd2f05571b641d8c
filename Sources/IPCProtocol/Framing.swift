/// Length-prefixed frames: a 4-byte big-endian payload length, then the payload.
///
/// The cap is checked on the header, before any payload byte is buffered, so a hostile length
/// (`0xFFFFFFFF`) costs nothing. A zero-length frame is invalid.
/// ```
/// var decoder = FrameDecoder()
/// decoder.append(bytesFromSocket)
/// while let payload = try decoder.nextFrame() { handle(payload) }
/// ```
public enum Frame {
    /// The largest payload either side accepts (a 1 MiB haproxy config JSON-escaped fits easily).
    public static let maximumPayloadSize = 4 * 1024 * 1024
    /// Bytes of the length header.
    public static let headerSize = 4

    /// Prefixes `payload` with its length.
    public static func encode(_ payload: [UInt8]) throws(FrameError) -> [UInt8] {
        guard !payload.isEmpty else { throw .empty }
        guard payload.count <= maximumPayloadSize else { throw .tooLarge(payload.count) }
        let n = UInt32(payload.count)
        var out: [UInt8] = [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
        out.append(contentsOf: payload)
        return out
    }

    /// Reads the payload length from a 4-byte header, refusing empty and oversized frames.
    public static func payloadLength(header: some Collection<UInt8>) throws(FrameError) -> Int {
        guard header.count == headerSize else { throw .truncated }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length > 0 else { throw .empty }
        guard length <= maximumPayloadSize else { throw .tooLarge(length) }
        return length
    }
}

extension Frame {
    /// Reads one whole frame from a blocking stream and returns its payload. `readSome` fills a prefix
    /// of the buffer it is given and returns how many bytes it read, 0 when the peer closed (which is
    /// ``FrameError/truncated``); it handles its own EINTR, and its errors pass through.
    public static func readPayload(using readSome: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> [UInt8] {
        func exactly(_ count: Int) throws -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            var offset = 0
            while offset < count {
                let n = try buffer.withUnsafeMutableBytes { try readSome(UnsafeMutableRawBufferPointer(rebasing: $0[offset...])) }
                guard n > 0 else { throw FrameError.truncated }
                offset += n
            }
            return buffer
        }
        return try exactly(try payloadLength(header: try exactly(headerSize)))
    }
}

/// Why a frame was refused. Any of these closes the connection it arrived on.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(Int)
    case truncated

    public var description: String {
        switch self {
        case .empty: return "zero-length frame"
        case .tooLarge(let n): return "frame of \(n) bytes exceeds the \(Frame.maximumPayloadSize)-byte cap"
        case .truncated: return "connection closed inside a frame"
        }
    }
}

/// Incremental frame reassembly for a byte stream.
public struct FrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var expected: Int?

    public init() {}

    /// True while part of a frame has been received.
    public var isInsideFrame: Bool { !buffer.isEmpty || expected != nil }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) { buffer.append(contentsOf: bytes) }

    /// Returns the next complete payload, nil if more bytes are needed, or throws on a bad header.
    public mutating func nextFrame() throws(FrameError) -> [UInt8]? {
        if expected == nil {
            guard buffer.count >= Frame.headerSize else { return nil }
            expected = try Frame.payloadLength(header: buffer.prefix(Frame.headerSize))
            buffer.removeFirst(Frame.headerSize)
        }
        guard let length = expected, buffer.count >= length else { return nil }
        let payload = Array(buffer.prefix(length))
        buffer.removeFirst(length)
        expected = nil
        return payload
    }
}
