import HeartbeatFormat
import IPCProtocol
import Testing

@testable import FrontAPI

@Suite("heartbeat envelope and message")
struct HeartbeatEnvelopeTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }

    @Test("the upstream test vector, byte for byte")
    func upstreamVector() throws {
        // test_health_sender.py: {"testkey": "TEST"} with key TEST (Python's json.dumps spacing).
        let datagram = try HeartbeatEnvelope.wrap(Array(#"{"testkey": "TEST"}"#.utf8), key: "TEST")
        let expected = "78daab562a492d2ec94ead54b252500a710d0e51aa050041b50624"
        let mac = "5806e5c1971e79951818394ea6e71ad989ff950945f9573f4ab6f83e25db8ed7"
        #expect(datagram.count == 91)
        #expect(Self.hex(Array(datagram.prefix(27))) == expected)
        #expect(String(decoding: datagram.suffix(64), as: UTF8.self) == mac)
    }

    @Test("zlib container: 78 DA header, HMAC over the compressed bytes only")
    func container() throws {
        let payload = try HeartbeatEnvelope.compress(Array(repeating: UInt8(ascii: "a"), count: 1000))
        #expect(payload.prefix(2) == [0x78, 0xDA])
        let datagram = try HeartbeatEnvelope.wrap(Array("{}".utf8), key: "k")
        let compressed = Array(datagram.dropLast(64))
        #expect(String(decoding: datagram.suffix(64), as: UTF8.self) == HeartbeatEnvelope.hexHMAC(compressed, key: "k"))
        #expect(HeartbeatEnvelope.hexHMAC([], key: "k") != HeartbeatEnvelope.hexHMAC([], key: "l"))
    }

    @Test("the audit head rides along as audit_head (the controller ignores keys it does not know), and crosses the helper socket")
    func auditHead() throws {
        let hash = String(repeating: "ab", count: 32)
        let report = HeartbeatReport(keepalived: .running, listeners: [], pools: [], auditHead: AuditHead(sequence: 42, hash: hash, epoch: 3))
        let text = HeartbeatMessage.json(amphoraID: "a", sequence: 7, report: report).jsonText
        #expect(text == #"{"id":"a","seq":7,"ver":3,"listeners":{},"pools":{},"audit_head":{"seq":42,"hash":""# + hash + #"","epoch":3}}"#)
        #expect(try StrictJSON.decode(HeartbeatReport.self, from: try StrictJSON.encode(report)) == report)
        let without = HeartbeatReport(keepalived: .running, listeners: [], pools: [])
        #expect(!HeartbeatMessage.json(amphoraID: "a", sequence: 7, report: without).jsonText.contains("audit_head"))
        #expect(try StrictJSON.decode(HeartbeatReport.self, from: try StrictJSON.encode(without)) == without)
    }

    @Test("message version 3: listeners with stats, pools keyed pool:listener with members")
    func message() throws {
        let report = HeartbeatReport(
            keepalived: .notConfigured,
            listeners: [ListenerHeartbeat(id: "l1", status: "OPEN", tx: 5, rx: 6, conns: 1, totconns: 2, ereq: 0)],
            pools: [PoolHeartbeat(key: "p1:l1", status: "UP", members: [MemberStatus(name: "m1", status: "DRAIN")])])
        let text = HeartbeatMessage.json(amphoraID: "a", sequence: 7, report: report).jsonText
        #expect(text == #"{"id":"a","seq":7,"ver":3,"listeners":{"l1":{"status":"OPEN","stats":{"tx":5,"rx":6,"conns":1,"totconns":2,"ereq":0}}},"pools":{"p1:l1":{"status":"UP","members":{"m1":"DRAIN"}}}}"#)
    }

    @Test("a repeated listener, pool or member name is one JSON member at its first place: counters added, the last status (fuzz finding)")
    func repeatedNames() throws {
        let report = HeartbeatReport(
            keepalived: .running,
            listeners: [
                ListenerHeartbeat(id: "l1", status: "OPEN", tx: 1, rx: 10, conns: 1, totconns: 1, ereq: 0),
                ListenerHeartbeat(id: "l2", status: "OPEN", tx: 2, rx: 2, conns: 2, totconns: 2, ereq: 0),
                ListenerHeartbeat(id: "l1", status: "FULL", tx: 3, rx: .max, conns: 3, totconns: 3, ereq: 1),
            ],
            pools: [
                PoolHeartbeat(key: "p:l1", status: "UP", members: [MemberStatus(name: "m", status: "UP"), MemberStatus(name: "m", status: "DOWN")]),
                PoolHeartbeat(key: "p:l1", status: "DOWN", members: [MemberStatus(name: "n", status: "UP"), MemberStatus(name: "m", status: "MAINT")]),
            ])
        let message = HeartbeatMessage.json(amphoraID: "a", sequence: 1, report: report)
        let text = message.jsonText
        #expect(text == #"{"id":"a","seq":1,"ver":3,"listeners":{"l1":{"status":"FULL","stats":{"tx":4,"rx":18446744073709551615,"conns":4,"totconns":4,"ereq":1}},"l2":{"status":"OPEN","stats":{"tx":2,"rx":2,"conns":2,"totconns":2,"ereq":0}}},"pools":{"p:l1":{"status":"DOWN","members":{"m":"MAINT","n":"UP"}}}}"#)
        #expect(try JSONValue(parsing: message.serialized()) == message)
    }

    @Test("controller addresses", arguments: [
        ("127.0.0.1:5555", true), ("[::1]:5555", true), ("192.0.2.1:0", false), ("::1:5555", false), ("host:5555", false),
        ("[::1]5555", false), ("10.0.0.1:70000", false),
    ])
    func addresses(text: String, valid: Bool) {
        #expect((SocketAddress(text) != nil) == valid)
    }

    @Test("two-decimal numbers")
    func fixed() {
        #expect(AgentAPI.fixed2(0) == "0.00")
        #expect(AgentAPI.fixed2(0.434) == "0.43")
        #expect(AgentAPI.fixed2(12.5) == "12.50")
        #expect(AgentAPI.fixed2(99.999) == "100.00")
        #expect(AgentAPI.fixed2(.nan) == "0.00")
    }
}
