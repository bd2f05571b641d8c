import Glibc
import LinuxSystem

/// Reads several pipes with poll(2), keeping at most `limit` bytes of each.
struct OutputCapture {
    var fds: [Int32]
    var open: [Bool]
    var output: [[UInt8]]
    var truncated = false
    let limit: Int

    init(fds: [Int32], limit: Int) {
        self.fds = fds
        self.open = fds.map { _ in true }
        self.output = fds.map { _ in [] }
        self.limit = limit
    }

    var allClosed: Bool { !open.contains(true) }

    mutating func poll(timeoutMs: Int32) {
        var pollfds = fds.enumerated().map { i, fd in pollfd(fd: open[i] ? fd : -1, events: Int16(POLLIN), revents: 0) }
        let ready = Glibc.poll(&pollfds, nfds_t(pollfds.count), timeoutMs)
        guard ready > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 16384)
        for i in pollfds.indices where open[i] && pollfds[i].revents != 0 {
            let n: Int
            do {
                n = try readSome(fds[i], into: &chunk)
            } catch {
                if error.errno == EAGAIN { continue }
                n = -1
            }
            if n <= 0 {
                open[i] = false
                continue
            }
            let room = limit - output[i].count
            if room > 0 { output[i].append(contentsOf: chunk[0..<min(n, room)]) }
            if n > room { truncated = true }
        }
    }
}
