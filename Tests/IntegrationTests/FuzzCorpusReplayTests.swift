import Foundation
import Testing

/// Every committed fuzz seed and finding reproducer (`Fuzz/corpus/<target>`) goes through its target
/// in the normal build of `amphora-fuzz` (no libFuzzer): a property that fuzzing once broke stays
/// checked by the ordinary suite. The fuzzing itself is `scripts/fuzz.sh`.
@Suite struct FuzzCorpusReplayTests {
    static let targets = ["json", "command", "frame", "ini", "haproxy", "keepalived", "lvs", "pem", "crtlist", "netlink", "stats", "route", "heartbeat"]

    @Test("the seeds and reproducers of every fuzz target pass their properties", arguments: targets)
    func replay(target: String) throws {
        let corpus = AgentHarness.repositoryRoot.appendingPathComponent("Fuzz/corpus/\(target)").path
        let result = try Shell.run(AgentHarness.binDirectory + "/amphora-fuzz", [target, corpus], check: false)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The seeds must reach past the parser's refusals, or the fuzzer starts from nothing.
        #expect(!result.stdout.contains("(0 accepted)"), "\(result.stdout)")
    }
}
