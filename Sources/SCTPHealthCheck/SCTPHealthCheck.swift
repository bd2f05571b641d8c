import Glibc

/// The SCTP health check keepalived runs for an Octavia SCTP health monitor
/// (`misc_path "amphora-health-checker sctp -t TIMEOUT ADDRESS PORT"`), as upstream's
/// `octavia.cmd.health_checker` does it: one SCTP INIT from a raw socket; an INIT ACK means the
/// member listens (0), an ABORT that it does not (1), silence until the timeout is 2, any other
/// answer 3. After an INIT ACK the association is aborted (by the kernel's own SCTP stack, or by
/// an ABORT we send when the kernel has none), so the member keeps no half-open association.
public enum SCTPHealthCheck {
    /// The outcome, as upstream's exit status.
    public enum Outcome: Int32, Sendable {
        case listening = 0
        case refused = 1
        case timedOut = 2
        case unexpected = 3
    }

    // MARK: - Packets (RFC 9260)

    /// CRC32c (Castagnoli), as SCTP's checksum uses it: the result is stored little-endian.
    public static func crc32c(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = (crc >> 8) ^ crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] }
        return ~crc
    }

    static let crcTable: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ 0x82F6_3B78 : value >> 1 }
        return value
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    /// The common header's checksum field (bytes 8..<12), CRC32c over the packet with it zeroed.
    static func withChecksum(_ packet: [UInt8]) -> [UInt8] {
        var out = packet
        let crc = crc32c(out)
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { out[8 + i] = $0[i] } }
        return out
    }

    /// An INIT: verification tag 0, our `tag` as the initiate tag, 10 outbound and 65535 inbound streams.
    public static func initPacket(sourcePort: UInt16, destinationPort: UInt16, tag: UInt32, initialTSN: UInt32) -> [UInt8] {
        let header = bigEndian(sourcePort) + bigEndian(destinationPort) + bigEndian(UInt32(0)) + bigEndian(UInt32(0))
        let chunk = [UInt8(1), 0] + bigEndian(UInt16(20)) + bigEndian(tag) + bigEndian(UInt32(106_496))
            + bigEndian(UInt16(10)) + bigEndian(UInt16(65535)) + bigEndian(initialTSN)
        return withChecksum(header + chunk)
    }

    /// An ABORT answering a packet whose verification tag was `tag` (T bit set: the tag reflected).
    public static func abortPacket(sourcePort: UInt16, destinationPort: UInt16, tag: UInt32) -> [UInt8] {
        let header = bigEndian(sourcePort) + bigEndian(destinationPort) + bigEndian(tag) + bigEndian(UInt32(0))
        return withChecksum(header + [6, 1] + bigEndian(UInt16(4)))
    }

    /// The first chunk type of an answer to our INIT (its verification tag is ours), or nil.
    /// IPv4 raw sockets deliver the IP header too; IPv6 ones do not.
    public static func answerType(_ packet: ArraySlice<UInt8>, ipv4: Bool, expectedTag: UInt32) -> UInt8? {
        let offset = ipv4 ? Int((packet.first ?? 0) & 0x0F) * 4 : 0
        guard packet.count - offset >= 16 else { return nil }
        let start = packet.startIndex + offset
        let tag = packet[(start + 4)..<(start + 8)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return tag == expectedTag ? packet[start + 12] : nil
    }

    // MARK: - The check

    /// Checks `address` (IPv4 or IPv6 text) `port` within `timeoutSeconds` (0: no wait, a timeout).
    public static func run(address: String, port: UInt16, timeoutSeconds: Int) -> Outcome {
        var storage = sockaddr_storage()
        let ipv4 = !address.contains(":")
        let length: socklen_t
        if ipv4 {
            length = withUnsafeMutableBytes(of: &storage) { raw in
                let sin = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                sin.pointee.sin_family = sa_family_t(AF_INET)
                return inet_pton(AF_INET, address, &sin.pointee.sin_addr) == 1 ? socklen_t(MemoryLayout<sockaddr_in>.size) : 0
            }
        } else {
            length = withUnsafeMutableBytes(of: &storage) { raw in
                let sin6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                return inet_pton(AF_INET6, address, &sin6.pointee.sin6_addr) == 1 ? socklen_t(MemoryLayout<sockaddr_in6>.size) : 0
            }
        }
        guard length > 0 else { return .unexpected }
        let fd = socket(ipv4 ? AF_INET : AF_INET6, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_SCTP))
        guard fd >= 0 else { return .unexpected }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
        guard connected == 0 else { return .unexpected }

        let tag = UInt32.random(in: 1...UInt32.max)
        let sourcePort = UInt16.random(in: 1024...65535)
        let request = initPacket(sourcePort: sourcePort, destinationPort: port, tag: tag, initialTSN: UInt32.random(in: 1...UInt32.max))
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return .unexpected }

        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let deadline = Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000 + Int64(timeoutSeconds) * 1000
        var buffer = [UInt8](repeating: 0, count: 1500)
        while true {
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = deadline - (Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
            guard left > 0 else { return .timedOut }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(left, 1000)))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0, let type = answerType(buffer[0..<n], ipv4: ipv4, expectedTag: tag) else { continue }
            if type == 6 { return .refused }
            // An INIT ACK (listening) or anything else opened something on the member. Our kernel's
            // SCTP answers it with an ABORT for us; without SCTP we send that ABORT ourselves: the
            // answer's verification tag (ours) reflected, T bit set (RFC 9260 8.4), as upstream does.
            if !kernelHasSCTP() {
                let abort = abortPacket(sourcePort: sourcePort, destinationPort: port, tag: tag)
                _ = abort.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            }
            return type == 2 ? .listening : .unexpected
        }
    }

    /// Whether the kernel has SCTP (it then answers an INIT ACK for an association it does not know with an ABORT).
    static func kernelHasSCTP() -> Bool {
        guard let file = fopen("/proc/net/protocols", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            if strncmp(line, "SCTP", 4) == 0 { return true }
        }
        return false
    }
}
