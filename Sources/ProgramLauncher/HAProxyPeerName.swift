import IPCProtocol

/// The haproxy peer name upstream derives from the amphora id (`haproxy -L NAME`): base64 of SHA-1
/// with `_-` as the two extra characters, a leading `-` made `x`, padding removed.
public enum HAProxyPeerName {
    /// The peer name of amphora `id`.
    public static func forAmphora(_ id: ResourceID) -> String {
        let digest = SHA1.digest(Array(id.description.utf8))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < digest.count {
            let chunk = Array(digest[i..<min(i + 3, digest.count)])
            let n = chunk.count
            let value = (UInt32(chunk[0]) << 16) | (n > 1 ? UInt32(chunk[1]) << 8 : 0) | (n > 2 ? UInt32(chunk[2]) : 0)
            for k in 0..<(n + 1) { out.append(alphabet[Int((value >> (18 - 6 * UInt32(k))) & 0x3F)]) }
            i += 3
        }
        if out.first == UInt8(ascii: "-") { out[0] = UInt8(ascii: "x") }
        return String(decoding: out, as: UTF8.self)
    }
}
