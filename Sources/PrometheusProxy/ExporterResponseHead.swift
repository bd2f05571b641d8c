/// The status line and framing of haproxy's exporter answer (`GET /metrics` on 127.0.0.1:9101).
public struct ExporterResponseHead: Equatable, Sendable {
    /// How the body's end is known.
    public enum Framing: Equatable, Sendable {
        case chunked
        case length(Int)
        case untilClose
    }

    public let status: Int
    public let framing: Framing

    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses the head (status line and header lines, without the blank line that ends it).
    public init(parsing head: ArraySlice<UInt8>) throws(Malformed) {
        // Split bytes, not text: "\r\n" is one Character in a String.
        let lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            Substring(String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self))
        }
        let statusFields = (lines.first ?? "").split(separator: " ", maxSplits: 2)
        guard statusFields.count >= 2, statusFields[0].hasPrefix("HTTP/1."), let status = Int(statusFields[1]) else {
            throw Malformed(description: "not an HTTP/1 status line")
        }
        var framing = Framing.untilClose
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(inSet: " \t").lowercased()
            if name == "transfer-encoding", value.contains("chunked") {
                framing = .chunked
            } else if name == "content-length", framing != .chunked {
                guard let length = Int(value), length >= 0 else { throw Malformed(description: "bad content-length") }
                framing = .length(length)
            }
        }
        self.status = status
        self.framing = framing
    }

    /// The end of the head in `bytes` (the index after its blank line) and where the head's text ends.
    public static func end(in bytes: ArraySlice<UInt8>) -> (head: Range<Int>, bodyStart: Int)? {
        var index = bytes.startIndex
        while let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) {
            let next = newline + 1
            if next < bytes.endIndex, bytes[next] == UInt8(ascii: "\n") { return (bytes.startIndex..<newline, next + 1) }
            if next + 1 < bytes.endIndex, bytes[next] == UInt8(ascii: "\r"), bytes[next + 1] == UInt8(ascii: "\n") {
                return (bytes.startIndex..<newline, next + 2)
            }
            index = next
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(inSet set: String) -> Substring {
        var result = self[...]
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
