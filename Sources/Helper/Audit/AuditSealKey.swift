import COpenSSL
import Glibc
import LinuxSystem

/// One epoch's key of the audit log's forward-secure seal (32 bytes, in memory the helper zeroes).
///
/// Every record is sealed with `HMAC-SHA256(key_e, hash)` where `e` is the record's epoch and `hash`
/// its SHA-256 (hex). At the end of an epoch the key evolves, `key_{e+1} = HMAC-SHA256(key_e, "evolve")`,
/// in place: the old key is overwritten. Whoever holds `key_e` can derive every later key but none
/// before it, so a later root cannot seal records of an earlier epoch. The auditor keeps the
/// epoch-0 key (the seed, exported once) and derives every epoch's key from it.
///
/// A reference type so that the bytes are never copied by value; used by one owner at a time (the
/// log under its lock, or one verification).
public final class AuditSealKey: @unchecked Sendable {
    public static let size = 32
    public private(set) var epoch: UInt64
    private let bytes: UnsafeMutableRawBufferPointer

    /// A key for `epoch` from exactly ``size`` bytes.
    public init?(epoch: UInt64, bytes source: UnsafeRawBufferPointer) {
        guard source.count == Self.size else { return nil }
        self.epoch = epoch
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.size, alignment: 8)
        bytes.copyMemory(from: source)
    }

    /// A fresh epoch-0 key from the kernel's random source (the standard library's system generator
    /// is `getrandom(2)` on Linux).
    public static func generate() -> AuditSealKey {
        var generator = SystemRandomNumberGenerator()
        var words = (0..<(size / 8)).map { _ in generator.next() as UInt64 }
        defer { words.withUnsafeMutableBytes { secureZero($0) } }
        return words.withUnsafeBytes { AuditSealKey(epoch: 0, checkedSize: $0) }
    }

    private init(epoch: UInt64, checkedSize source: UnsafeRawBufferPointer) {
        self.epoch = epoch
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.size, alignment: 8)
        bytes.copyMemory(from: source)
    }

    deinit {
        secureZero(bytes)
        bytes.deallocate()
    }

    /// A copy (the auditor's verifier evolves its own).
    public func copy() -> AuditSealKey { AuditSealKey(epoch: epoch, checkedSize: UnsafeRawBufferPointer(bytes)) }

    /// Moves to the next epoch, overwriting this epoch's key.
    public func evolve() {
        var next = [UInt8](repeating: 0, count: Self.size)
        mac(Array("evolve".utf8), into: &next)
        next.withUnsafeBytes { bytes.copyMemory(from: $0) }
        next.withUnsafeMutableBytes { secureZero($0) }
        epoch += 1
    }

    /// Evolves until ``epoch`` is `target` (which must not be before it).
    public func evolve(to target: UInt64) {
        while epoch < target { evolve() }
    }

    /// The seal of a record whose hash is `hash`: lowercase hex HMAC-SHA256 of the hash's text.
    public func seal(_ hash: String) -> String {
        var out = [UInt8](repeating: 0, count: Self.size)
        mac(Array(hash.utf8), into: &out)
        return Digest.hexString(out)
    }

    /// Names this key without revealing it: hex HMAC-SHA256(key, "fingerprint") of the epoch-0 key.
    /// Recorded in the log when a seed is made, printed by `audit-verify`.
    public func fingerprint() -> String {
        var out = [UInt8](repeating: 0, count: Self.size)
        mac(Array("fingerprint".utf8), into: &out)
        return Digest.hexString(out)
    }

    private func mac(_ message: [UInt8], into out: inout [UInt8]) {
        var length: UInt32 = 0
        let result = message.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                HMAC(EVP_sha256(), bytes.baseAddress, Int32(Self.size), input.baseAddress, input.count, output.baseAddress, &length)
            }
        }
        precondition(result != nil && length == UInt32(Self.size), "HMAC-SHA256 failed")
        IdlePages.used()
    }

    // MARK: The key file

    static let fileMagic = "amphora-audit-seal-key 1"

    /// The key file's text: `amphora-audit-seal-key 1`, `epoch N`, `key HEX`, preceded by `comment`
    /// lines (`# ...`). The caller zeroes the returned bytes after use.
    public func serialized(comment: [String] = []) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        for line in comment { out += Array("# \(line)\n".utf8) }
        out += Array("\(Self.fileMagic)\nepoch \(epoch)\nkey ".utf8)
        let digits = Array("0123456789abcdef".utf8)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Parses a key file (``serialized(comment:)``); nil when it is not one.
    public static func parse(_ text: [UInt8]) -> AuditSealKey? {
        var epoch: UInt64?
        var key = [UInt8]()
        defer { key.withUnsafeMutableBytes { secureZero($0) } }
        var sawMagic = false
        for line in text.split(separator: UInt8(ascii: "\n")) {
            if line.first == UInt8(ascii: "#") { continue }
            if line.elementsEqual(fileMagic.utf8) {
                sawMagic = true
            } else if line.starts(with: "epoch ".utf8) {
                epoch = UInt64(String(decoding: line.dropFirst(6), as: UTF8.self))
            } else if line.starts(with: "key ".utf8) {
                let hex = line.dropFirst(4)
                guard hex.count == size * 2 else { return nil }
                key.reserveCapacity(size)
                var index = hex.startIndex
                while index < hex.endIndex {
                    guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
                    key.append(high << 4 | low)
                    index += 2
                }
            } else {
                return nil
            }
        }
        guard sawMagic, let epoch, key.count == size else { return nil }
        return key.withUnsafeBytes { AuditSealKey(epoch: epoch, bytes: $0) }
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

/// Overwrites `buffer` with zeros in a way the compiler does not remove (`explicit_bzero`).
public func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress else { return }
    explicit_bzero(base, buffer.count)
}
