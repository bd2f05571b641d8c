import CLinuxShim
import Glibc
import IPCProtocol

/// The kernel's IP Virtual Server table: per virtual service, its counters (what `ipvsadm -Ln
/// --stats --exact` shows) and each real server's weight and active connections (`ipvsadm -Ln`).
struct IPVSTable: Equatable, Sendable {
    /// A virtual service: its protocol (`UDP`, `SCTP`, `TCP`) and address.
    struct Key: Hashable, Sendable {
        var protocolName: String
        var endpoint: IPVSEndpoint
    }

    struct RealServer: Equatable, Sendable {
        var weight: Int
        var activeConnections: UInt64
    }

    struct Service: Equatable, Sendable {
        /// Connections (UDP: flows) scheduled since the service was created.
        var connections: UInt64 = 0
        var inBytes: UInt64 = 0
        var outBytes: UInt64 = 0
        var realServers: [IPVSEndpoint: RealServer] = [:]
    }

    var services: [Key: Service] = [:]
}
