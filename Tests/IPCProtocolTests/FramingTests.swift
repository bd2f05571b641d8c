import IPCProtocol
import Testing

@Suite("Framing")
struct FramingTests {
    @Test("a frame round-trips, split at every byte boundary")
    func roundTrip() throws {
        let payload = Array("{\"hello\":1}".utf8)
        let frame = try Frame.encode(payload)
        #expect(frame.prefix(4) == [0, 0, 0, UInt8(payload.count)])
        for split in 0...frame.count {
            var decoder = FrameDecoder()
            decoder.append(frame[0..<split])
            let early = try decoder.nextFrame()
            if split < frame.count { #expect(early == nil) }
            decoder.append(frame[split...])
            let got = try early ?? decoder.nextFrame()
            #expect(got == payload)
        }
    }

    @Test("two frames in one read come out separately")
    func twoFrames() throws {
        var decoder = FrameDecoder()
        decoder.append(try Frame.encode([1, 2, 3]) + Frame.encode([4]))
        #expect(try decoder.nextFrame() == [1, 2, 3])
        #expect(try decoder.nextFrame() == [4])
        #expect(try decoder.nextFrame() == nil)
        #expect(!decoder.isInsideFrame)
    }

    @Test(
        "hostile headers are refused before any payload is buffered",
        arguments: [[0xFF, 0xFF, 0xFF, 0xFF], [0x02, 0x10, 0x00, 0x01], [0, 0, 0, 0]] as [[UInt8]])  // 0x02100001: the 33 MiB cap + 1
    func hostileHeaders(header: [UInt8]) {
        var decoder = FrameDecoder()
        decoder.append(header)
        #expect(throws: FrameError.self) { try decoder.nextFrame() }
    }

    @Test("a blocking reader gets one whole frame however the stream is split; a close inside it is truncated")
    func blockingRead() throws {
        let payload: [UInt8] = Array("{\"x\":1}".utf8)
        let stream = try Frame.encode(payload) + Array("next".utf8)
        for chunk in [1, 3, 64] {
            var position = 0
            let read = try Frame.readPayload { buffer in
                let n = min(chunk, buffer.count, stream.count - position)
                for i in 0..<n { buffer[i] = stream[position + i] }
                position += n
                return n
            }
            #expect(read == payload)
            #expect(position == Frame.headerSize + payload.count, "nothing of the next frame is consumed")
        }
        var served = 0
        let truncated = Array(try Frame.encode(payload).prefix(6))
        #expect(throws: FrameError.truncated) {
            try Frame.readPayload { buffer in
                guard served < truncated.count else { return 0 }
                buffer[0] = truncated[served]
                served += 1
                return 1
            }
        }
        #expect(throws: FrameError.tooLarge(0xFFFF_FFFF)) {
            try Frame.readPayload { buffer in
                for i in 0..<buffer.count { buffer[i] = 0xFF }
                return buffer.count
            }
        }
    }

    @Test("encoding refuses empty and oversized payloads")
    func encodeLimits() {
        #expect(throws: FrameError.empty) { try Frame.encode([]) }
        #expect(throws: FrameError.tooLarge(Frame.maximumPayloadSize + 1)) {
            try Frame.encode([UInt8](repeating: 0x20, count: Frame.maximumPayloadSize + 1))
        }
    }
}

@Suite("Strict JSON and the command set")
struct StrictJSONTests {
    @Test("requests and replies round-trip")
    func roundTrip() throws {
        let request = RequestEnvelope(id: 7, command: .amphoraInfo)
        #expect(try StrictJSON.decode(RequestEnvelope.self, from: StrictJSON.encode(request)) == request)
        let info = AmphoraInfo(
            hostname: "amp", amphoraID: try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"),
            haproxyVersion: "2.6.12-1", keepalivedVersion: nil, ipvsadmVersion: "1:1.31")
        let reply = ReplyEnvelope(id: 7, outcome: .ok(.amphoraInfo(info)))
        #expect(try StrictJSON.decode(ReplyEnvelope.self, from: StrictJSON.encode(reply)) == reply)
        let failure = ReplyEnvelope(id: 8, outcome: .failed(CommandError(.notFound, "Listener Not Found", details: "x")))
        #expect(try StrictJSON.decode(ReplyEnvelope.self, from: StrictJSON.encode(failure)) == failure)
    }

    @Test(
        "unknown commands, unknown fields, wrong types and malformed JSON are refused",
        arguments: [
            #"{"version":1,"id":1,"command":{"reboot":{}}}"#,
            #"{"version":1,"id":1,"command":{"amphoraInfo":{}},"extra":true}"#,
            #"{"version":1,"id":1,"command":{"amphoraInfo":{}, "frontSettings":{}}}"#,
            #"{"version":"1","id":1,"command":{"amphoraInfo":{}}}"#,
            #"{"version":1,"id":-1,"command":{"amphoraInfo":{}}}"#,
            #"{"version":1,"id":1.5,"command":{"amphoraInfo":{}}}"#,
            #"{"version":1,"version":1,"id":1,"command":{"amphoraInfo":{}}}"#,
            #"{"version":1,"id":1,"command":{"amphoraInfo":{}}} trailing"#,
            #"{"version":1,"id":1,"command":{"amphoraInfo":{}}"#,
            #"{"version":1e400,"id":1,"command":{"amphoraInfo":{}}}"#,
        ])
    func refused(text: String) {
        #expect(throws: (any Error).self) { try StrictJSON.decode(RequestEnvelope.self, from: Array(text.utf8)) }
    }

    @Test("deep nesting and invalid UTF-8 are refused by the parser")
    func parserLimits() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xC0, 0xAF, 0x22]) }
        #expect(throws: JSONError.self) { try JSONValue(parsing: Array("\"a\u{0001}\"".utf8)) }
    }

    @Test("strings with controls and quotes survive serialisation")
    func escaping() throws {
        let value = JSONValue.object([("k\"", .string("line\nnext\t\u{0}\\ é"))])
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }
}
