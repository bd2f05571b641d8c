import Foundation
import Glibc
import Testing

/// The wall clock (`CLOCK_REALTIME`, which no namespace virtualises) stepped an hour forward and back
/// under the running agent: every deadline and period in the agent is on the monotonic clock, so
/// heartbeats keep their pace, requests and uploads go on, and nothing restarts. Only the audit
/// records' `time` follows the wall clock; their chain does not depend on it.
///
/// The machine's clock is put back in every case (`defer`), from the monotonic clock's elapsed time;
/// it never goes earlier than the true time. `scripts/test.sh` runs this suite alone, after the
/// other suites and its background stages, so no other test (nor fuzzing) sees the step.
@Suite("Clock jumps", .serialized, .timeLimit(.minutes(4)))
struct ClockJumpTests {
    /// Receives heartbeats on 127.0.0.1 PORT for SECONDS of monotonic time; one JSON line per datagram:
    /// its monotonic arrival time, whether its HMAC verifies with KEY, and its sequence number.
    static let receiver = """
        import hashlib, hmac, json, select, socket, sys, time, zlib
        seconds, key, port = float(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", port))
        print("ready", flush=True)
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([s], [], [], left)
            if ready:
                data, _ = s.recvfrom(65535)
                ok = hmac.compare_digest(data[-64:], hmac.new(key, data[:-64], hashlib.sha256).hexdigest().encode())
                print(json.dumps({"t": time.monotonic(), "ok": ok, "seq": json.loads(zlib.decompress(data[:-64]))["seq"]}), flush=True)
        """

    /// One heartbeat as the receiver saw it.
    struct Beat {
        var time: Double
        var verified: Bool
        var seq: Int
    }

    /// Steps `CLOCK_REALTIME` and puts it back to the true time, which it keeps as the wall clock at
    /// creation plus the monotonic time elapsed since.
    final class WallClockStepper {
        let wallAtStart = WallClockStepper.read(CLOCK_REALTIME)
        let monotonicAtStart = WallClockStepper.read(CLOCK_MONOTONIC)

        static func read(_ clock: clockid_t) -> Double {
            var ts = timespec()
            clock_gettime(clock, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }

        /// Sets the wall clock to the true time plus `offset` seconds.
        func set(offset: Double) throws {
            let target = wallAtStart + (Self.read(CLOCK_MONOTONIC) - monotonicAtStart) + offset
            var ts = timespec(tv_sec: Int(target), tv_nsec: Int((target - target.rounded(.down)) * 1e9))
            guard clock_settime(CLOCK_REALTIME, &ts) == 0 else { throw HarnessError("clock_settime: errno \(errno)") }
        }

        /// Puts the wall clock back to the true time.
        func restore() { try? set(offset: 0) }
    }

    @Test("the wall clock stepped an hour forward and back: heartbeats keep their pace, requests and uploads go on, nothing restarts, the audit log verifies")
    func wallClockSteps() throws {
        let port = try HeartbeatTests.udpPort()
        let netns = try TestNamespace()
        let agent = try HeartbeatTests.agent(in: netns, controllers: "127.0.0.1:\(port)")
        defer { withExtendedLifetime(netns) {} }  // removed only after the agent stopped
        try agent.start()
        defer { agent.stop() }
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        let front = try #require(agent.pid(of: "amphora-front"))

        let phaseSeconds = 8.0
        let receiver = Process()
        let output = Pipe()
        receiver.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        receiver.arguments = ["-c", Self.receiver, String(3 * phaseSeconds + 1), "k1", String(port)]
        receiver.standardOutput = output
        try receiver.run()
        defer {
            if receiver.isRunning { kill(receiver.processIdentifier, SIGKILL) }
            receiver.waitUntilExit()
        }
        let lines = LineReader(output.fileHandleForReading)
        #expect(lines.next() == "ready")

        let clock = WallClockStepper()
        defer { clock.restore() }
        let lb = HAProxyLifecycleTests.uuid(), member = HAProxyLifecycleTests.uuid()
        let pool = "\(HAProxyLifecycleTests.uuid()):\(lb)"
        /// Uploads and reloads a configuration, then reads the listener's status: the calls that
        /// wait on haproxy and on the helper's deadlines.
        func exercise(_ marker: String) throws {
            let config = HAProxyLifecycleTests.config(listener: lb, pool: pool, member: member, marker: marker)
            #expect(try agent.request("GET", "/1.0/info").status == 200)
            #expect(try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(config.utf8)).status == 202)
            #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
            #expect(waitUntil(15) { (try? agent.request("GET", "/1.0/listeners"))?.text.contains(lb) ?? false })
            #expect(try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy").text.contains("# \(marker)"))
        }

        let start = WallClockStepper.read(CLOCK_MONOTONIC)
        try exercise("before")
        Thread.sleep(forTimeInterval: phaseSeconds - (WallClockStepper.read(CLOCK_MONOTONIC) - start))
        let forward = WallClockStepper.read(CLOCK_MONOTONIC)
        try clock.set(offset: 3600)
        try exercise("an-hour-ahead")
        Thread.sleep(forTimeInterval: phaseSeconds - (WallClockStepper.read(CLOCK_MONOTONIC) - forward))
        let back = WallClockStepper.read(CLOCK_MONOTONIC)
        clock.restore()
        try exercise("back")
        receiver.waitUntilExit()

        let beats = lines.remaining().compactMap { line -> Beat? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let time = object["t"] as? Double, let seq = object["seq"] as? Int
            else { return nil }
            return Beat(time: time, verified: object["ok"] as? Bool ?? false, seq: seq)
        }
        let phases = [
            ("before", beats.filter { $0.time < forward }), ("an hour ahead", beats.filter { $0.time >= forward && $0.time < back }),
            ("back", beats.filter { $0.time >= back }),
        ]
        for (name, inPhase) in phases {
            // About one a second (heartbeat_interval = 1): neither stalled nor a burst of missed ones.
            #expect((3...Int(phaseSeconds) + 3).contains(inPhase.count), "\(name): \(inPhase.count) heartbeats in \(phaseSeconds) s")
        }
        #expect(beats.allSatisfy { $0.verified }, "every HMAC verifies with heartbeat_key")
        for (a, b) in zip(beats, beats.dropFirst()) { #expect(b.seq == a.seq + 1, "consecutive sequence numbers: \(a.seq) then \(b.seq)") }
        #expect(agent.pid(of: "amphora-helper serve") == helper, "the helper was restarted")
        #expect(agent.pid(of: "amphora-front") == front, "the front was restarted")

        #expect(agent.stop() == 0)
        let helperBinary = AgentHarness.binDirectory + "/amphora-helper"
        let verified = try Shell.run(helperBinary, ["audit-verify", "--key", agent.auditLog + ".seed", agent.directory + "/audit"], check: false)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        // The records of the middle phase carry the stepped wall clock: the step really happened under the agent.
        let shown = try Shell.run(helperBinary, ["audit-show", "--json", agent.directory + "/audit"], check: false).stdout
        let times = shown.split(separator: "\n").compactMap { line -> Double? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let text = object["time"] as? String
            else { return nil }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return (formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text))?.timeIntervalSince1970
        }
        #expect(times.contains { $0 > clock.wallAtStart + 3000 }, "no audit record written an hour ahead")
    }

    /// Reads a pipe line by line: the first lines while the writer runs, the rest once it has ended.
    final class LineReader {
        let handle: FileHandle
        var buffer = Data()

        init(_ handle: FileHandle) { self.handle = handle }

        /// The next line, waiting for it; nil at end of file.
        func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer = Data(buffer[buffer.index(after: newline)...])
                    return line
                }
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }

        /// Every line left until end of file.
        func remaining() -> [String] {
            var lines: [String] = []
            while let line = next() { lines.append(line) }
            return lines
        }
    }
}
