import CLinuxShim
import Glibc
import LinuxSystem

/// Where the helper and the front write: a pipe the supervisor drains into its own stderr, never
/// the operator's terminal. A child holding a terminal descriptor could push input into the
/// operator's shell (TIOCSTI) or change the terminal's settings; through the pipe its log lines
/// still reach the operator, byte for byte, but the terminal stays with the supervisor.
///
/// A dedicated thread (all signals blocked, like the supervisor's) copies the pipe to fd 2, so a
/// child never blocks on a full pipe while the supervisor waits for something else.
struct ChildOutput {
    /// The write end, given to children as their stdout and stderr (close-on-exec in the supervisor).
    let writeFD: Int32

    /// Creates the pipe and starts the forwarding thread; or the reason it could not.
    static func start() -> Result<ChildOutput, ChildOutputError> {
        var fds: [Int32] = [-1, -1]
        guard cshim_pipe2_cloexec(&fds) == 0 else { return .failure(ChildOutputError("pipe: \(String(cString: strerror(errno)))")) }
        var thread = pthread_t()
        // The read end travels as the thread argument (offset by one: a null pointer is no argument).
        let argument = UnsafeMutableRawPointer(bitPattern: Int(fds[0]) + 1)
        let created = pthread_create(&thread, nil, { argument in
            let fd = Int32(Int(bitPattern: argument) - 1)
            ChildOutput.forward(from: fd)
            return nil
        }, argument)
        guard created == 0 else {
            close(fds[0])
            close(fds[1])
            return .failure(ChildOutputError("pthread_create: \(String(cString: strerror(created)))"))
        }
        pthread_detach(thread)
        return .success(ChildOutput(writeFD: fds[1]))
    }

    /// Copies everything read from `fd` to fd 2 until the pipe has no writer left. What fd 2 does
    /// not take (a closed reader: EPIPE, with SIGPIPE blocked in this thread) is dropped, and the
    /// pipe is still drained, so that a child never blocks on its log.
    static func forward(from fd: Int32) {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while let n = try? readSome(fd, into: &buffer), n > 0 {
            buffer.withUnsafeBytes { bytes in _ = try? writeAll(2, UnsafeRawBufferPointer(rebasing: bytes[0..<n])) }
        }
        close(fd)
    }
}

/// Why the children's output pipe could not be set up.
struct ChildOutputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
