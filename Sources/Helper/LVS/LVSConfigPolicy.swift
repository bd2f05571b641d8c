import Confinement
import IPCProtocol

/// The allow-list a UDP (or SCTP) listener's keepalived configuration is checked against
/// (`policy/keepalived-lvs.txt`, compiled in), read with ``KeepalivedConfigTokenizer``: the lines
/// Octavia's LVS templates render, the namespace the agent uses, and `misc_path` commands that run
/// only the agent's own check programs with an address and a port.
public struct LVSConfigPolicy: Sendable {
    public static let fileName = "keepalived-lvs.txt"

    let grammar: KeepalivedConfigGrammar
    /// The only `net_namespace` a configuration may name (the amphora namespace).
    public var namespace: String { grammar.namespace ?? "" }
    /// Programs `misc_path` commands may start with (`{base_path}` substituted, or the bare name of
    /// the agent's `amphora-health-checker`).
    public var scripts: Set<String> {
        Set(grammar.commands.compactMap { if case .literal(let program) = $0.first { return program.first } else { return nil } })
    }

    /// Parses the policy text; a malformed line is an error (the file is ours, compiled in).
    public init(text: String, basePath: String, namespace: String) throws(KeepalivedConfigError) {
        grammar = try KeepalivedConfigGrammar(text: text, fileName: Self.fileName, basePath: basePath, namespace: namespace)
    }

    /// The compiled-in policy.
    public static func embedded(basePath: String, namespace: String) throws(KeepalivedConfigError) -> LVSConfigPolicy {
        guard let text = EmbeddedPolicy.files[fileName] else { throw .policyMissing(fileName: fileName) }
        return try LVSConfigPolicy(text: text, basePath: basePath, namespace: namespace)
    }

    /// What a checked configuration contains.
    public struct Summary: Sendable, Equatable {
        /// Top-level `virtual_server` blocks.
        public var virtualServers: Int
        /// `real_server` blocks inside them.
        public var realServers: Int
        /// Programs the configuration makes keepalived execute (all in ``scripts``).
        public var scriptsUsed: Set<String>
    }

    /// Checks `text` as a keepalived LVS configuration; the error's details name the line and the reason.
    public func check(_ text: String) throws(KeepalivedConfigError) -> Summary {
        let statements: [KeepalivedConfigGrammar.Statement]
        do {
            statements = try grammar.check(text)
        } catch {
            throw .refused(error)
        }
        var summary = Summary(virtualServers: 0, realServers: 0, scriptsUsed: [])
        for statement in statements {
            if statement.context == "/", statement.words.first == "virtual_server" { summary.virtualServers += 1 }
            if statement.context == "/virtual_server", statement.words.first == "real_server" { summary.realServers += 1 }
            if let program = statement.program { summary.scriptsUsed.insert(program) }
        }
        return summary
    }
}
