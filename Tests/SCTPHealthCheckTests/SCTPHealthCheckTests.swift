import Testing

@testable import SCTPHealthCheck

/// The SCTP health check's packets, byte for byte against upstream's `octavia.cmd.health_checker`
/// (vectors produced by its `_sctp_build_init_packet` and `_sctp_build_abort_packet`); the check
/// itself runs against a real SCTP member in LVSRunningTests (a kernel with IP_VS and SCTP).
@Suite("SCTP health check packets")
struct SCTPHealthCheckTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    @Test("CRC32c: the standard check value, and RFC 3720's 32 zero bytes")
    func crc() {
        #expect(SCTPHealthCheck.crc32c(Array("123456789".utf8)) == 0xE306_9283)
        #expect(SCTPHealthCheck.crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test("INIT and ABORT equal upstream's packets")
    func packets() {
        let initial = SCTPHealthCheck.initPacket(sourcePort: 4321, destinationPort: 80, tag: 0x1122_3344, initialTSN: 0x5566_7788)
        #expect(Self.hex(initial) == "10e10050000000008299c98f01000014112233440001a000000affff55667788")
        let abort = SCTPHealthCheck.abortPacket(sourcePort: 4321, destinationPort: 80, tag: 0xAABB_CCDD)
        #expect(Self.hex(abort) == "10e10050aabbccdd4474405a06010004")
    }

    @Test("answers: only ours (our tag) count; IPv4 raw packets carry the IP header")
    func answers() {
        let sctp: [UInt8] = [0, 80, 0x10, 0xE1] + [0x11, 0x22, 0x33, 0x44] + [0, 0, 0, 0] + [2, 0, 0, 20] + [0xDE, 0xAD, 0xBE, 0xEF]
        let ipHeader: [UInt8] = [0x45] + [UInt8](repeating: 0, count: 19)
        #expect(SCTPHealthCheck.answerType((ipHeader + sctp)[...], ipv4: true, expectedTag: 0x1122_3344) == 2)
        #expect(SCTPHealthCheck.answerType(sctp[...], ipv4: false, expectedTag: 0x1122_3344) == 2)
        #expect(SCTPHealthCheck.answerType(sctp[...], ipv4: false, expectedTag: 0x1122_3345) == nil)
        #expect(SCTPHealthCheck.answerType(Array(sctp.prefix(10))[...], ipv4: false, expectedTag: 0x1122_3344) == nil)
    }

    @Test("an address that is not one, and a refused socket, are 'unexpected' rather than a crash")
    func badAddress() {
        #expect(SCTPHealthCheck.run(address: "not-an-address", port: 80, timeoutSeconds: 1) == .unexpected)
    }
}
