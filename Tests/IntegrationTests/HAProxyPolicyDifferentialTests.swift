import Foundation
import Testing

/// The haproxy tokenizer against the real haproxy: many spellings of each forbidden keyword
/// (quoting, escaping, `$VAR`/`${VAR}` expansion with the variable set, concatenation, blank
/// variants). Each text goes to the real agent and, separately, to `haproxy -c` run unprivileged
/// (nobody/nogroup, no supplementary groups) in a throwaway directory. Whenever haproxy recognises
/// the keyword, the agent must already have refused the text (400), or, for `stats socket`, forced
/// its own socket in its place.
@Suite("haproxy policy against the real haproxy", .serialized, .timeLimit(.minutes(10)))
struct HAProxyPolicyDifferentialTests {
    /// A valid configuration in Octavia's shape (`{GLOBAL}` and `{BACKEND}` mark insertion points).
    static let base = """
        global
            daemon
            maxconn 100
        {GLOBAL}
        defaults
            retries 3
        frontend f1
            bind 127.0.0.1:8080
            mode http
            default_backend b1
            timeout client 5s
        backend b1
            mode http
            timeout connect 5s
            timeout server 5s
        {BACKEND}
            server m1 127.0.0.1:8081 weight 1

        """

    /// One forbidden directive: its keyword words, the rest of the line, where it goes, and how a
    /// recognised spelling shows in haproxy's outcome.
    struct Directive {
        var words: [String]
        var arguments: String
        var place: Place
        /// A text in haproxy's output that only a recognised keyword produces; nil: exit status 0.
        var marker: String?
    }

    enum Place { case global, backend, section }

    static let directives: [Directive] = [
        Directive(words: ["lua-load"], arguments: "/nonexistent/amphora-diff.lua", place: .global, marker: "Lua file"),
        Directive(words: ["lua-load-per-thread"], arguments: "/nonexistent/amphora-diff.lua", place: .global, marker: "Lua file"),
        Directive(words: ["lua-prepend-path"], arguments: "/nonexistent/?.lua", place: .global, marker: nil),
        Directive(words: ["program"], arguments: "evil\n    command /bin/true", place: .section, marker: "'program' section"),
        Directive(words: ["external-check", "command"], arguments: "/bin/true", place: .backend, marker: nil),
        Directive(words: ["stats", "socket"], arguments: "/nonexistent/amphora-diff.sock", place: .global, marker: nil),
        Directive(words: ["errorfile"], arguments: "503 /etc/hostname", place: .backend, marker: "unable to parse headers"),
        Directive(words: [".notice"], arguments: "amphora-diff-marker", place: .global, marker: "amphora-diff-marker"),
        Directive(words: [".if"], arguments: "1\n.endif", place: .global, marker: nil),
    ]

    /// The environment variable haproxy gets (and the agent never sees): the keyword itself.
    static let variable = "AMPHORA_DIFF_KW"

    /// Spellings of one word that haproxy may read as the word.
    static func spellings(_ word: String) -> [String] {
        let chars = Array(word)
        var result = [word, "\"\(word)\"", "'\(word)'", "\"\"\(word)", "\(word)''", "\"${\(variable)}\"", "\"$\(variable)\"",
                      "${\(variable)}", "\"${AMPHORA_DIFF_UNSET-\(word)}\"", "\"${\(variable)[*]}\"", "\\\(word)"]
        for i in 1..<chars.count {
            let a = String(chars[..<i]), b = String(chars[i...])
            result += ["\(a)\"\(b)\"", "\"\(a)\"\(b)", "\(a)'\(b)'", "\(a)\"\"\(b)", "\(a)\\\(b)", "\(a)\\ \(b)"]
        }
        return result
    }

    /// Every line to try for a directive: each spelling of one keyword word, the others plain, with blank variants.
    static func lines(_ directive: Directive) -> [(line: String, env: String)] {
        var result: [(String, String)] = []
        for (index, word) in directive.words.enumerated() {
            for spelling in spellings(word) {
                var words = directive.words
                words[index] = spelling
                let line = words.joined(separator: " ") + " " + directive.arguments
                result.append((line, word))
            }
        }
        let plain = directive.words.joined(separator: " ") + " " + directive.arguments
        for blank in ["\t", " \t ", "\u{0B}", "\u{0C}"] {
            result.append((directive.words.joined(separator: blank) + blank + directive.arguments, directive.words[0]))
            result.append((blank + plain, directive.words[0]))
        }
        result.append((plain + "\r", directive.words[0]))
        // The whole directive from one expansion, split into words by [*].
        result.append(("\"${\(variable)[*]}\"", plain.replacingOccurrences(of: "\n", with: " ")))
        return result
    }

    static func text(_ directive: Directive, _ line: String) -> String {
        var text = base
        switch directive.place {
        case .global:
            text = text.replacingOccurrences(of: "{GLOBAL}", with: "    " + line)
        case .backend:
            text = text.replacingOccurrences(of: "{BACKEND}", with: "    " + line)
        case .section:
            text += line + "\n"
        }
        return text.replacingOccurrences(of: "{GLOBAL}\n", with: "").replacingOccurrences(of: "{BACKEND}\n", with: "")
    }

    /// `haproxy -c` as nobody/nogroup in a fresh directory: exit status and output.
    static func realHAProxy(_ text: String, env: String) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amphora-diff-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        chmod(dir, 0o755)
        let file = dir + "/haproxy.cfg"
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/sbin/haproxy", "-c", "-f", file]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", variable: env]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("whenever haproxy recognises a forbidden keyword, the agent has refused the text (or forced the socket)")
    func forbiddenKeywordSpellings() throws {
        let baseline = try Self.realHAProxy(Self.text(Self.directives[0], "# nothing"), env: "")
        try #require(baseline.status == 0, "the base configuration must pass haproxy -c: \(baseline.output)")

        let agent = try AgentHarness()
        try agent.start()
        defer { agent.stop() }
        let lb = HAProxyLifecycleTests.uuid()
        var recognised = 0, tried = 0
        var recognisedByDirective: [String: Int] = [:]
        for directive in Self.directives {
            for (line, env) in Self.lines(directive) {
                let text = Self.text(directive, line)
                let haproxy = try Self.realHAProxy(text, env: env)
                let isRecognised = directive.marker.map { haproxy.output.contains($0) } ?? (haproxy.status == 0)
                let upload = try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(text.utf8))
                tried += 1
                guard isRecognised else { continue }
                recognised += 1
                recognisedByDirective[directive.words.joined(separator: " "), default: 0] += 1
                if upload.status == 202 {
                    // Only a plain `stats socket` line may pass: replaced by the agent's own socket.
                    let stored = try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy").text
                    #expect(directive.words == ["stats", "socket"] && !stored.contains("amphora-diff.sock"),
                            "recognised by haproxy, accepted by the agent: \(line.debugDescription)")
                } else {
                    #expect(upload.status == 400, "\(line.debugDescription): \(upload.status) \(upload.text)")
                }
            }
        }
        // Not vacuous: every directive had spellings haproxy recognised.
        for directive in Self.directives {
            #expect(recognisedByDirective[directive.words.joined(separator: " "), default: 0] > 0, "\(directive.words)")
        }
        #expect(recognised > 0 && tried > recognised, "tried \(tried), recognised \(recognised)")
    }
}
