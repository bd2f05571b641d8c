// The typed requests: one per `Command` case, named after it, grouped by the answer they carry.

extension HelperRequest where Answer == String {
    /// Store a haproxy configuration; answered with haproxy's check output.
    public static func uploadHAProxyConfig(_ upload: HAProxyConfigUpload) -> Self { Self(.uploadHAProxyConfig(upload), answeredBy: .haproxyConfigStored) }
    /// Start, stop or reload one haproxy instance (v0.1); answered with what the operator reads.
    public static func haproxyAction(instance: ResourceID, action: ServiceAction) -> Self {
        Self(.haproxyAction(instance: instance, action: action), answeredBy: .actionDone)
    }
    /// Start, stop or reload whatever owns `id` (1.0); the helper decides which backend.
    public static func loadBalancerAction(id: ResourceID, action: ServiceAction) -> Self {
        Self(.loadBalancerAction(id: id, action: action), answeredBy: .actionDone)
    }
    /// Start, stop or reload keepalived (VRRP).
    public static func vrrpAction(_ action: ServiceAction) -> Self { Self(.vrrpAction(action), answeredBy: .actionDone) }
    /// Store a certificate file; answered with its MD5.
    public static func uploadCertificate(_ upload: CertificateUpload) -> Self { Self(.uploadCertificate(upload), answeredBy: .certificateDigest) }
    /// The MD5 of a stored certificate file.
    public static func certificateDigest(instance: ResourceID, file: CertificateFileName, scope: CertificateScope) -> Self {
        Self(.certificateDigest(instance: instance, file: file, scope: scope), answeredBy: .certificateDigest)
    }
    /// The interface in the amphora namespace that holds an address.
    public static func interfaceForAddress(_ address: IPAddress) -> Self { Self(.interfaceForAddress(address), answeredBy: .interface) }
    /// Replace the nftables rules of the interface holding an address; answered with that interface.
    public static func setInterfaceRules(_ rules: InterfaceRules) -> Self { Self(.setInterfaceRules(rules), answeredBy: .interface) }
    /// Store a controller-rendered keepalived configuration; answered with its MD5.
    public static func uploadVRRPConfig(text: String) -> Self { Self(.uploadVRRPConfig(text: text), answeredBy: .vrrpStored) }
    /// Store a UDP listener's keepalived (LVS) configuration; answered with its MD5.
    public static func uploadLVSConfig(_ upload: LVSConfigUpload) -> Self { Self(.uploadLVSConfig(upload), answeredBy: .lvsStored) }
}

extension HelperRequest where Answer == Bool {
    /// Remove a haproxy instance (v0.1); answered with whether it existed.
    public static func deleteInstance(instance: ResourceID) -> Self { Self(.deleteInstance(instance: instance), answeredBy: .deleted) }
    /// Remove whatever owns `id` (1.0): the helper removes the haproxy load balancer and/or the UDP listener.
    public static func deleteListener(id: ResourceID) -> Self { Self(.deleteListener(id: id), answeredBy: .deleted) }
    /// Remove a stored certificate file.
    public static func deleteCertificate(instance: ResourceID, file: CertificateFileName, scope: CertificateScope) -> Self {
        Self(.deleteCertificate(instance: instance, file: file, scope: scope), answeredBy: .deleted)
    }
}

extension HelperRequest where Answer == StoredFile {
    /// An instance's stored haproxy configuration.
    public static func haproxyConfig(instance: ResourceID) -> Self { Self(.haproxyConfig(instance: instance), answeredBy: .haproxyConfig) }
    /// A UDP listener's stored configuration.
    public static func lvsConfig(listener: ResourceID) -> Self { Self(.lvsConfig(listener: listener), answeredBy: .lvsConfig) }
}

extension HelperRequest where Answer == TopologyState {
    /// The amphora's topology, role and ha_ip.
    public static var topology: Self { Self(.topology, answeredBy: .topology) }
    /// Change the topology; answered with the state the change starts from.
    public static func setTopology(_ change: TopologyChange) -> Self { Self(.setTopology(change), answeredBy: .topology) }
}

extension HelperRequest where Answer == PluggedInterface {
    /// Plug the VIP's port.
    public static func plugVIP(_ plug: VIPPlug) -> Self { Self(.plugVIP(plug), answeredBy: .plugged) }
    /// Plug (or reconfigure) a member-network port.
    public static func plugNetwork(_ plug: NetworkPlug) -> Self { Self(.plugNetwork(plug), answeredBy: .plugged) }
}

extension HelperRequest where Answer == FrontSettings {
    /// The front's listening address, TLS identity and heartbeat settings.
    public static var frontSettings: Self { Self(.frontSettings, answeredBy: .frontSettings) }
}

extension HelperRequest where Answer == AmphoraInfo {
    /// Hostname and package versions for `/info`.
    public static var amphoraInfo: Self { Self(.amphoraInfo, answeredBy: .amphoraInfo) }
}

extension HelperRequest where Answer == AmphoraDetails {
    /// Host and instance facts for `/details`.
    public static var amphoraDetails: Self { Self(.amphoraDetails, answeredBy: .amphoraDetails) }
}

extension HelperRequest where Answer == HeartbeatReport {
    /// The next heartbeat's listeners and pools.
    public static var heartbeatStats: Self { Self(.heartbeatStats, answeredBy: .heartbeatStats) }
}

extension HelperRequest where Answer == HeartbeatSettings {
    /// Validate and store a new agent configuration; answered with the heartbeat settings it sets.
    public static func updateAgentConfig(text: String) -> Self { Self(.updateAgentConfig(text: text), answeredBy: .agentConfigUpdated) }
}

extension HelperRequest where Answer == TLSIdentity {
    /// Replace the agent's server certificate (key material: never logged); answered with the new identity.
    public static func rotateServerCertificate(pem: String) -> Self { Self(.rotateServerCertificate(pem: pem), answeredBy: .serverCertificateRotated) }
}

extension HelperRequest where Answer == [InstanceSummary] {
    /// Every configured haproxy instance.
    public static var listInstances: Self { Self(.listInstances, answeredBy: .instances) }
}

extension HelperRequest where Answer == InstanceStatus {
    /// One instance's state, frontends and pools.
    public static func instanceStatus(instance: ResourceID) -> Self { Self(.instanceStatus(instance: instance), answeredBy: .instanceStatus) }
}

extension HelperRequest where Answer == ListenerListing {
    /// Every haproxy instance and every UDP listener; the helper knows both.
    public static var listListeners: Self { Self(.listListeners, answeredBy: .listeners) }
}
