// The typed requests, one per ``Command`` case, grouped by the reply they are answered with. Each is
// a small value type pairing a command with its reply case (see ``HelperRequest``).

// MARK: Front and amphora facts

/// The front's listening address, TLS identity and heartbeat settings.
public struct FrontSettingsRequest: HelperRequest {
    public init() {}
    public var command: Command { .frontSettings }
    public static func reply(_ answer: FrontSettings) -> Reply { .frontSettings(answer) }
    public static func answer(from reply: Reply) -> FrontSettings? {
        guard case .frontSettings(let settings) = reply else { return nil }
        return settings
    }
}

/// Hostname and package versions for `/info`.
public struct AmphoraInfoRequest: HelperRequest {
    public init() {}
    public var command: Command { .amphoraInfo }
    public static func reply(_ answer: AmphoraInfo) -> Reply { .amphoraInfo(answer) }
    public static func answer(from reply: Reply) -> AmphoraInfo? {
        guard case .amphoraInfo(let info) = reply else { return nil }
        return info
    }
}

/// Host and instance facts for `/details`.
public struct AmphoraDetailsRequest: HelperRequest {
    public init() {}
    public var command: Command { .amphoraDetails }
    public static func reply(_ answer: AmphoraDetails) -> Reply { .amphoraDetails(answer) }
    public static func answer(from reply: Reply) -> AmphoraDetails? {
        guard case .amphoraDetails(let details) = reply else { return nil }
        return details
    }
}

/// The next heartbeat's listeners and pools.
public struct HeartbeatStatsRequest: HelperRequest {
    public init() {}
    public var command: Command { .heartbeatStats }
    public static func reply(_ answer: HeartbeatReport) -> Reply { .heartbeatStats(answer) }
    public static func answer(from reply: Reply) -> HeartbeatReport? {
        guard case .heartbeatStats(let report) = reply else { return nil }
        return report
    }
}

/// Validate and store a new agent configuration; answered with the heartbeat settings it sets.
public struct UpdateAgentConfigRequest: HelperRequest {
    public var text: String
    public init(text: String) { self.text = text }
    public var command: Command { .updateAgentConfig(text: text) }
    public static func reply(_ answer: HeartbeatSettings) -> Reply { .agentConfigUpdated(answer) }
    public static func answer(from reply: Reply) -> HeartbeatSettings? {
        guard case .agentConfigUpdated(let settings) = reply else { return nil }
        return settings
    }
}

/// Replace the agent's server certificate; answered with the new identity.
public struct RotateServerCertificateRequest: HelperRequest {
    /// Key material; never logged.
    public var pem: String
    public init(pem: String) { self.pem = pem }
    public var command: Command { .rotateServerCertificate(pem: pem) }
    public static func reply(_ answer: TLSIdentity) -> Reply { .serverCertificateRotated(answer) }
    public static func answer(from reply: Reply) -> TLSIdentity? {
        guard case .serverCertificateRotated(let identity) = reply else { return nil }
        return identity
    }
}

// MARK: haproxy instances and listeners

/// Store a haproxy configuration; answered with haproxy's check output.
public struct UploadHAProxyConfigRequest: HelperRequest {
    public var upload: HAProxyConfigUpload
    public init(_ upload: HAProxyConfigUpload) { self.upload = upload }
    public var command: Command { .uploadHAProxyConfig(upload) }
    public static func reply(_ answer: String) -> Reply { .haproxyConfigStored(checkOutput: answer) }
    public static func answer(from reply: Reply) -> String? {
        guard case .haproxyConfigStored(let output) = reply else { return nil }
        return output
    }
}

/// An instance's stored configuration.
public struct HAProxyConfigRequest: HelperRequest {
    public var instance: ResourceID
    public init(instance: ResourceID) { self.instance = instance }
    public var command: Command { .haproxyConfig(instance: instance) }
    public static func reply(_ answer: StoredFile) -> Reply { .haproxyConfig(answer) }
    public static func answer(from reply: Reply) -> StoredFile? {
        guard case .haproxyConfig(let file) = reply else { return nil }
        return file
    }
}

/// One instance's state, frontends and pools.
public struct InstanceStatusRequest: HelperRequest {
    public var instance: ResourceID
    public init(instance: ResourceID) { self.instance = instance }
    public var command: Command { .instanceStatus(instance: instance) }
    public static func reply(_ answer: InstanceStatus) -> Reply { .instanceStatus(answer) }
    public static func answer(from reply: Reply) -> InstanceStatus? {
        guard case .instanceStatus(let status) = reply else { return nil }
        return status
    }
}

/// Every configured haproxy instance.
public struct ListInstancesRequest: HelperRequest {
    public init() {}
    public var command: Command { .listInstances }
    public static func reply(_ answer: [InstanceSummary]) -> Reply { .instances(answer) }
    public static func answer(from reply: Reply) -> [InstanceSummary]? {
        guard case .instances(let list) = reply else { return nil }
        return list
    }
}

/// Every haproxy instance and every UDP listener; the helper knows both.
public struct ListListenersRequest: HelperRequest {
    public init() {}
    public var command: Command { .listListeners }
    public static func reply(_ answer: ListenerListing) -> Reply { .listeners(answer) }
    public static func answer(from reply: Reply) -> ListenerListing? {
        guard case .listeners(let listing) = reply else { return nil }
        return listing
    }
}

// MARK: Actions (answered with what the operator reads)

/// Start, stop or reload one haproxy instance (v0.1: listeners are haproxy instances only).
public struct HAProxyActionRequest: HelperRequest {
    public var instance: ResourceID
    public var action: ServiceAction
    public init(instance: ResourceID, action: ServiceAction) {
        self.instance = instance
        self.action = action
    }
    public var command: Command { .haproxyAction(instance: instance, action: action) }
    public static func reply(_ answer: String) -> Reply { .actionDone(details: answer) }
    public static func answer(from reply: Reply) -> String? { actionDetails(reply) }
}

/// Start, stop or reload whatever owns `id`; the helper decides (haproxy load balancer, else UDP listener).
public struct LoadBalancerActionRequest: HelperRequest {
    public var id: ResourceID
    public var action: ServiceAction
    public init(id: ResourceID, action: ServiceAction) {
        self.id = id
        self.action = action
    }
    public var command: Command { .loadBalancerAction(id: id, action: action) }
    public static func reply(_ answer: String) -> Reply { .actionDone(details: answer) }
    public static func answer(from reply: Reply) -> String? { actionDetails(reply) }
}

/// Start, stop or reload keepalived (VRRP).
public struct VRRPActionRequest: HelperRequest {
    public var action: ServiceAction
    public init(_ action: ServiceAction) { self.action = action }
    public var command: Command { .vrrpAction(action) }
    public static func reply(_ answer: String) -> Reply { .actionDone(details: answer) }
    public static func answer(from reply: Reply) -> String? { actionDetails(reply) }
}

private func actionDetails(_ reply: Reply) -> String? {
    guard case .actionDone(let details) = reply else { return nil }
    return details
}

// MARK: Deletions (answered with whether something existed)

/// Stop a haproxy instance and remove its files (v0.1).
public struct DeleteInstanceRequest: HelperRequest {
    public var instance: ResourceID
    public init(instance: ResourceID) { self.instance = instance }
    public var command: Command { .deleteInstance(instance: instance) }
    public static func reply(_ answer: Bool) -> Reply { .deleted(existed: answer) }
    public static func answer(from reply: Reply) -> Bool? { deletedExisted(reply) }
}

/// Remove whatever owns `id` (1.0): the helper removes the haproxy load balancer and/or the UDP listener.
public struct DeleteListenerRequest: HelperRequest {
    public var id: ResourceID
    public init(id: ResourceID) { self.id = id }
    public var command: Command { .deleteListener(id: id) }
    public static func reply(_ answer: Bool) -> Reply { .deleted(existed: answer) }
    public static func answer(from reply: Reply) -> Bool? { deletedExisted(reply) }
}

/// Remove a stored certificate file.
public struct DeleteCertificateRequest: HelperRequest {
    public var instance: ResourceID
    public var file: CertificateFileName
    public var scope: CertificateScope
    public init(instance: ResourceID, file: CertificateFileName, scope: CertificateScope) {
        self.instance = instance
        self.file = file
        self.scope = scope
    }
    public var command: Command { .deleteCertificate(instance: instance, file: file, scope: scope) }
    public static func reply(_ answer: Bool) -> Reply { .deleted(existed: answer) }
    public static func answer(from reply: Reply) -> Bool? { deletedExisted(reply) }
}

private func deletedExisted(_ reply: Reply) -> Bool? {
    guard case .deleted(let existed) = reply else { return nil }
    return existed
}

// MARK: Certificates (answered with an MD5)

/// Store a certificate bundle or crt-list; answered with its MD5.
public struct UploadCertificateRequest: HelperRequest {
    /// Key material; never logged.
    public var upload: CertificateUpload
    public init(_ upload: CertificateUpload) { self.upload = upload }
    public var command: Command { .uploadCertificate(upload) }
    public static func reply(_ answer: String) -> Reply { .certificateDigest(md5: answer) }
    public static func answer(from reply: Reply) -> String? { certificateMD5(reply) }
}

/// The MD5 of a stored certificate file.
public struct CertificateDigestRequest: HelperRequest {
    public var instance: ResourceID
    public var file: CertificateFileName
    public var scope: CertificateScope
    public init(instance: ResourceID, file: CertificateFileName, scope: CertificateScope) {
        self.instance = instance
        self.file = file
        self.scope = scope
    }
    public var command: Command { .certificateDigest(instance: instance, file: file, scope: scope) }
    public static func reply(_ answer: String) -> Reply { .certificateDigest(md5: answer) }
    public static func answer(from reply: Reply) -> String? { certificateMD5(reply) }
}

private func certificateMD5(_ reply: Reply) -> String? {
    guard case .certificateDigest(let md5) = reply else { return nil }
    return md5
}

// MARK: Network

/// The interface in the amphora namespace that holds an address.
public struct InterfaceForAddressRequest: HelperRequest {
    public var address: IPAddress
    public init(_ address: IPAddress) { self.address = address }
    public var command: Command { .interfaceForAddress(address) }
    public static func reply(_ answer: String) -> Reply { .interface(name: answer) }
    public static func answer(from reply: Reply) -> String? { interfaceName(reply) }
}

/// Replace the nftables rules of the interface holding an address; answered with the interface.
public struct SetInterfaceRulesRequest: HelperRequest {
    public var rules: InterfaceRules
    public init(_ rules: InterfaceRules) { self.rules = rules }
    public var command: Command { .setInterfaceRules(rules) }
    public static func reply(_ answer: String) -> Reply { .interface(name: answer) }
    public static func answer(from reply: Reply) -> String? { interfaceName(reply) }
}

private func interfaceName(_ reply: Reply) -> String? {
    guard case .interface(let name) = reply else { return nil }
    return name
}

/// Plug the VIP's port.
public struct PlugVIPRequest: HelperRequest {
    public var plug: VIPPlug
    public init(_ plug: VIPPlug) { self.plug = plug }
    public var command: Command { .plugVIP(plug) }
    public static func reply(_ answer: PluggedInterface) -> Reply { .plugged(interface: answer.name, updated: answer.updated) }
    public static func answer(from reply: Reply) -> PluggedInterface? { pluggedInterface(reply) }
}

/// Plug (or reconfigure) a member-network port.
public struct PlugNetworkRequest: HelperRequest {
    public var plug: NetworkPlug
    public init(_ plug: NetworkPlug) { self.plug = plug }
    public var command: Command { .plugNetwork(plug) }
    public static func reply(_ answer: PluggedInterface) -> Reply { .plugged(interface: answer.name, updated: answer.updated) }
    public static func answer(from reply: Reply) -> PluggedInterface? { pluggedInterface(reply) }
}

private func pluggedInterface(_ reply: Reply) -> PluggedInterface? {
    guard case .plugged(let name, let updated) = reply else { return nil }
    return PluggedInterface(name: name, updated: updated)
}

// MARK: Topology and VRRP

/// The amphora's topology, role and ha_ip.
public struct TopologyRequest: HelperRequest {
    public init() {}
    public var command: Command { .topology }
    public static func reply(_ answer: TopologyState) -> Reply { .topology(answer) }
    public static func answer(from reply: Reply) -> TopologyState? { topologyState(reply) }
}

/// Change the topology; answered with the state the change starts from.
public struct SetTopologyRequest: HelperRequest {
    public var change: TopologyChange
    public init(_ change: TopologyChange) { self.change = change }
    public var command: Command { .setTopology(change) }
    public static func reply(_ answer: TopologyState) -> Reply { .topology(answer) }
    public static func answer(from reply: Reply) -> TopologyState? { topologyState(reply) }
}

private func topologyState(_ reply: Reply) -> TopologyState? {
    guard case .topology(let state) = reply else { return nil }
    return state
}

/// Store a controller-rendered keepalived configuration; answered with its MD5.
public struct UploadVRRPConfigRequest: HelperRequest {
    public var text: String
    public init(text: String) { self.text = text }
    public var command: Command { .uploadVRRPConfig(text: text) }
    public static func reply(_ answer: String) -> Reply { .vrrpStored(md5: answer) }
    public static func answer(from reply: Reply) -> String? {
        guard case .vrrpStored(let md5) = reply else { return nil }
        return md5
    }
}

// MARK: UDP listeners

/// Store a UDP listener's keepalived (LVS) configuration; answered with its MD5.
public struct UploadLVSConfigRequest: HelperRequest {
    public var upload: LVSConfigUpload
    public init(_ upload: LVSConfigUpload) { self.upload = upload }
    public var command: Command { .uploadLVSConfig(upload) }
    public static func reply(_ answer: String) -> Reply { .lvsStored(md5: answer) }
    public static func answer(from reply: Reply) -> String? {
        guard case .lvsStored(let md5) = reply else { return nil }
        return md5
    }
}

/// A UDP listener's stored configuration.
public struct LVSConfigRequest: HelperRequest {
    public var listener: ResourceID
    public init(listener: ResourceID) { self.listener = listener }
    public var command: Command { .lvsConfig(listener: listener) }
    public static func reply(_ answer: StoredFile) -> Reply { .lvsConfig(answer) }
    public static func answer(from reply: Reply) -> StoredFile? {
        guard case .lvsConfig(let file) = reply else { return nil }
        return file
    }
}
