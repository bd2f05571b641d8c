import Foundation

/// Polls `condition` every 100 ms until it holds or `seconds` have passed; the last answer decides.
/// For waiting on real processes and kernels (a daemon started, a table filled), never for timing.
/// The deadline is on the monotonic clock, so a test that steps the wall clock does not end it.
func waitUntil(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}
