import Glibc
import HeartbeatFormat
import IPCProtocol
import LinuxSystem
import Logging
import NIOPosix

/// Sends the UDP heartbeat from the unprivileged front: every `heartbeat_interval` seconds it asks the
/// helper for the listeners and pools (counter deltas computed and persisted there), builds message
/// version 3 with the next sequence number (from 0 at start), wraps it (``HeartbeatEnvelope``) and
/// sends one datagram to the next address of `controller_ip_port_list`, round-robin, from unbound
/// IPv4/IPv6 sockets in the management namespace. Send errors are ignored (upstream: the network may
/// not be up yet). Nothing is sent while the helper reports keepalived configured but not running.
///
/// ``update(_:)`` swaps the settings (after `PUT /1.0/config`): the next heartbeat uses the new key
/// and destinations, and a new interval counts from the last heartbeat.
///
/// Destinations may name their host (`controller.example.org:5555`): ``ControllerAddressResolver``
/// says where and when names are resolved (``resolveNames()`` before the front confines itself; off
/// the event loops, on `resolverPool`, afterwards).
public final class HeartbeatSender: Sendable {
    struct State {
        var settings: HeartbeatSettings
        var generation: UInt64 = 0
        var next = 0
        var sequence: UInt64 = 0
        /// Resolved host names of the current destinations (destination → address).
        var resolved: [String: SocketAddress] = [:]
        /// Names whose last resolution failed (logged once until they resolve).
        var unresolved: Set<String> = []
        /// The wait for the next beat, cancelled by ``update(_:)`` so that a new interval applies at once.
        var pause: Task<Void, Never>?
    }

    let amphoraID: String
    let helper: any HelperClient
    let logger: Logger
    let state: LockedValue<State>
    let sockets = LockedValue<(v4: Int32, v6: Int32)>((-1, -1))
    /// Where blocking name lookups run (nil: on the calling task).
    let resolverPool: NIOThreadPool?

    public init(
        amphoraID: String, settings: HeartbeatSettings, helper: any HelperClient, logger: Logger, resolverPool: NIOThreadPool? = nil
    ) {
        self.amphoraID = amphoraID
        self.helper = helper
        self.logger = logger
        self.resolverPool = resolverPool
        state = LockedValue(State(settings: settings))
    }

    /// Resolves every host name among the destinations now, on the calling thread: the front calls it
    /// before it confines itself. Names that fail are retried at their turn.
    public func resolveNames() {
        for destination in settings.controllers where !ControllerAddressResolver.isLiteral(destination) {
            record(destination, ControllerAddressResolver.resolve(destination))
        }
    }

    /// Keeps a lookup's result (for the destinations still configured) and logs a change of outcome.
    func record(_ destination: String, _ address: SocketAddress?) {
        let (current, newlyFailed) = state.withLock { state -> (Bool, Bool) in
            guard state.settings.controllers.contains(destination) else { return (false, false) }
            if let address {
                state.resolved[destination] = address
                state.unresolved.remove(destination)
                return (true, false)
            }
            return (true, state.unresolved.insert(destination).inserted)
        }
        guard current else { return }
        if let address {
            logger.info("controller address resolved", metadata: ["controller": "\(destination)", "address": "\(address)"])
        } else if newlyFailed {
            logger.warning("controller host name does not resolve: heartbeats to it are skipped until it does",
                           metadata: ["controller": "\(destination)"])
        }
    }

    /// The address of a destination: the literal, the cached lookup, or a new lookup (off the event loops).
    func address(of destination: String) async -> SocketAddress? {
        if let literal = SocketAddress(destination) { return literal }
        if let cached = state.withLock({ $0.resolved[destination] }) { return cached }
        let address: SocketAddress?
        if let resolverPool {
            address = (try? await resolverPool.runIfActive { ControllerAddressResolver.resolve(destination) }) ?? nil
        } else {
            address = ControllerAddressResolver.resolve(destination)
        }
        record(destination, address)
        return address
    }

    deinit {
        let (v4, v6) = sockets.withLock { $0 }
        if v4 >= 0 { close(v4) }
        if v6 >= 0 { close(v6) }
    }

    /// The settings in force.
    public var settings: HeartbeatSettings { state.withLock { $0.settings } }

    /// New settings from a stored configuration; the round-robin restarts when the destinations change.
    public func update(_ settings: HeartbeatSettings) {
        let pause = state.withLock { state -> Task<Void, Never>? in
            if state.settings.controllers != settings.controllers {
                state.next = 0
                // New destinations: names are looked up again at their turn (upstream re-resolves as well).
                state.resolved = [:]
                state.unresolved = []
            }
            state.settings = settings
            state.generation &+= 1
            return state.pause
        }
        pause?.cancel()
        logger.info("heartbeat settings updated", metadata: [
            "controllers": "\(settings.controllers.joined(separator: ","))", "interval": "\(settings.intervalSeconds)",
        ])
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let started = ContinuousClock.now
            await beat()
            // Until the interval is over; a new interval from PUT /1.0/config ends the wait (update), and
            // the remaining time is worked out again.
            while !Task.isCancelled {
                let (interval, generation) = state.withLock { (max(1, $0.settings.intervalSeconds), $0.generation) }
                let remaining = started + .seconds(interval) - ContinuousClock.now
                if remaining <= .zero { break }
                await pause(for: remaining, unlessUpdatedSince: generation)
            }
        }
    }

    /// Sleeps for `duration`, or until ``update(_:)`` or the caller's cancellation ends the wait; not
    /// at all when settings came after `generation` (the duration was worked out from older ones).
    func pause(for duration: Duration, unlessUpdatedSince generation: UInt64) async {
        let pause = Task<Void, Never> { _ = try? await Task.sleep(for: duration) }
        let current = state.withLock { state -> Bool in
            guard state.generation == generation else { return false }
            state.pause = pause
            return true
        }
        if !current { pause.cancel() }
        await withTaskCancellationHandler {
            await pause.value
        } onCancel: {
            pause.cancel()
        }
        state.withLock { if $0.pause == pause { $0.pause = nil } }
    }

    /// One heartbeat: ask, build, sign, send.
    func beat() async {
        let report: HeartbeatReport
        do {
            report = try await helper.call(.heartbeatStats)
        } catch {
            logger.warning("heartbeat skipped: no data from the helper", metadata: ["error": "\(error)"])
            return
        }
        if report.skip {
            logger.error("keepalived is configured but not running: heartbeat skipped")
            return
        }
        let (settings, sequence, destination) = state.withLock { state -> (HeartbeatSettings, UInt64, String?) in
            let sequence = state.sequence
            state.sequence &+= 1
            guard !state.settings.controllers.isEmpty else { return (state.settings, sequence, nil) }
            let index = state.next % state.settings.controllers.count
            state.next = (index + 1) % state.settings.controllers.count
            return (state.settings, sequence, state.settings.controllers[index])
        }
        guard let destination else {
            logger.warning("no controller address configured (controller_ip_port_list): heartbeat not sent")
            return
        }
        let message = HeartbeatMessage.json(amphoraID: amphoraID, sequence: sequence, report: report)
        guard let datagram = try? HeartbeatEnvelope.wrap(message.serialized(), key: settings.key) else { return }
        guard let address = await address(of: destination) else { return }
        send(datagram, to: address, named: destination)
    }

    /// Sends one datagram; errors are ignored (logged at debug level).
    func send(_ datagram: [UInt8], to address: SocketAddress, named destination: String) {
        let fd = socket(for: address.family)
        guard fd >= 0 else { return }
        let sent = address.withSockaddr { pointer, length in
            datagram.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT), pointer, length) }
        }
        if sent < 0 { logger.debug("heartbeat send failed", metadata: ["address": "\(destination)", "errno": "\(errno)"]) }
    }

    /// The unbound socket of a family, created on first use.
    func socket(for family: Int32) -> Int32 {
        sockets.withLock { sockets in
            if family == AF_INET6 {
                if sockets.v6 < 0 { sockets.v6 = Glibc.socket(AF_INET6, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
                return sockets.v6
            }
            if sockets.v4 < 0 { sockets.v4 = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
            return sockets.v4
        }
    }
}

/// An IPv4 or IPv6 socket address parsed from `a.b.c.d:port` or `[v6]:port` (IP literals only), or
/// built from a name lookup's bytes.
struct SocketAddress: Sendable, CustomStringConvertible {
    enum Storage {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
    }

    let storage: Storage

    var family: Int32 {
        switch storage {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        }
    }

    init?(_ text: String) {
        guard let (host, port) = ControllerAddressResolver.split(text) else { return nil }
        if text.hasPrefix("[") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
            storage = .v6(address)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
            storage = .v4(address)
        }
    }

    /// An address from a lookup: 4 bytes for `AF_INET`, 16 for `AF_INET6`.
    init?(family: Int32, address bytes: [UInt8], port: UInt16) {
        if family == AF_INET, bytes.count == 4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: bytes) }
            storage = .v4(address)
        } else if family == AF_INET6, bytes.count == 16 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: bytes) }
            storage = .v6(address)
        } else {
            return nil
        }
    }

    /// `a.b.c.d:port` or `[v6]:port`.
    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch storage {
        case .v4(var address):
            inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
            return "\(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)):\(UInt16(bigEndian: address.sin_port))"
        case .v6(var address):
            inet_ntop(AF_INET6, &address.sin6_addr, &text, socklen_t(text.count))
            return "[\(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))]:\(UInt16(bigEndian: address.sin6_port))"
        }
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        switch storage {
        case .v4(var address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(var address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
