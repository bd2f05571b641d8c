import Glibc
import IPCProtocol
import LinuxSystem

/// Host facts from `/proc`, `statvfs` and `sysconf`: plain file reads and one system call each,
/// never a process. Parsing is separate from reading so it can be tested on fixed text.
public enum HostStatistics {
    /// The aggregate `cpu` line of `/proc/stat` text.
    public static func parseCPU(_ text: String) -> CPUTimes? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.first == "cpu" else { continue }
            let fields = words.dropFirst().compactMap { UInt64($0) }
            return fields.count >= 4 ? CPUTimes(fields: fields) : nil
        }
        return nil
    }

    /// `/proc/meminfo` text as kB values by name (`MemTotal` → 4087402).
    public static func parseMeminfo(_ text: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let words = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true)
            if let first = words.first, let value = UInt64(first) { values[String(line[..<colon])] = value }
        }
        return values
    }

    /// The memory figures both API versions report.
    public static func memory(_ values: [String: UInt64]) -> MemoryInfo {
        let swapTotal = values["SwapTotal"] ?? 0
        let swapFree = values["SwapFree"] ?? 0
        return MemoryInfo(
            total: values["MemTotal"] ?? 0, free: values["MemFree"] ?? 0, available: values["MemAvailable"] ?? 0,
            buffers: values["Buffers"] ?? 0, cached: values["Cached"] ?? 0, swapCached: values["SwapCached"] ?? 0,
            swapUsed: swapTotal >= swapFree ? swapTotal - swapFree : 0, shared: values["Shmem"] ?? 0, slab: values["Slab"] ?? 0,
            committedAS: values["Committed_AS"] ?? 0)
    }

    /// The three load averages of `/proc/loadavg` text, as written (`["0.50", "0.45", "0.47"]`).
    public static func parseLoad(_ text: String) -> [String] {
        Array(text.split(separator: " ", omittingEmptySubsequences: true).prefix(3).map(String.init))
    }

    /// CPU use between two samples, in percent of all CPU time that passed.
    public static func percent(from old: CPUTimes, to new: CPUTimes) -> CPUPercent {
        func delta(_ a: UInt64, _ b: UInt64) -> Double { b >= a ? Double(b - a) : 0 }
        let all = delta(old.total, new.total)
        guard all > 0 else { return CPUPercent(total: 0, user: 0, system: 0, softIRQ: 0) }
        let idle = delta(old.idle, new.idle) + delta(old.iowait, new.iowait)
        return CPUPercent(
            total: max(0, min(100, (all - idle) / all * 100)), user: delta(old.user, new.user) / all * 100,
            system: delta(old.system, new.system) / all * 100, softIRQ: delta(old.softirq, new.softirq) / all * 100)
    }

    static func readText(_ path: String, limit: Int = 1 << 20) -> String? {
        (try? readFile(path, limit: limit)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `/proc/stat` now.
    public static func currentCPU() -> CPUTimes? { readText("/proc/stat").flatMap(parseCPU) }

    /// `/proc/meminfo` now.
    public static func currentMemory() -> MemoryInfo { memory(parseMeminfo(readText("/proc/meminfo") ?? "")) }

    /// `/proc/loadavg` now.
    public static func currentLoad() -> [String] { parseLoad(readText("/proc/loadavg") ?? "") }

    /// Online CPUs, as Python's `os.cpu_count()`.
    public static func cpuCount() -> Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// `statvfs("/")` in bytes: used = (blocks − bfree) × frsize, available = bavail × frsize (upstream's formula).
    public static func rootDisk() -> DiskUsage {
        var st = statvfs()
        guard statvfs("/", &st) == 0 else { return DiskUsage(usedBytes: 0, availableBytes: 0) }
        let unit = UInt64(st.f_frsize)
        return DiskUsage(
            usedBytes: (UInt64(st.f_blocks) - min(UInt64(st.f_blocks), UInt64(st.f_bfree))) * unit,
            availableBytes: UInt64(st.f_bavail) * unit)
    }

    /// The active TuneD profile(s), or "" (the controller pins CPUs when it names `amphora`).
    public static func activeTunedProfiles(path: String = "/etc/tuned/active_profile") -> String {
        guard let bytes = try? readFile(path, limit: 1024) else { return "" }
        return String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
    }
}
