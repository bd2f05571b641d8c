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
        try answer(path, command, timeoutSeconds: timeoutSeconds).text
    }

    /// haproxy's `show servers state` (its format 1: a first line `1`) on `path`, whole; nil when
    /// nothing answers with one (no socket, an error reply, an empty or cut answer): no server state
    /// to load, and no sign that a haproxy runs there.
    public static func serversState(_ path: String) -> String? {
        guard let (text, truncated) = try? answer(path, "show servers state"), !truncated, text.hasPrefix("1\n") else { return nil }
        return text
    }

    /// ``query(_:_:timeoutSeconds:)``'s answer, and whether it was cut at its limit.
    static func answer(_ path: String, _ command: String, timeoutSeconds: Int = 5) throws(SystemError) -> (text: String, truncated: Bool) {
        let fd = try retryingSyscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let address = UnixSocketAddress(path: path) else { throw SystemError("connect", errno: ENAMETOOLONG, subject: path) }
        try address.connect(fd)
        try writeAll(fd, Array((command + "\n").utf8))
        // `show stat` is some 230 bytes a server: about 4.6 MB at the policy's 20,000 servers
        // (HAProxyConfigPolicy.maximumServers, docs/limits.md); 16 MiB holds three times that.
        let (answer, truncated) = try readAll(fd, limit: 16 << 20)
        return (String(decoding: answer, as: UTF8.self), truncated)
    }

    /// `Uptime_sec` of a `show info` answer (`Name: value` lines), nil when it is missing.
    public static func uptimeSeconds(fromInfo info: String) -> Int? {
        for line in info.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, String(parts[0]).trimmingCharacters(of: " \t") == "Uptime_sec" {
                return Int(String(parts[1]).trimmingCharacters(of: " \t\r"))
            }
        }
        return nil
    }

    /// One row of `show stat`.
    public struct Row: Sendable, Equatable {
        public var proxy: String
        public var service: String
        public var fields: [String: String]
        public var status: String { fields["status"] ?? "" }
    }

    /// The columns the agent reads (status, drain weight, the heartbeat's counters); haproxy's other
    /// ~90 columns are never kept, so a row costs a few small strings, not a dictionary of a hundred.
    public static let usedColumns: Set<String> = ["status", "weight", "bin", "bout", "ereq", "scur", "stot"]

    /// Parses `show stat` CSV (the header line starts with `# `), keeping ``usedColumns`` only.
    public static func parseStat(_ csv: String) -> [Row] {
        let lines = csv.split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("# ") else { return [] }
        let kept: [(index: Int, name: String)] = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false)
            .enumerated().compactMap { index, name in usedColumns.contains(String(name)) ? (index, String(name)) : nil }
        var rows: [Row] = []
        rows.reserveCapacity(lines.count - 1)
        for line in lines.dropFirst() {
            let values = line.split(separator: ",", omittingEmptySubsequences: false)
            guard values.count >= 2 else { continue }
            var fields: [String: String] = [:]
            for column in kept where column.index < values.count { fields[column.name] = String(values[column.index]) }
            rows.append(Row(proxy: String(values[0]), service: String(values[1]), fields: fields))
        }
        return rows
    }

    /// Pools and members for the seed API: a member is UP when haproxy says UP (or `no check`),
    /// DOWN otherwise; a pool is DEGRADED when it is up with a member down.
    public static func pools(from rows: [Row]) -> [PoolStatus] {
        // One pass groups the members by proxy (filtering all rows per backend was quadratic).
        var members: [String: [MemberStatus]] = [:]
        for row in rows where row.service != "BACKEND" && row.service != "FRONTEND" {
            members[row.proxy, default: []].append(
                MemberStatus(name: row.service, status: row.status.hasPrefix("UP") || row.status == "no check" ? "UP" : "DOWN"))
        }
        var pools: [PoolStatus] = []
        for backend in rows where backend.service == "BACKEND" {
            let own = members[backend.proxy] ?? []
            var status = backend.status.hasPrefix("UP") ? "UP" : "DOWN"
            if status == "UP", own.contains(where: { $0.status == "DOWN" }) { status = "DEGRADED" }
            pools.append(PoolStatus(name: backend.proxy, status: status, members: own))
        }
        return pools
    }
}
