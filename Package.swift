// swift-tools-version:6.2
import PackageDescription

/// Swift 6 language mode everywhere, with the upcoming features our style guide asks for.
/// Executables link with lld and pack their relative relocations (DT_RELR, glibc 2.36+, Debian 12):
/// a position-independent Swift binary otherwise carries one 24-byte record per pointer in its data
/// (the front: 1.26 MiB), which the loader reads at every start and which stays mapped.
let compactRelocations: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]

/// The linker settings of an executable of the agent's process tree: compact relocations, and in
/// release builds the functions that the start and a controller's requests run placed next to each
/// other (linker/README.md; the release builds give every function its own section).
/// `AMPHORA_RECORDING_LAYOUT=1` links the release build for `scripts/record-symbol-order.sh`
/// instead: every function on pages of its own, so that a touched page names the function that ran.
func agentExecutable(_ name: String) -> [LinkerSetting] {
    let layout =
        Context.environment["AMPHORA_RECORDING_LAYOUT"] == "1"
        ? ["-Xlinker", "--script=\(Context.packageDirectory)/linker/recording-layout.ld"]
        : [
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/linker/\(name).order", "-Xlinker", "--no-warn-symbol-ordering",
            "-Xlinker", "--script=\(Context.packageDirectory)/linker/private-functions.ld",
        ]
    return compactRelocations + [.unsafeFlags(layout, .when(configuration: .release))]
}

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Products of the package dependencies that several targets use, named once.
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
/// A product of swift-nio (NIOCore, NIOPosix, ...).
func nio(_ product: String) -> Target.Dependency { .product(name: product, package: "swift-nio") }

let package = Package(
    name: "amphora-agent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "amphora-agent", targets: ["amphora-agent"]),
        .executable(name: "amphora-front", targets: ["amphora-front"]),
        .executable(name: "amphora-helper", targets: ["amphora-helper"]),
        .executable(name: "amphora-health-checker", targets: ["amphora-health-checker"]),
        .executable(name: "amphora-prometheus-proxy", targets: ["amphora-prometheus-proxy"]),
    ],
    dependencies: [
        // traits: [] keeps full Foundation and ICU out of the front (FoundationEssentials only).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The wire contract: typed commands, replies, validated values, framing. Standard library only.
        .target(name: "IPCProtocol", swiftSettings: strictSettings),

        // The version and the git commit every binary prints for --version (the commit is injected by
        // scripts/build-deb.sh through a generated header; "unknown" otherwise).
        .target(name: "CBuildInfo"),
        .target(name: "BuildInfo", dependencies: ["CBuildInfo"], swiftSettings: strictSettings),
        // --name VALUE, --version, --help for the supervisor, the front and the Prometheus proxy,
        // without swift-argument-parser (and the FoundationEssentials it loads).
        .target(name: "ToolCommandLine", dependencies: ["BuildInfo", "LinuxSystem"], swiftSettings: strictSettings),

        // Log lines with syslog priorities for systemd's journal (helper and front).
        .target(name: "AgentLogging", dependencies: ["LinuxSystem", logging], swiftSettings: strictSettings),

        // oslo.config-style INI parsing into a typed agent configuration.
        .target(name: "AgentConfig", swiftSettings: strictSettings),

        // C bridges: Linux calls Swift cannot import (ucred, spawn with execveat, prctl, capabilities).
        .target(name: "CLinuxShim"),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // zlib (RFC 1950) for the heartbeat: Python's zlib.compress(data, 9) is what the controller expects.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Seccomp filters and capability sets built from the policy/ data files (compiled in).
        .target(name: "Confinement", dependencies: ["CLinuxShim", "CSeccomp"], swiftSettings: strictSettings),

        // Linux plumbing every process shares: system calls retried on EINTR with errors naming the
        // call, descriptor I/O, Unix socket addresses, spawning, the monotonic clock, safe
        // directories, users. A leaf: CLinuxShim only.
        .target(name: "LinuxSystem", dependencies: ["CLinuxShim"], swiftSettings: strictSettings),

        // Netlink sockets and message plumbing (rtnetlink, generic netlink), for the helper's readers.
        .target(name: "LinuxNetlink", dependencies: ["LinuxSystem"], swiftSettings: strictSettings),

        // The launcher: the program table, the argument shapes, the launcher process (the only code
        // that executes programs, under the launcher's filter), the check account, and the helper's
        // pool of launchers.
        .target(
            name: "ProgramLauncher",
            dependencies: ["IPCProtocol", "AgentConfig", "LinuxSystem", "CLinuxShim", "Confinement"],
            swiftSettings: strictSettings
        ),

        // The root side: state, files, processes, audit log, launcher. No event loop.
        .target(
            name: "Helper",
            dependencies: [
                "IPCProtocol", "AgentConfig", "CLinuxShim", "CSeccomp", "COpenSSL", "Confinement", "AgentLogging",
                "LinuxSystem", "LinuxNetlink", "ProgramLauncher",
                logging,
            ],
            swiftSettings: strictSettings
        ),

        // What the front reads from a controller's request before any typed command, without NIO:
        // route patterns and path matching, percent-decoding, the audited method, path and subject.
        .target(name: "FrontRequestParsing", dependencies: ["IPCProtocol"], swiftSettings: strictSettings),

        // The heartbeat's message and envelope layout (zlib); the front adds the HMAC.
        .target(name: "HeartbeatFormat", dependencies: ["IPCProtocol", "CZlib"], swiftSettings: strictSettings),

        // The unprivileged side: mutual TLS, HTTP routing for v0.1 and 1.0, validation, heartbeat.
        .target(
            name: "FrontAPI",
            dependencies: [
                "IPCProtocol", "FrontRequestParsing", "HeartbeatFormat", "Confinement", "LinuxSystem", "AgentLogging",
                hummingbird, .product(name: "HummingbirdTLS", package: "hummingbird"),
                nio("NIOCore"), nio("NIOPosix"), nio("NIOTLS"), nio("NIOHTTP1"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                crypto, logging,
            ],
            swiftSettings: strictSettings
        ),

        // The sanitizer runtimes' defaults for the confined executables (sanitized builds only).
        .target(name: "CSanitizerOptions"),
        .executableTarget(
            name: "amphora-front",
            dependencies: ["FrontAPI", "ToolCommandLine", "AgentLogging", "LinuxSystem", "CSanitizerOptions", logging],
            swiftSettings: strictSettings, linkerSettings: agentExecutable("amphora-front")
        ),
        .executableTarget(
            name: "amphora-helper",
            dependencies: [
                "Helper", "IPCProtocol", "ProgramLauncher", "LinuxSystem", "Confinement", "BuildInfo", "ToolCommandLine", "CSanitizerOptions",
                argumentParser,
            ],
            swiftSettings: strictSettings, linkerSettings: agentExecutable("amphora-helper")
        ),
        // The standalone agent: the small unconfined parent that plays systemd's part in dev and CI.
        // It starts amphora-helper and amphora-front, and in direct mode the daemons; no Helper code.
        .target(
            name: "Supervisor", dependencies: ["AgentConfig", "IPCProtocol", "LinuxSystem", "ProgramLauncher", "CLinuxShim"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "amphora-agent",
            dependencies: ["Supervisor", "ToolCommandLine"],
            swiftSettings: strictSettings, linkerSettings: agentExecutable("amphora-agent")
        ),

        // Fuzz targets for the parsers that read untrusted bytes: built with libFuzzer by
        // scripts/fuzz.sh; the normal build replays a corpus through them (Fuzz/corpus).
        .executableTarget(
            name: "amphora-fuzz",
            dependencies: [
                "IPCProtocol", "AgentConfig", "Helper", "LinuxNetlink", "LinuxSystem", "ProgramLauncher", "FrontRequestParsing",
                "HeartbeatFormat", "CZlib",
            ],
            swiftSettings: strictSettings),
        // The SCTP health check keepalived runs for SCTP health monitors (upstream's amphora-health-checker).
        .target(name: "SCTPHealthCheck", swiftSettings: strictSettings),
        .executableTarget(
            name: "amphora-health-checker", dependencies: ["SCTPHealthCheck", "BuildInfo"], swiftSettings: strictSettings,
            linkerSettings: compactRelocations),

        // PROMETHEUS listeners (upstream's prometheus-proxy): haproxy's exporter translated to Octavia's
        // metric names (pure), and the unprivileged HTTP server on 127.0.0.1:9102 in the amphora namespace.
        .target(name: "PrometheusTranslation", swiftSettings: strictSettings),
        .target(name: "PrometheusProxy", dependencies: ["PrometheusTranslation", "LinuxSystem", "CLinuxShim"], swiftSettings: strictSettings),
        .executableTarget(
            name: "amphora-prometheus-proxy", dependencies: ["PrometheusProxy", "LinuxSystem", "ToolCommandLine"], swiftSettings: strictSettings,
            linkerSettings: agentExecutable("amphora-prometheus-proxy")
        ),

        .testTarget(name: "IPCProtocolTests", dependencies: ["IPCProtocol"], swiftSettings: strictSettings),
        .testTarget(
            name: "HelperTests", dependencies: ["Helper", "IPCProtocol", "AgentConfig", "AgentLogging", "LinuxSystem", "LinuxNetlink", "ProgramLauncher"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FrontAPITests",
            dependencies: ["FrontAPI", "FrontRequestParsing", "HeartbeatFormat", "IPCProtocol", "LinuxSystem", hummingbird, nio("NIOCore"), nio("NIOEmbedded"), logging],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["IPCProtocol", crypto],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ConfinementTests", dependencies: ["Confinement"], swiftSettings: strictSettings),
        .testTarget(name: "ToolCommandLineTests", dependencies: ["ToolCommandLine"], swiftSettings: strictSettings),
        .testTarget(name: "LinuxSystemTests", dependencies: ["LinuxSystem", "CLinuxShim"], swiftSettings: strictSettings),
        .testTarget(name: "SCTPHealthCheckTests", dependencies: ["SCTPHealthCheck"], swiftSettings: strictSettings),
        .testTarget(
            name: "PrometheusProxyTests", dependencies: ["PrometheusTranslation", "PrometheusProxy"], exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)
