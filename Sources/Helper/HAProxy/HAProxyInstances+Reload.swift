import Glibc
import IPCProtocol
import LinuxSystem

/// How a reload that lost the race of upstream's LP#2054666 is retried: haproxy crashed (or exited)
/// around a reload, systemd (`Restart=always`) is bringing it back, and `systemctl reload` answers
/// "… is not active, cannot reload." Upstream (`loadbalancer.py`, `start_stop_lb`) then asks haproxy
/// for its uptime: a haproxy that answers and started at most 15 s ago was restarted with the stored
/// configuration, so the reload is done; otherwise it reloads again, at most 3 times in all.
public struct ReloadRetry: Sendable {
    /// Reload attempts in all (upstream's `HAPROXY_RELOAD_RETRIES`).
    public var attempts: Int
    /// `show info` queries after a lost race before haproxy counts as unreachable (`HAPROXY_QUERY_RETRIES`).
    public var uptimeQueries: Int
    /// Pause between two of those queries.
    public var queryIntervalMicroseconds: UInt32
    /// A haproxy up for at most this long was restarted by the race: the reload counts as done.
    public var recentUptimeSeconds: Int

    public init(attempts: Int = 3, uptimeQueries: Int = 5, queryIntervalMicroseconds: UInt32 = 1_000_000, recentUptimeSeconds: Int = 15) {
        self.attempts = attempts
        self.uptimeQueries = uptimeQueries
        self.queryIntervalMicroseconds = queryIntervalMicroseconds
        self.recentUptimeSeconds = recentUptimeSeconds
    }
}

extension HAProxyInstances {
    /// What systemd answers when the unit is not active at a reload (between a crash and its restart).
    static let reloadRaceSignature = "is not active, cannot reload"

    /// Whether a failed reload is the race (any other failure is answered at once, as upstream does).
    static func isReloadRace(_ error: ServiceError) -> Bool {
        guard case .failed(.reload, _, let details) = error else { return false }
        return details.contains(reloadRaceSignature)
    }

    /// Reloads the instance; a reload that lost the race is judged by haproxy's uptime and retried
    /// (``ReloadRetry``). After the last attempt the race's error is the answer ("Error reloading haproxy").
    /// `announced`: the first reload's intent, written ahead (``AnnouncedIntent``); one that did not
    /// reach the disk is withdrawn, and the reload records its own.
    func reloadRetryingRace(_ id: ResourceID, context: AuditContext, announced: AnnouncedIntent? = nil) throws(HAProxyError) {
        var announced = announced
        if let intent = announced, !intent.mayAct(loggedIn: context.log) {
            intent.withdraw(reason: "its intent is not on disk", context: context)
            announced = nil
        }
        var lost: ServiceError?
        for _ in 0..<max(1, reloadRetry.attempts) {
            do throws(ServiceError) {
                if let intent = announced {
                    announced = nil
                    _ = try services.perform(announced: intent, .reload, .haproxy(id), context: context)
                } else {
                    _ = try services.perform(.reload, .haproxy(id), context: context)
                }
                return
            } catch {
                guard Self.isReloadRace(error) else { throw .service(error) }
                lost = error
                // Restarted moments ago: it runs the stored (already checked) configuration.
                if let uptime = uptimeSeconds(id), uptime <= reloadRetry.recentUptimeSeconds { return }
            }
        }
        if let lost { throw .service(lost) }
    }

    /// haproxy's `Uptime_sec` from `show info`, asked up to ``ReloadRetry/uptimeQueries`` times; nil
    /// when it never answers.
    func uptimeSeconds(_ id: ResourceID) -> Int? {
        for attempt in 0..<max(1, reloadRetry.uptimeQueries) {
            if attempt > 0 { usleep(reloadRetry.queryIntervalMicroseconds) }
            if let info = try? HAProxyStatsSocket.query(statsSocket(id), "show info", timeoutSeconds: 2),
                let uptime = HAProxyStatsSocket.uptimeSeconds(fromInfo: info)
            {
                return uptime
            }
        }
        return nil
    }

    /// In SINGLE topology, announces the VIPs the configuration binds (keepalived announces them in
    /// ACTIVE_STANDBY), as upstream's `util.send_vip_advertisements` after a start or reload; in the
    /// background (``VIPAnnouncer``).
    func announceVIPs(of text: String, context: AuditContext) {
        announcer?.request(HAProxyConfigText.bindAddresses(in: text), context: context)
    }
}
