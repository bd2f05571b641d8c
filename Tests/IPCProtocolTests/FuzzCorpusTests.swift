import Foundation
import IPCProtocol
import Testing

/// The fuzzers' seeds for the front's requests (`Fuzz/corpus/command`, and the same requests framed in
/// `Fuzz/corpus/frame`) follow the wire format: every seed decodes, and every `Command` case has one.
/// After a change of the wire format, regenerate them with
/// `AMPHORA_WRITE_FUZZ_SEEDS=1 swift test --filter FuzzCorpusTests`.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static func seedName(_ index: Int) -> String { "case-\(index < 10 ? "0" : "")\(index).json" }

    @Test("every command seed decodes, and every Command case has a seed")
    func commandSeedsCoverEveryCase() throws {
        let samples = try CommandCatalogue.samples()
        let directory = Self.corpus.appendingPathComponent("command")
        if ProcessInfo.processInfo.environment["AMPHORA_WRITE_FUZZ_SEEDS"] != nil {
            let frames = Self.corpus.appendingPathComponent("frame")
            for directory in [directory, frames] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            for command in samples {
                let index = CommandCatalogue.caseIndex(command)
                let bytes = try StrictJSON.encode(RequestEnvelope(id: UInt64(index + 1), command: command))
                try Data(bytes).write(to: directory.appendingPathComponent(Self.seedName(index)))
                try Data(try Frame.encode(bytes)).write(to: frames.appendingPathComponent(Self.seedName(index) + ".frame"))
            }
        }
        var covered = Set<Int>()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let request = try StrictJSON.decode(RequestEnvelope.self, from: bytes)
            covered.insert(CommandCatalogue.caseIndex(request.command))
        }
        let missing = samples.filter { !covered.contains(CommandCatalogue.caseIndex($0)) }.map { "\($0)" }
        #expect(missing.isEmpty, "no seed in Fuzz/corpus/command for: \(missing)")
    }
}
