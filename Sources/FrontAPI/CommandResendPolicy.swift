import IPCProtocol

extension Command {
    /// Whether the front may send this command again when the connection to the helper broke after
    /// it was sent, so that the helper may or may not have carried it out (``HelperClient``).
    ///
    /// Safe: what only reads, and what replaces a whole state with the one in the command, so that
    /// running it twice leaves the same state and gives the same answer as running it once (an
    /// upload is written atomically and checked again; a plug finds its port already in the
    /// namespace and reconfigures it, upstream's "updated existing interface" path).
    ///
    /// Not safe, so never repeated: actions (a second reload restarts haproxy's workers again, a
    /// second stop or start answers differently), deletions (the repeat finds nothing and answers
    /// "not found" for what the first one deleted), a topology change (a second transition), and
    /// the heartbeat's counters (each call consumes the deltas since the previous one).
    ///
    /// The switch has no default: a new command must be placed here.
    public var isSafeToResend: Bool {
        switch self {
        case .frontSettings, .amphoraInfo, .haproxyConfig, .listInstances, .instanceStatus, .certificateDigest,
            .amphoraDetails, .interfaceForAddress, .topology, .lvsConfig, .listListeners:
            return true
        case .uploadHAProxyConfig, .uploadCertificate, .rotateServerCertificate, .updateAgentConfig, .uploadVRRPConfig,
            .uploadLVSConfig, .setInterfaceRules, .plugVIP, .plugNetwork:
            return true
        case .haproxyAction, .vrrpAction, .loadBalancerAction, .deleteInstance, .deleteCertificate, .deleteListener, .setTopology,
            .heartbeatStats:
            return false
        }
    }
}
