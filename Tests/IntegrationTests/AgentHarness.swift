import Foundation
import Synchronization
import Testing

/// Starts the real `amphora-agent` (helper, launchers and front) in a private temp directory with a
/// freshly generated development PKI, and stops it again, also when a test fails.
final class AgentHarness: @unchecked Sendable {
    static let amphoraID = "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"

    /// The repository root (this file is Tests/IntegrationTests/AgentHarness.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Where the built executables are (`AMPHORA_BIN_DIR` overrides `.build/debug`).
    static var binDirectory: String {
        ProcessInfo.processInfo.environment["AMPHORA_BIN_DIR"] ?? repositoryRoot.appendingPathComponent(".build/debug").path
    }

    let directory: String
    let port: Int
    var configPath: String { directory + "/agent.conf" }
    var pki: String { directory + "/pki" }
    var auditLog: String { directory + "/audit/audit.jsonl" }
    var helperSocket: String { directory + "/run/helper.sock" }
    var logPath: String { directory + "/agent.log" }
    private(set) var process: Process?
    /// When set, the agent runs in a private mount namespace in which this file is bind-mounted over
    /// `/sys/bus/pci/rescan`, so a test sees what the helper writes there without rescanning the host.
    var pciRescanFile: String?
    /// Further files bind-mounted over system paths in the agent's private mount namespace (source,
    /// target), e.g. a test's own `/etc/hosts`: the machine's file stays untouched for every other process.
    var privateBindMounts: [(source: String, target: String)] = []
    /// When set, the agent (and so every process it starts) runs with this RLIMIT_NOFILE (soft and hard).
    var descriptorLimit: Int?

    /// The amphora namespace this harness created when the test named none (removed after the agent stops).
    private(set) var ownNamespace: TestNamespace?

    /// Whether `base_cert_dir` is a tmpfs this harness mounted (and unmounts).
    private(set) var mountedCertificateTmpfs = false
    var certificateDirectory: String { directory + "/certs" }

    /// Creates the directory, the PKI and the config (and, unless told otherwise, a tmpfs for the
    /// certificate directory); does not start anything yet.
    init(extraConfig: String = "", certificatesOnTmpfs: Bool = true) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("amphora-it-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // The front's user must be able to reach the helper socket below this directory.
        chmod(base, 0o755)
        directory = base
        port = try AgentHarness.freePort()
        // Every agent gets a namespace of its own, which goes away with the harness: the default
        // (amphora-haproxy) would be created by the agent and outlive the test.
        var extraConfig = extraConfig
        if !extraConfig.contains("netns =") {
            let namespace = try TestNamespace()
            ownNamespace = namespace
            extraConfig = "netns = \(namespace.name)\n" + extraConfig
        }
        try Shell.run("/bin/bash", [AgentHarness.repositoryRoot.path + "/scripts/dev-pki.sh", pki, AgentHarness.amphoraID])
        let config = """
            [amphora_agent]
            agent_server_ca = \(pki)/ca.pem
            agent_server_cert = \(pki)/server.pem
            amphora_id = \(AgentHarness.amphoraID)
            [haproxy_amphora]
            base_path = \(base)/base
            base_cert_dir = \(base)/certs
            bind_host = 127.0.0.1
            bind_port = \(port)
            [health_manager]
            heartbeat_key = insecure
            [privsep]
            front_user = amphora-front
            helper_socket = \(helperSocket)
            audit_log = \(auditLog)
            service_manager = direct
            \(extraConfig)
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        if certificatesOnTmpfs {
            try FileManager.default.createDirectory(atPath: certificateDirectory, withIntermediateDirectories: true)
            try Shell.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "mode=0700,size=16m", "tmpfs", certificateDirectory])
            mountedCertificateTmpfs = true
        }
    }

    deinit {
        stop()
        if mountedCertificateTmpfs { _ = try? Shell.run("/usr/bin/umount", [certificateDirectory], check: false) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A harness (see `init`) whose agent is started and answering.
    static func started(extraConfig: String = "", certificatesOnTmpfs: Bool = true) throws -> AgentHarness {
        let agent = try AgentHarness(extraConfig: extraConfig, certificatesOnTmpfs: certificatesOnTmpfs)
        try agent.start()
        return agent
    }

    /// Starts the agent and waits until the front answers over mutual TLS.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AgentHarness.binDirectory + "/amphora-agent")
        process.arguments = ["--config-file", configPath]
        let mounts = (pciRescanFile.map { [($0, "/sys/bus/pci/rescan")] } ?? []) + privateBindMounts
        if !mounts.isEmpty {
            // unshare and sh exec into the agent: the pid stays the agent's. Paths travel as arguments.
            let binds = mounts.indices.map { #"mount --bind "${\#(2 * $0 + 1)}" "${\#(2 * $0 + 2)}""# }.joined(separator: " && ")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = [
                "--mount", "--propagation", "private", "/bin/sh", "-c", binds + #" && shift \#(2 * mounts.count) && exec "$@""#, "sh",
            ] + mounts.flatMap { [$0.0, $0.1] } + [AgentHarness.binDirectory + "/amphora-agent", "--config-file", configPath]
        }
        if let descriptorLimit, let executable = process.executableURL?.path {
            // prlimit sets RLIMIT_NOFILE and execs the rest: the pid stays the agent's.
            process.arguments = ["--nofile=\(descriptorLimit)", "--", executable] + (process.arguments ?? [])
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw HarnessError("agent exited early:\n\(self.log())") }
            if let response = try? request("GET", "/"), response.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw HarnessError("agent did not answer within 60 s:\n\(self.log())")
    }

    /// Stops the agent and starts it again on the same directory and configuration.
    func restart() throws {
        stop()
        try start()
    }

    /// Sends SIGTERM and waits for the agent to exit; returns its exit status.
    @discardableResult
    func stop() -> Int32? {
        guard let process, process.isRunning else { return self.process?.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            // Only our own child, by pid, and its process groups.
            for pid in descendants() { kill(pid, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        Self.recordSanitizerReports(in: log())
        return process.terminationStatus
    }

    /// Under `scripts/sanitizers.sh` the agent's processes are sanitized builds that print their
    /// reports on standard error, which is this log: each report fails the test that ran the agent.
    static func recordSanitizerReports(in log: String) {
        let markers = ["WARNING: ThreadSanitizer", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer"]
        for line in log.split(separator: "\n") where markers.contains(where: { line.contains($0) }) {
            Issue.record("sanitizer report in the agent's log: \(line)\n\(log.suffix(6000))")
        }
    }

    var agentPID: Int32? { process?.processIdentifier }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// All live descendants of the agent (helper, launchers, front).
    func descendants() -> [Int32] {
        guard let root = agentPID else { return [] }
        return ProcessTable.descendants(of: root)
    }

    /// The pid of the descendant whose command line starts with `prefix` (e.g. "amphora-helper serve").
    func pid(of prefix: String) -> Int32? {
        descendants().first { ProcessTable.commandLine($0).hasPrefix(prefix) }
    }

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One HTTPS request with the controller's client certificate (curl; the server name is the amphora id,
    /// as Octavia's client checks it).
    func request(
        _ method: String, _ path: String, body: Data? = nil, clientCert: String? = nil, clientKey: String? = nil,
        extraCurlArguments: [String] = []
    ) throws -> Response {
        let headerFile = directory + "/h-\(UUID().uuidString)"
        let bodyFile = directory + "/b-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: headerFile)
            try? FileManager.default.removeItem(atPath: bodyFile)
        }
        // 60 s, as long as Octavia's controller waits for an answer (rest_request_read_timeout): on a
        // machine busy with builds, one fsync of an upload once took over 30 s (ext4, ordered data).
        var arguments = [
            "-sS", "--max-time", "60", "--cacert", pki + "/ca.pem",
            "--resolve", "\(AgentHarness.amphoraID):\(port):127.0.0.1",
            "-X", method, "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}",
        ]
        if let cert = clientCert ?? Optional(pki + "/client.crt"), !cert.isEmpty {
            arguments += ["--cert", cert, "--key", clientKey ?? pki + "/client.key"]
        }
        var input: Data?
        if let body {
            arguments += ["--data-binary", "@-", "-H", "Content-Type: application/octet-stream"]
            input = body
        }
        arguments += extraCurlArguments
        arguments.append("https://\(AgentHarness.amphoraID):\(port)\(path)")
        let result = try Shell.run("/usr/bin/curl", arguments, input: input, check: false)
        guard result.status == 0 else { throw HarnessError("curl failed (\(result.status)): \(result.stderr)") }
        var headers: [String: String] = [:]
        let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        for line in headerText.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(
            status: Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, headers: headers,
            body: (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data())
    }

    /// A free TCP port on loopback, outside the kernel's ephemeral range (32768-60999 on Debian:
    /// what client sockets draw from) and in a range of its own per test lane (`AMPHORA_TEST_LANE`;
    /// scripts/test.sh runs two lanes of suites side by side), so that no other test's agent or client
    /// takes it between this check and the agent's bind.
    /// Candidates are handed out in turn from a random start, so two calls never give the same port.
    static func freePort() throws -> Int {
        let lane = ProcessInfo.processInfo.environment["AMPHORA_TEST_LANE"] == "2" ? 1 : 0
        let range = (20_000 + lane * 5_000)..<(25_000 + lane * 5_000)
        for _ in 0..<500 {
            let candidate = range.lowerBound + nextPortOffset.wrappingAdd(1, ordering: .relaxed).oldValue % range.count
            if canBind(port: candidate) { return candidate }
        }
        throw HarnessError("no free port in \(range)")
    }

    private static let nextPortOffset = Atomic<Int>(Int.random(in: 0..<5_000))

    /// Whether a TCP socket can bind 127.0.0.1:`port` now (without SO_REUSEADDR: a port with
    /// connections left in TIME_WAIT counts as taken).
    private static func canBind(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program and captures its output.
enum Shell {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: Data? = nil, check: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes fully before waiting (a full pipe would block the child).
        final class Collected: @unchecked Sendable { var data = Data() }
        let collectedError = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collectedError.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let stderrData = collectedError.data
        process.waitUntilExit()
        let result = Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
        if check, result.status != 0 {
            throw HarnessError("\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result
    }
}

/// Reads /proc to find processes.
enum ProcessTable {
    static func parentPID(_ pid: Int32) -> Int32? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("PPid:") {
            return Int32(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    static func status(_ pid: Int32, _ field: String) -> String? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    static func commandLine(_ pid: Int32) -> String {
        guard let bytes = procFile("/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\0", with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// A /proc file's bytes, read with read(2). Not `FileManager.contents(atPath:)`: for files whose
    /// size reads as 0 (all of /proc) swift-foundation leaks its 4 KiB read buffer (LeakSanitizer,
    /// scripts/sanitizers.sh address).
    static func procFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    static func allPIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = status(pid, "State") else { return false }
        return !state.hasPrefix("Z")
    }

    static func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for pid in allPIDs() { if let parent = parentPID(pid) { parents[pid] = parent } }
        var result: [Int32] = []
        var frontier: Set<Int32> = [root]
        while !frontier.isEmpty {
            let children = parents.filter { frontier.contains($0.value) }.map(\.key)
            result.append(contentsOf: children)
            frontier = Set(children)
        }
        return result
    }
}
