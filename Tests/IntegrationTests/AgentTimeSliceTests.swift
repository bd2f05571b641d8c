import Foundation
import Testing

/// The time slice of the running agent's processes (``LinuxSystem/TimeSlice``): the agent's own
/// processes, every thread of them, ask for a short one; the haproxy it starts in direct mode runs
/// with the kernel's default, as under systemd.
@Suite("Time slice of the running agent", .serialized, .timeLimit(.minutes(3)))
struct AgentTimeSliceTests {
    /// `TimeSlice.requestedNanoseconds`.
    static let requested: UInt64 = 300_000

    /// `se.slice` of a thread, from /proc (nanoseconds).
    static func slice(_ path: String) -> UInt64? {
        guard let bytes = ProcessTable.procFile(path + "/sched") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("se.slice") {
            return line.split(separator: ":").last.flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    /// The slice of every thread of `pid` still running, by thread id.
    static func threadSlices(_ pid: Int32) -> [String: UInt64] {
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var slices: [String: UInt64] = [:]
        for thread in threads {
            if let slice = slice("/proc/\(pid)/task/\(thread)") { slices[thread] = slice }
        }
        return slices
    }

    @Test("agent, helper, launcher and front run every thread with the requested slice; the haproxy they start has the default")
    func agentProcessesAskForShortSlices() throws {
        let defaultSlice = try #require(Self.slice("/proc/thread-self"), "no se.slice in /proc (a kernel without EEVDF)")
        let netns = try TestNamespace()
        let agent = try AgentHarness(extraConfig: "netns = \(netns.name)")
        try agent.start()
        defer { agent.stop() }
        try HAProxyLifecycleTests.deployLoadBalancer(agent, "reload")
        #expect(waitUntil(10) { agent.descendants().contains { ProcessTable.commandLine($0).contains("haproxy -") } })

        let root = try #require(agent.agentPID)
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        let honoured = Self.threadSlices(helper).values.contains(Self.requested)
        if !honoured {
            // Before Linux 6.12 the kernel accepts the request and ignores it.
            let release = ProcessInfo.processInfo.operatingSystemVersion
            #expect((release.majorVersion, release.minorVersion) < (6, 12), "the kernel \(release) has custom slices")
            return
        }
        var ours = 0, daemons = 0
        for pid in [root] + agent.descendants() {
            let command = ProcessTable.commandLine(pid)
            // A tool the launcher runs (a check, say) inherits the launcher's slice.
            let tool = ProcessTable.parentPID(pid).map { ProcessTable.commandLine($0).hasPrefix("amphora-helper launcher") } ?? false
            let own = pid == root || command.hasPrefix("amphora-helper") || command.hasPrefix("amphora-front") || tool
            let expected = own ? Self.requested : defaultSlice
            for (thread, slice) in Self.threadSlices(pid) {
                #expect(slice == expected, "\(command) thread \(thread)")
            }
            if own { ours += tool ? 0 : 1 } else if command.contains("haproxy") { daemons += 1 }
        }
        #expect(ours >= 4)  // the agent, the helper, its launcher, the front
        #expect(daemons >= 2)  // haproxy's master and its worker
    }
}
