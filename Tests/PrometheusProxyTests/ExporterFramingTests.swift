import PrometheusProxy
import Testing

/// Reading haproxy's exporter answer: the head, chunked bodies split anywhere, lengths and close.
@Suite("Prometheus exporter framing")
struct ExporterFramingTests {
    @Test("a chunked head, a length head, a bare head")
    func heads() throws {
        let chunked = Array("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nrest".utf8)
        let end = try #require(ExporterResponseHead.end(in: chunked[...]))
        #expect(String(decoding: chunked[end.bodyStart...], as: UTF8.self) == "rest")
        #expect(try ExporterResponseHead(parsing: chunked[end.head]) == ExporterResponseHead(parsing: chunked[end.head]))
        let head = try ExporterResponseHead(parsing: chunked[end.head])
        #expect(head.status == 200 && head.framing == .chunked)
        let length = try ExporterResponseHead(parsing: Array("HTTP/1.0 503 Unavailable\r\nContent-Length: 12".utf8)[...])
        #expect(length.status == 503 && length.framing == .length(12))
        #expect(try ExporterResponseHead(parsing: Array("HTTP/1.1 200 OK".utf8)[...]).framing == .untilClose)
        #expect(throws: ExporterResponseHead.Malformed.self) { try ExporterResponseHead(parsing: Array("SSH-2.0-x".utf8)[...]) }
        #expect(ExporterResponseHead.end(in: Array("HTTP/1.1 200 OK\r\nA: b\r\n".utf8)[...]) == nil)
    }

    @Test("chunked bodies decode the same however the bytes are split")
    func chunkedSplits() throws {
        let wire = Array("5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nignored".utf8)
        for piece in 1...wire.count {
            var decoder = ChunkedBodyDecoder()
            var out: [UInt8] = []
            var index = 0
            while index < wire.count, !decoder.isFinished {
                try decoder.decode(wire[index..<min(index + piece, wire.count)], into: &out)
                index += piece
            }
            #expect(decoder.isFinished)
            #expect(String(decoding: out, as: UTF8.self) == "hello, world", "piece \(piece)")
        }
    }

    @Test("malformed chunking is refused")
    func malformedChunks() {
        for wire in ["zz\r\n", "3\r\nabcX\r\n", String(repeating: "1", count: 5000)] {
            var decoder = ChunkedBodyDecoder()
            var out: [UInt8] = []
            #expect(throws: ChunkedBodyDecoder.Malformed.self, "\(wire.prefix(20))") { try decoder.decode(Array(wire.utf8)[...], into: &out) }
        }
    }

    @Test("a length body stops at its length; a close body takes everything")
    func otherFramings() throws {
        var length = ExporterBodyReader(framing: .length(3))
        var out: [UInt8] = []
        try length.decode(Array("abcdef".utf8)[...], into: &out)
        #expect(out == Array("abc".utf8) && length.isFinished && !length.endsAtClose)
        var close = ExporterBodyReader(framing: .untilClose)
        out = []
        try close.decode(Array("abcdef".utf8)[...], into: &out)
        #expect(out.count == 6 && !close.isFinished && close.endsAtClose)
    }
}
