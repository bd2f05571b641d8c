import Glibc
import IPCProtocol
import LinuxSystem

/// Reading audit log files without holding them in memory: line by line from the start (in chunks),
/// the last complete line from the end, and the set of files a rotated log consists of.
///
/// A log `audit.jsonl` rotates into `audit.jsonl.<last sequence, 20 digits>`; the set is the rotated
/// files in sequence order followed by the current file.
public enum AuditLogFile {
    /// Bytes read at a time.
    static let chunkSize = 1 << 16
    /// Longer lines are not records (the helper's largest are far smaller); they are reported, not read.
    public static let maximumLineLength = 4 << 20

    /// One line as the reader hands it over.
    public enum Line {
        /// A line that ended with a newline (without it).
        case complete([UInt8])
        /// The file's last bytes, after its last newline (a write cut short by a crash).
        case unterminated([UInt8])
        /// A line longer than ``maximumLineLength`` (skipped).
        case tooLong
    }

    /// Calls `body` with every line of `path` and its 1-based number, until it returns false.
    /// Memory: one chunk and one line.
    public static func forEachLine(_ path: String, _ body: (Line, Int) -> Bool) throws(SystemError) {
        let fd = try retryingSyscall("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) }
        defer { close(fd) }
        try forEachLine(fd: fd, subject: path, body)
    }

    /// ``forEachLine(_:_:)`` on an open file, from its start (positioned reads: the descriptor's
    /// offset is left alone).
    public static func forEachLine(fd: Int32, subject: String, _ body: (Line, Int) -> Bool) throws(SystemError) {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var pending: [UInt8] = []
        var skipping = false
        var number = 0
        var offset: Int64 = 0
        while true {
            let position = offset
            let count = try retryingSyscall("pread", subject: subject) {
                chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            }
            if count == 0 { break }
            offset += Int64(count)
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                number += 1
                if skipping {
                    skipping = false
                    pending.removeAll(keepingCapacity: true)
                    if !body(.tooLong, number) { return }
                } else {
                    pending += chunk[start..<index]
                    let line = pending
                    pending.removeAll(keepingCapacity: true)
                    if line.count > maximumLineLength {
                        if !body(.tooLong, number) { return }
                    } else if !body(.complete(line), number) {
                        return
                    }
                }
                start = index + 1
            }
            if !skipping {
                pending += chunk[start..<count]
                if pending.count > maximumLineLength {
                    skipping = true
                    pending.removeAll()
                }
            }
        }
        if skipping {
            _ = body(.tooLong, number + 1)
        } else if !pending.isEmpty {
            _ = body(.unterminated(pending), number + 1)
        }
    }

    /// The end of a file: its last complete line (nil when it has none) and where the complete
    /// lines end (the size, or less when the file ends in an unterminated line).
    public struct Tail {
        public var lastLine: [UInt8]?
        public var completeLength: Int64
        public var size: Int64
    }

    /// Reads ``Tail`` of the open file `fd` of `size` bytes, from its end backwards (at most one line
    /// plus one chunk are read).
    public static func tail(_ fd: Int32, size: Int64, subject: String) throws(SystemError) -> Tail {
        guard size > 0 else { return Tail(lastLine: nil, completeLength: 0, size: 0) }
        guard let lastNewline = try findNewline(fd, before: size, limit: Int64(maximumLineLength) + 1, subject: subject) else {
            // No newline within one line's length of the end: either one unterminated line, or garbage.
            let length = try findNewline(fd, before: size, limit: size, subject: subject).map { $0 + 1 } ?? 0
            return Tail(lastLine: nil, completeLength: length, size: size)
        }
        let completeLength = lastNewline + 1
        let lineStart = (try findNewline(fd, before: lastNewline, limit: Int64(maximumLineLength) + 1, subject: subject).map { $0 + 1 })
            ?? (lastNewline <= Int64(maximumLineLength) ? 0 : lastNewline)
        let line = try readRange(fd, from: lineStart, to: lastNewline, subject: subject)
        return Tail(lastLine: line, completeLength: completeLength, size: size)
    }

    /// The offset of the last newline before `end`, looking back at most `limit` bytes.
    static func findNewline(_ fd: Int32, before end: Int64, limit: Int64, subject: String) throws(SystemError) -> Int64? {
        var position = end
        let floor = max(0, end - limit)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while position > floor {
            let start = max(floor, position - Int64(chunkSize))
            let length = Int(position - start)
            let read = try retryingSyscall("pread", subject: subject) {
                chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(start)) }
            }
            guard read == length else { throw SystemError("pread", errno: EIO, subject: subject) }
            if let index = chunk[0..<length].lastIndex(of: UInt8(ascii: "\n")) { return start + Int64(index) }
            position = start
        }
        return nil
    }

    static func readRange(_ fd: Int32, from start: Int64, to end: Int64, subject: String) throws(SystemError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(end - start))
        var done = 0
        while done < out.count {
            let count = out.count - done
            let offset = start + Int64(done)
            let read = try retryingSyscall("pread", subject: subject) {
                out.withUnsafeMutableBytes { raw in raw.baseAddress.map { pread(fd, $0 + done, count, off_t(offset)) } ?? -1 }
            }
            guard read > 0 else { throw SystemError("pread", errno: EIO, subject: subject) }
            done += read
        }
        return out
    }

    /// The name a rotated file gets: `<log name>.<last sequence, 20 digits>`.
    public static func rotatedName(logName: String, lastSequence: UInt64) -> String {
        let digits = String(lastSequence)
        return logName + "." + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The last sequence a rotated file's name says, or nil when `name` is not one of `logName`'s.
    public static func rotatedSequence(_ name: String, logName: String) -> UInt64? {
        guard name.hasPrefix(logName + "."), name.utf8.count == logName.utf8.count + 21 else { return nil }
        let suffix = name.utf8.dropFirst(logName.utf8.count + 1)
        guard suffix.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return UInt64(String(decoding: suffix, as: UTF8.self))
    }

    /// The rotated files of `logName` in `names`, oldest first.
    public static func rotatedFiles(_ names: [String], logName: String) -> [String] {
        names.compactMap { name in rotatedSequence(name, logName: logName).map { (name, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The files to read for `arguments`, in order: a directory stands for its log set (the rotated
    /// files of its one `*.jsonl` log, oldest first, then the current file); a file stands for itself.
    public static func expand(_ arguments: [String]) throws(SystemError) -> [String] {
        var files: [String] = []
        for argument in arguments {
            var status = stat()
            guard stat(argument, &status) == 0 else { throw SystemError("stat", subject: argument) }
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                files.append(argument)
                continue
            }
            let names = try SafeDirectory.open(argument, create: false).entries()
            let logs = Set(names.filter { $0.hasSuffix(".jsonl") } + names.compactMap { name in
                guard let dot = name.lastIndex(of: "."), rotatedSequence(name, logName: String(name[..<dot])) != nil else { return nil }
                return String(name[..<dot])
            })
            guard logs.count == 1, let logName = logs.first else {
                throw SystemError("find log", errno: logs.isEmpty ? ENOENT : EEXIST, subject: "\(argument) (\(logs.count) logs; name the files)")
            }
            let directory = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            files += rotatedFiles(names, logName: logName).map { directory + "/" + $0 }
            if names.contains(logName) { files.append(directory + "/" + logName) }
        }
        return files
    }
}
