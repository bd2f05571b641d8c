/// Translates haproxy's Prometheus exporter text to Octavia's metric names one line at a time, with
/// exactly upstream's rules (`PrometheusProxy.do_GET` in octavia/cmd/prometheus_proxy.py):
/// - a line that mentions `prometheus-exporter` (the internal exporter frontend and backend) is dropped;
/// - otherwise the first row of ``OctaviaMetricMap`` whose text occurs anywhere in the line applies,
///   and a line no row matches is dropped;
/// - a HELP line of a row that has its own HELP text becomes that text;
/// - any other line first gets the row's label renames (sample lines only, not `#` lines), then every
///   occurrence of the row's text replaced.
///
/// "First row whose text occurs" is found without trying every row: each row's text is a metric name
/// (`[a-z0-9_]+`, starting `haproxy_`) and one terminator (space or `{`), so a row occurs at a position
/// exactly when the name-character run starting there equals its name and the next byte its terminator.
public struct PrometheusTranslator: Sendable {
    struct Row: Sendable {
        let match: [UInt8]
        let replacement: [UInt8]
        let help: [UInt8]?
        let labelRenames: [(from: [UInt8], to: [UInt8])]
    }

    private let rows: [Row]
    /// Row text to the index of the first row with that text (slices: a lookup copies nothing).
    private let firstRow: [ArraySlice<UInt8>: Int]

    static let prefix = Array("haproxy_".utf8)
    static let internalExporter = Array("prometheus-exporter".utf8)
    static let help = Array("HELP".utf8)

    public init(map: [MetricMapping] = OctaviaMetricMap.rows) {
        rows = map.map { mapping in
            Row(
                match: Array(mapping.match.utf8), replacement: Array(mapping.replacement.utf8), help: mapping.help.map { Array($0.utf8) },
                labelRenames: mapping.labelRenames.map { (from: Array($0.from.utf8), to: Array($0.to.utf8)) })
        }
        var firstRow: [ArraySlice<UInt8>: Int] = [:]
        for (index, row) in rows.enumerated() where firstRow[row.match[...]] == nil {
            precondition(row.match.starts(with: Self.prefix) && row.match.dropLast().allSatisfy(Self.isNameByte), "metric map row \(index)")
            firstRow[row.match[...]] = index
        }
        self.firstRow = firstRow
    }

    /// The translated line (keeping its newline, if it had one), or nil when upstream drops it.
    public func translate(line: ArraySlice<UInt8>) -> [UInt8]? {
        if Self.contains(line, Self.internalExporter) { return nil }
        guard let index = matchingRow(line) else { return nil }
        let row = rows[index]
        if let help = row.help, Self.contains(line, Self.help) { return help }
        guard line.first != UInt8(ascii: "#"), !row.labelRenames.isEmpty else {
            return Self.replacingAll(row.match, with: row.replacement, in: line)
        }
        var text = Array(line)
        for rename in row.labelRenames { text = Self.replacingAll(rename.from, with: rename.to, in: text[...]) }
        return Self.replacingAll(row.match, with: row.replacement, in: text[...])
    }

    /// The index of the first row whose text occurs in `line`.
    func matchingRow(_ line: ArraySlice<UInt8>) -> Int? {
        var best: Int?
        var searchFrom = line.startIndex
        while let start = Self.firstIndex(of: Self.prefix, in: line, from: searchFrom) {
            var end = start
            while end < line.endIndex, Self.isNameByte(line[end]) { end += 1 }
            if end < line.endIndex, let index = firstRow[line[start...end]], index < (best ?? Int.max) { best = index }
            searchFrom = start + 1
        }
        return best
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_")
    }

    static func contains(_ text: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        firstIndex(of: needle, in: text, from: text.startIndex) != nil
    }

    static func firstIndex(of needle: [UInt8], in text: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, text.endIndex - start >= needle.count else { return nil }
        var index = start
        let last = text.endIndex - needle.count
        while index <= last {
            if text[index] == first, text[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Python's `str.replace(old, new)`: every non-overlapping occurrence, left to right.
    static func replacingAll(_ old: [UInt8], with new: [UInt8], in text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 16)
        var cursor = text.startIndex
        while let found = firstIndex(of: old, in: text, from: cursor) {
            out.append(contentsOf: text[cursor..<found])
            out.append(contentsOf: new)
            cursor = found + old.count
        }
        out.append(contentsOf: text[cursor...])
        return out
    }
}
