/// The largest upload the agent accepts, shared by the front (its HTTP body limit) and the IPC
/// frame cap that must carry such an upload to the helper. docs/limits.md has the full arithmetic.
public enum UploadLimits {
    /// The largest request body: 32 MiB.
    ///
    /// Sized for the largest haproxy configuration Octavia 19.0.0's own templater renders for a
    /// large load balancer, 50 listeners × 200 members (Tests/Conformance/render_large_octavia_haproxy.py):
    /// * plain (HTTP listeners, HTTP monitor, IPv4 members): 1,122,635 bytes (112 bytes a member);
    /// * every option that lengthens a `server` line at once (backend TLS with client certificate,
    ///   CA, CRL and Octavia's default ciphers, HTTPS monitor with address and port, cookie,
    ///   PROXYV2, backup, IPv6 members): 9,751,285 bytes (959 bytes a member);
    /// * the same with the 2,048-character backend cipher string Octavia's API allows:
    ///   26,671,285 bytes (2,651 bytes a member).
    /// 32 MiB (33,554,432) holds the last with 25 % to spare, the second 3.4 times over.
    /// Certificates, keepalived configurations and JSON bodies are far smaller (the helper applies
    /// its own, smaller caps to those).
    public static let maximumBodySize = 32 << 20

    /// What the front adds when it carries an upload to the helper: the JSON escapes of the text
    /// (Octavia's renderings escape one byte a line, 11,673 for the 26.7 MB one) and the envelope.
    public static let encodingAllowance = 1 << 20
}
