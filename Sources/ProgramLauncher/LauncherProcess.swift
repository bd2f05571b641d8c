import CLinuxShim
import Confinement
import Glibc
import IPCProtocol
import LinuxSystem
import Synchronization

/// The launcher: a small process, started by the helper before the helper confines itself, that is
/// the only code path which executes programs. It reads ``LaunchRequest`` frames on each of its
/// channels (sockets on descriptors 3, 4, ...; one thread per channel, one command at a time on
/// each), re-checks each command, runs it with a deadline in its own process group, and answers
/// with a ``LaunchResult``. It holds O_PATH descriptors of its allowed programs and executes them
/// with `execveat`, so nothing outside the table can be reached.
public enum LauncherProcess {
    /// Output captured per stream; the rest is drained and dropped.
    public static let outputLimit = 64 * 1024
    static let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"]

    /// Most channels one launcher serves (the helper uses three: ``LauncherPool``).
    public static let maximumChannels = 8

    /// Largest configuration file a check is handed (read into memory by the launcher): the largest
    /// stored configuration, an upload at the limit as the helper wrote it (docs/limits.md).
    static let checkInputLimit = UInt64(Frame.maximumPayloadSize)

    /// Read-only paths every check may read besides its inputs: programs, libraries, the loader's
    /// cache, /etc (users, resolver; DAC still hides root's files), /proc and /sys (CPU topology,
    /// interfaces), and a few devices.
    static let checkSystemReadPaths = [
        "/usr", "/lib", "/lib64", "/lib32", "/etc", "/proc", "/sys", "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random",
    ]

    /// What a launcher knows at start: the program table, and the account checks run as.
    struct Setup: Sendable {
        var programs: [Program: (fd: Int32, path: String)]
        var checkUser: SystemUser
        var landlock: Bool
    }

    /// Serves requests on descriptors 3 ..< 3 + `channels` until one of them closes (the helper is
    /// gone), then exits. Never returns. `requireLandlock` (systemd mode) makes a kernel without
    /// Landlock fatal; otherwise it is one warning line.
    ///
    /// The channels' threads start only after the process is confined: capabilities are per
    /// thread and a new thread inherits its creator's, and the seccomp filter is inherited too.
    /// Each command's child is started by its channel's thread, which lives as long as the process
    /// (the child's parent-death signal follows the thread that started it).
    public static func serve(channels: Int, paths: ProgramPaths, requireLandlock: Bool = false) -> Never {
        _ = cshim_set_parent_death_signal(SIGKILL)
        signal(SIGPIPE, SIG_IGN)
        let checkUser: SystemUser
        do {
            checkUser = try CheckAccount.resolve()
        } catch {
            FileDescriptorOutput.standardError.write("amphora-helper launcher: \(error.message)\n")
            exit(1)
        }
        var programs: [Program: (fd: Int32, path: String)] = [:]
        for (index, program) in Program.allCases.enumerated() {
            for path in program.candidatePaths(paths) {
                let pfd = open(path, cshim_O_PATH | O_CLOEXEC)
                if pfd >= 0 {
                    // Each program at its fixed slot: the only descriptors the filter lets execveat run.
                    guard let slot = try? ProgramDescriptorSlots.install(pfd, index: index) else {
                        FileDescriptorOutput.standardError.write("amphora-helper launcher: no descriptor slot for \(path)\n")
                        exit(1)
                    }
                    programs[program] = (slot, path)
                    break
                }
            }
        }
        let landlock = Confinement.confineOrExit(
            .launcher, program: "amphora-helper launcher", executables: programs.values.map(\.path), requireLandlock: requireLandlock)
        let setup = Setup(programs: programs, checkUser: checkUser, landlock: landlock)
        guard (1...maximumChannels).contains(channels) else {
            FileDescriptorOutput.standardError.write("amphora-helper launcher: --channels must be 1 to \(maximumChannels)\n")
            exit(1)
        }
        for channel in 1..<channels {
            let fd = Int32(3 + channel)
            guard startThread({ serveChannel(fd: fd, setup: setup, paths: paths) }) else {
                FileDescriptorOutput.standardError.write("amphora-helper launcher: no thread for channel \(channel)\n")
                _exit(1)
            }
        }
        // The start's code is not needed again; what serving runs is mapped again, laid out together (linker/).
        ResidentPages.unmapCode()
        serveChannel(fd: 3, setup: setup, paths: paths)
    }

    /// Set when a request ran since the launcher last unmapped its code.
    static let ranSinceUnmapping = Atomic<Bool>(false)

    /// Waits until channel `fd` has something to read. While a request ran since the last unmapping,
    /// the wait is bounded: once the launcher has been quiet for ``ResidentPages/quietMilliseconds``
    /// (as the helper is, `IdlePages`: the next request may be days away), one of the
    /// channels' threads unmaps the code the requests ran (the flag's exchange makes it one). An
    /// idle launcher does not wake.
    static func waitForRequest(_ fd: Int32) {
        while true {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let n = poll(&ready, 1, ranSinceUnmapping.load(ordering: .relaxed) ? ResidentPages.quietMilliseconds : -1)
            if n != 0 { return }   // readable, hung up, or interrupted: the read tells
            if ranSinceUnmapping.exchange(false, ordering: .relaxed) { ResidentPages.unmapCode() }
        }
    }

    /// Serves one channel: one request at a time, until the helper closes it (the whole launcher
    /// exits then) or sends what it never would (exit 2). `_exit`, not `exit`: the other channels'
    /// threads may be leaving at the same moment, and there is nothing to flush.
    static func serveChannel(fd: Int32, setup: Setup, paths: ProgramPaths) -> Never {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            waitForRequest(fd)
            guard let n = try? readSome(fd, into: &buffer), n > 0 else { _exit(0) }
            decoder.append(buffer[0..<n])
            do {
                while let payload = try decoder.nextFrame() {
                    let request = try StrictJSON.decode(LaunchRequest.self, from: payload)
                    let result = execute(request, setup: setup, paths: paths)
                    ranSinceUnmapping.store(true, ordering: .relaxed)
                    try writeAll(fd, try Frame.encode(try StrictJSON.encode(result)))
                }
            } catch {
                // A malformed request from our own helper means something is badly wrong: stop.
                _exit(2)
            }
        }
    }

    static func refusal(_ request: LaunchRequest, _ reason: String) -> LaunchResult {
        LaunchResult(
            id: request.id, argv: [], exitCode: nil, signal: nil, timedOut: false, stdout: "", stderr: "",
            outputTruncated: false, durationMicroseconds: 0, refusal: reason)
    }

    /// What a configuration check gets instead of root: its input files as sealed memory files, and
    /// a Landlock ruleset that lets it read (never write) only what it needs.
    struct CheckSandbox {
        var inputs: [(path: String, fd: Int32)] = []
        var landlockFD: Int32 = -1

        func close() {
            for input in inputs { Glibc.close(input.fd) }
            if landlockFD > 0 { Glibc.close(landlockFD) }
        }

        /// The descriptor number input `index` has in the check (`/dev/fd/N`).
        static func childDescriptor(_ index: Int) -> Int32 { Int32(3 + index) }
    }

    static func prepareCheck(_ command: LaunchCommand, program: String, setup: Setup, paths: ProgramPaths) throws(LaunchError) -> CheckSandbox {
        var sandbox = CheckSandbox()
        for path in command.checkInputs(paths) {
            let source = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard source >= 0 else {
                sandbox.close()
                throw .checkInputUnreadable(path: path, reason: String(cString: strerror(errno)))
            }
            let copy: Int32
            do throws(LaunchError) {
                copy = try sealedInput(from: source, path: path, withoutNamespace: command.checksCopyWithoutNamespace)
            } catch {
                close(source)
                sandbox.close()
                throw error
            }
            close(source)
            sandbox.inputs.append((path, copy))
        }
        guard setup.landlock else { return sandbox }
        let reads = checkSystemReadPaths + command.checkReadPaths(paths)
        let executes = [program] + ExecuteAllowList.loaders
        let ruleset = withUnsafeCStringArray(reads) { r in
            withUnsafeCStringArray(executes) { x in
                cshim_landlock_read_only_ruleset(
                    UnsafePointer(OpaquePointer(r)), Int32(reads.count), UnsafePointer(OpaquePointer(x)), Int32(executes.count))
            }
        }
        guard ruleset > 0 else {
            let reason = ruleset < 0 ? String(cString: strerror(errno)) : "no Landlock"
            sandbox.close()
            throw .landlockRulesetFailed(reason: reason)
        }
        sandbox.landlockFD = ruleset
        return sandbox
    }

    /// The check's input: a sealed copy of the file open at `source` (for keepalived, its
    /// ``KeepalivedCheckCopy``; refused when `net_namespace` stands where that cannot leave it out).
    static func sealedInput(from source: Int32, path: String, withoutNamespace: Bool) throws(LaunchError) -> Int32 {
        func failed() -> LaunchError { .checkInputNotHanded(path: path, reason: String(cString: strerror(errno))) }
        let plain = cshim_sealed_copy(source, "check-input", checkInputLimit)
        guard plain >= 0 else { throw failed() }
        guard withoutNamespace else { return plain }
        defer { close(plain) }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(plain, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failed() }
            if count == 0 { break }
            text.append(contentsOf: buffer[0..<count])
        }
        guard let copy = KeepalivedCheckCopy.withoutNamespaceLines(text) else { throw .namespaceKeywordMisplaced(path: path) }
        let sealed = copy.withUnsafeBytes { cshim_sealed_bytes($0.baseAddress, UInt64($0.count), "check-input") }
        guard sealed >= 0 else { throw failed() }
        return sealed
    }

    static func execute(_ request: LaunchRequest, setup: Setup, paths: ProgramPaths) -> LaunchResult {
        do {
            try request.command.checkArguments(paths)
        } catch {
            return refusal(request, error.message)
        }
        guard let program = setup.programs[request.command.program] else {
            return refusal(request, "\(request.command.program.rawValue) is not installed")
        }
        var argv = [program.path] + request.command.arguments(paths)
        var sandbox: CheckSandbox?
        if request.command.isConfigurationCheck {
            do {
                let prepared = try prepareCheck(request.command, program: program.path, setup: setup, paths: paths)
                for (index, input) in prepared.inputs.enumerated() {
                    argv = argv.map { $0 == input.path ? "/dev/fd/\(CheckSandbox.childDescriptor(index))" : $0 }
                }
                sandbox = prepared
            } catch {
                return refusal(request, error.message)
            }
        }
        defer { sandbox?.close() }
        let passed = sandbox?.inputs.map(\.fd) ?? []
        let started = monotonicNanoseconds()
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard cshim_pipe2_cloexec(&outPipe) == 0 else { return refusal(request, "pipe: \(SystemError("pipe2"))") }
        guard cshim_pipe2_cloexec(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            return refusal(request, "pipe: \(SystemError("pipe2"))")
        }
        var namespaceFD: Int32 = -1
        if let netns = request.command.namespace {
            namespaceFD = open("/run/netns/\(netns)", O_RDONLY | O_CLOEXEC)
            guard namespaceFD >= 0 else {
                close(outPipe[0]); close(outPipe[1]); close(errPipe[0]); close(errPipe[1])
                return refusal(request, "network namespace \(netns) is missing")
            }
        }
        defer { if namespaceFD >= 0 { close(namespaceFD) } }
        var spawn = SpawnAttributes(executable: .descriptor(program.fd), arguments: argv, environment: environment)
        spawn.standardOutput = outPipe[1]
        spawn.standardError = errPipe[1]
        spawn.passedDescriptors = passed
        spawn.newProcessGroup = true
        spawn.dieWithParent = true
        spawn.noNewPrivileges = true
        spawn.networkNamespace = namespaceFD >= 0 ? namespaceFD : nil
        if let sandbox {
            // The check account: no capabilities survive the change of uid (no keep-caps,
            // no ambient set), no_new_privs forbids regaining any at exec, and Landlock
            // (inherited by whatever it starts) allows reading only. The namespace is entered
            // before the uid changes.
            spawn.identity = (setup.checkUser.uid, setup.checkUser.gid)
            spawn.landlockRuleset = sandbox.landlockFD > 0 ? sandbox.landlockFD : nil
        }
        let spawned = Result { () throws(SystemError) in try spawn.spawn() }
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let error): return refusal(request, "exec \(program.path): \(String(cString: strerror(error.errno)))")
        }
        let deadline = started + UInt64(max(1, request.deadlineMilliseconds)) * 1_000_000
        var capture = OutputCapture(fds: [outPipe[0], errPipe[0]], limit: outputLimit)
        var timedOut = false
        while !capture.allClosed {
            let now = monotonicNanoseconds()
            if now >= deadline {
                if !timedOut {
                    timedOut = true
                    kill(-pid, SIGKILL)
                }
                // Drain for at most one more second: a stray grandchild may hold the pipes open.
                if now >= deadline + 1_000_000_000 { break }
            }
            let waitMs = timedOut ? 100 : Int32(min(1000, (deadline - now) / 1_000_000 + 1))
            capture.poll(timeoutMs: waitMs)
        }
        if !timedOut, monotonicNanoseconds() >= deadline { timedOut = true }
        // The group leader is reaped; whatever else is left of its group dies with it.
        var status: Int32 = 0
        _ = try? retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
        kill(-pid, SIGKILL)
        let exited = (status & 0x7F) == 0
        // A check's messages name its inputs by their real paths again, not /dev/fd/N.
        func text(_ bytes: [UInt8]) -> String {
            var text = String(decoding: bytes, as: UTF8.self)
            for (index, input) in (sandbox?.inputs ?? []).enumerated() {
                text = text.replacing("/dev/fd/\(CheckSandbox.childDescriptor(index))", with: input.path)
            }
            return text
        }
        return LaunchResult(
            id: request.id, argv: argv,
            exitCode: exited ? (status >> 8) & 0xFF : nil,
            signal: exited ? nil : status & 0x7F,
            timedOut: timedOut,
            stdout: text(capture.output[0]),
            stderr: text(capture.output[1]),
            outputTruncated: capture.truncated,
            durationMicroseconds: (monotonicNanoseconds() - started) / 1000,
            refusal: nil)
    }
}
