/// One case of ``Reply`` and the value it carries: builds that reply and reads it back.
public struct ReplyCase<Answer: Sendable & Equatable>: Sendable {
    /// Wraps an answer into the reply.
    public let reply: @Sendable (Answer) -> Reply
    /// Unwraps the answer; nil for any other case.
    public let answer: @Sendable (Reply) -> Answer?

    public init(_ reply: @escaping @Sendable (Answer) -> Reply, answer: @escaping @Sendable (Reply) -> Answer?) {
        self.reply = reply
        self.answer = answer
    }
}

// One constant per `Reply` case, grouped by the value the case carries.

extension ReplyCase where Answer == String {
    public static var haproxyConfigStored: Self { Self(Reply.haproxyConfigStored(checkOutput:)) { switch $0 { case .haproxyConfigStored(let v): v; default: nil } } }
    public static var actionDone: Self { Self(Reply.actionDone(details:)) { switch $0 { case .actionDone(let v): v; default: nil } } }
    public static var certificateDigest: Self { Self(Reply.certificateDigest(md5:)) { switch $0 { case .certificateDigest(let v): v; default: nil } } }
    public static var interface: Self { Self(Reply.interface(name:)) { switch $0 { case .interface(let v): v; default: nil } } }
    public static var vrrpStored: Self { Self(Reply.vrrpStored(md5:)) { switch $0 { case .vrrpStored(let v): v; default: nil } } }
    public static var lvsStored: Self { Self(Reply.lvsStored(md5:)) { switch $0 { case .lvsStored(let v): v; default: nil } } }
}

extension ReplyCase where Answer == StoredFile {
    public static var haproxyConfig: Self { Self(Reply.haproxyConfig) { switch $0 { case .haproxyConfig(let v): v; default: nil } } }
    public static var lvsConfig: Self { Self(Reply.lvsConfig) { switch $0 { case .lvsConfig(let v): v; default: nil } } }
}

extension ReplyCase where Answer == Bool {
    public static var deleted: Self { Self(Reply.deleted(existed:)) { switch $0 { case .deleted(let v): v; default: nil } } }
}

extension ReplyCase where Answer == TopologyState {
    public static var topology: Self { Self(Reply.topology) { switch $0 { case .topology(let v): v; default: nil } } }
}

extension ReplyCase where Answer == PluggedInterface {
    public static var plugged: Self {
        Self({ .plugged(interface: $0.name, updated: $0.updated) }) {
            switch $0 { case .plugged(let name, let updated): PluggedInterface(name: name, updated: updated); default: nil }
        }
    }
}

extension ReplyCase where Answer == FrontSettings {
    public static var frontSettings: Self { Self(Reply.frontSettings) { switch $0 { case .frontSettings(let v): v; default: nil } } }
}

extension ReplyCase where Answer == AmphoraInfo {
    public static var amphoraInfo: Self { Self(Reply.amphoraInfo) { switch $0 { case .amphoraInfo(let v): v; default: nil } } }
}

extension ReplyCase where Answer == [InstanceSummary] {
    public static var instances: Self { Self(Reply.instances) { switch $0 { case .instances(let v): v; default: nil } } }
}

extension ReplyCase where Answer == InstanceStatus {
    public static var instanceStatus: Self { Self(Reply.instanceStatus) { switch $0 { case .instanceStatus(let v): v; default: nil } } }
}

extension ReplyCase where Answer == TLSIdentity {
    public static var serverCertificateRotated: Self {
        Self(Reply.serverCertificateRotated) { switch $0 { case .serverCertificateRotated(let v): v; default: nil } }
    }
}

extension ReplyCase where Answer == AmphoraDetails {
    public static var amphoraDetails: Self { Self(Reply.amphoraDetails) { switch $0 { case .amphoraDetails(let v): v; default: nil } } }
}

extension ReplyCase where Answer == HeartbeatReport {
    public static var heartbeatStats: Self { Self(Reply.heartbeatStats) { switch $0 { case .heartbeatStats(let v): v; default: nil } } }
}

extension ReplyCase where Answer == HeartbeatSettings {
    public static var agentConfigUpdated: Self { Self(Reply.agentConfigUpdated) { switch $0 { case .agentConfigUpdated(let v): v; default: nil } } }
}

extension ReplyCase where Answer == ListenerListing {
    public static var listeners: Self { Self(Reply.listeners) { switch $0 { case .listeners(let v): v; default: nil } } }
}
