import Glibc
import IPCProtocol
import LinuxSystem
import Synchronization

/// The helper's append-only, hash-chained audit log (JSON lines).
///
/// Each line is a JSON object whose first members are `seq`, `time` and `prev` (the `hash` of the
/// record before it, 64 zeros for the first) and whose last member is `hash`: the SHA-256 of the line's
/// text up to that member, closed with `}`. Editing any record breaks its own hash; rewriting that hash
/// breaks the next record's `prev`. Every record is fsynced before ``record(_:_:)`` returns, and a
/// failure to write is thrown so that the caller refuses the command (fail closed).
/// Never pass key material: callers log digests.
public final class AuditLog: Sendable {
    /// The chain state: how many records and the hash of the last one.
    struct ChainHead {
        var sequence: UInt64
        var lastHash: String
    }

    public static let genesisHash = String(repeating: "0", count: 64)

    private let fd: Int32
    private let head: Mutex<ChainHead>
    public let path: String

    /// Opens (creating 0600 if needed) the log at `path` and continues its chain.
    public init(path: String) throws(SystemError) {
        let fd = try retryingSyscall("open", subject: path) {
            open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        self.fd = fd
        self.path = path
        let existing = (try? readFile(path, limit: 1 << 30)) ?? []
        var head = ChainHead(sequence: 0, lastHash: Self.genesisHash)
        if !existing.isEmpty {
            // A torn last line (crash mid-write) is terminated so the chain continues after it;
            // audit-verify reports it.
            if existing.last != UInt8(ascii: "\n") { try writeAll(fd, [UInt8(ascii: "\n")]) }
            let lines = existing.split(separator: UInt8(ascii: "\n"))
            head.sequence = UInt64(lines.count)
            if let last = lines.last, let parsed = AuditLog.parseRecord(Array(last)) {
                head.lastHash = parsed.hash
            } else if let last = lines.last {
                head.lastHash = Digest.sha256Hex(last)
            }
        }
        self.head = Mutex(head)
    }

    deinit { close(fd) }

    /// Appends one record and fsyncs it. `fields` are event-specific members (strings, numbers, arrays).
    public func record(_ event: String, _ fields: [(String, JSONValue)] = []) throws(SystemError) {
        try head.withLock { head throws(SystemError) in
            let sequence = head.sequence + 1
            var members: [(String, JSONValue)] = [
                ("seq", .number(String(sequence))),
                ("time", .string(utcTimestamp())),
                ("prev", .string(head.lastHash)),
                ("event", .string(event)),
            ]
            members.append(contentsOf: fields)
            var body = JSONValue.object(members).serialized()
            let hash = Digest.sha256Hex(body)
            body.removeLast()  // the closing brace
            body.append(contentsOf: #","hash":""#.utf8)
            body.append(contentsOf: hash.utf8)
            body.append(contentsOf: "\"}\n".utf8)
            try writeAll(fd, body)
            try retryingSyscall("fsync", subject: path) { fsync(fd) }
            head.sequence = sequence
            head.lastHash = hash
        }
    }

    /// One parsed line: its sequence number, its `prev` and `hash`, and whether `hash` matches its text.
    struct ParsedRecord {
        let sequence: UInt64
        let prev: String
        let hash: String
        let hashMatches: Bool
    }

    static let hashSuffixLength = #","hash":""#.utf8.count + 64 + 2

    static func parseRecord(_ line: [UInt8]) -> ParsedRecord? {
        guard let value = try? JSONValue(parsing: line), case .object(let members) = value,
            members.count >= 5, members.last?.0 == "hash",
            case .string(let hash)? = members.last?.1, hash.utf8.count == 64,
            members[0].0 == "seq", case .number(let seqText) = members[0].1, let sequence = UInt64(seqText),
            members[2].0 == "prev", case .string(let prev) = members[2].1,
            line.count > hashSuffixLength
        else { return nil }
        var body = Array(line[0..<(line.count - hashSuffixLength)])
        body.append(UInt8(ascii: "}"))
        return ParsedRecord(sequence: sequence, prev: prev, hash: hash, hashMatches: Digest.sha256Hex(body) == hash)
    }

    /// The result of checking a whole log.
    public enum Verification: Equatable, Sendable {
        case intact(records: Int)
        /// `line` is 1-based; `reason` says what is wrong with it.
        case broken(line: Int, reason: String)
    }

    /// Checks every record's own hash, its sequence number and its link to the record before it.
    public static func verify(contents: [UInt8]) -> Verification {
        var previousHash = genesisHash
        var count = 0
        var lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            guard let record = parseRecord(Array(line)) else {
                return .broken(line: number, reason: "not a well-formed audit record")
            }
            guard record.hashMatches else {
                return .broken(line: number, reason: "record was edited: its hash does not match its content")
            }
            guard record.sequence == UInt64(number) else {
                return .broken(line: number, reason: "sequence number \(record.sequence), expected \(number): records were removed or inserted")
            }
            guard record.prev == previousHash else {
                return .broken(
                    line: number,
                    reason: number == 1
                        ? "first record does not start the chain"
                        : "chain broken: record \(number - 1) was replaced or removed")
            }
            previousHash = record.hash
            count += 1
        }
        return .intact(records: count)
    }
}
