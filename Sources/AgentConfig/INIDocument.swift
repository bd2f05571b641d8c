/// An INI file parsed the way oslo.config's `iniparser` reads it.
///
/// * `[section]` headers; names are case-sensitive, `DEFAULT` is an ordinary name here.
///   A section may appear several times; its keys are merged.
/// * `key = value` or `key: value` (whichever separator comes first); key and value are trimmed.
///   A value wrapped in a matching pair of `"` or `'` loses that pair, as in oslo.
/// * Full-line comments start with `#` or `;`. There are no inline comments: `a = b # c` sets
///   `a` to `b # c`, as in oslo.
/// * A line starting with a space or tab continues the previous value; the pieces are joined with
///   `"\n"`. A blank line or a comment ends the value.
/// * A key set twice in one section keeps the last value (and its line number).
/// * Lines end with `\n`, `\r\n` or `\r`; a leading byte order mark is ignored.
///
/// ```
/// let doc = try INIDocument(parsing: "[haproxy_amphora]\nbind_port = 9443\n")
/// doc.value("haproxy_amphora", "bind_port")  // "9443"
/// ```
public struct INIDocument: Sendable, Equatable {
    /// One assignment, as it stands after the whole file has been read.
    public struct Entry: Sendable, Equatable {
        /// The key, trimmed.
        public let key: String
        /// The value, trimmed, unquoted, continuation lines joined with `"\n"`.
        public let value: String
        /// The 1-based line number of the (last) assignment of this key.
        public let line: Int
    }

    /// One section with its entries in the order their keys were first assigned.
    public struct Section: Sendable, Equatable {
        /// The section name as written between the brackets (surrounding blanks removed).
        public let name: String
        /// The 1-based line number of the section's first header.
        public let line: Int
        /// The entries, in order of each key's first assignment.
        public private(set) var entries: [Entry] = []
        private var positions: [String: Int] = [:]

        init(name: String, line: Int) {
            self.name = name
            self.line = line
        }

        /// The entry for `key`, if the section sets it.
        public func entry(_ key: String) -> Entry? {
            positions[key].map { entries[$0] }
        }

        mutating func assign(_ entry: Entry) {
            if let position = positions[entry.key] {
                entries[position] = entry
            } else {
                positions[entry.key] = entries.count
                entries.append(entry)
            }
        }
    }

    /// The sections in the order they first appear.
    public private(set) var orderedSections: [Section] = []
    private var sectionPositions: [String: Int] = [:]

    /// The section names in the order they first appear.
    public var sectionNames: [String] { orderedSections.map(\.name) }

    /// Every section as a dictionary of its keys and values (order lost; see ``orderedSections``).
    public var sections: [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for section in orderedSections {
            var values: [String: String] = [:]
            for entry in section.entries { values[entry.key] = entry.value }
            result[section.name] = values
        }
        return result
    }

    /// The section called `name`, if present.
    public func section(_ name: String) -> Section? {
        sectionPositions[name].map { orderedSections[$0] }
    }

    /// The entry for `key` in `section`, with its line number.
    public func entry(_ section: String, _ key: String) -> Entry? {
        self.section(section)?.entry(key)
    }

    /// The value of `key` in `section`, or `nil` when it is not set.
    public func value(_ section: String, _ key: String) -> String? {
        entry(section, key)?.value
    }

    /// Parses `text`. `source` labels the errors (normally the file path).
    public init(parsing text: String, source: String = "<string>") throws(ConfigError) {
        var parser = Parser(source: source)
        for (index, line) in Self.lines(of: text).enumerated() {
            try parser.consume(line, number: index + 1, into: &self)
        }
        parser.flush(into: &self)
    }

    /// Starts (or re-enters) a section and returns its position.
    mutating func openSection(_ name: String, line: Int) -> Int {
        if let position = sectionPositions[name] { return position }
        sectionPositions[name] = orderedSections.count
        orderedSections.append(Section(name: name, line: line))
        return orderedSections.count - 1
    }

    mutating func assign(_ entry: Entry, inSectionAt position: Int) {
        orderedSections[position].assign(entry)
    }

    /// Splits on `\n`, `\r\n` and `\r` (Python's universal newlines), working on scalars so that
    /// no grapheme cluster ever hides a separator or a leading blank.
    static func lines(of text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var previousWasCR = false
        var first = true
        for scalar in text.unicodeScalars {
            defer { first = false }
            if first && scalar == "\u{FEFF}" { continue }
            if scalar == "\n" {
                if previousWasCR {
                    previousWasCR = false
                    continue
                }
                lines.append(current)
                current = []
            } else if scalar == "\r" {
                lines.append(current)
                current = []
                previousWasCR = true
            } else {
                previousWasCR = false
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// The line-by-line state machine, a transcription of `oslo_config.iniparser.BaseParser.parse`.
private struct Parser {
    let source: String
    var sectionPosition: Int?
    var pendingKey: String?
    var pendingValue: [String] = []
    var pendingLine = 0

    init(source: String) {
        self.source = source
    }

    func error(_ line: Int, _ message: String) -> ConfigError {
        ConfigError(source: source, line: line, problem: .syntax(message))
    }

    mutating func flush(into document: inout INIDocument) {
        guard let key = pendingKey, let position = sectionPosition else { return }
        let entry = INIDocument.Entry(key: key, value: pendingValue.joined(separator: "\n"), line: pendingLine)
        document.assign(entry, inSectionAt: position)
        pendingKey = nil
        pendingValue = []
    }

    mutating func consume(_ raw: [Unicode.Scalar], number: Int, into document: inout INIDocument) throws(ConfigError) {
        let line = Scalars.trimmingTrailingWhitespace(raw[...])
        guard let head = line.first else {
            flush(into: &document)  // a blank line ends a multi-line value
            return
        }
        if head == " " || head == "\t" {
            guard pendingKey != nil else {
                throw error(number, "continuation line (starts with a blank) with no \"key = value\" before it")
            }
            pendingValue.append(Scalars.string(Scalars.trimmingLeadingWhitespace(line)))
            return
        }
        flush(into: &document)
        if head == "[" {
            guard line.last == "]" else { throw error(number, "section header without a closing \"]\"") }
            let inner = line.dropFirst().dropLast()
            let name = Scalars.string(Scalars.trimmingLeadingWhitespace(Scalars.trimmingTrailingWhitespace(inner)))
            guard !name.isEmpty else { throw error(number, "empty section name") }
            sectionPosition = document.openSection(name, line: number)
        } else if head == "#" || head == ";" {
            return
        } else {
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw error(number, "expected \"key = value\"")
            }
            let key = Scalars.string(Scalars.trimmingLeadingWhitespace(Scalars.trimmingTrailingWhitespace(line[..<separator])))
            guard !key.isEmpty else { throw error(number, "empty key before \"\(line[separator])\"") }
            guard sectionPosition != nil else {
                throw error(number, "\"\(key)\" is set before any [section] header")
            }
            var value = Scalars.trimmingLeadingWhitespace(line[(separator + 1)...])
            if let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            pendingKey = key
            pendingValue = [Scalars.string(value)]
            pendingLine = number
        }
    }
}

/// Small helpers over scalar slices.
enum Scalars {
    static func trimmingTrailingWhitespace(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var end = s.endIndex
        while end > s.startIndex, s[end - 1].properties.isWhitespace { end -= 1 }
        return s[s.startIndex..<end]
    }

    static func trimmingLeadingWhitespace(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var start = s.startIndex
        while start < s.endIndex, s[start].properties.isWhitespace { start += 1 }
        return s[start..<s.endIndex]
    }

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        return String(view)
    }
}
