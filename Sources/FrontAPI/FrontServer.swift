import AgentLogging
import Confinement
import Glibc
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import IPCProtocol
import LinuxSystem
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Starts the unprivileged front: asks the helper for its settings and TLS identity, then serves
/// HTTPS with mandatory client certificates until SIGTERM.
public enum FrontServer {
    /// TLS 1.2 suites offered: ECDHE with AEAD only (TLS 1.3 suites are AEAD by definition).
    public static let tls12CipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// Concurrent TLS connections accepted; more wait in the listen backlog (fewer under a low
    /// descriptor limit: ``connectionLimit(descriptorLimit:)``).
    public static let maximumConnections = 256

    /// Concurrent connections from one source address; a further one is closed at once. The
    /// controller talks to an amphora over a handful of connections per controller host.
    public static let maximumConnectionsPerSource = 16

    /// A connection whose TLS handshake has not completed by then is closed (security anchor B9).
    public static let handshakeTimeout = TimeAmount.seconds(10)

    /// Descriptors the front keeps for itself beside its connections: the listener, epoll and event
    /// descriptors, the pooled helper connections, the heartbeat socket, name resolution.
    public static let reservedDescriptors = 64

    /// Connections accepted at once under a descriptor limit: ``maximumConnections``, or fewer when
    /// the limit would not hold them and ``reservedDescriptors``. The front must never reach its
    /// limit through connections: at EMFILE, SwiftNIO keeps the listening socket in epoll while
    /// every `accept` fails, and its event loop spins on a core until a descriptor is freed.
    public static func connectionLimit(descriptorLimit: UInt64) -> Int {
        let available = descriptorLimit > UInt64(Int.max) ? Int.max : Int(descriptorLimit)
        return max(1, min(maximumConnections, available - reservedDescriptors))
    }

    /// The front's RLIMIT_NOFILE after raising the soft limit to the hard one (no privilege needed).
    static func raisedDescriptorLimit() -> UInt64 {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return UInt64(maximumConnections + reservedDescriptors) }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return UInt64(limit.rlim_cur)
    }

    public static func run(helperSocket: String, logger: Logger) async throws {
        let threadPool = NIOThreadPool(numberOfThreads: 8)
        threadPool.start()
        // Info and details answer from a sample at most a second old (SamplingHelperClient).
        let helper = SamplingHelperClient(base: HelperSocketClient(socketPath: helperSocket, threadPool: threadPool))
        let settings = await waitForSettings(helper, logger: logger)
        LogSettings.apply(
            debug: settings.options.debug,
            syslog: settings.options.syslogSocket.map {
                SyslogSink(path: $0, facility: settings.options.syslogFacility, ident: "amphora-front")
            })
        logger.debug("settings received from the helper", metadata: [
            "bind": "\(settings.bindHost) \(settings.bindPort)", "tls_minimum": "\(settings.options.requireTLS13 ? "TLSv1.3" : "TLSv1.2")",
            "controllers": "\(settings.heartbeat.controllers.joined(separator: ","))",
        ])
        let identity = try ServerTLSIdentity(settings.tls)
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: identity.current.chain.map { .certificate($0) },
            privateKey: .privateKey(identity.current.key),
            trustRoots: .certificates(try NIOSSLCertificate.fromPEMBytes(Array(settings.tls.clientCAPEM.utf8))))
        // agent_tls_protocol: TLS 1.3 when the configuration asks for it, never below TLS 1.2.
        tls.minimumTLSVersion = settings.options.requireTLS13 ? .tlsv13 : .tlsv12
        tls.cipherSuites = tls12CipherSuites
        tls.renegotiationSupport = .none
        tls.sslContextCallback = { _, promise in promise.succeed(identity.override()) }

        let heartbeat = HeartbeatSender(
            amphoraID: settings.amphoraID.description, settings: settings.heartbeat, helper: helper, logger: logger,
            resolverPool: threadPool)
        // Controller host names: resolved now, before the front confines itself.
        heartbeat.resolveNames()
        let api = AgentAPI(helper: helper, tlsIdentity: identity, heartbeat: heartbeat)
        let responder = AgentResponder(table: api.routes(), logger: logger)
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                RequestReadDeadline(timeout: .seconds(Int64(settings.requestReadTimeout))), DeclaredLengthGate(),
            ],
            idleTimeout: .seconds(Int64(min(settings.requestReadTimeout, 60))),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100))
        let descriptorLimit = raisedDescriptorLimit()
        let connectionLimit = connectionLimit(descriptorLimit: descriptorLimit)
        if connectionLimit < maximumConnections {
            logger.warning("the descriptor limit allows fewer connections", metadata: [
                "nofile": "\(descriptorLimit)", "connections": "\(connectionLimit)", "wanted": "\(maximumConnections)",
            ])
        }
        let sslContext = try NIOSSLContext(configuration: tls)
        let limiter = SourceConnectionLimiter(maximum: maximumConnectionsPerSource)
        let acceptLatch = ConfinedAcceptGate.Latch()
        let server = HTTPServerBuilder { responder in
            GuardedTLSChannel(
                base: HTTP1Channel(responder: responder, configuration: http), sslContext: sslContext, limiter: limiter,
                handshakeTimeout: handshakeTimeout)
        }
        let app = FrontApplication(
            responder: responder,
            server: server,
            configuration: .init(
                address: .hostname(settings.bindHost, port: settings.bindPort),
                serverName: nil,
                availableConnectionsDelegate: ConfinedAcceptGate(latch: acceptLatch, maximum: connectionLimit)),
            onServerRunning: { channel in
                // Bound and listening, but not accepting yet (the gate is shut): confine first (no
                // fork, no exec, no capabilities, the seccomp allow-list on every thread), then let
                // the listening socket accept. The start's code and tables are unmapped
                // first (read back on first touch: what serving runs is laid out together).
                ResidentPages.unmapCode()
                Confinement.confineOrExit(.front, program: "amphora-front")
                acceptLatch.open()
                channel.read()
                logger.info("front serving", metadata: [
                    "address": "\(channel.localAddress?.description ?? "?")",
                    "certificate_sha256": "\(settings.tls.serverCertificateDigest)",
                ])
                SystemdNotifier.ready(status: "serving \(channel.localAddress?.description ?? "")")
            },
            logger: logger)
        let heartbeatTask = Task { await heartbeat.run() }
        defer { heartbeatTask.cancel() }
        let trimTask = Task { await HeapTrimmer(closedConnections: { limiter.closedConnections }, closes: limiter.closes).run() }
        defer { trimTask.cancel() }
        // WatchdogSec= keep-alive from the concurrency pool the request handlers run on.
        let watchdogTask = Task {
            while let interval = SystemdNotifier.watchdogIntervalNanoseconds, !Task.isCancelled {
                SystemdNotifier.watchdog()
                try? await Task.sleep(nanoseconds: interval)
            }
        }
        defer { watchdogTask.cancel() }
        try await app.runService()
        heartbeatTask.cancel()
        try await threadPool.shutdownGracefully()
    }

    /// Asks the helper for the front's settings, retrying with backoff until it answers.
    static func waitForSettings(_ helper: any HelperClient, logger: Logger) async -> FrontSettings {
        var delay: UInt64 = 100_000_000
        while true {
            do {
                return try await helper.call(.frontSettings)
            } catch {
                logger.warning("waiting for the helper", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 5_000_000_000)
        }
    }
}

/// The server certificate and key in use; swapped atomically when the controller rotates them, and
/// read by BoringSSL's certificate callback for every new handshake.
final class ServerTLSIdentity: Sendable {
    struct Material: @unchecked Sendable {
        // NIOSSLCertificate and NIOSSLPrivateKey are immutable reference types.
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
    }

    private let state: LockedValue<Material>

    init(_ identity: TLSIdentity) throws {
        state = LockedValue(try Self.material(identity))
    }

    static func material(_ identity: TLSIdentity) throws -> Material {
        Material(
            chain: try NIOSSLCertificate.fromPEMBytes(Array(identity.serverCertificateChainPEM.utf8)),
            key: try NIOSSLPrivateKey(bytes: Array(identity.serverPrivateKeyPEM.utf8), format: .pem))
    }

    var current: Material { state.withLock { $0 } }

    /// Checks that BoringSSL (the library that serves it) can load `pem` as a server identity:
    /// a certificate chain, exactly one private key it supports, and the key matching the leaf.
    /// The helper checks the same text with OpenSSL, which accepts key types BoringSSL does not
    /// (Ed448, DSA, explicit curves): a rotation is forwarded only when both accept it, so the
    /// helper never stores an identity the front could not serve after a restart.
    static func checkServable(_ pem: String) throws(APIError) {
        let bytes = Array(pem.utf8)
        guard let chain = try? NIOSSLCertificate.fromPEMBytes(bytes), !chain.isEmpty else {
            throw APIError.message(.badRequest, "No certificate found")
        }
        let keyBlocks = pem.utf8.split(separator: UInt8(ascii: "\n")).map { Substring($0) }.filter {
            $0.hasPrefix("-----BEGIN ") && ($0.hasSuffix("PRIVATE KEY-----") || $0.hasSuffix("PRIVATE KEY-----\r"))
        }
        guard keyBlocks.count == 1 else {
            throw APIError.message(.badRequest, keyBlocks.isEmpty ? "No RSA key found" : "More than one private key found")
        }
        guard let key = try? NIOSSLPrivateKey(bytes: bytes, format: .pem) else {
            throw APIError.message(
                .badRequest, "Unsupported private key", details: "The agent's TLS library cannot load this key (RSA, ECDSA P-256/P-384/P-521 or Ed25519)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        guard (try? NIOSSLContext(configuration: configuration)) != nil else {
            throw APIError.message(.badRequest, "Certificate and key do not match")
        }
    }

    func replace(with identity: TLSIdentity) throws {
        let material = try Self.material(identity)
        state.withLock { $0 = material }
    }

    func override() -> NIOSSLContextConfigurationOverride {
        let material = current
        var result = NIOSSLContextConfigurationOverride()
        result.certificateChain = material.chain.map { .certificate($0) }
        result.privateKey = .privateKey(material.key)
        return result
    }
}
