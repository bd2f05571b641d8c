import Foundation
import IPCProtocol
import NIOPosix
import Testing

@testable import FrontAPI

/// The front's helper connection pool across helper restarts, against a scripted stand-in for the
/// helper's socket (a seam test: the real helper restarts in Tests/IntegrationTests/HelperRestartTests).
/// The stand-in plays each accepted connection by a script: answer every command, or read one
/// command and close without answering (a helper that died while carrying it out).
@Suite("Helper client across helper restarts", .serialized)
struct HelperClientRestartTests {
    /// What the stand-in does with one accepted connection.
    enum Script {
        /// Answers every command until the client closes.
        case answer
        /// Answers `count` commands, then closes (a helper that exits between commands).
        case answerThenClose(Int)
        /// Reads one whole command, then closes without answering.
        case dieAfterReading
        /// Waits for a command to arrive and closes without reading it (a helper killed just then).
        case dieBeforeReading
    }

    /// A Unix-socket stand-in for the helper; records every command it read whole.
    final class FakeHelper: @unchecked Sendable {
        let path: String
        private let lock = NSLock()
        private var received: [String] = []
        private var listener: Int32 = -1
        private var thread: Thread?

        var commands: [String] { lock.withLock { received } }

        init() {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("fh-\(UUID().uuidString.prefix(8)).sock").path
        }

        /// A stand-in already serving by `scripts` (see `start`).
        static func started(_ scripts: [Script]) throws -> FakeHelper {
            let helper = FakeHelper()
            try helper.start(scripts)
            return helper
        }

        /// Binds and serves connections by `scripts`, in order (the last one repeats).
        func start(_ scripts: [Script]) throws {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                let bytes = Array(path.utf8)
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0, listen(fd, 8) == 0 else { throw HarnessFailure("bind \(path): errno \(errno)") }
            listener = fd
            let thread = Thread { [self] in
                var index = 0
                while true {
                    let connection = accept(fd, nil, nil)
                    if connection < 0 { return }
                    let script = scripts[min(index, scripts.count - 1)]
                    index += 1
                    Thread.detachNewThread { self.serve(connection, script) }
                }
            }
            self.thread = thread
            thread.start()
        }

        func stop() {
            if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
            unlink(path)
            // The accept loop holds this helper and this helper its thread: let go of the thread.
            thread = nil
        }

        private func serve(_ fd: Int32, _ script: Script) {
            defer { close(fd) }
            if case .dieBeforeReading = script {
                var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pending, 1, 10_000)
                return
            }
            var answered = 0
            while true {
                if case .answerThenClose(let count) = script, answered == count { return }
                guard let payload = try? Frame.readPayload(using: { buffer in
                    guard let base = buffer.baseAddress else { return 0 }
                    return max(0, recv(fd, base, buffer.count, 0))
                }), let request = try? StrictJSON.decode(RequestEnvelope.self, from: payload) else { return }
                lock.withLock { received.append(request.command.name) }
                if case .dieAfterReading = script { return }
                let reply = ReplyEnvelope(id: request.id, outcome: .ok(Self.reply(to: request.command)))
                guard let bytes = try? Frame.encode(StrictJSON.encode(reply)) else { return }
                _ = bytes.withUnsafeBytes { raw in raw.baseAddress.map { send(fd, $0, raw.count, Int32(MSG_NOSIGNAL)) } }
                answered += 1
            }
        }

        static func reply(to command: Command) -> Reply {
            switch command {
            case .haproxyAction: return .actionDone(details: "reloaded")
            default: return .instances([])
            }
        }
    }

    struct HarnessFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let reload = Command.haproxyAction(instance: try! ResourceID(validating: "11111111-2222-4333-8444-555555555555"), action: .reload)

    /// Runs `body` with a started thread pool and a client of `helper`'s socket.
    static func withClient(_ helper: FakeHelper, restartWaitSeconds: Int = 15, _ body: (HelperSocketClient) async throws -> Void) async throws {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let client = HelperSocketClient(socketPath: helper.path, threadPool: pool, restartWaitSeconds: restartWaitSeconds)
        do {
            try await body(client)
        } catch {
            try await pool.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
    }

    @Test("a pooled connection the helper closed is replaced before use; the command is sent once")
    func stalePooledConnectionIsReplaced() async throws {
        let helper = try FakeHelper.started([.answerThenClose(1), .answer])
        defer { helper.stop() }
        try await Self.withClient(helper) { client in
            _ = try await client.send(.listInstances)
            // The first connection is back in the pool; the stand-in has closed it meanwhile.
            while helper.commands.count < 1 { try await Task.sleep(nanoseconds: 10_000_000) }
            try await Task.sleep(nanoseconds: 50_000_000)
            guard case .actionDone = try await client.send(Self.reload) else { throw HarnessFailure("wrong reply") }
        }
        #expect(helper.commands == ["instance-list", "haproxy-reload"])
    }

    @Test("a command safe to repeat is sent again once when the helper dies after reading it")
    func safeCommandIsResentOnce() async throws {
        let helper = try FakeHelper.started([.dieAfterReading, .answer])
        defer { helper.stop() }
        try await Self.withClient(helper) { client in
            guard case .instances = try await client.send(.listInstances) else { throw HarnessFailure("wrong reply") }
        }
        #expect(helper.commands == ["instance-list", "instance-list"])
    }

    @Test("a command safe to repeat is not repeated a second time (a command that kills every helper)")
    func safeCommandIsResentAtMostOnce() async throws {
        let helper = try FakeHelper.started([.dieAfterReading])
        defer { helper.stop() }
        await #expect(throws: HelperInterrupted.self) {
            try await Self.withClient(helper) { client in _ = try await client.send(.listInstances) }
        }
        #expect(helper.commands == ["instance-list", "instance-list"])
    }

    @Test("an action is not sent again when the helper dies after reading it: HelperInterrupted")
    func actionIsNotResent() async throws {
        let helper = try FakeHelper.started([.dieAfterReading, .answer])
        defer { helper.stop() }
        await #expect(throws: HelperInterrupted.self) {
            try await Self.withClient(helper) { client in _ = try await client.send(Self.reload) }
        }
        #expect(helper.commands == ["haproxy-reload"])
        #expect(!Self.reload.isSafeToResend)
        #expect(Command.listInstances.isSafeToResend)
        #expect(!Command.heartbeatStats.isSafeToResend)
    }

    @Test("an action the helper closed on unread is sent again: the kernel reports ECONNRESET, so it was not carried out")
    func unreadActionIsSentAgain() async throws {
        let helper = try FakeHelper.started([.dieBeforeReading, .answer])
        defer { helper.stop() }
        try await Self.withClient(helper) { client in
            guard case .actionDone = try await client.send(Self.reload) else { throw HarnessFailure("wrong reply") }
        }
        #expect(helper.commands == ["haproxy-reload"])
    }

    @Test("a helper that is not there yet is waited for, and the command is answered")
    func absentHelperIsWaitedFor() async throws {
        let helper = FakeHelper()
        defer { helper.stop() }
        let starter = Task {
            try await Task.sleep(nanoseconds: 300_000_000)
            try helper.start([.answer])
        }
        try await Self.withClient(helper) { client in
            guard case .instances = try await client.send(.listInstances) else { throw HarnessFailure("wrong reply") }
        }
        try await starter.value
        #expect(helper.commands == ["instance-list"])
    }

    @Test("a helper that does not come back within the wait: HelperUnavailable")
    func helperThatStaysAwayIsUnavailable() async throws {
        let helper = FakeHelper()
        await #expect(throws: HelperUnavailable.self) {
            try await Self.withClient(helper, restartWaitSeconds: 1) { client in _ = try await client.send(.listInstances) }
        }
    }
}
