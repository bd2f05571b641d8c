import CLinuxShim
import Glibc
import Testing

@testable import LinuxSystem

/// The system module against the real kernel: pipes, a socket pair, a child process.
@Suite("Linux system plumbing")
struct LinuxSystemTests {
    @Test("writeAll and readAll move every byte through a pipe, and readAll stops at its limit")
    func pipeRoundTrip() throws {
        var fds: [Int32] = [-1, -1]
        #expect(cshim_pipe2_cloexec(&fds) == 0)
        let bytes = (0..<50_000).map { UInt8(truncatingIfNeeded: $0) }
        // 50 000 bytes fit in a pipe (64 KiB): no reader thread needed.
        try writeAll(fds[1], bytes)
        close(fds[1])
        let (read, truncated) = try readAll(fds[0], limit: 40_000)
        close(fds[0])
        #expect(read == Array(bytes[0..<40_000]))
        #expect(truncated)
    }

    @Test("sendAll delivers to the peer of a socket pair")
    func socketPair() throws {
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0)
        defer { close(pair[0]) }
        try sendAll(pair[1], Array("hello".utf8))
        close(pair[1])
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = try readSome(pair[0], into: &buffer)
        #expect(Array(buffer[0..<n]) == Array("hello".utf8))
    }

    @Test("retryingSyscall names the call, the subject and the errno")
    func errorNamesTheCall() {
        do {
            try retryingSyscall("open", subject: "/nonexistent/x") { open("/nonexistent/x", O_RDONLY) }
            Issue.record("open of a missing file succeeded")
        } catch {
            #expect(error.call == "open")
            #expect(error.errno == ENOENT)
            #expect(error.description.hasPrefix("open /nonexistent/x: "))
        }
    }

    @Test("a Unix socket path longer than sun_path is refused, one that fits connects")
    func unixSocketAddress() throws {
        #expect(UnixSocketAddress(path: "/" + String(repeating: "a", count: 107)) == nil)
        #expect(UnixSocketAddress(path: "/" + String(repeating: "a", count: 106)) != nil)
        let address = try #require(UnixSocketAddress(path: "/nonexistent-dir/socket"))
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        #expect(throws: SystemError.self) { try address.connect(fd) }
    }

    /// Spawns `attributes` with a pipe as its descriptor 3, and returns its wait status and what it wrote there.
    func spawnReadingDescriptor3(_ attributes: SpawnAttributes) throws -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        #expect(cshim_pipe2_cloexec(&fds) == 0)
        var attributes = attributes
        attributes.passedDescriptors = [fds[1]]
        let pid: pid_t
        do {
            pid = try attributes.spawn()
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[1])
        let (output, _) = try readAll(fds[0], limit: 1024)
        close(fds[0])
        var status: Int32 = 0
        try retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
        return (status, String(decoding: output, as: UTF8.self))
    }

    @Test("spawn runs a program with its argv, environment and passed descriptor; a missing one reports ENOENT")
    func spawn() throws {
        let (status, output) = try spawnReadingDescriptor3(
            SpawnAttributes(
                executable: .path("/bin/sh"), arguments: ["/bin/sh", "-c", "printf '%s' \"$GREETING\" >&3", "sh"],
                environment: ["GREETING=hi"]))
        #expect(status == 0)
        #expect(output == "hi")

        let missing = SpawnAttributes(executable: .path("/nonexistent/program"), arguments: ["program"], environment: [])
        do {
            _ = try missing.spawn()
            Issue.record("a missing program started")
        } catch {
            #expect(error.errno == ENOENT)
        }
    }

    @Test("a failed exec is reported even when the passed descriptors fill the lowest free numbers")
    func spawnFailureWithLowErrorPipe() throws {
        // Pass enough descriptors that 3 ... 2 + n covers the lowest free numbers. When the child
        // reported through a pipe (pipe2 took those numbers), dup2 replaced the child's end, the
        // errno went into the program's descriptor and the parent read end-of-file as a successful
        // exec; the child now leaves it in memory it shares with the waiting parent.
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        #expect(devNull >= 0)
        defer { close(devNull) }
        // The two numbers pipe2 will take: the two lowest free ones.
        let first = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let probe = open("/dev/null", O_RDONLY | O_CLOEXEC)
        close(first)
        close(probe)
        // In the whole suite's busy process the two lowest free numbers can be above 66, out of reach
        // of the 64 descriptors a spawn passes at most: then only the ENOENT is checked.
        let count = min(max(Int(probe) - 2, 2), 64)
        var missing = SpawnAttributes(executable: .path("/nonexistent/program"), arguments: ["program"], environment: [])
        missing.passedDescriptors = Array(repeating: devNull, count: count)
        do {
            let pid = try missing.spawn()
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            Issue.record("a missing program was reported started (error pipe at \(probe), \(count) descriptors passed)")
        } catch {
            #expect(error.errno == ENOENT)
        }
    }

    @Test(
        "a child that changes its identity changes only its own: every thread of the parent keeps its uid and gid",
        arguments: [true, false])
    func spawnIdentityStaysInTheChild(sharingMemory: Bool) throws {
        // The child runs in the parent's memory until exec (CLONE_VM | CLONE_VFORK), beside this
        // process's other threads: what changes its credentials must change the child's alone.
        guard getuid() == 0 else { return }
        // Both ways a child may start: in this process's memory, or with a copy of it (fs.suid_dumpable not 0).
        cshim_spawn_share_memory(sharingMemory ? 1 : 0)
        defer { cshim_spawn_share_memory(1) }
        let sleeper = startThread { sleep(5) }
        #expect(sleeper)
        var attributes = SpawnAttributes(
            executable: .path("/bin/sh"),
            arguments: [
                "/bin/sh", "-c", "printf '%s %s %s %s' $(id -u) $(id -g) $(id -G) $(sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/self/status) >&3",
            ], environment: [])
        attributes.identity = (65534, 65534)
        attributes.noNewPrivileges = true
        let (status, output) = try spawnReadingDescriptor3(attributes)
        #expect(status == 0)
        #expect(output == "65534 65534 65534 1")
        let tasks = try #require(opendir("/proc/self/task"))
        defer { closedir(tasks) }
        var checked = 0
        while let entry = readdir(tasks) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.first?.isNumber == true else { continue }
            let fd = open("/proc/self/task/\(name)/status", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }   // a thread that ended meanwhile
            let (bytes, _) = try readAll(fd, limit: 16384)
            close(fd)
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            #expect(lines.first { $0.hasPrefix("Uid:") }?.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { $0 == "0" } == true, "thread \(name)")
            #expect(lines.first { $0.hasPrefix("Gid:") }?.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { $0 == "0" } == true, "thread \(name)")
            checked += 1
        }
        #expect(checked >= 2)
    }

    @Test("a spawn leaves the parent's signal dispositions and mask as they were, and reports a failure after the identity change")
    func spawnLeavesTheParentAlone() throws {
        var before = sigaction()
        #expect(sigaction(SIGPIPE, nil, &before) == 0)
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #expect(sigaction(SIGPIPE, &ignore, nil) == 0)
        defer { _ = sigaction(SIGPIPE, &before, nil) }
        var maskBefore = sigset_t()
        #expect(pthread_sigmask(SIG_SETMASK, nil, &maskBefore) == 0)

        var attributes = SpawnAttributes(executable: .path("/bin/true"), arguments: ["/bin/true"], environment: [])
        attributes.newSession = true
        var status: Int32 = 0
        let pid = try attributes.spawn()
        try retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
        #expect(status == 0)

        var after = sigaction()
        #expect(sigaction(SIGPIPE, nil, &after) == 0)
        #expect(unsafeBitCast(after.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
        var maskAfter = sigset_t()
        #expect(pthread_sigmask(SIG_SETMASK, nil, &maskAfter) == 0)
        #expect(withUnsafeBytes(of: &maskBefore) { Array($0) } == withUnsafeBytes(of: &maskAfter) { Array($0) })
        #expect(getsid(0) != pid)

        // A program only root may execute: the child changed its uid before exec, and says so (both ways a child starts).
        guard getuid() == 0 else { return }
        try withTemporaryScript("#!/bin/sh\nexit 0\n", mode: 0o700) { script in
            for sharing: Int32 in [1, 0] {
                cshim_spawn_share_memory(sharing)
                defer { cshim_spawn_share_memory(1) }
                var refused = SpawnAttributes(executable: .path(script), arguments: [script], environment: [])
                refused.identity = (65534, 65534)
                do {
                    let pid = try refused.spawn()
                    _ = waitpid(pid, &status, 0)
                    Issue.record("a root-only program started as uid 65534 (sharing memory: \(sharing))")
                } catch {
                    #expect((error as? SystemError)?.errno == EACCES)
                }
            }
        }
    }

    @Test("threads spawning at once each get their own child and their own failure")
    func concurrentSpawns() throws {
        let results = LockedValue<[String]>([])
        let done = DispatchGroupLike(count: 4)
        for thread in 0..<4 {
            #expect(startThread {
                for round in 0..<25 {
                    let fails = (thread + round) % 3 == 0
                    let attributes = SpawnAttributes(
                        executable: .path(fails ? "/nonexistent/program" : "/bin/sh"),
                        arguments: ["sh", "-c", "exit \(round % 7)"], environment: [])
                    do {
                        let pid = try attributes.spawn()
                        var status: Int32 = 0
                        _ = waitpid(pid, &status, 0)
                        let code = (status >> 8) & 0xFF
                        results.withLock { $0.append(!fails && code == Int32(round % 7) ? "ok" : "wrong exit \(code) in \(thread)/\(round)") }
                    } catch {
                        results.withLock { $0.append(fails && (error as? SystemError)?.errno == ENOENT ? "ok" : "wrong failure \(error) in \(thread)/\(round)") }
                    }
                }
                done.leave()
            })
        }
        #expect(done.wait(seconds: 60))
        let all = results.withLock { $0 }
        #expect(all.count == 100)
        #expect(all.filter { $0 != "ok" } == [])
    }

    @Test("the monotonic clock does not go back")
    func monotonic() {
        let first = monotonicNanoseconds()
        #expect(monotonicNanoseconds() >= first)
        #expect(monotonicSeconds() <= monotonicNanoseconds() / 1_000_000_000)
    }
}

/// A program file (`text`, `mode`) in a fresh temporary directory, removed after `body`.
func withTemporaryScript(_ text: String, mode: mode_t, _ body: (String) throws -> Void) throws {
    var template = Array("/tmp/amp-spawn-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp") }
    let directory = String(cString: made)
    let path = directory + "/program"
    defer {
        unlink(path)
        rmdir(directory)
    }
    chmod(directory, 0o755)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw SystemError("open", subject: path) }
    try writeAll(fd, Array(text.utf8))
    fchmod(fd, mode)
    close(fd)
    try body(path)
}

/// Counts threads down to zero; `wait` gives up after a time.
final class DispatchGroupLike: Sendable {
    let remaining: LockedValue<Int>
    init(count: Int) { remaining = LockedValue(count) }
    func leave() { remaining.withLock { $0 -= 1 } }
    func wait(seconds: Int) -> Bool {
        for _ in 0..<(seconds * 100) {
            if remaining.withLock({ $0 }) == 0 { return true }
            usleep(10_000)
        }
        return false
    }
}
