import Glibc
import LinuxSystem

/// Netlink message plumbing shared by the helper's rtnetlink and generic netlink readers.
public enum Netlink {
    public static let nlmsgError: UInt16 = 2
    public static let nlmsgDone: UInt16 = 3
    public static let flagRequest: UInt16 = 0x1
    public static let flagMulti: UInt16 = 0x2
    public static let flagAck: UInt16 = 0x4
    public static let flagDump: UInt16 = 0x300
    /// NLM_F_DUMP_INTR: the dumped set changed while it was being dumped.
    public static let flagDumpInterrupted: UInt16 = 0x10

    /// One netlink attribute: type and payload, padded to 4 bytes.
    public static func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var out = le(UInt16(4 + payload.count)) + le(type) + payload
        while out.count % 4 != 0 { out.append(0) }
        return out
    }

    public static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    public static func load<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, at offset: Int, as: T.Type) -> T? {
        let start = bytes.startIndex + offset
        guard offset >= 0, start + MemoryLayout<T>.size <= bytes.endIndex else { return nil }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[start + index] }
        }
        return T(littleEndian: value)
    }

    /// One message of an answer: header fields and body (the bytes after the 16-byte header).
    public struct ReceivedMessage: Sendable {
        public let kind: UInt16
        public let flags: UInt16
        public let sequence: UInt32
        public let body: ArraySlice<UInt8>
    }

    /// The messages in one received datagram, up to the first malformed header (a length under 16
    /// or past the end of the data).
    public static func messages(in data: ArraySlice<UInt8>) -> [ReceivedMessage] {
        var result: [ReceivedMessage] = []
        var offset = 0
        while let length = load(data, at: offset, as: UInt32.self), let kind = load(data, at: offset + 4, as: UInt16.self),
            let flags = load(data, at: offset + 6, as: UInt16.self), let sequence = load(data, at: offset + 8, as: UInt32.self),
            length >= 16, Int(length) <= data.count - offset
        {
            let start = data.startIndex + offset
            result.append(ReceivedMessage(kind: kind, flags: flags, sequence: sequence, body: data[(start + 16)..<(start + Int(length))]))
            offset += (Int(length) + 3) & ~3
        }
        return result
    }

    /// The attributes of a message body from `offset` on: type (without flag bits) → payload.
    public static func attributes(_ body: ArraySlice<UInt8>, from offset: Int) -> [UInt16: ArraySlice<UInt8>] {
        var result: [UInt16: ArraySlice<UInt8>] = [:]
        var position = offset
        while let length = load(body, at: position, as: UInt16.self), let type = load(body, at: position + 2, as: UInt16.self),
            length >= 4, position + Int(length) <= body.count
        {
            let start = body.startIndex + position
            result[type & 0x3FFF] = body[(start + 4)..<(start + Int(length))]
            position += (Int(length) + 3) & ~3
        }
        return result
    }
}

/// A netlink socket for one exchange at a time (the caller serialises).
public final class NetlinkSocket {
    public let fd: Int32
    var sequence: UInt32 = 0

    /// True after an exchange failed part-way: answers of it may still be queued (or a dump still
    /// running in the kernel, which would refuse the next one with EBUSY) until ``drain()``.
    public private(set) var unsettled = false

    /// A new socket of netlink `protocol` (0: NETLINK_ROUTE, 16: NETLINK_GENERIC) in our namespace.
    public convenience init(protocol: Int32) throws(SystemError) {
        try self.init(adopting: try retryingSyscall("socket") {
            socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), `protocol`)
        })
    }

    /// Takes ownership of an open netlink socket (one created in another namespace, say) and gives
    /// it a 2 s receive timeout; closes it if that fails (a blocking read could hang forever).
    public init(adopting fd: Int32) throws(SystemError) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let error = SystemError("setsockopt SO_RCVTIMEO")
            close(fd)
            throw error
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Reads and drops whatever is queued, which also lets the kernel finish an abandoned dump
    /// (it produces the next part as each one is read), until nothing is left.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<100_000 {
            do {
                let n = try retryingSyscall("recv") { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) } }
                if n == 0 { break }
            } catch {
                if error.errno != ENOBUFS { break }
            }
        }
        unsettled = false
    }

    public typealias Message = (type: UInt16, body: ArraySlice<UInt8>)

    /// Sends one request and collects the messages of its answer (until DONE, an error/ack, or a
    /// single non-multipart message). A dump the kernel marks interrupted (it changed while being
    /// dumped) or ends with an error code fails; so does a timeout, and the socket is then
    /// ``unsettled`` (drained before the next request).
    public func exchange(type: UInt16, flags: UInt16, body: [UInt8]) throws(SystemError) -> [Message] {
        if unsettled { drain() }
        unsettled = true
        let messages = try receiveAnswer(type: type, flags: flags, body: body)
        unsettled = false
        return messages
    }

    private func receiveAnswer(type: UInt16, flags: UInt16, body: [UInt8]) throws(SystemError) -> [Message] {
        sequence &+= 1
        let seq = sequence
        typealias L = Netlink
        let request = L.le(UInt32(16 + body.count)) + L.le(type) + L.le(flags) + L.le(seq) + L.le(UInt32(0)) + body
        _ = try retryingSyscall("sendto") { request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } }
        var messages: [Message] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try retryingSyscall("recv") { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
            var finished = false
            for message in L.messages(in: buffer[0..<n]) where message.sequence == seq {
                let body = message.body
                if message.flags & L.flagDumpInterrupted != 0 { throw SystemError("netlink dump interrupted", errno: EAGAIN) }
                if message.kind == L.nlmsgError {
                    let code = L.load(body, at: 0, as: Int32.self) ?? -EPROTO
                    if code != 0 { throw SystemError("netlink", errno: -code) }
                    finished = true
                } else if message.kind == L.nlmsgDone {
                    if let code = L.load(body, at: 0, as: Int32.self), code < 0 { throw SystemError("netlink dump", errno: -code) }
                    finished = true
                } else {
                    messages.append((message.kind, body))
                    if message.flags & L.flagMulti == 0 { finished = true }
                }
            }
            if finished || n == 0 { return messages }
        }
    }
}
