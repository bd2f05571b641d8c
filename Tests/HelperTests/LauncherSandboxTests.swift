import AgentConfig
import Foundation
import Glibc
import Helper
import IPCProtocol
import LinuxSystem
import Testing
@testable import LinuxSystem
@testable import ProgramLauncher

/// The launcher's check path, driven directly (below the helper's configuration policy, which would
/// refuse these texts before any tool saw them): a configuration check runs as the unprivileged
/// check account with no capabilities and cannot write anywhere, whatever its configuration tries;
/// and a slow check never holds up a status query. Needs root (the launchers are root) and the
/// built `amphora-helper` (`AMPHORA_BIN_DIR` overrides `.build/debug`).
@Suite("launcher: unprivileged, read-only configuration checks; a lane for queries", .serialized, .enabled(if: getuid() == 0))
struct LauncherSandboxTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var helperBinary: String {
        (ProcessInfo.processInfo.environment["AMPHORA_BIN_DIR"] ?? repositoryRoot.appendingPathComponent(".build/debug").path)
            + "/amphora-helper"
    }
    static let amphora = try! ResourceID(validating: "5e3e1d1c-1b2a-4c3d-8e4f-5a6b7c8d9e0f")

    /// A scratch layout like the helper's: base path and certificate directory (0710
    /// root:amphora-check) with one load balancer's directory shared with the check account, and
    /// a world-writable directory (so only Landlock, not file permissions, can stop a write there).
    final class Layout {
        let root: String
        let instance: ResourceID
        var base: String { root + "/base" }
        var certs: String { root + "/certs" }
        var certificateDirectory: String { certs + "/\(instance)" }
        var open: String { root + "/open" }
        var paths: ProgramPaths {
            ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: base, baseCertDir: certs)
        }

        init() throws {
            root = "/tmp/amp-launcher-\(UUID().uuidString.prefix(8).lowercased())"
            instance = try ResourceID(validating: UUID().uuidString.lowercased())
            let check = try #require(try? CheckAccount.resolve(), "run scripts/install-deps.sh: it creates \(CheckAccount.name)")
            for (path, mode) in [(root, 0o755), (base, 0o710), (base + "/\(instance)", 0o700), (certs, 0o710), (open, 0o777)] {
                #expect(mkdir(path, 0o700) == 0, "mkdir \(path)")
                chmod(path, mode_t(mode))
            }
            chown(base, 0, check.gid)
            chown(certs, 0, check.gid)
            #expect(mkdir(certificateDirectory, 0o700) == 0)
            // As the helper writes them at start: the controller's CA first, then the file naming it.
            try write(try CertificateStoreStrictnessTests.Material.make().certificate, to: paths.httpclientCAFile, mode: 0o644)
            try write(HAProxyUserGroupFile.text(httpclientCAFile: paths.httpclientCAFile), to: paths.userGroupFile, mode: 0o644)
        }

        func write(_ text: String, to path: String, mode: Int = 0o600) throws {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, mode_t(mode))
        }

        /// The candidate haproxy configuration of the instance, shared with the check; with `lua`, a
        /// Lua file (as a certificate upload could carry it) loaded at check time.
        func candidate(lua: String? = nil) throws {
            var global = "    log /dev/log local0"
            if let lua {
                try write(lua, to: certificateDirectory + "/payload.pem")
                global = "    lua-load \(certificateDirectory)/payload.pem"
            }
            try write(
                """
                global
                \(global)
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 5s
                    timeout server 5s
                frontend f
                    bind 192.0.2.1:8080
                    default_backend b
                backend b
                    server s 192.0.2.2:80

                """, to: base + "/\(instance)/haproxy.cfg.new")
            let check = try CheckAccount.resolve()
            try CertificateSharing(baseCertDir: certs, gid: check.gid).shareWithCheck(instance)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test("a haproxy check cannot write a file, run a program or keep a capability, even when its configuration's Lua tries")
    func checkToolCannotWriteEvenWhenConfigTries() throws {
        let layout = try Layout()
        try layout.candidate(
            lua: """
                local function try_write(path)
                  local f, err = io.open(path, 'w')
                  if f then f:write('pwned') f:close() print('WROTE ' .. path) else print('refused ' .. tostring(err)) end
                end
                try_write('\(layout.open)/pwned')
                try_write('\(layout.certificateDirectory)/planted.pem')
                try_write('/tmp/amp-launcher-pwned-\(layout.instance)')
                local ok = os.execute('/usr/bin/touch \(layout.open)/pwned-exec')
                print('exec ' .. tostring(ok))
                for line in io.lines('/proc/self/status') do
                  if line:match('^Uid:') or line:match('^Cap') or line:match('^NoNewPrivs') then print(line) end
                end
                print('lua-ran')
                """)
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        let result = try pool.launch(.haproxyCheck(instance: layout.instance, amphora: Self.amphora, candidate: true), deadlineMilliseconds: 30_000)
        defer { unlink("/tmp/amp-launcher-pwned-\(layout.instance)") }

        // The Lua did run (so the absence of files below is the sandbox's doing, not a parse error).
        #expect(result.stdout.contains("lua-ran"), "\(result.combinedOutput)")
        #expect(!result.stdout.contains("WROTE"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: layout.open + "/pwned"))
        #expect(!FileManager.default.fileExists(atPath: layout.open + "/pwned-exec"))
        #expect(!FileManager.default.fileExists(atPath: layout.certificateDirectory + "/planted.pem"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/amp-launcher-pwned-\(layout.instance)"))
        // The check account, no capability in any set but the bounding one, no_new_privs.
        let check = try CheckAccount.resolve()
        #expect(result.stdout.contains("Uid:\t\(check.uid)\t\(check.uid)\t\(check.uid)\t\(check.uid)"), "\(result.stdout)")
        for set in ["CapInh", "CapPrm", "CapEff", "CapAmb"] {
            #expect(result.stdout.contains("\(set):\t0000000000000000"), "\(set): \(result.stdout)")
        }
        #expect(result.stdout.contains("NoNewPrivs:\t1"))
        // The argv the launcher executed names the sealed copy; messages name the real file again.
        #expect(result.argv.contains("/dev/fd/3"), "\(result.argv)")
        #expect(!result.combinedOutput.contains("/dev/fd/"), "\(result.combinedOutput)")
    }

    @Test("a haproxy check reads the CA the user/group file names for haproxy's HTTP client (Landlock lets it), and needs it")
    func checkReadsHTTPClientCA() throws {
        let layout = try Layout()
        try layout.candidate()
        #expect(try String(contentsOfFile: layout.paths.userGroupFile, encoding: .utf8).contains(
            "httpclient.ssl.ca-file \(layout.paths.httpclientCAFile)\n"))
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        let command = LaunchCommand.haproxyCheck(instance: layout.instance, amphora: Self.amphora, candidate: true)
        let passed = try pool.launch(command, deadlineMilliseconds: 30_000)
        #expect(passed.succeeded, "\(passed.combinedOutput)")
        // Without it haproxy refuses the configuration: the line is read, and the file is what it loads.
        #expect(unlink(layout.paths.httpclientCAFile) == 0)
        let failed = try pool.launch(command, deadlineMilliseconds: 30_000)
        #expect(!failed.succeeded)
        #expect(failed.combinedOutput.contains(StateLayout.httpclientCAFileName), "\(failed.combinedOutput)")
    }

    /// A network namespace the test creates, with a veth pair (`eth1`, `eth2`) inside; removed by ``remove()``.
    final class TestNamespace {
        let name = "amp-it-" + String(UUID().uuidString.lowercased().prefix(8))
        var interfaceName: InterfaceName { get throws { try InterfaceName(validating: name) } }

        init() throws {
            try Self.ip(["netns", "add", name])
            try Self.ip(["-n", name, "link", "add", "eth1", "type", "veth", "peer", "name", "eth2"])
        }

        func remove() { try? Self.ip(["netns", "delete", name]) }

        static func ip(_ arguments: [String]) throws {
            let ip = Process()
            ip.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            ip.arguments = arguments
            try ip.run()
            ip.waitUntilExit()
            #expect(ip.terminationStatus == 0, "ip \(arguments)")
        }
    }

    /// An LVS configuration as Octavia renders it (UDP, one member), naming `netns`.
    static func lvsConfig(netns: String, lbKind: String = "NAT") -> String {
        KeepalivedConfigTest.stored("""
            net_namespace \(netns)
            virtual_server 192.0.2.1 80 {
                lb_algo rr
                lb_kind \(lbKind)
                protocol UDP
                real_server 192.0.2.9 80 {
                    weight 1
                }
            }

            """)
    }

    @Test("keepalived --config-test runs on a sealed copy of its input and still reports its errors")
    func keepalivedCheckReadsASealedCopy() throws {
        let layout = try Layout()
        let namespace = try TestNamespace()
        defer { namespace.remove() }
        let id = try ResourceID(validating: UUID().uuidString.lowercased())
        #expect(mkdir(layout.base + "/lvs", 0o700) == 0)
        try layout.write(
            "virtual_server 192.0.2.1 80 {\n    lb_algo rr\n    lb_kind NAT\n    protocol UDP\n    bogus_keyword 1\n}\n",
            to: layout.paths.lvsConfigFile(id) + ".new")
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        let result = try pool.launch(
            .keepalivedLVSCheck(listener: id, netns: try namespace.interfaceName, candidate: true), deadlineMilliseconds: 30_000)
        #expect(result.refusal == nil, "\(result.refusal ?? "")")
        #expect(result.argv.last == "/dev/fd/3", "\(result.argv)")
        // keepalived read the text (it names the unknown keyword) and the message names the real file.
        #expect(result.combinedOutput.contains("bogus_keyword"), "\(result.combinedOutput)")
        #expect(!result.combinedOutput.contains("not a regular non-executable file"), "\(result.combinedOutput)")
    }

    @Test("an LVS check naming its namespace really checks there, unprivileged: a bad value is refused, a good text passes")
    func lvsCheckInNamespaceIsNotSkipped() throws {
        let layout = try Layout()
        let namespace = try TestNamespace()
        defer { namespace.remove() }
        let netns = try namespace.interfaceName
        let id = try ResourceID(validating: UUID().uuidString.lowercased())
        #expect(mkdir(layout.base + "/lvs", 0o700) == 0)
        let file = layout.paths.lvsConfigFile(id) + ".new"
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        // keepalived, unprivileged, cannot enter the namespace a net_namespace line names and then
        // exits 0 without checking anything: the check's copy leaves the line out (the launcher
        // has entered the namespace), so the bad lb_kind is reported, on the stored file's line.
        try layout.write(Self.lvsConfig(netns: netns.description, lbKind: "BOGUS"), to: file)
        let bad = try pool.launch(.keepalivedLVSCheck(listener: id, netns: netns, candidate: true), deadlineMilliseconds: 30_000)
        #expect(!bad.succeeded, "\(bad.combinedOutput)")
        #expect(bad.combinedOutput.contains("\(file): Line \(KeepalivedConfigTest.headerLines + 4)) PARSER : unknown [BOGUS]"), "\(bad.combinedOutput)")
        try layout.write(Self.lvsConfig(netns: netns.description), to: file)
        let good = try pool.launch(.keepalivedLVSCheck(listener: id, netns: netns, candidate: true), deadlineMilliseconds: 30_000)
        #expect(good.succeeded, "\(good.combinedOutput)")
        // The keyword anywhere but as a line of its own: refused, keepalived never runs.
        try layout.write("virtual_server_group net_namespace {\n    192.0.2.1 80\n}\n", to: file)
        let misplaced = try pool.launch(.keepalivedLVSCheck(listener: id, netns: netns, candidate: true), deadlineMilliseconds: 30_000)
        #expect(misplaced.refusal == LaunchError.namespaceKeywordMisplaced(path: file).message, "\(misplaced)")
        #expect(misplaced.argv.isEmpty)
    }

    @Test("a VRRP check runs as the check account: keepalived cannot take script_user root's uid, and says so; the helper passes it")
    func vrrpCheckRunsAsCheckAccount() throws {
        let layout = try Layout()
        let namespace = try TestNamespace()
        defer { namespace.remove() }
        #expect(mkdir(layout.base + "/vrrp", 0o700) == 0)
        let script = layout.base + "/vrrp/check_script.sh"
        try layout.write("#!/bin/sh\nexit 0\n", to: script)
        chmod(script, 0o700)
        try layout.write(
            KeepalivedConfigTest.stored("""
                vrrp_script check_script {
                    script \(script)
                    interval 5
                }
                vrrp_instance amphora {
                    state BACKUP
                    interface eth1
                    virtual_router_id 1
                    priority 100
                    virtual_ipaddress {
                        203.0.113.10
                    }
                    track_script {
                        check_script
                    }
                }

                """), to: layout.base + "/vrrp/octavia-keepalived.conf.new")
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        let result = try pool.launch(.keepalivedCheck(netns: try namespace.interfaceName, candidate: true), deadlineMilliseconds: 30_000)
        // As root (the script is root's, 0700, in root's directories) keepalived would exit 0; as the
        // check account its seteuid(0) fails and it disables the script: exit 5 with that one line.
        #expect(result.exitCode == 5, "\(result)")
        #expect(result.combinedOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "Disabling track script check_script due to insecure")
        #expect(KeepalivedConfigTest.passed(result))
    }

    @Test("a hung check (another uid) is killed at its deadline, with its process group")
    func hungCheckIsKilledAtDeadline() throws {
        let layout = try Layout()
        let gate = layout.certificateDirectory + "/gate"
        try layout.candidate(lua: "local f = io.open('\(gate)', 'r')\n")
        #expect(mkfifo(gate, 0o640) == 0)
        chown(gate, 0, try CheckAccount.resolve().gid)
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        let result = try pool.launch(.haproxyCheck(instance: layout.instance, amphora: Self.amphora, candidate: true), deadlineMilliseconds: 1_000)
        #expect(result.timedOut)
        #expect(result.signal == SIGKILL, "\(result)")
    }

    @Test("a check whose input is a symlink or missing is refused, nothing runs")
    func checkInputMustBeARegularFile() throws {
        let layout = try Layout()
        symlink("/etc/shadow", layout.base + "/\(layout.instance)/haproxy.cfg.new")
        let pool = try LauncherPool(count: 1, paths: layout.paths, executable: Self.helperBinary)
        let result = try pool.launch(.haproxyCheck(instance: layout.instance, amphora: Self.amphora, candidate: true), deadlineMilliseconds: 30_000)
        #expect(result.refusal != nil)
        #expect(result.argv.isEmpty)
        let missing = try pool.launch(.haproxyCheck(instance: layout.instance, amphora: Self.amphora, candidate: false), deadlineMilliseconds: 30_000)
        #expect(missing.refusal != nil)
    }

    @Test("a status query completes while configuration checks hold every launcher they may use")
    func statusQueryIsNotQueuedBehindSlowChecks() throws {
        let layout = try Layout()
        // Each check blocks in its Lua on opening a FIFO for reading, until the test opens it for writing.
        let gate = layout.certificateDirectory + "/gate"
        try layout.candidate(
            lua: """
                local f = io.open('\(gate)', 'r')
                if f then f:close() end
                """)
        #expect(mkfifo(gate, 0o640) == 0)
        chown(gate, 0, try CheckAccount.resolve().gid)
        let pool = try LauncherPool(count: 3, paths: layout.paths, executable: Self.helperBinary)

        let checksFinished = Counter()
        let group = DispatchGroup()
        let instance = layout.instance
        for _ in 0..<3 {
            DispatchQueue.global().async(group: group) {
                _ = try? pool.launch(.haproxyCheck(instance: instance, amphora: Self.amphora, candidate: true), deadlineMilliseconds: 60_000)
                checksFinished.increment()
            }
        }
        var writer: Int32 = -1
        defer {
            if writer < 0 { writer = open(gate, O_RDWR | O_CLOEXEC) }
            group.wait()
            close(writer)
        }
        // Progress, not time: wait until all three checks hold a launcher or wait for one, and at
        // least two are blocked in haproxy under the launchers.
        let launchers = Set(pool.pids)
        func blockedChecks() -> Int {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 1, let parent = Int32(fields[1]), launchers.contains(parent) else { return false }
                let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
                return command.hasPrefix("/usr/sbin/haproxy\0-c")
            }.count
        }
        var polls = 0
        while (blockedChecks() < 2 || pool.busyLaunchers + pool.waitingCommands < 3), polls < 6000 {
            usleep(10_000)
            polls += 1
        }
        #expect(blockedChecks() >= 2)
        #expect(pool.busyLaunchers + pool.waitingCommands == 3)

        let query = try pool.launch(.packageVersion(.haproxy), deadlineMilliseconds: 30_000)
        // The query has its answer while every check is still blocked behind the gate.
        #expect(checksFinished.value == 0)
        #expect(query.succeeded, "\(query.combinedOutput)")

        writer = open(gate, O_RDWR | O_CLOEXEC)
        group.wait()
        #expect(checksFinished.value == 3)
    }

    final class Counter: Sendable {
        private let count = LockedValue(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test("lanes: checks and actions never take the query launcher; queries take any free one")
    func lanes() throws {
        let id = try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
        let netns = try InterfaceName(validating: "amphora-haproxy")
        #expect(LaunchCommand.haproxyCheck(instance: id, amphora: Self.amphora, candidate: true).lane == .check)
        #expect(LaunchCommand.keepalivedCheck(netns: netns, candidate: false).lane == .check)
        #expect(LaunchCommand.keepalivedLVSCheck(listener: id, netns: netns, candidate: true).lane == .check)
        #expect(LaunchCommand.systemctl(.status, .haproxy(id)).lane == .query)
        #expect(LaunchCommand.systemctl(.start, .haproxy(id)).lane == .action)
        #expect(LaunchCommand.ip(.listLinks(netns: nil)).lane == .query)
        #expect(LaunchCommand.ip(.listAddresses(netns: netns)).lane == .query)
        #expect(LaunchCommand.packageVersion(.keepalived).lane == .query)
        #expect(LaunchCommand.nftLoad(netns: netns).lane == .action)
    }
}
