// Closed vocabularies: service actions, topologies, VRRP roles.
//
// Their `Codable` conformance is the synthesised raw-value one, so the wire (IPC) only carries
// the canonical raw values; the tolerant spellings are accepted by `init(parsing:)` only.

/// A service control verb (`start`, `stop`, `reload`).
public enum ServiceAction: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case start, stop, reload

    /// Parses an action ASCII case-insensitively, as upstream lower-cases it (`RELOAD` → `.reload`).
    ///
    /// Anything else is refused with the reason `"Unknown action: <raw>"` (sanitised, at most 64 characters).
    public init(parsing raw: String, field: String = "action") throws(ValidationError) {
        guard let lowered = ValueGrammar.asciiLowercasedWord(raw, maxLength: 16),
              let action = ServiceAction.allCases.first(where: { ValueGrammar.sameBytes($0.rawValue, lowered) })
        else {
            throw ValidationError(field: field, reason: "Unknown action: \(InputText.sanitizedForMessage(raw))")
        }
        self = action
    }

    /// The raw value (`start`, `stop`, `reload`).
    public var description: String { rawValue }
}

/// The load balancer topology, with the raw values Octavia uses.
public enum Topology: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case single = "SINGLE"
    case activeStandby = "ACTIVE_STANDBY"
    case activeActive = "ACTIVE_ACTIVE"

    /// Parses exactly `SINGLE`, `ACTIVE_STANDBY`, `ACTIVE-STANDBY`, `ACTIVE_ACTIVE` or `ACTIVE-ACTIVE` (case-sensitive).
    ///
    /// Anything else is refused with the reason `"Unknown topology: <raw>"` (sanitised, at most 64 characters).
    public init(parsing raw: String, field: String = "topology") throws(ValidationError) {
        let accepted: [(String, Topology)] = [
            ("SINGLE", .single),
            ("ACTIVE_STANDBY", .activeStandby),
            ("ACTIVE-STANDBY", .activeStandby),
            ("ACTIVE_ACTIVE", .activeActive),
            ("ACTIVE-ACTIVE", .activeActive),
        ]
        guard let match = accepted.first(where: { ValueGrammar.sameBytes($0.0, raw) }) else {
            throw ValidationError(field: field, reason: "Unknown topology: \(InputText.sanitizedForMessage(raw))")
        }
        self = match.1
    }

    /// The raw value (`SINGLE`, `ACTIVE_STANDBY`, `ACTIVE_ACTIVE`).
    public var description: String { rawValue }
}

/// The VRRP role of an amphora in an active/standby pair.
public enum TopologyRole: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case active = "ACTIVE"
    case standby = "STANDBY"

    /// Parses exactly `ACTIVE` or `STANDBY` (case-sensitive).
    ///
    /// Anything else is refused with the reason `"Unknown role: <raw>"` (sanitised, at most 64 characters).
    public init(parsing raw: String, field: String = "role") throws(ValidationError) {
        guard let role = TopologyRole.allCases.first(where: { ValueGrammar.sameBytes($0.rawValue, raw) }) else {
            throw ValidationError(field: field, reason: "Unknown role: \(InputText.sanitizedForMessage(raw))")
        }
        self = role
    }

    /// The raw value (`ACTIVE`, `STANDBY`).
    public var description: String { rawValue }
}

extension ValueGrammar {
    /// Byte-for-byte equality. `String ==` uses Unicode canonical equivalence
    /// (`"\u{212A}" == "K"`, `"\u{037E}" == ";"`), which a grammar check must not.
    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// `raw` lower-cased if it is 1...`maxLength` ASCII letters, otherwise nil.
    static func asciiLowercasedWord(_ raw: String, maxLength: Int) -> String? {
        let bytes = raw.utf8
        guard !bytes.isEmpty, bytes.count <= maxLength else { return nil }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(bytes.count)
        for byte in bytes {
            if isLowerLetter(byte) {
                lowered.append(byte)
            } else if isUpperLetter(byte) {
                lowered.append(byte + 32)
            } else {
                return nil
            }
        }
        return String(decoding: lowered, as: UTF8.self)
    }
}
