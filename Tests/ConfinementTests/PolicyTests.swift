import Confinement
import Foundation
import Testing

/// The policy data files, their compiled-in copies and the golden exports of the compiled filters.
@Suite("Confinement policies")
struct PolicyTests {
    static let policyDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policy")

    static func file(_ name: String) throws -> String {
        let data = try Data(contentsOf: policyDirectory.appendingPathComponent(name))
        return String(decoding: data, as: UTF8.self)
    }

    @Test("the embedded policies are the files in policy/, byte for byte")
    func embeddedEqualsFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.policyDirectory.path)
            .filter { ($0.hasPrefix("seccomp-") && $0.hasSuffix(".policy")) || ($0.hasPrefix("capabilities-") && $0.hasSuffix(".txt")) }
        #expect(Set(names) == Set(EmbeddedPolicy.files.keys), "run policy/embed.sh")
        for name in names {
            let onDisk = Array(try Data(contentsOf: Self.policyDirectory.appendingPathComponent(name)))
            #expect(Array((EmbeddedPolicy.files[name] ?? "").utf8) == onDisk, "\(name) differs from its embedded copy: run policy/embed.sh")
        }
    }

    @Test("each compiled filter equals its golden export in policy/", arguments: ConfinedRole.allCases)
    func goldenExport(role: ConfinedRole) throws {
        let exported = try Confinement.filter(for: role).exportPFC()
        #expect(exported == (try Self.file(role.goldenFile)), "regenerate with amphora-helper seccomp-export \(role.rawValue)")
    }
}
