import CLinuxShim
import Glibc
import LinuxSystem
import PrometheusTranslation

/// Upstream's prometheus-proxy (octavia/cmd/prometheus_proxy.py): an HTTP server on 127.0.0.1:9102 in
/// the amphora namespace, where the backend `prometheus-exporter-internal` of Octavia's haproxy
/// template sends a PROMETHEUS listener's requests. Every GET scrapes haproxy's own exporter
/// (`http://127.0.0.1:9101/metrics`, the template's `prometheus-exporter-internal-endpoint`) and
/// answers the host's CPU and memory gauges followed by the exporter's metrics translated to Octavia's
/// names (``PrometheusTranslator``); an exporter that cannot be read gets 502, as upstream's.
///
/// One request at a time, with timeouts (haproxy's backend gives up after 5 s of silence anyway). The
/// answer is streamed line by line (upstream buffers it), so a load balancer with thousands of members
/// costs no more memory than a small one; a failure after the first line ends the answer early.
public struct MetricsProxyServer {
    public var listenHost = "127.0.0.1"
    public var listenPort: UInt16 = 9102
    public var exporterHost = "127.0.0.1"
    public var exporterPort: UInt16 = 9101
    /// Seconds without progress after which a client or the exporter is given up.
    public var timeoutSeconds = 10
    /// Where the host's load average and memory come from (tests substitute their own).
    public var hostUtilization: @Sendable () throws -> String = MetricsProxyServer.readHostUtilization

    /// Longest request head read from a client, and longest exporter head or line accepted.
    static let headLimit = 16 * 1024
    static let lineLimit = 1 << 20

    let translator = PrometheusTranslator()

    public init() {}

    /// Binds (retrying every second until it can, as upstream waits for its namespace) and serves forever.
    public func run(log: (String) -> Void) -> Never {
        var reported = false
        while true {
            do {
                let listener = try LoopbackSocket.listening(listenHost, listenPort)
                log("serving on \(listenHost):\(listenPort), translating http://\(exporterHost):\(exporterPort)/metrics")
                // The start's code is not needed again; what serving runs is mapped again, laid out together (linker/).
                ResidentPages.unmapCode()
                serve(listener, log: log)
            } catch {
                if !reported { log("cannot listen yet (\(error)); retrying every second") }
                reported = true
                sleep(1)
            }
        }
    }

    /// Accepts and answers connections on `listener` one at a time.
    public func serve(_ listener: Int32, log: (String) -> Void) -> Never {
        while true {
            let client = cshim_accept_cloexec(listener)
            if client < 0 {
                // EINTR, ECONNABORTED, or descriptors exhausted for a moment: try again shortly.
                if errno != EINTR && errno != ECONNABORTED { usleep(100_000) }
                continue
            }
            LoopbackSocket.setTimeouts(client, seconds: timeoutSeconds)
            answer(client, log: log)
            // Half-close and drain what the client still sends, so closing does not reset our answer.
            shutdown(client, Int32(SHUT_WR))
            LoopbackSocket.setTimeouts(client, seconds: 1)
            var scratch = [UInt8](repeating: 0, count: 4096)
            for _ in 0..<16 where ((try? readSome(client, into: &scratch)) ?? 0) > 0 {}
            close(client)
        }
    }

    /// Reads one request from `client` and answers it.
    func answer(_ client: Int32, log: (String) -> Void) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ExporterResponseHead.end(in: request[...]) == nil {
            guard request.count < Self.headLimit, let n = try? readSome(client, into: &buffer), n > 0 else { return }
            request.append(contentsOf: buffer[0..<n])
        }
        let method = request.prefix { $0 != UInt8(ascii: " ") }
        guard method.elementsEqual("GET".utf8) else {
            try? sendAll(client, Array("HTTP/1.1 501 Unsupported method\r\nconnection: close\r\ncontent-length: 0\r\n\r\n".utf8))
            return
        }
        do {
            try proxyMetrics(to: client)
        } catch let failure as ScrapeFailure {
            log("scrape of http://\(exporterHost):\(exporterPort)/metrics failed: \(failure.description)")
            try? sendAll(client, Array("HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n".utf8))
        } catch {
            log("answer ended early: \(error)")
        }
    }

    /// Why the exporter's metrics could not be fetched (the client gets 502).
    struct ScrapeFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Scrapes the exporter and streams the translated answer to `client`.
    func proxyMetrics(to client: Int32) throws {
        let utilization: String
        do { utilization = try hostUtilization() } catch { throw ScrapeFailure(description: "host utilization: \(error)") }
        let exporter: Int32
        do {
            exporter = try LoopbackSocket.connected(exporterHost, exporterPort, timeoutSeconds: timeoutSeconds)
        } catch {
            throw ScrapeFailure(description: "\(error)")
        }
        defer { close(exporter) }
        let request = "GET /metrics HTTP/1.1\r\nHost: \(exporterHost):\(exporterPort)\r\nConnection: close\r\n\r\n"
        do { try sendAll(exporter, Array(request.utf8)) } catch { throw ScrapeFailure(description: "\(error)") }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: (head: Range<Int>, bodyStart: Int)?
        while headEnd == nil {
            guard received.count < Self.headLimit else { throw ScrapeFailure(description: "response head too long") }
            let n: Int
            do { n = try readSome(exporter, into: &buffer) } catch { throw ScrapeFailure(description: "\(error)") }
            guard n > 0 else { throw ScrapeFailure(description: "connection closed before the response head") }
            received.append(contentsOf: buffer[0..<n])
            headEnd = ExporterResponseHead.end(in: received[...])
        }
        guard let headEnd else { throw ScrapeFailure(description: "no response head") }
        let head: ExporterResponseHead
        do { head = try ExporterResponseHead(parsing: received[headEnd.head]) } catch { throw ScrapeFailure(description: "\(error)") }
        guard head.status == 200 else { throw ScrapeFailure(description: "status \(head.status)") }

        // From here on the client has its 200: a failure can only end the answer early.
        do {
            var output = MetricsStreamWriter(fd: client)
            try output.write(Array(
                ("HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/plain; version=0.0.4\r\nconnection: close\r\n\r\n"
                    + utilization).utf8)[...])
            var body = ExporterBodyReader(framing: head.framing)
            var splitter = LineSplitter()
            var decoded: [UInt8] = []
            func translate(_ bytes: ArraySlice<UInt8>) throws {
                try splitter.feed(bytes) { line in
                    if let translated = translator.translate(line: line) { try output.write(translated[...]) }
                }
                if splitter.pendingCount > Self.lineLimit { throw StreamEnded(description: "a line longer than \(Self.lineLimit) bytes") }
            }
            try body.decode(received[headEnd.bodyStart...], into: &decoded)
            try translate(decoded[...])
            while !body.isFinished {
                let n = try readSome(exporter, into: &buffer)
                if n == 0 {
                    guard body.endsAtClose else { throw StreamEnded(description: "the exporter closed mid-body") }
                    break
                }
                decoded.removeAll(keepingCapacity: true)
                try body.decode(buffer[0..<n], into: &decoded)
                try translate(decoded[...])
            }
            try splitter.finish { line in
                if let translated = translator.translate(line: line) { try output.write(translated[...]) }
            }
            try output.flush()
        } catch let ended as StreamEnded {
            throw ended
        } catch {
            throw StreamEnded(description: "\(error)")
        }
    }

    /// Why an answer already begun ended early.
    struct StreamEnded: Error, CustomStringConvertible {
        let description: String
    }

    /// The CPU and memory gauges of this host, from the load average and /proc/meminfo.
    public static func readHostUtilization() throws -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) >= 1 else { throw SystemError("getloadavg", subject: "/proc/loadavg") }
        let meminfo = String(decoding: try readFile("/proc/meminfo"), as: UTF8.self)
        guard let memory = HostUtilization.memoryPercent(meminfo: meminfo) else {
            throw SystemError("read", errno: EINVAL, subject: "/proc/meminfo (no MemTotal or MemAvailable)")
        }
        return HostUtilization.cpuLines(loadAverage: loads[0], cpuCount: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            + HostUtilization.memoryLines(percent: memory)
    }
}

/// Collects output and sends it in pieces: large enough to be cheap, small enough that haproxy hears
/// from us well within its backend's 5 s `timeout server` while a large answer is being translated.
struct MetricsStreamWriter {
    let fd: Int32
    private var pending: [UInt8] = []
    static let flushSize = 16 * 1024

    init(fd: Int32) { self.fd = fd }

    mutating func write(_ bytes: ArraySlice<UInt8>) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.flushSize { try flush() }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try sendAll(fd, pending)
        pending.removeAll(keepingCapacity: true)
    }
}
