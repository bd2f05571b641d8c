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

/// The heartbeat target's seeds (`Fuzz/corpus/heartbeat`): helper reports as the front decodes them.
@Suite struct HeartbeatFuzzSeedTests {
    static let reports: [HeartbeatReport] = [
        HeartbeatReport(keepalived: .notConfigured, listeners: [], pools: []),
        HeartbeatReport(
            keepalived: .running,
            listeners: [
                ListenerHeartbeat(
                    id: "9f2c4b1e-3a7d-4e8f-b6c5-1d2e3f4a5b6c", status: "OPEN", tx: 1024, rx: 2048, conns: 3, totconns: 40, ereq: 0),
                ListenerHeartbeat(id: "5b6c7d8e-9fa0-4b1c-8d2e-3f4a5b6c7d8e", status: "FULL", tx: 0, rx: 0, conns: 50000, totconns: 1, ereq: 2),
            ],
            pools: [
                PoolHeartbeat(
                    key: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d:9f2c4b1e-3a7d-4e8f-b6c5-1d2e3f4a5b6c", status: "UP",
                    members: [
                        MemberStatus(name: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", status: "UP"),
                        MemberStatus(name: "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", status: "no check"),
                    ])
            ],
            auditHead: AuditHead(sequence: 42, hash: String(repeating: "ab", count: 32), epoch: 1)),
        HeartbeatReport(
            keepalived: .stopped, listeners: [ListenerHeartbeat(id: "l", status: "DOWN", tx: .max, rx: 0, conns: 0, totconns: 0, ereq: .max)],
            pools: [PoolHeartbeat(key: "p:l", status: "DOWN", members: [MemberStatus(name: "m", status: "MAINT")])]),
    ]

    @Test("every heartbeat seed decodes as a report")
    func heartbeatSeedsDecode() throws {
        let directory = FuzzCorpusTests.corpus.appendingPathComponent("heartbeat")
        if ProcessInfo.processInfo.environment["AMPHORA_WRITE_FUZZ_SEEDS"] != nil {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (index, report) in Self.reports.enumerated() {
                try Data(try StrictJSON.encode(report)).write(to: directory.appendingPathComponent("report-\(index).json"))
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.count >= Self.reports.count)
        for name in names {
            _ = try StrictJSON.decode(HeartbeatReport.self, from: [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }
}
