import Glibc
import IPCProtocol
import LinuxSystem

/// Bounds the memory the helper's connections hold in large frames at once. A frame may be as large
/// as ``IPCProtocol/Frame/maximumPayloadSize`` (an upload at the front's limit, docs/limits.md), and
/// the helper serves ``HelperServer/maximumConnections`` connections: without a shared bound a
/// hostile front could make the helper hold tens of them at once, far past the helper unit's
/// `MemoryMax=`. A frame over ``smallFrameBytes`` reserves its announced length here before its
/// bytes are read, and keeps it until its reply is written; when the budget is spent it waits, up
/// to the frame's deadline, for another connection to finish.
///
/// ```
/// guard budget.reserve(length, until: deadline) else { return .failed("...") }
/// defer { budget.release(length) }
/// ```
public final class FrameMemoryBudget: Sendable {
    /// Frames up to this size never wait (32 connections × 1 MiB is the bound for them).
    public static let smallFrameBytes = 1 << 20
    /// The helper's budget: one frame at the cap at a time. Handling a large upload costs several
    /// times its size (the decoded text, the enforced text, the tokenized lines, the check's sealed
    /// copy), so two at once would not fit the helper unit's `MemoryMax=`; a second large frame
    /// waits for the first's reply.
    public static let helperCapacity = Frame.maximumPayloadSize

    public let capacity: Int
    let reserved = LockedValue<Int>(0)

    public init(capacity: Int = FrameMemoryBudget.helperCapacity) {
        self.capacity = capacity
    }

    /// Reserves `bytes` for a frame; false if they could not be had before `deadline` (monotonic ns).
    public func reserve(_ bytes: Int, until deadline: UInt64) -> Bool {
        guard bytes > Self.smallFrameBytes else { return true }
        while true {
            let granted = reserved.withLock { held -> Bool in
                guard held + bytes <= capacity else { return false }
                held += bytes
                return true
            }
            if granted { return true }
            if monotonicNanoseconds() >= deadline { return false }
            usleep(10_000)
        }
    }

    /// Returns what ``reserve(_:until:)`` granted for a frame of `bytes`.
    public func release(_ bytes: Int) {
        guard bytes > Self.smallFrameBytes else { return }
        reserved.withLock { $0 -= bytes }
    }

    /// Bytes held by large frames now (for tests).
    public var held: Int { reserved.withLock { $0 } }
}
