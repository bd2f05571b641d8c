import Glibc

/// Interface byte counters of another network namespace, read over rtnetlink from the helper's own
/// namespace: no `setns`, no process.
///
/// The namespace is named by its `/run/netns/<name>` file. The kernel gives it a namespace id as
/// seen from ours (`RTM_GETNSID`, assigned with `RTM_NEWNSID` when it has none yet, as
/// `ip netns set` would), and an `RTM_GETLINK` dump carrying `IFLA_TARGET_NETNSID` lists that
/// namespace's links with `IFLA_STATS64`. Needs CAP_NET_ADMIN (kept by the helper) and an
/// `AF_NETLINK` socket (allowed by its seccomp policy).
enum NamespaceLinkStatistics {
    /// One link's cumulative counters.
    struct Counters: Sendable, Equatable {
        var name: String
        var rxBytes: UInt64
        var txBytes: UInt64
    }

    static let rtmNewLink: UInt16 = 16
    static let rtmGetLink: UInt16 = 18
    static let rtmNewNSID: UInt16 = 88
    static let rtmGetNSID: UInt16 = 90
    static let nlmsgError: UInt16 = 2
    static let nlmsgDone: UInt16 = 3
    static let flagRequest: UInt16 = 0x1
    static let flagMulti: UInt16 = 0x2
    static let flagAck: UInt16 = 0x4
    static let flagDump: UInt16 = 0x300
    static let iflaIfname: UInt16 = 3
    static let iflaStats64: UInt16 = 23
    static let iflaTargetNetnsid: UInt16 = 46
    static let netnsaNSID: UInt16 = 1
    static let netnsaFD: UInt16 = 3

    /// Every link of the namespace named `netns` (`/run/netns/<netns>`), or throws.
    static func read(netns: String) throws(SystemError) -> [Counters] {
        let path = "/run/netns/\(netns)"
        let nsfd = try retryingSyscall("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(nsfd) }
        let socket = try NetlinkSocket()
        var nsid = try socket.namespaceID(fd: nsfd)
        if nsid < 0 {
            try socket.assignNamespaceID(fd: nsfd)
            nsid = try socket.namespaceID(fd: nsfd)
        }
        guard nsid >= 0 else { throw SystemError("RTM_GETNSID", errno: ENOENT, subject: path) }
        return try socket.links(targetNamespaceID: nsid)
    }

    /// One rtnetlink attribute: type and payload, padded to 4 bytes.
    static func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var out = le(UInt16(4 + payload.count)) + le(type) + payload
        while out.count % 4 != 0 { out.append(0) }
        return out
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    static func load<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, at offset: Int, as: T.Type) -> T? {
        let start = bytes.startIndex + offset
        guard offset >= 0, start + MemoryLayout<T>.size <= bytes.endIndex else { return nil }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[start + index] }
        }
        return T(littleEndian: value)
    }

    /// The attributes of a message body from `offset` on: type (without flag bits) → payload.
    static func attributes(_ body: ArraySlice<UInt8>, from offset: Int) -> [UInt16: ArraySlice<UInt8>] {
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

    /// Links from `RTM_NEWLINK` message bodies (`ifinfomsg` is 16 bytes).
    static func parseLink(_ body: ArraySlice<UInt8>) -> Counters? {
        let attrs = attributes(body, from: 16)
        guard let nameBytes = attrs[iflaIfname], let stats = attrs[iflaStats64] else { return nil }
        let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
        // rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes, ...
        guard let rx = load(stats, at: 16, as: UInt64.self), let tx = load(stats, at: 24, as: UInt64.self) else { return nil }
        return Counters(name: name, rxBytes: rx, txBytes: tx)
    }
}

/// A NETLINK_ROUTE socket for one exchange at a time.
private final class NetlinkSocket {
    let fd: Int32
    var sequence: UInt32 = 0

    init() throws(SystemError) {
        fd = try retryingSyscall("socket") { socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    typealias Message = (type: UInt16, body: ArraySlice<UInt8>)

    /// Sends one request and collects the messages of its answer (until DONE, an error/ack, or a
    /// single non-multipart message).
    func exchange(type: UInt16, flags: UInt16, body: [UInt8]) throws(SystemError) -> [Message] {
        sequence &+= 1
        let seq = sequence
        typealias L = NamespaceLinkStatistics
        let request = L.le(UInt32(16 + body.count)) + L.le(type) + L.le(flags) + L.le(seq) + L.le(UInt32(0)) + body
        _ = try retryingSyscall("sendto") { request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } }
        var messages: [Message] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try retryingSyscall("recv") { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
            let data = buffer[0..<n]
            var offset = 0
            var finished = false
            while let length = L.load(data, at: offset, as: UInt32.self), let kind = L.load(data, at: offset + 4, as: UInt16.self),
                let messageFlags = L.load(data, at: offset + 6, as: UInt16.self), let messageSeq = L.load(data, at: offset + 8, as: UInt32.self),
                length >= 16, offset + Int(length) <= n
            {
                if messageSeq == seq {
                    let body = data[(offset + 16)..<(offset + Int(length))]
                    if kind == L.nlmsgError {
                        let code = L.load(body, at: 0, as: Int32.self) ?? -EPROTO
                        if code != 0 { throw SystemError("netlink", errno: -code) }
                        finished = true
                    } else if kind == L.nlmsgDone {
                        finished = true
                    } else {
                        messages.append((kind, body))
                        if messageFlags & L.flagMulti == 0 { finished = true }
                    }
                }
                offset += (Int(length) + 3) & ~3
            }
            if finished || n == 0 { return messages }
        }
    }

    /// The id our namespace knows `fd`'s namespace by, or −1 when none is assigned.
    func namespaceID(fd nsfd: Int32) throws(SystemError) -> Int32 {
        typealias L = NamespaceLinkStatistics
        let body = [UInt8](repeating: 0, count: 4) + L.attribute(L.netnsaFD, L.le(UInt32(bitPattern: nsfd)))
        for message in try exchange(type: L.rtmGetNSID, flags: L.flagRequest, body: body) where message.type == L.rtmNewNSID {
            if let value = L.attributes(message.body, from: 4)[L.netnsaNSID], let id = L.load(value, at: 0, as: Int32.self) { return id }
        }
        return -1
    }

    /// Asks the kernel to give `fd`'s namespace an id (any free one).
    func assignNamespaceID(fd nsfd: Int32) throws(SystemError) {
        typealias L = NamespaceLinkStatistics
        let body = [UInt8](repeating: 0, count: 4) + L.attribute(L.netnsaFD, L.le(UInt32(bitPattern: nsfd)))
            + L.attribute(L.netnsaNSID, L.le(Int32(-1)))
        do {
            _ = try exchange(type: L.rtmNewNSID, flags: L.flagRequest | L.flagAck, body: body)
        } catch where error.errno == EEXIST {
            // Assigned meanwhile (by `ip` or a concurrent sampler): fine.
        }
    }

    /// Every link of the namespace with id `nsid`.
    func links(targetNamespaceID nsid: Int32) throws(SystemError) -> [NamespaceLinkStatistics.Counters] {
        typealias L = NamespaceLinkStatistics
        let body = [UInt8](repeating: 0, count: 16) + L.attribute(L.iflaTargetNetnsid, L.le(nsid))
        return try exchange(type: L.rtmGetLink, flags: L.flagRequest | L.flagDump, body: body)
            .filter { $0.type == L.rtmNewLink }.compactMap { L.parseLink($0.body) }
    }
}
