import IPCProtocol

/// One audit record line, parsed.
///
/// A line is a JSON object: `seq`, `time`, `prev` (the previous record's `hash`, 64 zeros before the
/// first), `epoch` (the sealing epoch), `event`, the event's own members, then `hash` (SHA-256 of the
/// line's text up to that member, closed with `}`) and last `seal` (``AuditSealKey/seal(_:)`` of
/// `hash` with the epoch's key). Lines written before sealing existed have neither `epoch` nor `seal`.
public struct AuditRecord: Sendable {
    public let sequence: UInt64
    public let time: String
    public let prev: String
    /// nil for a record written before sealing existed.
    public let epoch: UInt64?
    public let event: String
    public let hash: String
    public let seal: String?
    /// Whether `hash` is the SHA-256 of the line's content.
    public let hashMatches: Bool
    /// Every member, in order (for `audit-show`).
    public let members: [(String, JSONValue)]

    public static let genesisHash = String(repeating: "0", count: 64)

    /// The event that closes a sealing epoch: the next record is sealed with the next epoch's key.
    public static let epochEndEvent = "audit-epoch-end"
    /// The event that starts a new seal chain (the key state was lost): epoch 0 of a new seed.
    public static let sealResetEvent = "audit-seal-reset"
    /// The first record of a file after a rotation (or of a file recreated at start-up).
    public static let continuationEvent = "audit-continue"
    /// The record, written before a rotated file is removed, that names it (`file`), its `first_seq`,
    /// `last_seq` and `last_hash`: a set that starts after a pruned file verifies only with it.
    public static let pruneEvent = "audit-prune"

    static let hashMemberPrefix = Array(#","hash":""#.utf8)
    static let sealMemberPrefix = Array(#"","seal":""#.utf8)
    /// `,"hash":"<64>"}`
    static let unsealedSuffixLength = hashMemberPrefix.count + 64 + 2
    /// `,"hash":"<64>","seal":"<64>"}`
    static let sealedSuffixLength = hashMemberPrefix.count + 64 + sealMemberPrefix.count + 64 + 2

    /// The line for a record: `members` (starting with `seq`, `time`, `prev`, `epoch`, `event`)
    /// serialized, then its hash and its seal with `key`. Returns the line (ending in a newline) and the hash.
    static func line(_ members: [(String, JSONValue)], key: AuditSealKey) -> (line: [UInt8], hash: String) {
        var body = JSONValue.object(members).serialized()
        let hash = Digest.sha256Hex(body)
        body.removeLast()  // the closing brace
        body += hashMemberPrefix
        body += Array(hash.utf8)
        body += sealMemberPrefix
        body += Array(key.seal(hash).utf8)
        body += Array("\"}\n".utf8)
        return (body, hash)
    }

    /// Parses one line (without its newline); nil when it is not an audit record.
    public static func parse(_ line: [UInt8]) -> AuditRecord? {
        guard let value = try? JSONValue(parsing: line), case .object(let members) = value, members.count >= 5,
            members[0].0 == "seq", case .number(let seqText) = members[0].1, let sequence = UInt64(seqText),
            members[1].0 == "time", case .string(let time) = members[1].1,
            members[2].0 == "prev", case .string(let prev) = members[2].1
        else { return nil }
        var rest = members[3...]
        var epoch: UInt64?
        if let first = rest.first, first.0 == "epoch" {
            guard case .number(let text) = first.1, let number = UInt64(text) else { return nil }
            epoch = number
            rest = rest.dropFirst()
        }
        guard let eventMember = rest.first, eventMember.0 == "event", case .string(let event) = eventMember.1 else { return nil }
        var seal: String?
        var suffixLength = unsealedSuffixLength
        var tail = members[...]
        if let last = tail.last, last.0 == "seal" {
            guard epoch != nil, case .string(let text) = last.1, text.utf8.count == 64 else { return nil }
            seal = text
            suffixLength = sealedSuffixLength
            tail = tail.dropLast()
        }
        guard let hashMember = tail.last, hashMember.0 == "hash", case .string(let hash) = hashMember.1, hash.utf8.count == 64,
            line.count > suffixLength, tail.count >= (epoch == nil ? 5 : 6)
        else { return nil }
        var body = Array(line[0..<(line.count - suffixLength)])
        body.append(UInt8(ascii: "}"))
        return AuditRecord(
            sequence: sequence, time: time, prev: prev, epoch: epoch, event: event, hash: hash, seal: seal,
            hashMatches: Digest.sha256Hex(body) == hash, members: members)
    }

    /// The member `name` (the first one), if present.
    public func member(_ name: String) -> JSONValue? { members.first { $0.0 == name }?.1 }

    /// The record's head: what an anchor names.
    public var head: AuditHead { AuditHead(sequence: sequence, hash: hash, epoch: epoch ?? 0) }
}
