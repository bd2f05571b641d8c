// Network validated values: IP addresses, CIDRs, MAC addresses, MTU.

/// The address family of an `IPAddress`.
public enum IPFamily: String, Sendable, Codable {
    case v4, v6
}

/// An IPv4 or IPv6 address, stored as 4 or 16 bytes; `description` is the canonical text.
///
/// IPv4: exactly four decimal octets 0-255 without leading zeros (`010.1.1.1` is refused because of
/// octal ambiguity). IPv6: RFC 4291 text with `::` and an optional dotted IPv4 tail, hex of either
/// case. Zone ids (`%eth0`) and IPv4-mapped addresses (`::ffff:a.b.c.d`, in any spelling) are refused.
/// IPv6 canonical text follows RFC 5952 (lowercase, longest run of two or more zero groups
/// compressed, first run on ties) and never uses the dotted tail (`64:ff9b::1.2.3.4` → `64:ff9b::102:304`).
public struct IPAddress: ValidatedText {
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// `.v4` for 4 bytes, `.v6` for 16.
    public var family: IPFamily { bytes.count == 4 ? .v4 : .v6 }

    /// A loopback address: 127.0.0.0/8 or ::1 (never on a wire, so never announced).
    public var isLoopback: Bool {
        bytes.count == 4 ? bytes[0] == 127 : bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
    }

    /// All zero: `0.0.0.0` or `::`.
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    /// A multicast address: 224.0.0.0/4 or ff00::/8.
    public var isMulticast: Bool { bytes.count == 4 ? bytes[0] & 0xF0 == 0xE0 : bytes[0] == 0xFF }

    /// Whether the address can be a host's on a link, a gateway or a next hop: not unspecified,
    /// loopback, multicast or the IPv4 limited broadcast `255.255.255.255`. Whether it is a usable
    /// host of its subnet is ``SubnetAddress``'s question.
    public var isUnicast: Bool {
        !isUnspecified && !isLoopback && !isMulticast && !(bytes.count == 4 && bytes.allSatisfy { $0 == 0xFF })
    }

    /// The longest accepted text: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`.
    static let maximumTextLength = 45

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "ip_address"

    /// Parses and validates `raw` as an IPv4 or IPv6 address.
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        let count = raw.utf8.count
        guard count > 0 else {
            throw ValidationError(field: field, reason: "must not be empty")
        }
        let text = Array(raw.utf8.prefix(Self.maximumTextLength + 1))
        if text.contains(ValueGrammar.percent) {
            throw ValidationError(field: field, reason: "must not carry a zone identifier ('%...')")
        }
        guard count <= Self.maximumTextLength else {
            throw ValidationError(field: field, reason: "is too long to be an IP address")
        }
        if text.contains(ValueGrammar.colon) {
            try self.init(bytes: Self.parseIPv6(text[...], field: field), field: field)
        } else {
            self.init(uncheckedBytes: try Self.parseIPv4(text[...], field: field))
        }
    }

    /// Validates raw bytes: 4 (IPv4) or 16 (IPv6, not IPv4-mapped).
    public init(bytes: [UInt8], field: String = "ip_address") throws(ValidationError) {
        switch bytes.count {
        case 4:
            break
        case 16:
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                throw ValidationError(
                    field: field,
                    reason: "IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are not accepted; use the IPv4 address"
                )
            }
        default:
            throw ValidationError(field: field, reason: "must be 4 (IPv4) or 16 (IPv6) bytes long")
        }
        self.bytes = bytes
    }

    /// For bytes already known to be valid (a netmask, a masked network).
    init(uncheckedBytes: [UInt8]) {
        bytes = uncheckedBytes
    }

    /// The canonical text: dotted quad for IPv4, RFC 5952 for IPv6.
    public var description: String {
        if bytes.count == 4 {
            return "\(bytes[0]).\(bytes[1]).\(bytes[2]).\(bytes[3])"
        }
        return Self.formatIPv6(bytes)
    }

    // MARK: Parsing

    static func parseIPv4(_ text: ArraySlice<UInt8>, field: String) throws(ValidationError) -> [UInt8] {
        let parts = text.split(separator: ValueGrammar.dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            throw ValidationError(field: field, reason: "an IPv4 address needs exactly four dot-separated decimal octets")
        }
        var result: [UInt8] = []
        result.reserveCapacity(4)
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(ValueGrammar.isDigit) else {
                throw ValidationError(field: field, reason: "each IPv4 octet must be 1 to 3 decimal digits")
            }
            guard let octet = ValueGrammar.strictDecimal(part, maxDigits: 3) else {
                throw ValidationError(field: field, reason: "IPv4 octets must not have leading zeros (octal ambiguity)")
            }
            guard let byte = UInt8(exactly: octet) else {
                throw ValidationError(field: field, reason: "each IPv4 octet must be between 0 and 255")
            }
            result.append(byte)
        }
        return result
    }

    static func parseIPv6(_ text: ArraySlice<UInt8>, field: String) throws(ValidationError) -> [UInt8] {
        let invalid = "is not a valid IPv6 address"
        guard text.allSatisfy({ ValueGrammar.hexValue($0) != nil || $0 == ValueGrammar.colon || $0 == ValueGrammar.dot }) else {
            throw ValidationError(field: field, reason: "\(invalid): only hex digits, ':' and an IPv4 tail are allowed")
        }
        // Locate the first "::"; any further ':' run shows up below as an empty group.
        var compression: Int?
        var index = text.startIndex
        while index + 1 < text.endIndex {
            if text[index] == ValueGrammar.colon && text[index + 1] == ValueGrammar.colon {
                compression = index
                break
            }
            index += 1
        }
        let head: ArraySlice<UInt8>
        let tail: ArraySlice<UInt8>
        if let compression {
            head = text[text.startIndex..<compression]
            tail = text[(compression + 2)...]
        } else {
            head = text
            tail = []
        }
        let headGroups = try groups(of: head, field: field)
        let tailGroups = try groups(of: tail, field: field)
        // The dotted IPv4 tail may only be the very last group of the address.
        let dottedAllowedInHead = compression == nil
        let headWords = try words(of: headGroups, lastMayBeDotted: dottedAllowedInHead, field: field)
        let tailWords = try words(of: tailGroups, lastMayBeDotted: true, field: field)

        var words: [UInt16]
        if compression == nil {
            guard headWords.count == 8 else {
                throw ValidationError(field: field, reason: "\(invalid): without '::' it needs exactly eight groups")
            }
            words = headWords
        } else {
            guard headWords.count + tailWords.count <= 7 else {
                throw ValidationError(field: field, reason: "\(invalid): too many groups")
            }
            words = headWords
            words.append(contentsOf: repeatElement(0, count: 8 - headWords.count - tailWords.count))
            words.append(contentsOf: tailWords)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for word in words {
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word))
        }
        return bytes
    }

    private static func groups(of text: ArraySlice<UInt8>, field: String) throws(ValidationError) -> [ArraySlice<UInt8>] {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ValueGrammar.colon, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError(
                field: field,
                reason: "is not a valid IPv6 address: stray ':', ':::' or more than one '::'"
            )
        }
        return parts
    }

    private static func words(
        of groups: [ArraySlice<UInt8>],
        lastMayBeDotted: Bool,
        field: String
    ) throws(ValidationError) -> [UInt16] {
        var words: [UInt16] = []
        for (position, group) in groups.enumerated() {
            if group.contains(ValueGrammar.dot) {
                guard lastMayBeDotted, position == groups.count - 1 else {
                    throw ValidationError(
                        field: field,
                        reason: "is not a valid IPv6 address: an embedded IPv4 address may only be the last part"
                    )
                }
                let quad = try parseIPv4(group, field: field)
                words.append(UInt16(quad[0]) << 8 | UInt16(quad[1]))
                words.append(UInt16(quad[2]) << 8 | UInt16(quad[3]))
                continue
            }
            guard group.count <= 4 else {
                throw ValidationError(field: field, reason: "is not a valid IPv6 address: a group has more than 4 hex digits")
            }
            var word: UInt16 = 0
            for byte in group {
                guard let digit = ValueGrammar.hexValue(byte) else {
                    throw ValidationError(field: field, reason: "is not a valid IPv6 address")
                }
                word = word << 4 | UInt16(digit)
            }
            words.append(word)
        }
        return words
    }

    static func formatIPv6(_ bytes: [UInt8]) -> String {
        var words: [UInt16] = []
        words.reserveCapacity(8)
        var index = 0
        while index + 1 < bytes.count {
            words.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            index += 2
        }
        // Longest run of zero groups (first on ties); only runs of two or more are compressed.
        var bestStart = -1
        var bestLength = 0
        var position = 0
        while position < words.count {
            guard words[position] == 0 else {
                position += 1
                continue
            }
            var end = position
            while end < words.count && words[end] == 0 { end += 1 }
            if end - position > bestLength {
                bestStart = position
                bestLength = end - position
            }
            position = end
        }
        if bestLength < 2 { bestStart = -1 }

        var text = ""
        var needsSeparator = false
        position = 0
        while position < words.count {
            if position == bestStart {
                text += "::"
                needsSeparator = false
                position += bestLength
                continue
            }
            if needsSeparator { text += ":" }
            text += String(words[position], radix: 16)
            needsSeparator = true
            position += 1
        }
        return text
    }
}

/// A network in `address/prefix` form with no host bits set (`203.0.113.0/24`, `2001:db8::/32`).
public struct CIDR: ValidatedText {
    /// The network address (all host bits zero).
    public let network: IPAddress
    /// The prefix length: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "subnet_cidr"

    /// Parses and validates `raw` as `address/prefix`.
    ///
    /// The prefix is decimal without leading zeros; host bits must be zero (`203.0.113.5/24` is refused).
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        let count = raw.utf8.count
        guard count > 0 else {
            throw ValidationError(field: field, reason: "must not be empty")
        }
        guard count <= IPAddress.maximumTextLength + 4 else {
            throw ValidationError(field: field, reason: "is too long to be a CIDR")
        }
        let parts = Array(raw.utf8).split(separator: ValueGrammar.slash, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ValidationError(field: field, reason: "must be written as address/prefix-length")
        }
        let address = try IPAddress(validating: String(decoding: parts[0], as: UTF8.self), field: field)
        guard let prefix = ValueGrammar.strictDecimal(parts[1], maxDigits: 3) else {
            throw ValidationError(field: field, reason: "the prefix length must be a decimal number without sign or leading zeros")
        }
        try self.init(network: address, prefixLength: prefix, field: field)
    }

    /// Validates a network address and prefix length (range and host bits).
    public init(network: IPAddress, prefixLength: Int, field: String = "subnet_cidr") throws(ValidationError) {
        let maximum = network.bytes.count * 8
        guard prefixLength >= 0 && prefixLength <= maximum else {
            throw ValidationError(field: field, reason: "the prefix length must be between 0 and \(maximum)")
        }
        let masked = Self.masked(network.bytes, prefixLength: prefixLength)
        guard masked == network.bytes else {
            throw ValidationError(
                field: field,
                reason: "has host bits set; the network is \(IPAddress(uncheckedBytes: masked))/\(prefixLength)"
            )
        }
        self.network = network
        self.prefixLength = prefixLength
    }

    /// `"\(network)/\(prefixLength)"`.
    public var description: String { "\(network)/\(prefixLength)" }

    /// Whether `ip` lies in this network; false when the families differ.
    public func contains(_ ip: IPAddress) -> Bool {
        guard ip.bytes.count == network.bytes.count else { return false }
        return Self.masked(ip.bytes, prefixLength: prefixLength) == network.bytes
    }

    /// Whether `ip` is this IPv4 network's network or broadcast address (up to /30; /31 and /32
    /// have none), which Neutron never gives a port nor takes as a gateway. IPv6 has no such
    /// address: Neutron accepts the subnet-router anycast address as a gateway, and on a port
    /// without an owner. False for an address outside the network.
    public func isReservedHost(_ ip: IPAddress) -> Bool {
        guard network.family == .v4, contains(ip), prefixLength <= 30 else { return false }
        let broadcast = zip(network.bytes, netmask.bytes).map { $0 | ~$1 }
        return ip == network || ip.bytes == broadcast
    }

    /// Whether `ip` may be a host's address here, or a gateway or next hop beside this network:
    /// unicast (``IPAddress/isUnicast``) and not a reserved host (``isReservedHost(_:)``).
    /// Containment is not asked: a gateway may lie outside the network.
    public func isUsableHost(_ ip: IPAddress) -> Bool { ip.isUnicast && !isReservedHost(ip) }

    /// The netmask as an address (`255.255.255.0` for a /24; for IPv6, e.g. `ffff:ffff::` for a /32).
    public var netmask: IPAddress {
        IPAddress(uncheckedBytes: Self.mask(byteCount: network.bytes.count, prefixLength: prefixLength))
    }

    private static func mask(byteCount: Int, prefixLength: Int) -> [UInt8] {
        (0..<byteCount).map { index in
            let bits = min(max(prefixLength - index * 8, 0), 8)
            return bits == 0 ? 0 : UInt8.max << UInt8(8 - bits)
        }
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        zip(bytes, mask(byteCount: bytes.count, prefixLength: prefixLength)).map { $0 & $1 }
    }
}

/// A unicast, non-zero MAC address: six colon-separated 2-hex-digit groups, stored lowercase.
///
/// Upper case input is accepted and normalised; `-`/`.` separators, `0x`, other lengths,
/// whitespace, broadcast, multicast (first octet's low bit set) and all-zero are refused.
public struct MACAddress: ValidatedText {
    /// The lowercase colon form, e.g. `aa:bb:cc:00:11:22`.
    public let value: String

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "mac_address"

    /// Validates `raw` and normalises it to lowercase.
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        let shape = "must be six colon-separated pairs of hex digits, e.g. fa:16:3e:00:11:22"
        try ValueGrammar.requireLength(raw, 17, field: field, shape: shape)
        var octets: [UInt8] = []
        octets.reserveCapacity(6)
        var high: UInt8 = 0
        for (index, byte) in raw.utf8.enumerated() {
            switch index % 3 {
            case 2:
                guard byte == ValueGrammar.colon else {
                    throw ValidationError(field: field, reason: shape)
                }
            default:
                guard let digit = ValueGrammar.hexValue(byte) else {
                    throw ValidationError(field: field, reason: shape)
                }
                if index % 3 == 0 {
                    high = digit
                } else {
                    octets.append(high << 4 | digit)
                }
            }
        }
        guard octets.contains(where: { $0 != 0 }) else {
            throw ValidationError(field: field, reason: "must not be the all-zero address")
        }
        guard octets.allSatisfy({ $0 == 0xFF }) == false else {
            throw ValidationError(field: field, reason: "must not be the broadcast address")
        }
        guard octets[0] & 1 == 0 else {
            throw ValidationError(field: field, reason: "must be a unicast address (multicast bit is set)")
        }
        value = octets.map { octet in
            let hex = String(octet, radix: 16)
            return octet < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// The lowercase colon form.
    public var description: String { value }
}

/// An interface MTU, 68...9216, carried as a JSON integer.
public struct MTU: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The MTU in bytes.
    public let value: Int

    /// The accepted range (68 is the IPv4 minimum, 9216 a common jumbo-frame maximum).
    public static let validRange: ClosedRange<Int> = 68...9216

    /// Validates an integer MTU.
    public init(validating value: Int, field: String = "mtu") throws(ValidationError) {
        guard Self.validRange.contains(value) else {
            throw ValidationError(
                field: field,
                reason: "must be between \(Self.validRange.lowerBound) and \(Self.validRange.upperBound)"
            )
        }
        self.value = value
    }

    /// Validates a decimal MTU: digits only, no sign, no leading zeros, no fraction.
    public init(validating raw: String, field: String = "mtu") throws(ValidationError) {
        guard !raw.isEmpty else {
            throw ValidationError(field: field, reason: "must not be empty")
        }
        let digits = raw.utf8
        guard digits.allSatisfy(ValueGrammar.isDigit) else {
            throw ValidationError(field: field, reason: "must be a whole decimal number (digits only)")
        }
        guard digits.count == 1 || digits.first != ValueGrammar.zero else {
            throw ValidationError(field: field, reason: "must not have leading zeros")
        }
        // More than five digits is certainly out of range; do not risk overflow.
        let value = ValueGrammar.strictDecimal(digits, maxDigits: 5) ?? Int.max
        try self.init(validating: value, field: field)
    }

    /// Same as `init(validating:)` on the text, returning nil on refusal.
    public init?(_ description: String) {
        try? self.init(validating: description)
    }

    /// The decimal text.
    public var description: String { String(value) }

    /// Decodes an integer (a string such as `"1500"` is refused) and validates it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(Int.self)
        do {
            try self.init(validating: raw)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }

    /// Encodes the integer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
