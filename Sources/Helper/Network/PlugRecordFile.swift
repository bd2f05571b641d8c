import IPCProtocol

/// What `plugged_interfaces.json` holds, read entry by entry: the plugs this agent replays, and the
/// entries it cannot read (another agent version's, or values today's validation refuses), kept
/// verbatim so that recording a plug never loses another port's record.
struct PlugRecordFile {
    /// An entry that does not decode as a ``NetworkConfigurator/Record``, and why.
    struct Unreadable {
        var entry: JSONValue
        var reason: String

        /// The entry's `mac` or `interface` field, when it has one as a string.
        func field(_ key: String) -> String? {
            guard case .object(let members) = entry, case .string(let value)? = members.first(where: { $0.0 == key })?.1 else { return nil }
            return value
        }

        /// The entry's `mac`, lowercase as a ``NetworkConfigurator/Record`` holds it.
        var mac: String? { field("mac")?.lowercased() }

        /// The entry's `mac` as a log may show it (printable ASCII, short), or "-".
        var shownMAC: String { field("mac").map { String(printableASCII: $0.utf8, limit: 32) } ?? "-" }
    }

    var records: [NetworkConfigurator.Record] = []
    var unreadable: [Unreadable] = []
    /// The file is there but is not a JSON list: nothing in it can be read or kept entry by entry.
    var isCorrupt = false

    /// The longest reason kept for an entry that does not decode.
    static let reasonLimit = 200
    /// The most JSON values the file may hold: a port's record holds at most a few thousand (16
    /// addresses with 64 routes each, twice with `vip_net_info`): this is room for 40 such ports.
    static let maximumElements = 1 << 18

    init() {}

    /// Reads the file's bytes: a JSON list of records; an entry that does not decode is kept aside.
    init(bytes: [UInt8]) {
        guard case .array(let entries)? = try? JSONValue(parsing: bytes, maximumElements: Self.maximumElements) else {
            isCorrupt = true
            return
        }
        for entry in entries {
            do {
                records.append(try StrictJSON.decode(NetworkConfigurator.Record.self, from: entry))
            } catch {
                unreadable.append(Unreadable(entry: entry, reason: String(printableASCII: "\(error)".utf8, limit: Self.reasonLimit)))
            }
        }
    }

    /// The MACs the file records, those of entries this agent cannot read included (lowercase).
    var recordedMACs: Set<String> {
        Set(records.map(\.mac.description) + unreadable.compactMap(\.mac))
    }

    /// The file with `new` in place of every entry for its MAC or interface: the unreadable
    /// entries first, as they were, then the records.
    func bytes(recording new: NetworkConfigurator.Record) throws -> [UInt8] {
        let kept = unreadable.filter { $0.mac != new.mac.description && $0.field("interface") != new.interface }
        let records = records.filter { $0.mac != new.mac && $0.interface != new.interface } + [new]
        return JSONValue.array(kept.map(\.entry) + (try records.map { try StrictJSON.encodeValue($0) })).serialized()
    }
}
