import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// A service manager that loses upstream's LP#2054666 race: its first `races` reloads fail as
/// `systemctl reload` does while systemd restarts a crashed haproxy, and `onRace` plays systemd's
/// part (`Restart=always`). Every other operation succeeds with the unit running.
final class RacingServiceManager: ServiceManager {
    let races: LockedValue<Int>
    let reloads = LockedValue(0)
    let onRace: @Sendable () -> Void
    let otherFailure: String?

    init(races: Int, otherFailure: String? = nil, onRace: @escaping @Sendable () -> Void = {}) {
        self.races = LockedValue(races)
        self.otherFailure = otherFailure
        self.onRace = onRace
    }

    func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus {
        guard operation == .reload else { return DaemonStatus(running: true, pid: nil) }
        reloads.withLock { $0 += 1 }
        if let otherFailure { throw .failed(.reload, unit, details: otherFailure) }
        let lost = races.withLock { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        guard lost else { return DaemonStatus(running: true, pid: nil) }
        onRace()
        throw .failed(.reload, unit, details: "Failed to reload \(unit.systemdName): Unit \(unit.systemdName) is not active, cannot reload.")
    }
}

/// A real haproxy (foreground, `-db`) with only Unix sockets: its stats socket at the instance's
/// path, a frontend on a socket in the same directory. No network traffic at all. Stopped by pid.
final class StatsOnlyHAProxy: @unchecked Sendable {
    let process = Process()

    init(base: String, id: ResourceID) throws {
        let config = base + "/stats-only-\(UUID().uuidString.prefix(8)).cfg"
        let text = """
            global
                stats socket \(base)/\(id).sock mode 600 level admin
            defaults
                mode tcp
                timeout client 5s
                timeout connect 5s
                timeout server 5s
            frontend fe
                bind unix@\(base)/fe-\(UUID().uuidString.prefix(8)).sock
                default_backend be
            backend be
                server s1 unix@\(base)/nowhere.sock

            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/haproxy")
        process.arguments = ["-db", "-f", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// SIGKILL (a crash), then reaped.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}

/// The haproxy "systemd" runs now.
final class HAProxySlot: Sendable {
    let current: LockedValue<StatsOnlyHAProxy?>
    init(_ first: StatsOnlyHAProxy) { current = LockedValue(first) }
}

@Suite("haproxy reload race (LP#2054666)", .serialized)
struct ReloadRaceTests: HAProxyInstanceSuite {
    let context = AuditContext.forTests()
    /// Upstream's bounds, with a short pause between uptime queries so the test does not sleep seconds.
    static let quick = ReloadRetry(attempts: 3, uptimeQueries: 50, queryIntervalMicroseconds: 100_000, recentUptimeSeconds: 15)

    /// Instances on `base` with an uploaded (checked) configuration, served by `services`.
    func uploaded(_ base: String, _ services: any ServiceManager, retry: ReloadRetry = quick) throws -> HAProxyInstances {
        let instances = try makeInstances(on: base, runner: RecordingRunner(), services: services, reloadRetry: retry)
        _ = try instances.upload(upload(octavia(base)), context: context)
        return instances
    }

    @Test("haproxy crashed at the reload and systemd restarted it: the lost race is judged by the new haproxy's uptime, no second reload")
    func crashedAndRestarted() throws {
        try withTemporaryDirectory("amp-race") { base in
            let running = HAProxySlot(try StatsOnlyHAProxy(base: base, id: id))
            defer { running.current.withLock { $0?.kill() } }
            let services = RacingServiceManager(races: 1) { [id] in
                // systemd's part: the old haproxy crashed, Restart=always starts a new one.
                running.current.withLock { old in
                    old?.kill()
                    old = try? StatsOnlyHAProxy(base: base, id: id)
                }
            }
            let instances = try uploaded(base, services)
            #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
            #expect(services.reloads.withLock { $0 } == 1)
        }
    }

    @Test("a haproxy that answers but was not restarted by the race (uptime above the bound) is reloaded again")
    func answeringButOld() throws {
        try withTemporaryDirectory("amp-race") { base in
            let haproxy = try StatsOnlyHAProxy(base: base, id: id)
            defer { haproxy.kill() }
            let services = RacingServiceManager(races: 1)
            // Any uptime is above -1: the real haproxy's answer counts as "not restarted".
            var retry = Self.quick
            retry.recentUptimeSeconds = -1
            let instances = try uploaded(base, services, retry: retry)
            // The real haproxy answers show info, so the retry below is the "not restarted" branch.
            #expect(instances.uptimeSeconds(id) != nil)
            #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
            #expect(services.reloads.withLock { $0 } == 2)
        }
    }

    @Test("no haproxy answers after the lost races: 3 reloads, then 500 Error reloading haproxy with systemd's words")
    func exhausted() throws {
        try withTemporaryDirectory("amp-race") { base in
            let services = RacingServiceManager(races: 10)
            var retry = Self.quick
            retry.uptimeQueries = 2
            retry.queryIntervalMicroseconds = 1_000
            let instances = try uploaded(base, services, retry: retry)
            let error = wireError { _ = try instances.perform(.reload, on: id, context: context) }
            #expect(error?.code == .internalError)
            #expect(error?.message == "Error reloading haproxy")
            #expect(error?.details?.contains("is not active, cannot reload") == true)
            #expect(services.reloads.withLock { $0 } == 3)
        }
    }

    @Test("any other reload failure is answered at once, without a retry")
    func otherFailure() throws {
        try withTemporaryDirectory("amp-race") { base in
            let services = RacingServiceManager(races: 0, otherFailure: "Job for haproxy failed because the control process exited with error code.")
            let instances = try uploaded(base, services)
            #expect(wireError { _ = try instances.perform(.reload, on: id, context: context) }?.message == "Error reloading haproxy")
            #expect(services.reloads.withLock { $0 } == 1)
        }
    }

    @Test("Uptime_sec is read from show info")
    func uptimeParsing() {
        #expect(HAProxyStatsSocket.uptimeSeconds(fromInfo: "Name: HAProxy\nUptime: 0d 0h00m07s\nUptime_sec: 7\nMemmax_MB: 0\n") == 7)
        #expect(HAProxyStatsSocket.uptimeSeconds(fromInfo: "Name: HAProxy\n") == nil)
    }
}
