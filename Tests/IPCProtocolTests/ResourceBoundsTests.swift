import IPCProtocol
import Testing

// Resource bounds of the helper's input path (issue 14, point 7): a frame's buffer follows the bytes
// received, not the length its header announces; a JSON document holds a bounded number of values.

@Suite("Resource bounds: frame reading and JSON size")
struct ResourceBoundsTests {
    /// A 4 MiB header, then `body`, then end of stream; records the largest buffer offered to `readSome`.
    private func readAnnouncedFrame(_ body: [UInt8]) -> (error: (any Error)?, largestBuffer: Int) {
        let stream = [0x00, 0x40, 0x00, 0x00] + body  // 4 MiB exactly: the cap
        var position = 0
        var largest = 0
        do {
            _ = try Frame.readPayload { buffer in
                largest = max(largest, buffer.count)
                let n = min(buffer.count, stream.count - position)
                for i in 0..<n { buffer[i] = stream[position + i] }
                position += n
                return n
            }
            return (nil, largest)
        } catch {
            return (error, largest)
        }
    }

    @Test("fourMiBHeaderWithFewBytesDoesNotAllocateFourMiB: the reader never offers more than a chunk")
    func fourMiBHeaderWithFewBytesDoesNotAllocateFourMiB() {
        let (error, largest) = readAnnouncedFrame(Array("{\"version\":1".utf8))
        #expect(error as? FrameError == .truncated)
        #expect(largest <= FramePayloadReader.chunkSize, "a buffer of \(largest) bytes was offered for 12 bytes received")
    }

    @Test("the payload buffer grows with the bytes received, not with the announced length")
    func payloadBufferFollowsTheBytesReceived() throws {
        var reader = FramePayloadReader(length: Frame.maximumPayloadSize)
        #expect(reader.bufferCapacity == 0, "nothing is allocated before a byte arrives")
        let n = reader.receive { buffer in
            for i in 0..<5 { buffer[i] = UInt8(ascii: "x") }
            return 5
        }
        #expect(n == 5)
        #expect(reader.payload == Array("xxxxx".utf8))
        #expect(!reader.isComplete)
        #expect(reader.bufferCapacity <= 2 * FramePayloadReader.chunkSize)
        let closed = reader.receive { _ in 0 }
        #expect(closed == 0, "the peer closed")
        #expect(reader.payload.count == 5)

        // Fed in full, the capacity stays within twice the bytes received plus a chunk.
        var full = FramePayloadReader(length: 1_000_000)
        var received = 0
        while !full.isComplete {
            received += full.receive { buffer in
                for i in 0..<buffer.count { buffer[i] = 0x20 }
                return buffer.count
            }
            #expect(full.bufferCapacity <= 2 * received + FramePayloadReader.chunkSize)
        }
        #expect(full.payload.count == 1_000_000)
    }

    @Test("a whole frame still arrives intact through chunked reading, also at the cap")
    func wholeFrameAtTheCap() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "a"), count: Frame.maximumPayloadSize)
        let stream = try Frame.encode(payload)
        var position = 0
        let read = try Frame.readPayload { buffer in
            let n = min(buffer.count, stream.count - position, 100_000)
            for i in 0..<n { buffer[i] = stream[position + i] }
            position += n
            return n
        }
        #expect(read == payload)
    }

    @Test("tooManyJSONValuesAreRefused with a clear error, exactly the cap is accepted")
    func tooManyJSONValuesAreRefused() throws {
        func array(_ count: Int) -> [UInt8] {
            // The array itself is one value, each element another.
            Array(("[" + Array(repeating: "0", count: count - 1).joined(separator: ",") + "]").utf8)
        }
        let atCap = try JSONValue(parsing: array(JSONValue.maximumElements))
        guard case .array(let items) = atCap else { Issue.record("not an array"); return }
        #expect(items.count == JSONValue.maximumElements - 1)

        let error = try #require(throws: JSONError.self) { try JSONValue(parsing: array(JSONValue.maximumElements + 1)) }
        #expect(error.message.contains("more than \(JSONValue.maximumElements) values"))
        #expect(error.description.hasPrefix("invalid JSON at byte "))

        // Empty containers count too: they cost memory once parsed.
        let empties = Array(("[" + Array(repeating: "{}", count: JSONValue.maximumElements).joined(separator: ",") + "]").utf8)
        #expect(throws: JSONError.self) { try JSONValue(parsing: empties) }
        // A caller may set a smaller budget.
        #expect(throws: JSONError.self) { try JSONValue(parsing: Array(#"{"a":[1,2]}"#.utf8), maximumElements: 3) }
        #expect(try JSONValue(parsing: Array(#"{"a":[1,2]}"#.utf8), maximumElements: 4) != .null)
    }

    @Test("the helper's request decoding applies the request budget; replies have their own")
    func documentBudgets() throws {
        #expect(RequestEnvelope.maximumJSONElements == JSONValue.maximumElements)
        #expect(ReplyEnvelope.maximumJSONElements > RequestEnvelope.maximumJSONElements)
        let many = Array(repeating: "0", count: JSONValue.maximumElements).joined(separator: ",")
        let request = Array(#"{"version":1,"id":1,"command":{"topology":{}},"x":[\#(many)]}"#.utf8)
        let error = try #require(throws: JSONError.self) { try StrictJSON.decode(RequestEnvelope.self, from: request) }
        #expect(error.message.contains("values"))

        let members = Array(repeating: #"{"name":"m","status":"UP"}"#, count: 30_000).joined(separator: ",")
        let reply = Array(#"{"version":1,"id":1,"outcome":{"ok":{"_0":{"heartbeatStats":{"_0":{"keepalived":"running","listeners":[],"pools":[{"key":"p","status":"UP","members":[\#(members)]}]}}}}}}"#.utf8)
        let decoded = try StrictJSON.decode(ReplyEnvelope.self, from: reply)
        guard case .ok(.heartbeatStats(let report)) = decoded.outcome else { Issue.record("\(decoded.outcome)"); return }
        #expect(report.pools.first?.members.count == 30_000)
    }
}
