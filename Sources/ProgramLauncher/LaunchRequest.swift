/// Sent from the helper to a launcher.
struct LaunchRequest: Sendable, Codable {
    let id: UInt64
    let command: LaunchCommand
    let deadlineMilliseconds: Int
}
