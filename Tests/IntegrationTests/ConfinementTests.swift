import Foundation
import Testing

/// The walls, checked from outside: seccomp and no_new_privs on every running process, the
/// capability sets, filters that kill forbidden calls, root-only directories, and the systemd units.
@Suite("Confinement: seccomp, capabilities, private directories, systemd units", .serialized)
struct ConfinementTests {
    static let policyDirectory = AgentHarness.repositoryRoot.appendingPathComponent("policy").path
    static let systemdDirectory = AgentHarness.repositoryRoot.appendingPathComponent("systemd").path
    static var helperBinary: String { AgentHarness.binDirectory + "/amphora-helper" }

    /// A capability policy (`policy/capabilities-NAME.txt`) as a `CapBnd`-style hex mask.
    static func capabilityMask(_ name: String = "helper") throws -> String {
        let numbers = ["CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_FOWNER": 3, "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7,
                       "CAP_NET_BIND_SERVICE": 10, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13, "CAP_SYS_ADMIN": 21, "CAP_SYS_RESOURCE": 24]
        let text = try String(contentsOfFile: policyDirectory + "/capabilities-\(name).txt", encoding: .utf8)
        var mask: UInt64 = 0
        for line in text.split(separator: "\n") where line.hasPrefix("CAP_") {
            guard let name = line.split(separator: " ").first else { continue }
            let number = try #require(numbers[String(name)], "add \(name) to the test's table")
            mask |= 1 << UInt64(number)
        }
        return String(format: "%016llx", mask)
    }

    @Test("front, helper and launchers run with Seccomp: 2 and NoNewPrivs: 1; capabilities as the policy says")
    func runningProcessesAreConfined() throws {
        let agent = try AgentHarness()
        try agent.start()
        defer { agent.stop() }
        let front = try #require(agent.pid(of: "amphora-front"))
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        let launchers = agent.descendants().filter { ProcessTable.commandLine($0).hasPrefix("amphora-helper launcher") }
        // One launcher process; its three channels are threads, each started after confinement.
        #expect(launchers.count == 1)
        for launcher in launchers {
            func threads() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(launcher)/task")) ?? [] }
            #expect(waitUntil(10) { threads().count == 3 })  // HelperMain.launcherChannels
            let mask = try Self.capabilityMask("launcher")
            // Capabilities are per thread: every thread has exactly the launcher's set, in each
            // of its sets (a larger permitted set would let a thread raise its effective one).
            for thread in threads() {
                let status = try String(contentsOfFile: "/proc/\(launcher)/task/\(thread)/status", encoding: .utf8)
                #expect(status.contains("Seccomp:\t2"), "launcher thread \(thread)")
                #expect(status.contains("NoNewPrivs:\t1"), "launcher thread \(thread)")
                for field in ["CapEff", "CapPrm", "CapBnd"] {
                    #expect(status.contains("\(field):\t\(mask)"), "launcher thread \(thread) \(field)")
                }
                for field in ["CapInh", "CapAmb"] {
                    #expect(status.contains("\(field):\t0000000000000000"), "launcher thread \(thread) \(field)")
                }
            }
        }
        for pid in [front, helper] + launchers {
            let name = ProcessTable.commandLine(pid)
            #expect(ProcessTable.status(pid, "Seccomp") == "2", "\(name)")
            #expect(ProcessTable.status(pid, "NoNewPrivs") == "1", "\(name)")
            #expect(ProcessTable.status(pid, "Seccomp_filters").flatMap(Int.init) ?? 0 >= 1, "\(name)")
        }
        // Every thread of the front got the filter (TSYNC), not just the one that loaded it.
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(front)/task")
        #expect(threads.count > 1)
        for thread in threads {
            let status = try String(contentsOfFile: "/proc/\(front)/task/\(thread)/status", encoding: .utf8)
            #expect(status.contains("Seccomp:\t2"), "front thread \(thread)")
        }

        for field in ["CapEff", "CapPrm", "CapInh", "CapAmb"] {
            #expect(ProcessTable.status(front, field) == "0000000000000000", "front \(field)")
        }
        // Every thread of the helper too: capabilities are per thread, and a thread started before
        // the helper dropped its own would keep them all (the watcher, the traffic sampler, the
        // audit seal's timer, the server's threads start after).
        let helperMask = try Self.capabilityMask("helper")
        let helperThreads = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(helper)/task")
        #expect(helperThreads.count > 1)
        for thread in helperThreads {
            // A short-lived thread (a connection's, libcrypto's page releaser) may be gone by now.
            guard let status = try? String(contentsOfFile: "/proc/\(helper)/task/\(thread)/status", encoding: .utf8) else { continue }
            for field in ["CapEff", "CapPrm", "CapBnd"] {
                #expect(status.contains("\(field):\t\(helperMask)"), "helper thread \(thread) \(field)")
            }
            for field in ["CapInh", "CapAmb"] {
                #expect(status.contains("\(field):\t0000000000000000"), "helper thread \(thread) \(field)")
            }
            #expect(status.contains("Seccomp:\t2"), "helper thread \(thread)")
            #expect(status.contains("NoNewPrivs:\t1"), "helper thread \(thread)")
        }
        for pid in [helper] + launchers {
            let name = ProcessTable.commandLine(pid)
            let mask = try Self.capabilityMask(pid == helper ? "helper" : "launcher")
            #expect(ProcessTable.status(pid, "CapBnd") == mask, "\(name)")
            #expect(ProcessTable.status(pid, "CapEff") == mask, "\(name)")
            #expect(ProcessTable.status(pid, "CapPrm") == mask, "\(name)")
            #expect(ProcessTable.status(pid, "CapInh") == "0000000000000000", "\(name)")
            #expect(ProcessTable.status(pid, "CapAmb") == "0000000000000000", "\(name)")
        }
        // Still serving, confined.
        #expect(try agent.request("GET", "/1.0/info").status == 200)
        #expect(agent.pid(of: "amphora-front") == front)
        #expect(agent.pid(of: "amphora-helper serve") == helper)
    }

    /// How a probe must end: killed by SIGSYS (31), or exit status 0.
    enum Outcome: Sendable, CustomStringConvertible {
        case killedBySIGSYS, exitsZero
        var description: String { self == .killedBySIGSYS ? "SIGSYS" : "exit 0" }
    }

    @Test(
        "a process that loads a filter dies with SIGSYS on a forbidden call, and threads still start",
        arguments: [
            ("front", "execve", Outcome.killedBySIGSYS), ("front", "fork", .killedBySIGSYS), ("front", "thread", .exitsZero),
            ("front", "execveat-outside", .killedBySIGSYS), ("front", "ptrace", .killedBySIGSYS),
            ("front", "packet-socket", .killedBySIGSYS),
            ("helper", "execve", .killedBySIGSYS), ("helper", "fork", .killedBySIGSYS), ("helper", "thread", .exitsZero),
            ("helper", "execveat-outside", .killedBySIGSYS), ("helper", "ptrace", .killedBySIGSYS),
            ("launcher", "execve", .killedBySIGSYS), ("launcher", "execveat-outside", .killedBySIGSYS),
            ("launcher", "execveat-slot", .exitsZero), ("launcher", "execveat-slot-path", .exitsZero),
            ("launcher", "close-slot", .exitsZero),
            ("launcher", "fork", .exitsZero), ("launcher", "thread", .exitsZero), ("launcher", "ptrace", .killedBySIGSYS),
            ("launcher", "unshare", .killedBySIGSYS), ("launcher", "mount", .killedBySIGSYS),
            ("helper", "unshare", .killedBySIGSYS), ("helper", "mount", .killedBySIGSYS),
        ])
    func forbiddenCallsAreKilled(role: String, probe: String, outcome: Outcome) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.helperBinary)
        process.arguments = ["seccomp-selftest", role, probe]
        process.environment = ["SWIFT_BACKTRACE": "enable=no", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        switch outcome {
        case .killedBySIGSYS:
            #expect(process.terminationReason == .uncaughtSignal, "\(role) \(probe): \(stderr)")
            #expect(process.terminationStatus == SIGSYS, "\(role) \(probe): \(stderr)")
        case .exitsZero:
            #expect(process.terminationReason == .exit, "\(role) \(probe): signal \(process.terminationStatus)")
            #expect(process.terminationStatus == 0, "\(role) \(probe): \(stderr)")
        }
    }

    @Test("the filters in the binary equal the golden exports in policy/", arguments: ["front", "helper", "launcher"])
    func goldenExports(role: String) throws {
        let exported = try Shell.run(Self.helperBinary, ["seccomp-export", role])
        let golden = try String(contentsOfFile: Self.policyDirectory + "/seccomp-\(role).pfc", encoding: .utf8)
        #expect(exported.stdout == golden)
        #expect(golden.contains("action KILL_PROCESS;"))
    }

    @Test("the front's user gets EACCES on the certificate directory, the helper's state and the audit log")
    func frontCannotReadPrivateDirectories() throws {
        let agent = try AgentHarness()
        try agent.start()
        defer { agent.stop() }
        let directories = [agent.directory + "/certs", agent.directory + "/base", agent.directory + "/audit"]
        for directory in directories {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory)
            #expect(attributes[.ownerAccountID] as? Int == 0, "\(directory)")
            // The certificate and state directories let the configuration-check group pass through
            // (0710 root:amphora-check): to one load balancer's certificates, and to the CA of haproxy's HTTP client.
            let mode = directory.hasSuffix("/audit") ? 0o700 : 0o710
            #expect(attributes[.posixPermissions] as? Int == mode, "\(directory)")
            if mode == 0o710 { #expect(attributes[.groupOwnerAccountName] as? String == "amphora-check", "\(directory)") }
        }
        let probe = """
            import errno, os, sys
            for path in sys.argv[1:]:
                for attempt in (lambda: os.listdir(path), lambda: open(os.path.join(path, "x.pem"), "w")):
                    try:
                        attempt(); print("ALLOWED", path)
                    except OSError as e:
                        print(errno.errorcode[e.errno], path)
            """
        let result = try Shell.run(
            "/usr/bin/setpriv",
            ["--reuid=amphora-front", "--regid=amphora-front", "--clear-groups", "/usr/bin/python3", "-c", probe] + directories)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == directories.count * 2, "\(result.stdout)\(result.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("EACCES ") }, "\(result.stdout)")
    }

    @Test("at start the helper writes haproxy's HTTP client CA (the controller's, 0644), then the user/group file naming it")
    func helperWritesHTTPClientCA() throws {
        let agent = try AgentHarness()
        try agent.start()
        defer { agent.stop() }
        let base = agent.directory + "/base"
        let copy = base + "/haproxy-httpclient-ca.pem"
        let controllerCA = try String(contentsOfFile: agent.pki + "/ca.pem", encoding: .utf8)
        let written = try String(contentsOfFile: copy, encoding: .utf8)
        #expect(written.contains("-----BEGIN CERTIFICATE-----") && controllerCA.contains(written.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!written.contains("PRIVATE KEY"))
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect(attributes[.posixPermissions] as? Int == 0o644)
        #expect(attributes[.ownerAccountID] as? Int == 0)
        #expect(
            try String(contentsOfFile: base + "/haproxy-default-user-group.conf", encoding: .utf8)
                == "global\n    group nogroup\n    httpclient.ssl.ca-file \(copy)\n")
    }

    @Test("a state directory owned by another user stops the helper with one line")
    func foreignOwnedStateDirectoryFailsClosed() throws {
        let agent = try AgentHarness()
        try FileManager.default.createDirectory(atPath: agent.directory + "/base", withIntermediateDirectories: true)
        chmod(agent.directory + "/base", 0o700)
        chown(agent.directory + "/base", 65534, 65534)
        let result = try Shell.run(AgentHarness.binDirectory + "/amphora-agent", ["--config-file", agent.configPath], check: false)
        #expect(result.status != 0)
        #expect(result.stderr.contains("/base must be a directory owned by root with mode 0700 or 0710"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("amphora-helper:") }.count == 1, "\(result.stderr)")
    }

    @Test("a root-owned state directory that is merely too open (upstream's mkdir -p) is tightened to 0710 with one warning")
    func rootOwnedLooseStateDirectoryIsTightened() throws {
        let agent = try AgentHarness()
        try FileManager.default.createDirectory(atPath: agent.directory + "/base", withIntermediateDirectories: true)
        chmod(agent.directory + "/base", 0o755)
        try agent.start()
        var st = stat()
        #expect(stat(agent.directory + "/base", &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o710)
        #expect(st.st_uid == 0)
        #expect(agent.log().components(separatedBy: "/base had mode 755; set to 0710 (root, and the check group may pass through)").count == 2, "\(agent.log())")
    }

    @Test("a launcher that cannot place its program descriptors stops with one line (fail closed)")
    func launcherFailsClosed() throws {
        // Descriptor 96, the first program slot, is already taken when the launcher starts.
        let result = try Shell.run(
            "/bin/bash",
            ["-c", "exec 96</dev/null 3</dev/null; exec \"$0\" launcher --channels 1 --haproxy-cmd /usr/sbin/haproxy --keepalived-cmd /usr/sbin/keepalived --base-path /nonexistent --base-cert-dir /nonexistent/certs --require-landlock no",
             Self.helperBinary], check: false)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no descriptor slot"), "\(result.stderr)")
    }

    /// Runs `amphora-helper launcher ARGS` with descriptor 3 on /dev/null (so it stops at once when
    /// confined), optionally under a seccomp filter that answers landlock_create_ruleset with
    /// ENOSYS: a kernel without Landlock, as the launcher sees it.
    static func runLauncher(withoutLandlock: Bool, _ arguments: [String]) throws -> Shell.Result {
        let script = """
            import ctypes, os, struct, sys
            if sys.argv[1] == "hide":
                libc = ctypes.CDLL(None, use_errno=True)
                # seccomp BPF: nr == 444 (landlock_create_ruleset, every architecture) -> ERRNO(ENOSYS), else ALLOW
                code = b"".join(struct.pack("HBBI", *i) for i in [(0x20, 0, 0, 0), (0x15, 0, 1, 444), (0x06, 0, 0, 0x50000 | 38), (0x06, 0, 0, 0x7fff0000)])
                buf = ctypes.create_string_buffer(code, len(code))
                class Prog(ctypes.Structure):
                    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
                prog = Prog(4, ctypes.addressof(buf))
                assert libc.prctl(38, 1, 0, 0, 0) == 0
                assert libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0
            fd = os.open("/dev/null", os.O_RDONLY)
            os.dup2(fd, 3)
            os.execv(sys.argv[2], sys.argv[2:])
            """
        return try Shell.run(
            "/usr/bin/python3", ["-c", script, withoutLandlock ? "hide" : "keep", helperBinary, "launcher"] + arguments, check: false)
    }

    @Test("without Landlock a launcher told it is required (service_manager = systemd) stops with one line; direct mode warns")
    func launcherWithoutLandlockFailsClosedUnderSystemd() throws {
        let common = [
            "--channels", "1", "--haproxy-cmd", "/usr/sbin/haproxy", "--keepalived-cmd", "/usr/sbin/keepalived", "--base-path", "/nonexistent",
            "--base-cert-dir", "/nonexistent/certs",
        ]
        let required = try Self.runLauncher(withoutLandlock: true, common + ["--require-landlock", "yes"])
        #expect(required.status == 1, "\(required.stderr)")
        #expect(required.stderr.split(separator: "\n").count == 1, "\(required.stderr)")
        #expect(required.stderr.contains("no Landlock"), "\(required.stderr)")
        // Direct mode: one warning, then it serves (here: descriptor 3 is at its end, so it stops cleanly).
        let warned = try Self.runLauncher(withoutLandlock: true, common + ["--require-landlock", "no"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning: no Landlock"), "\(warned.stderr)")
        // With Landlock (this kernel) the required launcher starts without a word.
        let present = try Self.runLauncher(withoutLandlock: false, common + ["--require-landlock", "yes"])
        #expect(present.status == 0, "\(present.stderr)")
        #expect(present.stderr.isEmpty, "\(present.stderr)")
    }

    @Test("the systemd units verify, and score at most 1.5 (front, prometheus proxy) and 3.5 (helper) offline")
    func systemdUnits() throws {
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.systemdDirectory)
            .filter { $0.hasSuffix(".service") || $0.hasSuffix(".mount") }
        #expect(Set(units).isSuperset(of: [
            "amphora-agent.service", "amphora-agent-front.service", "amphora-agent-helper.service", "amphora-netns.service",
            "var-lib-octavia-certs.mount", "haproxy@.service", "octavia-keepalived.service", "octavia-keepalivedlvs@.service",
        ]))
        // A scratch root with the units and the programs they run at their install paths (the agent's
        // own binaries hard-linked from this build), so `verify` checks real executables.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("amphora-units-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let unitDirectory = root + "/etc/systemd/system"
        try FileManager.default.createDirectory(atPath: unitDirectory, withIntermediateDirectories: true)
        for directory in ["/usr/sbin", "/bin", "/usr/lib/systemd", "/usr/lib/amphora-agent"] {
            try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: "/usr/lib/systemd/system", toPath: root + "/usr/lib/systemd/system")
        for unit in units { try FileManager.default.copyItem(atPath: Self.systemdDirectory + "/" + unit, toPath: unitDirectory + "/" + unit) }
        let programs = [
            (AgentHarness.binDirectory + "/amphora-front", "/usr/sbin/amphora-front"),
            (AgentHarness.binDirectory + "/amphora-helper", "/usr/sbin/amphora-helper"),
            (AgentHarness.binDirectory + "/amphora-prometheus-proxy", "/usr/sbin/amphora-prometheus-proxy"),
            ("/usr/sbin/ip", "/usr/sbin/ip"), ("/usr/sbin/haproxy", "/usr/sbin/haproxy"),
            ("/usr/sbin/keepalived", "/usr/sbin/keepalived"), ("/bin/kill", "/bin/kill"),
            ("/usr/sbin/sysctl", "/usr/sbin/sysctl"), ("/bin/true", "/bin/true"),
            (Self.systemdDirectory + "/../packaging/config-drive/config-drive", "/usr/lib/amphora-agent/config-drive"),
        ]
        for (source, target) in programs {
            let real = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
            if (try? FileManager.default.linkItem(atPath: real, toPath: root + target)) == nil {
                try FileManager.default.copyItem(atPath: real, toPath: root + target)
            }
        }
        // Templates are verified as an instance (haproxy@<id>.service).
        let instances = units.map { $0.replacingOccurrences(of: "@.service", with: "@7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b.service") }
        let verify = try Shell.run("/usr/bin/systemd-analyze", ["verify", "--root=\(root)"] + instances.map { unitDirectory + "/" + $0 }, check: false)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect((verify.stdout + verify.stderr).isEmpty, "verify complained:\n\(verify.stdout)\(verify.stderr)")

        for (unit, threshold) in [
            ("amphora-agent-front.service", 15), ("amphora-agent-helper.service", 35), ("amphora-prometheus-proxy.service", 15),
        ] {
            let security = try Shell.run(
                "/usr/bin/systemd-analyze",
                ["security", "--offline=yes", "--threshold=\(threshold)", Self.systemdDirectory + "/" + unit], check: false)
            #expect(security.status == 0, "\(unit): \(security.stdout.split(separator: "\n").last ?? "")")
        }
        // The unit's bounding set is the helper's and the launchers' capability policies together.
        let helperUnit = try String(contentsOfFile: Self.systemdDirectory + "/amphora-agent-helper.service", encoding: .utf8)
        let policy = try ["capabilities-helper.txt", "capabilities-launcher.txt"].flatMap { file in
            try String(contentsOfFile: Self.policyDirectory + "/" + file, encoding: .utf8)
                .split(separator: "\n").filter { $0.hasPrefix("CAP_") }.compactMap { $0.split(separator: " ").first.map(String.init) }
        }
        let bounding = helperUnit.split(separator: "\n").first { $0.hasPrefix("CapabilityBoundingSet=") }
            .map { $0.dropFirst("CapabilityBoundingSet=".count).split(separator: " ").map(String.init) } ?? []
        // CAP_SETPCAP: each process drops the capabilities the other needs (PR_CAPBSET_DROP needs it).
        #expect(Set(bounding) == Set(policy + ["CAP_SETPCAP"]))
    }
}
