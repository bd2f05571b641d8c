/// Plain syntactic checks for configuration values. Nothing here touches the system.
enum Syntax {
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLowerHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte >= 0x61 && byte <= 0x66) }
    private static func isHex(_ byte: UInt8) -> Bool { isLowerHex(byte) || (byte >= 0x41 && byte <= 0x46) }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    /// A non-negative decimal number written with ASCII digits only (no sign, no blanks),
    /// or `nil` when the text is not one or does not fit.
    static func decimal(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 18, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// A canonical UUID: 8-4-4-4-12 lowercase hexadecimal digits.
    static func isCanonicalUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23: guard byte == UInt8(ascii: "-") else { return false }
            default: guard isLowerHex(byte) else { return false }
            }
        }
        return true
    }

    /// `^[a-z_][a-z0-9_-]{0,31}$`
    static func isPOSIXUserName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 32 else { return false }
        guard isLower(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.dropFirst().allSatisfy {
            isLower($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    /// 1-15 characters from `[A-Za-z0-9_.-]`, starting with a letter or digit, without `..`: the
    /// helper's `InterfaceName` rule, so that the supervisor never runs `ip` on a name the helper
    /// would refuse.
    static func isNetnsName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 15 else { return false }
        guard isLower(first) || isUpper(first) || isDigit(first), !text.contains("..") else { return false }
        return bytes.allSatisfy {
            isLower($0) || isUpper($0) || isDigit($0)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// Dotted-quad IPv4: four decimal parts 0-255, no leading zeros (they would read as octal
    /// to some parsers).
    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return false }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
            guard part.reduce(0, { $0 * 10 + Int($1 - 0x30) }) <= 255 else { return false }
        }
        return true
    }

    /// An IPv6 address in RFC 4291 text form (`::` compression and a dotted-quad tail allowed,
    /// no zone index, no brackets).
    static func isIPv6(_ text: Substring) -> Bool {
        guard text.utf8.count >= 2 else { return false }
        var groups = 0
        var body = text
        // A trailing embedded IPv4 address counts as two groups.
        if body.contains(".") {
            guard let colon = body.lastIndex(of: ":") else { return false }
            guard isIPv4(body[body.index(after: colon)...]) else { return false }
            groups += 2
            body = body[...colon]
            if !body.hasSuffix("::") { body = body.dropLast() }  // keep "::" intact
        }
        let halves = body.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
            .map { String($0) }
        if body.contains("::") {
            guard halves.count == 2, !halves[1].contains("::") else { return false }
            // ":::" and similar leave a stray colon at a half's edge.
            for half in halves where half.hasPrefix(":") || half.hasSuffix(":") { return false }
        }
        for half in halves where !half.isEmpty {
            for group in half.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(isHex) else { return false }
                groups += 1
            }
        }
        return body.contains("::") ? groups <= 7 : groups == 8
    }

    /// A host name as RFC 1123 writes one: at most 253 bytes (a trailing dot allowed), labels of 1-63
    /// ASCII letters, digits and hyphens, not starting or ending with a hyphen, and a last label that
    /// is not all digits (so that a malformed IPv4 address is never taken for a name).
    static func isHostName(_ text: Substring) -> Bool {
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
                return false
            }
            guard label.allSatisfy({ isLower($0) || isUpper($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        return !(labels.last?.allSatisfy(isDigit) ?? true)
    }

    /// An IPv4 or IPv6 literal.
    static func isIPAddress(_ text: String) -> Bool {
        isIPv4(text[...]) || isIPv6(text[...])
    }

    /// Why `text` is not an acceptable absolute path, or `nil` when it is.
    static func pathProblem(_ text: String) -> String? {
        guard text.hasPrefix("/") else { return "is not an absolute path" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a control character (NUL, newline...)"
        }
        if text.utf8.split(separator: UInt8(ascii: "/")).contains(where: { $0.elementsEqual("..".utf8) }) {
            return "contains a \"..\" component"
        }
        return nil
    }
}
