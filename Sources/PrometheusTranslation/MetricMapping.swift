/// One row of upstream's `METRIC_MAP` (octavia/cmd/prometheus_proxy.py, Octavia 19.0.0): a haproxy
/// metric text, what it becomes, the HELP line that replaces haproxy's (nil: the name is replaced in
/// haproxy's own), and the label renames applied first, to sample lines only.
public struct MetricMapping: Sendable {
    /// The text to find in a line: a metric name followed by a space (HELP, TYPE and unlabelled
    /// samples) or by `{` (labelled samples).
    public let match: String
    public let replacement: String
    public let help: String?
    public let labelRenames: [(from: String, to: String)]

    public init(_ match: String, _ replacement: String, _ help: String?, _ labelRenames: [(String, String)]) {
        self.match = match
        self.replacement = replacement
        self.help = help
        self.labelRenames = labelRenames.map { (from: $0.0, to: $0.1) }
    }
}
