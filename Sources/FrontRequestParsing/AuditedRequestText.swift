import IPCProtocol

/// The forms of a request's method, path and client subject that the front tells the helper for
/// its audit records: printable ASCII only, within ``IPCProtocol/ControllerRequest``'s bounds,
/// whatever bytes the controller (or anyone holding a client certificate) sent.
public enum AuditedRequestText {
    /// The method when it is upper-case letters (all the routes use), else `OTHER`.
    public static func method(_ method: String) -> String {
        let letters = method.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        return letters && !method.isEmpty && method.utf8.count <= ControllerRequest.maximumMethodLength ? method : "OTHER"
    }

    /// `path` with every byte outside printable ASCII (and `%` itself left as is) percent-escaped,
    /// cut to ``IPCProtocol/ControllerRequest/maximumPathLength`` bytes (a cut path ends in `...`).
    public static func path(_ path: String) -> String {
        let escaped = escape(path.utf8) { byte in "%" + HexText.uppercase([byte]) }
        let text = escaped.utf8.first == UInt8(ascii: "/") ? escaped : "/" + escaped
        return cut(text, to: ControllerRequest.maximumPathLength)
    }

    /// `subject` with every byte outside printable ASCII written `\XX` (RFC 4514's hex escape), cut
    /// to ``IPCProtocol/ControllerRequest/maximumSubjectLength`` bytes.
    public static func subject(_ subject: String) -> String {
        cut(escape(subject.utf8, allowingSpace: true) { byte in "\\" + HexText.uppercase([byte]) }, to: ControllerRequest.maximumSubjectLength)
    }

    static func escape(_ bytes: String.UTF8View, allowingSpace: Bool = false, _ escaped: (UInt8) -> String) -> String {
        var out = ""
        for byte in bytes {
            if byte > 0x20 && byte < 0x7F || allowingSpace && byte == 0x20 {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += escaped(byte)
            }
        }
        return out
    }

    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        // ASCII only: one byte per character.
        return String(text.prefix(limit - 3)) + "..."
    }
}
