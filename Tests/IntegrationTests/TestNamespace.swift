import Foundation
import Testing

/// A network namespace a test creates (loopback up) and removes again, with helpers to run
/// programs inside it. Processes it starts are ended by pid when it goes away.
final class TestNamespace: @unchecked Sendable {
    let name: String
    private var background: [Process] = []

    init() throws {
        name = "amp-it-" + String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8))
        try Shell.run("/usr/sbin/ip", ["netns", "add", name])
        try Shell.run("/usr/sbin/ip", ["-n", name, "link", "set", "dev", "lo", "up"])
    }

    deinit {
        for process in background where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        _ = try? Shell.run("/usr/sbin/ip", ["netns", "delete", name], check: false)
    }

    /// Runs a program inside the namespace and waits for it.
    @discardableResult
    func run(_ arguments: [String], input: Data? = nil, check: Bool = true) throws -> Shell.Result {
        try Shell.run("/usr/sbin/ip", ["netns", "exec", name] + arguments, input: input, check: check)
    }

    /// Starts a program inside the namespace in the background; it is killed when the namespace goes.
    @discardableResult
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", name] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        background.append(process)
        return process
    }

    /// A tiny HTTP backend answering `body` on `address`:`port` inside the namespace (loopback
    /// unless a test needs it reachable from outside, "0.0.0.0").
    @discardableResult
    func startBackend(port: Int, body: String, address: String = "127.0.0.1") throws -> Process {
        let script = """
            import http.server, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    b = sys.argv[2].encode()
                    self.send_response(200); self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
                def log_message(self, *a): pass
            http.server.ThreadingHTTPServer((sys.argv[3], int(sys.argv[1])), H).serve_forever()
            """
        let process = try start(["/usr/bin/python3", "-c", script, String(port), body, address])
        // Wait until it answers.
        for _ in 0..<50 {
            if let r = try? run(["/usr/bin/curl", "-s", "--max-time", "1", "http://127.0.0.1:\(port)/"], check: false), r.status == 0 {
                return process
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw HarnessError("backend on port \(port) did not start")
    }

    /// One HTTP GET from inside the namespace; nil if it failed.
    func get(_ url: String) -> String? {
        guard let r = try? run(["/usr/bin/curl", "-s", "-f", "--max-time", "3", url], check: false), r.status == 0 else { return nil }
        return r.stdout
    }

    /// Creates a veth pair: `rootName` (with `rootMAC`) stays in the root namespace as a "newly attached
    /// port"; its peer moves into this namespace with `peerAddress` (CIDR form) and is brought up.
    /// Deleting this namespace removes both ends, wherever the root end has moved since.
    func addPort(rootName: String, rootMAC: String, peerName: String, peerAddress: String?) throws {
        try Shell.run("/usr/sbin/ip", ["link", "add", rootName, "address", rootMAC, "type", "veth", "peer", "name", peerName])
        try Shell.run("/usr/sbin/ip", ["link", "set", peerName, "netns", name])
        if let peerAddress { try Shell.run("/usr/sbin/ip", ["-n", name, "addr", "add", peerAddress, "dev", peerName]) }
        try Shell.run("/usr/sbin/ip", ["-n", name, "link", "set", peerName, "up"])
    }

    /// `ip -n NS -j ARGS` parsed.
    func json(_ arguments: [String]) throws -> Any {
        let r = try Shell.run("/usr/sbin/ip", ["-n", name, "-j"] + arguments)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    /// Stops a background process by pid (SIGKILL: the test runner's children may inherit SIGTERM ignored).
    func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
