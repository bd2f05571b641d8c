import Foundation
import Helper
import Testing

/// The VRRP policy against the real keepalived: many spellings of forbidden keywords (quoting,
/// escapes, `$` definitions, `@` conditionals, `~SEQ`, include, brace residue, long lines, blanks),
/// each checked by our policy and by `keepalived --config-test -f FILE` run unprivileged (as
/// nobody, through setpriv) in a throwaway directory. Whenever keepalived recognises a forbidden
/// keyword (it reports a SECURITY VIOLATION: a script would run), the policy must have refused the
/// text already. The base configuration has no script, so any violation comes from the payload.
@Suite("keepalived differential: policy vs keepalived --config-test", .serialized)
struct KeepalivedDifferentialTests {
    static let keepalived = "/usr/sbin/keepalived"
    static let setpriv = "/usr/bin/setpriv"

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: keepalived) && FileManager.default.isExecutableFile(atPath: setpriv) && getuid() == 0
    }

    // No `interface` line: keepalived stops at an unknown interface before its script-security check.

    /// Where the payload goes: global_defs (startup/shutdown scripts), vrrp_script, vrrp_instance, top level.
    enum Slot: CaseIterable { case globalDefs, vrrpScript, instance, top }

    static func base(_ slot: Slot, _ payload: String) -> String {
        func at(_ s: Slot) -> String { s == slot ? payload + "\n" : "" }
        return "global_defs {\n    router_id amp\n\(at(.globalDefs))}\n"
            + "vrrp_script chk {\n    interval 1\n\(at(.vrrpScript))}\n"
            + "vrrp_instance v {\n    state MASTER\n    virtual_router_id 51\n    priority 100\n"
            + "    virtual_ipaddress {\n        192.0.2.100\n    }\n\(at(.instance))    track_script {\n        chk\n    }\n}\n"
            + at(.top)
    }

    /// Forbidden keyword, its argument, and the slot where keepalived would act on it.
    static let keywords: [(String, String, Slot)] = [
        ("startup_script", "/bin/true", .globalDefs), ("shutdown_script", "/bin/true", .globalDefs),
        ("script", "/bin/true", .vrrpScript), ("notify_master", "/bin/true", .instance), ("notify", "/bin/true", .instance),
    ]

    /// Spellings of `keyword argument` for keepalived's reader; some need lines of their own before.
    static func spellings(_ k: String, _ a: String, includeFile: String) -> [(name: String, prelude: String, line: String)] {
        let half = k.count / 2
        let head = String(k.prefix(half)), tail = String(k.dropFirst(half))
        let octal = String(k.utf8.first.map { String($0, radix: 8) } ?? "")
        return [
            ("plain", "", "\(k) \(a)"),
            ("indented", "", "  \t  \(k)\t\(a)"),
            ("trailing comment", "", "\(k) \(a) # note"),
            ("crlf", "", "\(k) \(a)\r"),
            ("double quoted", "", "\"\(k)\" \(a)"),
            ("single quoted", "", "'\(k)' \(a)"),
            ("quoted half", "", "\(head)\"\(tail)\" \(a)"),
            ("single quoted half", "", "\(head)'\(tail)' \(a)"),
            ("empty quotes before", "", "\"\"\(k) \(a)"),
            ("empty quotes after", "", "\(k)\"\" \(a)"),
            ("backslash", "", "\\\(k) \(a)"),
            ("octal escape", "", "\\\(octal)\(k.dropFirst()) \(a)"),
            ("hex escape", "", "\\x\(String(k.utf8.first ?? 0, radix: 16))\(k.dropFirst()) \(a)"),
            ("escaped comment char", "", "\(k) \(a) \\# x"),
            ("definition", "$KW=\(k)", "$KW \(a)"),
            ("braced substitution", "$KW=\(k)", "${KW} \(a)"),
            ("partial substitution", "$H=\(head)", "${H}\(tail) \(a)"),
            ("whole-line definition", "$L=\(k) \(a)", "$L"),
            ("conditional reversed", "", "@^nothere \(k) \(a)"),
            ("conditional", "", "@amp \(k) \(a)"),
            ("sequence", "", "~SEQ(i,1,1) \(k) \(a)"),
            ("brace residue", "", "{ \(k) \(a)"),
            ("long line split", "", "#" + String(repeating: "x", count: 1022) + "\(k) \(a)"),
            ("form feed", "", "\u{0C}\(k) \(a)"),
            ("include", "", "include \(includeFile)"),
            ("includer", "", "includer \(includeFile)"),
        ]
    }

    /// Runs keepalived --config-test as nobody on `text`; returns its combined output.
    static func keepalivedOutput(_ text: String, directory: String) throws -> String {
        let file = directory + "/keepalived.conf"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", keepalived, "--config-test", "-f", file]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("whenever keepalived recognises a forbidden keyword, the VRRP policy has already refused the text",
          .enabled(if: available, "needs root, /usr/sbin/keepalived and setpriv"))
    func policyRefusesWhateverKeepalivedRecognises() throws {
        let policy = try VRRPConfigPolicy.embedded(basePath: "/var/lib/octavia")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amphora-kdiff-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o755)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // The base itself: accepted by us, no violation in keepalived.
        let clean = Self.base(.instance, "")
        #expect((try? policy.check(clean)) != nil)
        #expect(!(try Self.keepalivedOutput(clean, directory: directory)).contains("SECURITY VIOLATION"))

        var recognised: [String] = []
        var missed: [String] = []
        var total = 0
        for (keyword, argument, slot) in Self.keywords {
            // The included file holds the keyword in its own block, as keepalived would read it at the top level.
            let includeFile = directory + "/included-\(keyword).conf"
            let included: String
            switch slot {
            case .globalDefs: included = "global_defs {\n\(keyword) \(argument)\n}\n"
            case .vrrpScript: included = "vrrp_script inc {\n\(keyword) \(argument)\n}\n"
            case .instance, .top: included = "vrrp_instance w {\n virtual_router_id 52\n \(keyword) \(argument)\n}\n"
            }
            try included.write(toFile: includeFile, atomically: true, encoding: .utf8)
            chmod(includeFile, 0o644)
            for spelling in Self.spellings(keyword, argument, includeFile: includeFile) {
                let isInclude = spelling.line.hasPrefix("include")
                var text = Self.base(isInclude ? .top : slot, spelling.line)
                if !spelling.prelude.isEmpty { text = spelling.prelude + "\n" + text }
                total += 1
                let accepted = (try? policy.check(text)) != nil
                let output = try Self.keepalivedOutput(text, directory: directory)
                let name = "\(keyword) / \(spelling.name)"
                if output.contains("SECURITY VIOLATION") {
                    recognised.append(name)
                    if accepted { missed.append(name) }
                }
            }
        }
        #expect(missed.isEmpty, "keepalived ran these but the policy accepted them: \(missed)")
        // The oracle works: the plain spellings, and some of the tricky ones, are recognised by keepalived.
        #expect(recognised.contains("startup_script / plain") && recognised.contains("notify_master / plain"), "\(recognised)")
        #expect(recognised.contains("startup_script / double quoted"), "\(recognised)")
        #expect(recognised.count > Self.keywords.count * 3, "only \(recognised.count) of \(total) recognised: \(recognised)")
        print("keepalived recognised \(recognised.count) of \(total) spellings; the policy refused all of them")
    }
}
