import Glibc

/// The two gauges upstream's proxy puts before haproxy's metrics (`_add_cpu_utilization` and
/// `_add_memory_utilization`), with its HELP and TYPE lines and its one-decimal formatting.
public enum HostUtilization {
    /// `octavia_loadbalancer_cpu`: the 1-minute load average over the number of CPUs, in percent
    /// (upstream: `psutil.getloadavg()[0] / os.cpu_count() * 100`).
    public static func cpuLines(loadAverage: Double, cpuCount: Int) -> String {
        "# HELP octavia_loadbalancer_cpu Load balancer CPU utilization (percentage).\n"
            + "# TYPE octavia_loadbalancer_cpu gauge\n"
            + "octavia_loadbalancer_cpu \(oneDecimal(loadAverage / Double(max(cpuCount, 1)) * 100))\n"
    }

    /// `octavia_loadbalancer_memory`: the memory in use, in percent (upstream: `psutil.virtual_memory()[2]`).
    public static func memoryLines(percent: Double) -> String {
        "# HELP octavia_loadbalancer_memory Load balancer memory utilization (percentage).\n"
            + "# TYPE octavia_loadbalancer_memory gauge\n"
            + "octavia_loadbalancer_memory \(oneDecimal(percent))\n"
    }

    /// psutil's `virtual_memory().percent` on Linux from `/proc/meminfo`: (MemTotal - MemAvailable) /
    /// MemTotal in percent. Nil when either field is missing.
    public static func memoryPercent(meminfo: String) -> Double? {
        var total: Double?, available: Double?
        for line in meminfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            if fields[0] == "MemTotal:" { total = Double(fields[1]) }
            if fields[0] == "MemAvailable:" { available = Double(fields[1]) }
        }
        guard let total, let available, total > 0 else { return nil }
        return (total - available) / total * 100
    }

    /// Python's `f"{value:.1f}"` (correctly rounded, as glibc's printf is).
    public static func oneDecimal(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.1f", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
