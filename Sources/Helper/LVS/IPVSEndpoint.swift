import Glibc
import IPCProtocol

/// An IP Virtual Server address and port: `192.0.2.1 53` in a keepalived configuration, described
/// `192.0.2.1:53` or `[2001:db8::1]:53` as `ipvsadm -n` prints it.
struct IPVSEndpoint: Hashable, Sendable, CustomStringConvertible {
    var address: IPAddress
    var port: UInt16

    init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// The `ADDRESS PORT` words of a keepalived configuration.
    init?(address: Substring, port: Substring) {
        guard let ip = try? IPAddress(validating: String(address)), let number = UInt16(port) else { return nil }
        self.init(address: ip, port: number)
    }

    var description: String { address.family == .v6 ? "[\(address)]:\(port)" : "\(address):\(port)" }
}
