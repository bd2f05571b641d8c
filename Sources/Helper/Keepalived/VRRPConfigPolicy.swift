import Confinement
import IPCProtocol

/// The allow-list a VRRP keepalived configuration is checked against (`policy/keepalived-vrrp.txt`,
/// compiled in), read with ``KeepalivedConfigTokenizer``: what Octavia's keepalived template and the
/// agent's own ACTIVE-STANDBY rendering contain, with `script` naming only the agent's own check.
public struct VRRPConfigPolicy: Sendable {
    public static let fileName = "keepalived-vrrp.txt"

    let grammar: KeepalivedConfigGrammar

    /// Programs a `vrrp_script` may run (`{base_path}` substituted).
    public var scripts: Set<String> { grammar.scripts }

    /// Parses the policy text; a malformed line is an error (the file is ours, compiled in).
    public init(text: String, basePath: String) throws(KeepalivedConfigError) {
        grammar = try KeepalivedConfigGrammar(text: text, fileName: Self.fileName, basePath: basePath, namespace: nil)
    }

    /// The compiled-in policy.
    public static func embedded(basePath: String) throws(KeepalivedConfigError) -> VRRPConfigPolicy {
        guard let text = EmbeddedPolicy.files[fileName] else { throw .policyMissing(fileName: fileName) }
        return try VRRPConfigPolicy(text: text, basePath: basePath)
    }

    /// Checks `text`; a refusal is a 400 whose details name the line and the reason.
    public func check(_ text: String) throws(KeepalivedConfigError) {
        do {
            _ = try grammar.check(text)
        } catch {
            throw .refused(error)
        }
    }
}
