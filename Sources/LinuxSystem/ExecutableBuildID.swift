import CLinuxShim

/// The running executable's GNU build ID: the linker's hash of its contents, so another build of
/// the code has another one. Read once from the loaded program headers (no file, no system call).
public enum ExecutableBuildID {
    /// Lower-case hex, or nil for an executable linked without a build ID.
    public static let hex: String? = {
        var bytes = [UInt8](repeating: 0, count: 64)
        let length = cshim_executable_build_id(&bytes, bytes.count)
        guard length > 0 else { return nil }
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes[0..<length].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }()
}
