/// What a launcher reports about one execution.
public struct LaunchResult: Sendable, Codable, Equatable {
    public var id: UInt64
    /// The exact argv executed (argv[0] is the resolved program path); empty when refused.
    public var argv: [String]
    public var exitCode: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
    public var outputTruncated: Bool
    public var durationMicroseconds: UInt64
    /// Set when the launcher refused to execute (unknown program, grammar, spawn failure).
    public var refusal: String?

    public init(
        id: UInt64, argv: [String], exitCode: Int32?, signal: Int32?, timedOut: Bool, stdout: String, stderr: String,
        outputTruncated: Bool, durationMicroseconds: UInt64, refusal: String?
    ) {
        self.id = id
        self.argv = argv
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
        self.outputTruncated = outputTruncated
        self.durationMicroseconds = durationMicroseconds
        self.refusal = refusal
    }

    public var succeeded: Bool { refusal == nil && !timedOut && exitCode == 0 }

    /// stdout and stderr together, as an operator reads a tool's complaint.
    public var combinedOutput: String {
        [stdout, stderr].filter { !$0.isEmpty }.joined(separator: stdout.hasSuffix("\n") ? "" : "\n")
    }
}
