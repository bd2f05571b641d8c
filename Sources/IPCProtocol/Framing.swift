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
    /// The largest payload either side accepts: the largest upload plus its JSON escapes and
    /// envelope (``UploadLimits``), 33 MiB. An upload whose encoding would not fit is refused by the
    /// front as too large, never sent.
    public static let maximumPayloadSize = UploadLimits.maximumBodySize + UploadLimits.encodingAllowance
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
    ///
    /// The payload buffer grows with the bytes that actually arrive (see ``FramePayloadReader``),
    /// never to the length the header announces: a header claiming 33 MiB followed by silence costs
    /// one chunk, not 33 MiB.
    public static func readPayload(using readSome: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> [UInt8] {
        var header = [UInt8](repeating: 0, count: headerSize)
        var offset = 0
        while offset < headerSize {
            let n = try header.withUnsafeMutableBytes { try readSome(UnsafeMutableRawBufferPointer(rebasing: $0[offset...])) }
            guard n > 0 else { throw FrameError.truncated }
            offset += n
        }
        var reader = FramePayloadReader(length: try payloadLength(header: header))
        while !reader.isComplete {
            guard try reader.receive(using: readSome) > 0 else { throw FrameError.truncated }
        }
        return reader.payload
    }
}

/// Collects one frame's payload as it arrives, so that memory grows with the bytes received and not
/// with the length a (possibly hostile) header announces.
///
/// Each ``receive(using:)`` offers `readSome` at most ``chunkSize`` bytes; the payload buffer's
/// capacity stays below twice the bytes received plus one chunk.
/// ```
/// var reader = FramePayloadReader(length: try Frame.payloadLength(header: header))
/// while !reader.isComplete { guard try reader.receive(using: readSome) > 0 else { throw FrameError.truncated } }
/// ```
public struct FramePayloadReader: Sendable {
    /// The most bytes one ``receive(using:)`` asks for.
    public static let chunkSize = 64 * 1024

    /// The payload length the header announced (already checked against ``Frame/maximumPayloadSize``).
    public let length: Int
    /// The bytes received so far.
    public private(set) var payload: [UInt8] = []
    /// Where `readSome` writes; one chunk at most.
    private var scratch: [UInt8] = []

    /// Starts a payload of `length` bytes; nothing is allocated until bytes arrive.
    public init(length: Int) {
        self.length = length
    }

    /// True once ``length`` bytes have been received.
    public var isComplete: Bool { payload.count >= length }

    /// The bytes the buffer can hold without growing (for tests: it follows the bytes received).
    public var bufferCapacity: Int { payload.capacity }

    /// Lets `readSome` fill up to one chunk of what is still missing, and returns the number of bytes
    /// it read (0: the peer closed). `readSome` gets a buffer of at most ``chunkSize`` bytes: a
    /// scratch chunk (allocated at the first call, at most the frame's length), whose bytes are then
    /// appended to the payload with one copy, so that a frame at the 33 MiB cap arrives at memory
    /// speed and well within the helper's frame deadline, even in a debug build.
    public mutating func receive(using readSome: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Int {
        let want = min(Self.chunkSize, length - payload.count)
        guard want > 0 else { return 0 }
        if scratch.isEmpty { scratch = [UInt8](repeating: 0, count: min(Self.chunkSize, length)) }
        let read = try scratch.withUnsafeMutableBytes { raw in
            try readSome(UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]))
        }
        let received = max(0, min(read, want))
        payload.append(contentsOf: scratch[0..<received])
        return received
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
