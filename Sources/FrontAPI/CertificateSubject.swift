import IPCProtocol

/// The subject of a DER-encoded X.509 certificate as RFC 4514 text (`CN=controller,O=Octavia`),
/// read with a small bounded DER walk (the front has no ASN.1 library of its own; BoringSSL inside
/// NIOSSL does not expose the subject).
///
/// Only what the audit log needs: the common attribute types by name, others as dotted OIDs,
/// values of the string types as text (RFC 4514 escapes for `,+"\<>;=`, leading `#` or space and
/// trailing space; bytes outside printable ASCII are escaped later by ``RequestCorrelation``),
/// anything else as `#` and hex. A malformed certificate gives nil.
enum CertificateSubject {
    /// RFC 4514 text of the certificate's subject, last RDN first.
    static func text(fromCertificateDER der: [UInt8]) -> String? {
        var reader = DERReader(bytes: der[...])
        guard let certificate = reader.next(), certificate.tag == 0x30 else { return nil }
        var fields = DERReader(bytes: certificate.content)
        guard let tbs = fields.next(), tbs.tag == 0x30 else { return nil }
        var tbsFields = DERReader(bytes: tbs.content)
        var elements: [DERReader.Element] = []
        while elements.count < 6, let element = tbsFields.next() { elements.append(element) }
        // version [0] is optional: then serial, signature, issuer, validity, subject.
        let offset = elements.first?.tag == 0xA0 ? 1 : 0
        guard elements.count > offset + 4, elements[offset + 4].tag == 0x30 else { return nil }
        return name(elements[offset + 4].content)
    }

    static func name(_ content: ArraySlice<UInt8>) -> String? {
        var rdns: [String] = []
        var sets = DERReader(bytes: content)
        while let set = sets.next() {
            guard set.tag == 0x31 else { return nil }
            var attributes: [String] = []
            var members = DERReader(bytes: set.content)
            while let attribute = members.next() {
                guard attribute.tag == 0x30 else { return nil }
                var pair = DERReader(bytes: attribute.content)
                guard let type = pair.next(), type.tag == 0x06, let value = pair.next() else { return nil }
                attributes.append(attributeName(type.content) + "=" + attributeValue(value))
            }
            rdns.append(attributes.joined(separator: "+"))
        }
        guard sets.isValid else { return nil }
        return rdns.reversed().joined(separator: ",")
    }

    static let shortNames: [[UInt8]: String] = [
        [0x55, 0x04, 0x03]: "CN", [0x55, 0x04, 0x06]: "C", [0x55, 0x04, 0x07]: "L", [0x55, 0x04, 0x08]: "ST",
        [0x55, 0x04, 0x0A]: "O", [0x55, 0x04, 0x0B]: "OU", [0x55, 0x04, 0x09]: "STREET",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19]: "DC",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01]: "UID",
    ]

    static func attributeName(_ oid: ArraySlice<UInt8>) -> String {
        if let short = shortNames[Array(oid)] { return short }
        guard let first = oid.first else { return "0" }
        var arcs = [String(min(Int(first) / 40, 2)), String(Int(first) - min(Int(first) / 40, 2) * 40)]
        var value = 0
        for byte in oid.dropFirst() {
            guard value < Int.max >> 8 else { return "#" + HexText.lowercase(oid) }
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 {
                arcs.append(String(value))
                value = 0
            }
        }
        return arcs.joined(separator: ".")
    }

    /// UTF8String, PrintableString, IA5String and T61String values as text; others as `#` and the hex of the whole element.
    static func attributeValue(_ value: DERReader.Element) -> String {
        let textTags: Set<UInt8> = [0x0C, 0x13, 0x16, 0x14]
        guard textTags.contains(value.tag) else {
            return "#" + HexText.lowercase(value.encoded)
        }
        let bytes = Array(value.content)
        var out = ""
        for (index, byte) in bytes.enumerated() {
            let special = Array(",+\"\\<>;=".utf8).contains(byte)
                || index == 0 && (byte == UInt8(ascii: "#") || byte == UInt8(ascii: " "))
                || index == bytes.count - 1 && byte == UInt8(ascii: " ")
            if special { out += "\\" }
            if byte >= 0x20 && byte < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "\\" + HexText.uppercase([byte])
            }
        }
        return out
    }
}

/// Reads DER elements (tag, definite length, content) from a byte slice; never past its end.
struct DERReader {
    struct Element {
        let tag: UInt8
        let content: ArraySlice<UInt8>
        /// The whole element, header included.
        let encoded: ArraySlice<UInt8>
    }

    var bytes: ArraySlice<UInt8>
    /// False once a malformed element was met.
    private(set) var isValid = true

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    /// The next element; nil at the end or at a malformed one (then ``isValid`` is false).
    mutating func next() -> Element? {
        guard isValid, let tag = bytes.first else { return nil }
        var index = bytes.index(after: bytes.startIndex)
        guard tag & 0x1F != 0x1F, index < bytes.endIndex else { return fail() }
        let first = bytes[index]
        index += 1
        var length = Int(first)
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, bytes.endIndex - index >= count else { return fail() }
            length = 0
            for byte in bytes[index..<(index + count)] { length = length << 8 | Int(byte) }
            index += count
        }
        guard bytes.endIndex - index >= length else { return fail() }
        let element = Element(tag: tag, content: bytes[index..<(index + length)], encoded: bytes[bytes.startIndex..<(index + length)])
        bytes = bytes[(index + length)...]
        return element
    }

    private mutating func fail() -> Element? {
        isValid = false
        return nil
    }
}
