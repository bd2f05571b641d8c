/// What `keepalived --config-test` reads instead of the stored file: the same lines, with every
/// `net_namespace` line left empty (line numbers stay those of the stored file).
///
/// The check runs as the check account, without capabilities, inside the network namespace the
/// daemon runs in (the launcher enters it before the check drops root). Unprivileged, keepalived
/// cannot enter the namespace a `net_namespace` line names, and then exits 0 without checking
/// anything; without the line it checks the text where it stands. The daemon reads the stored file,
/// line and all (the helper's policy pins its value to the amphora namespace).
public enum KeepalivedCheckCopy {
    /// keepalived's keyword (case-sensitive, as keepalived matches keywords).
    public static let namespaceKeyword = Array("net_namespace".utf8)

    /// The copy, or nil when the keyword is anywhere but a line's first word with a blank or the end
    /// of the line after it (keepalived might read such a text in a way this does not see: the check
    /// is refused, not run on a text it could skip).
    public static func withoutNamespaceLines(_ text: [UInt8]) -> [UInt8]? {
        var copy: [UInt8] = []
        copy.reserveCapacity(text.count)
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.offset > 0 { copy.append(UInt8(ascii: "\n")) }
            if !isNamespaceLine(line.element) { copy.append(contentsOf: line.element) }
        }
        return copy.firstRange(of: namespaceKeyword) == nil ? copy : nil
    }

    /// Whether the line's first word is exactly the keyword.
    static func isNamespaceLine(_ line: ArraySlice<UInt8>) -> Bool {
        guard let start = line.firstIndex(where: { !isBlank($0) }) else { return false }
        let end = line[start...].firstIndex(where: isBlank) ?? line.endIndex
        return line[start..<end].elementsEqual(namespaceKeyword)
    }

    /// keepalived's word separators (`isspace`).
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
