import Glibc
import IPCProtocol
import LinuxSystem

/// haproxy's runtime API over its stats socket (`show stat`, `show servers state`).
public enum HAProxyStatsSocket {
    /// Whether haproxy answers `show info` on `path` within `timeoutSeconds` (the one "is it up" test
    /// of starting, status, `/details`).
    public static func isAnswering(_ path: String, timeoutSeconds: Int) -> Bool {
        (try? query(path, "show info", timeoutSeconds: timeoutSeconds)) != nil
    }

    /// Sends one command and returns the whole answer (haproxy closes after answering), or throws.
    public static func query(_ path: String, _ command: String, timeoutSeconds: Int = 5) throws(SystemError) -> String {
        let fd = try retryingSyscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let address = UnixSocketAddress(path: path) else { throw SystemError("connect", errno: ENAMETOOLONG, subject: path) }
        try address.connect(fd)
        try writeAll(fd, Array((command + "\n").utf8))
        // `show stat` is a few hundred bytes a server: some 4 MB for the 50 x 200 reference load
        // balancer (docs/limits.md), which the old 4 MiB cap cut short; 64 MiB holds 16 times that.
        let (answer, _) = try readAll(fd, limit: 64 << 20)
        return String(decoding: answer, as: UTF8.self)
    }

    /// One row of `show stat`.
    public struct Row: Sendable, Equatable {
        public var proxy: String
        public var service: String
        public var fields: [String: String]
        public var status: String { fields["status"] ?? "" }
    }

    /// Parses `show stat` CSV (the header line starts with `# `).
    public static func parseStat(_ csv: String) -> [Row] {
        var lines = csv.split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("# ") else { return [] }
        lines.removeFirst()
        let names = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.compactMap { line in
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count >= 2 else { return nil }
            var fields: [String: String] = [:]
            for (name, value) in zip(names, values) where !name.isEmpty { fields[name] = value }
            return Row(proxy: values[0], service: values[1], fields: fields)
        }
    }

    /// Pools and members for the seed API: a member is UP when haproxy says UP (or `no check`),
    /// DOWN otherwise; a pool is DEGRADED when it is up with a member down.
    public static func pools(from rows: [Row]) -> [PoolStatus] {
        var pools: [PoolStatus] = []
        for backend in rows where backend.service == "BACKEND" {
            let members = rows.filter { $0.proxy == backend.proxy && $0.service != "BACKEND" && $0.service != "FRONTEND" }
                .map { row in
                    MemberStatus(name: row.service, status: row.status.hasPrefix("UP") || row.status == "no check" ? "UP" : "DOWN")
                }
            var status = backend.status.hasPrefix("UP") ? "UP" : "DOWN"
            if status == "UP", members.contains(where: { $0.status == "DOWN" }) { status = "DEGRADED" }
            pools.append(PoolStatus(name: backend.proxy, status: status, members: members))
        }
        return pools
    }
}
