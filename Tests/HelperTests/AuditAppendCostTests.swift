import Foundation
@testable import Helper
import IPCProtocol
import Testing

@Suite("AuditAppendCost")
struct AuditAppendCostTests {
    @Test("measures every part, leaves nothing behind and reports one JSON object")
    func measuresAndCleansUp() throws {
        let scratch = try AuditScratch()
        let figures = try AuditAppendCost.measure(records: 5, directory: scratch.directory)
        #expect(figures.records == 5)
        #expect(figures.bytesPerRecord > 300)
        #expect(figures.recordNanoseconds > 0 && figures.writeFsyncNanoseconds > 0 && figures.evolveNanoseconds > 0)
        #expect(figures.sealingNanoseconds >= figures.sealNanoseconds)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory).isEmpty)
        guard case .object(let members) = try JSONValue(parsing: Array(figures.json.utf8)) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == [
            "records", "bytes_per_record", "epoch_records", "chain_us", "seal_us", "evolve_us", "sealing_us", "write_us",
            "write_fsync_us", "fsync_us", "record_us",
        ])
    }
}
