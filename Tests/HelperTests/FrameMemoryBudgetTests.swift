import LinuxSystem
import Testing

@testable import Helper

/// The shared bound on large frames: a hostile front cannot make the helper hold more than the
/// budget in frames still arriving or being answered.
@Suite("frame memory budget")
struct FrameMemoryBudgetTests {
    @Test("small frames never wait and hold nothing")
    func smallFrames() {
        let budget = FrameMemoryBudget(capacity: 4 << 20)
        for _ in 0..<100 { #expect(budget.reserve(FrameMemoryBudget.smallFrameBytes, until: 0)) }
        #expect(budget.held == 0)
    }

    @Test("large frames share the capacity; one past it is refused at its deadline; a release makes room")
    func largeFrames() {
        let frame = 3 << 20
        let budget = FrameMemoryBudget(capacity: 2 * frame)
        #expect(budget.reserve(frame, until: 0))
        #expect(budget.reserve(frame, until: 0))
        #expect(budget.held == 2 * frame)
        // The deadline has passed already: refused without waiting.
        #expect(!budget.reserve(frame, until: monotonicNanoseconds()))
        budget.release(frame)
        #expect(budget.reserve(frame, until: 0))
        budget.release(frame)
        budget.release(frame)
        #expect(budget.held == 0)
    }

    @Test("the helper's budget holds one frame at the cap; a second large one waits for it")
    func helperCapacity() {
        let budget = FrameMemoryBudget()
        #expect(budget.reserve(FrameMemoryBudget.helperCapacity, until: 0))
        #expect(!budget.reserve(FrameMemoryBudget.smallFrameBytes + 1, until: 0))
        #expect(budget.reserve(FrameMemoryBudget.smallFrameBytes, until: 0))
        budget.release(FrameMemoryBudget.helperCapacity)
        #expect(budget.reserve(FrameMemoryBudget.smallFrameBytes + 1, until: 0))
    }
}
