import CLinuxShim
import Glibc
import IPCProtocol
import LinuxSystem

/// What appending one audit record costs, measured in a scratch directory (`amphora-helper audit-bench`),
/// split into its parts so that the benchmark can say what sealing and fsync add to an upload.
///
/// Every figure is the median over `records` repetitions (robust to a stray slow fsync on a busy
/// machine), in nanoseconds per record. The records are
/// shaped like a `file-intent` (the helper's most frequent record). The directory should be on the
/// same filesystem as the real log: the fsync cost depends on it.
public struct AuditAppendCost: Sendable {
    /// The measured figures.
    public struct Figures: Sendable {
        /// Records per measurement.
        public var records: Int
        /// Mean length of a sealed record line, in bytes.
        public var bytesPerRecord: Int
        /// Serializing a record and chaining it with SHA-256 (no seal): the unsealed chain's CPU cost.
        public var chainNanoseconds: UInt64
        /// The HMAC seal of one record's hash with the epoch key.
        public var sealNanoseconds: UInt64
        /// Evolving the key and storing it (atomic replace, fsyncs, scrub): once per epoch.
        public var evolveNanoseconds: UInt64
        /// Records per epoch (``AuditLogSettings/epochRecords``), to spread ``evolveNanoseconds`` over.
        public var epochRecords: Int
        /// Appending one line without fsync.
        public var writeNanoseconds: UInt64
        /// Appending one line and fsyncing it.
        public var writeFsyncNanoseconds: UInt64
        /// ``AuditLog/record(_:_:)`` end to end: chain, seal, write, fsync, epochs.
        public var recordNanoseconds: UInt64

        /// What sealing adds to one record: the seal plus the key evolution spread over its epoch.
        public var sealingNanoseconds: UInt64 { sealNanoseconds + evolveNanoseconds / UInt64(max(epochRecords, 1)) }
        /// What the fsync adds to one record.
        public var fsyncNanoseconds: UInt64 { writeFsyncNanoseconds > writeNanoseconds ? writeFsyncNanoseconds - writeNanoseconds : 0 }

        /// One JSON object (microseconds with three decimals), for the benchmark.
        public var json: String {
            func micro(_ nanoseconds: UInt64) -> JSONValue {
                .number(String(nanoseconds / 1000) + "." + String(1000 + nanoseconds % 1000).dropFirst())
            }
            return String(decoding: JSONValue.object([
                ("records", .number(String(records))),
                ("bytes_per_record", .number(String(bytesPerRecord))),
                ("epoch_records", .number(String(epochRecords))),
                ("chain_us", micro(chainNanoseconds)),
                ("seal_us", micro(sealNanoseconds)),
                ("evolve_us", micro(evolveNanoseconds)),
                ("sealing_us", micro(sealingNanoseconds)),
                ("write_us", micro(writeNanoseconds)),
                ("write_fsync_us", micro(writeFsyncNanoseconds)),
                ("fsync_us", micro(fsyncNanoseconds)),
                ("record_us", micro(recordNanoseconds)),
            ]).serialized(), as: UTF8.self)
        }
    }

    /// Measures with `records` repetitions in `directory` (it must exist; the files made are removed).
    public static func measure(records: Int, directory path: String) throws(SystemError) -> Figures {
        let count = max(records, 1)
        let directory = try SafeDirectory.open(path, create: false)
        let scratch = "audit-bench-\(getpid())"
        let fields = sampleFields()
        let key = AuditSealKey.generate()
        let settings = AuditLogSettings()

        // The unsealed chain: serialize, hash, append the hash member (what a plain SHA-256 chain does).
        var previous = AuditRecord.genesisHash
        var lines: [[UInt8]] = []
        lines.reserveCapacity(count)
        var samples: [UInt64] = []
        for sequence in 1...count {
            let started = monotonicNanoseconds()
            var body = JSONValue.object(header(sequence: sequence, previous: previous, epoch: key.epoch) + fields).serialized()
            let hash = Digest.sha256Hex(body)
            body.removeLast()
            body += AuditRecord.hashMemberPrefix + Array(hash.utf8) + Array("\"}\n".utf8)
            samples.append(monotonicNanoseconds() - started)
            lines.append(body)
            previous = hash
        }
        let chain = median(samples)

        // The seal alone, on the hashes a chain makes.
        samples = []
        for hash in lines.map({ Digest.sha256Hex($0) }) {
            let started = monotonicNanoseconds()
            _ = key.seal(hash)
            samples.append(monotonicNanoseconds() - started)
        }
        let seal = median(samples)

        // Key evolution with its atomic store (a few rounds: it fsyncs).
        let store = AuditSealKeyStore(directory: directory, logName: scratch)
        let evolutions = min(count, 20)
        samples = []
        for _ in 0..<evolutions {
            let started = monotonicNanoseconds()
            key.evolve()
            try store.save(key)
            samples.append(monotonicNanoseconds() - started)
        }
        let evolve = median(samples)
        _ = try? directory.remove(store.name)

        // Appending sealed-size lines, without and with fsync.
        let padding = Array(repeating: UInt8(ascii: " "), count: AuditRecord.sealedSuffixLength - AuditRecord.unsealedSuffixLength)
        let sealedLines = lines.map { Array($0.dropLast()) + padding + [UInt8(ascii: "\n")] }
        let write = try timedAppend(sealedLines, directory: directory, name: scratch + ".plain", fsyncEach: false)
        let writeFsync = try timedAppend(sealedLines, directory: directory, name: scratch + ".synced", fsyncEach: true)

        // The real thing.
        let logName = scratch + ".jsonl"
        let log = try AuditLog(path: directory.path + "/" + logName, settings: settings)
        let sizeBefore = try fileSize(directory: directory, name: logName)
        samples = []
        for _ in 0..<count {
            let started = monotonicNanoseconds()
            try log.record("file-intent", fields)
            samples.append(monotonicNanoseconds() - started)
        }
        let record = median(samples)
        let bytes = (try fileSize(directory: directory, name: logName) - sizeBefore) / Int64(count)
        for name in [logName, logName + ".seal", logName + ".seed"] { _ = try? directory.remove(name) }

        return Figures(
            records: count, bytesPerRecord: Int(bytes), chainNanoseconds: chain, sealNanoseconds: seal, evolveNanoseconds: evolve,
            epochRecords: settings.epochRecords, writeNanoseconds: write, writeFsyncNanoseconds: writeFsync, recordNanoseconds: record)
    }

    /// The members every record starts with.
    static func header(sequence: Int, previous: String, epoch: UInt64) -> [(String, JSONValue)] {
        [
            ("seq", .number(String(sequence))), ("time", .string(utcTimestamp())), ("prev", .string(previous)),
            ("epoch", .number(String(epoch))), ("event", .string("file-intent")),
        ]
    }

    /// Members shaped like a file intent's (origin, request, action, target, content digest).
    static func sampleFields() -> [(String, JSONValue)] {
        [
            ("origin", .string("front")), ("command", .string("uploadHAProxyConfig")),
            ("request_id", .string("req-00000000-0000-4000-8000-000000000000")),
            ("method", .string("PUT")), ("path", .string("/1.0/loadbalancer/00000000-0000-4000-8000-000000000000/haproxy")),
            ("client_cert_sha256", .string(String(repeating: "c", count: 64))),
            ("action", .string("write")), ("target", .string("/var/lib/octavia/00000000-0000-4000-8000-000000000000/haproxy.cfg")),
            ("content_sha256", .string(String(repeating: "a", count: 64))), ("bytes", .number("4096")),
        ]
    }

    /// The middle value (the upper one of an even count); 0 for none.
    static func median(_ samples: [UInt64]) -> UInt64 {
        samples.isEmpty ? 0 : samples.sorted()[samples.count / 2]
    }

    /// Median time to append each line to a new file `name` (removed after), fsyncing each when asked.
    static func timedAppend(_ lines: [[UInt8]], directory: SafeDirectory, name: String, fsyncEach: Bool) throws(SystemError) -> UInt64 {
        let fd = try retryingSyscall("open", subject: name) {
            cshim_open_beneath(directory.fd, name, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        defer {
            close(fd)
            _ = try? directory.remove(name)
        }
        var samples: [UInt64] = []
        for line in lines {
            let started = monotonicNanoseconds()
            try writeAll(fd, line)
            if fsyncEach { try retryingSyscall("fsync", subject: name) { fsync(fd) } }
            samples.append(monotonicNanoseconds() - started)
        }
        return median(samples)
    }

    static func fileSize(directory: SafeDirectory, name: String) throws(SystemError) -> Int64 {
        var status = stat()
        try retryingSyscall("fstatat", subject: name) { fstatat(directory.fd, name, &status, AT_SYMLINK_NOFOLLOW) }
        return Int64(status.st_size)
    }
}
