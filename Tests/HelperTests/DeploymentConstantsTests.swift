import AgentConfig
import IPCProtocol
import Testing

@testable import Helper

// `PUT /1.0/config` may not move the agent's trust anchors (issue 14 point 4, security anchors §7 G8):
// trust-defining keys keep their running values; an upload that changes one is refused with 400
// naming the key.

private let amphoraID = "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"

/// A running configuration with a non-default value for every constant, as the test harness writes.
private let runningText = """
    [amphora_agent]
    agent_server_ca = /srv/amp/pki/ca.pem
    agent_server_cert = /srv/amp/pki/server.pem
    amphora_id = \(amphoraID)
    [haproxy_amphora]
    base_path = /srv/amp/base
    base_cert_dir = /srv/amp/certs
    bind_host = 127.0.0.1
    bind_port = 9443
    haproxy_cmd = /opt/haproxy/sbin/haproxy
    [health_manager]
    controller_ip_port_list = 192.0.2.10:5555
    heartbeat_key = old
    [privsep]
    front_user = amphora-front
    helper_socket = /srv/amp/run/helper.sock
    audit_log = /srv/amp/audit/audit.jsonl
    netns = amp-it-test
    service_manager = direct
    keepalived_cmd = /opt/keepalived/sbin/keepalived
    syslog_socket = /srv/amp/run/syslog.sock

    """

private func running() throws -> AgentConfiguration {
    try AgentConfiguration.parse(text: runningText, source: "running").0
}

/// What Octavia's `amphora_agent_conf.template` renders for this amphora, with the controller's
/// settings equal to the running ones (and no `[privsep]` section: the template has none).
private func controllerRendering(
    ca: String = "/srv/amp/pki/ca.pem", cert: String = "/srv/amp/pki/server.pem", basePath: String = "/srv/amp/base",
    baseCertDir: String = "/srv/amp/certs", haproxyCmd: String = "/opt/haproxy/sbin/haproxy", interval: Int = 3
) -> String {
    """
    [DEFAULT]
    debug = False
    use_syslog = True
    syslog_log_facility = LOG_LOCAL1

    [haproxy_amphora]
    base_cert_dir = \(baseCertDir)
    base_path = \(basePath)
    bind_host = 127.0.0.1
    bind_port = 9443
    haproxy_cmd = \(haproxyCmd)
    user_log_facility = 0
    administrative_log_facility = 1

    [health_manager]
    controller_ip_port_list = 192.0.2.11:5555, [2001:db8::1]:5555
    heartbeat_interval = \(interval)
    heartbeat_key = new

    [amphora_agent]
    agent_server_ca = \(ca)
    agent_server_cert = \(cert)
    agent_request_read_timeout = 180
    amphora_id = \(amphoraID)
    amphora_udp_driver = keepalived_lvs
    agent_tls_protocol = TLSv1.2

    [controller_worker]
    loadbalancer_topology = SINGLE

    """
}

/// The running configuration's own text with one assignment replaced (or a `[privsep]` key set).
private func runningWith(_ key: String, _ value: String) -> String {
    runningText.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        line.hasPrefix("\(key) = ") ? "\(key) = \(value)" : String(line)
    }.joined(separator: "\n")
}

/// Validates `upload` as the helper does and returns the refusal, or records an issue.
private func refusal(_ upload: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandError {
    let running = try running()
    let error = try #require(throws: AgentConfigError.self, sourceLocation: sourceLocation) {
        try AgentConfigStore.validate(upload, running: running)
    }
    return CommandError(mapping: error)
}

/// Expects `upload` to be refused with 400 naming `[section] key`, on one line.
private func expectRefusedNaming(_ section: String, _ key: String, _ upload: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let error = try refusal(upload, sourceLocation: sourceLocation)
    #expect(error.code == .badRequest, sourceLocation: sourceLocation)
    let details = error.details ?? ""
    #expect(details.contains("[\(section)] \(key):"), "\(details)", sourceLocation: sourceLocation)
    #expect(details.contains("fixed at deployment"), "\(details)", sourceLocation: sourceLocation)
    #expect(!details.contains("\n"), sourceLocation: sourceLocation)
}

@Suite("PUT /1.0/config: trust-defining keys are deployment constants")
struct DeploymentConstantsTests {
    // MARK: One attack per key

    @Test func uploadChangingAgentServerCAIsRefused() throws {
        // The system bundle would let any publicly issued certificate in as the controller.
        try expectRefusedNaming("amphora_agent", "agent_server_ca", controllerRendering(ca: "/etc/ssl/certs/ca-certificates.crt"))
    }

    @Test func uploadChangingAgentServerCertIsRefused() throws {
        try expectRefusedNaming("amphora_agent", "agent_server_cert", controllerRendering(cert: "/tmp/attacker.pem"))
    }

    @Test func uploadChangingBasePathIsRefused() throws {
        try expectRefusedNaming("haproxy_amphora", "base_path", controllerRendering(basePath: "/etc"))
    }

    @Test func uploadChangingBaseCertDirIsRefused() throws {
        // Off the tmpfs, or onto /etc/systemd/system: root would write key files there.
        try expectRefusedNaming("haproxy_amphora", "base_cert_dir", controllerRendering(baseCertDir: "/etc/systemd/system"))
    }

    @Test func uploadChangingHAProxyCmdIsRefused() throws {
        try expectRefusedNaming("haproxy_amphora", "haproxy_cmd", controllerRendering(haproxyCmd: "/bin/sh"))
    }

    @Test(
        "an upload changing a [privsep] constant is refused, naming it",
        arguments: [
            ("keepalived_cmd", "/bin/sh"), ("front_user", "root"), ("helper_socket", "/tmp/helper.sock"),
            // A new audit_log path would start a new hash chain from zero, hiding the old one.
            ("audit_log", "/tmp/fresh-audit.jsonl"), ("netns", "other-ns"), ("service_manager", "systemd"),
        ])
    func uploadChangingAPrivsepConstantIsRefused(key: String, value: String) throws {
        try expectRefusedNaming("privsep", key, runningWith(key, value))
    }

    @Test func uploadAddingAPrivsepSectionWithAnotherFrontUserIsRefused() throws {
        // The controller's template has no [privsep]; an upload that brings one may not use it to move users.
        try expectRefusedNaming("privsep", "front_user", controllerRendering() + "[privsep]\nfront_user = root\n")
    }

    @Test func uploadChangingAConstantToACanonicallyEquivalentNameIsRefused() throws {
        // "é" precomposed and decomposed are equal under Swift's String ==, but name different files.
        let base = try AgentConfiguration.parse(text: runningWith("haproxy_cmd", "/opt/h\u{E9}/haproxy"), source: "r").0
        let upload = runningWith("haproxy_cmd", "/opt/he\u{301}/haproxy")
        let error = CommandError(mapping: try #require(throws: AgentConfigError.self) { try AgentConfigStore.validate(upload, running: base) })
        #expect(error.details?.contains("[haproxy_amphora] haproxy_cmd:") == true)
    }

    @Test func refusalNamesTheKeyItsValueAndItsLine() throws {
        let error = try refusal(controllerRendering(haproxyCmd: "/bin/sh"))
        // Line 11 of the rendering sets haproxy_cmd.
        #expect(error.details?.hasPrefix("config (uploaded) line 11: [haproxy_amphora] haproxy_cmd: \"/bin/sh\" is fixed at deployment") == true,
                "\(error.details ?? "")")
    }

    // MARK: What stays possible

    @Test func controllerRenderingThatRepeatsRunningValuesIsAccepted() throws {
        let running = try running()
        let upload = controllerRendering()
        let (text, configuration, _) = try AgentConfigStore.validate(upload, running: running)
        #expect(text.hasPrefix(upload))
        #expect(configuration.heartbeatInterval == 3 && configuration.heartbeatKey == "new")
        #expect(configuration.controllerIPPortList.count == 2)
        for (_, key) in DeploymentConstants.keys {
            #expect(configuration.renderedValue(forKey: key) == running.renderedValue(forKey: key), "\(key)")
        }
        // And the stored text reads back the same at the next start.
        let (again, _) = try AgentConfiguration.parse(text: text, source: "stored")
        #expect(again == configuration)
    }

    @Test func uploadOmittingConstantsKeepsRunningValues() throws {
        let running = try running()
        let upload = "[amphora_agent]\namphora_id = \(amphoraID)\n[health_manager]\nheartbeat_key = k2"
        let (text, configuration, _) = try AgentConfigStore.validate(upload, running: running)
        #expect(configuration.heartbeatKey == "k2")
        for (_, key) in DeploymentConstants.keys {
            #expect(configuration.renderedValue(forKey: key) == running.renderedValue(forKey: key), "\(key)")
        }
        #expect(text.contains("[privsep]\nfront_user = amphora-front\n"))
        #expect(text.contains("[haproxy_amphora]\nbase_path = /srv/amp/base\n"))
    }

    @Test func partialPrivsepSectionKeepsTheOtherPrivsepKeys() throws {
        // Before: a [privsep] section with one key reset every other privsep key to its default.
        let running = try running()
        let upload = controllerRendering() + "[privsep]\nfront_user = amphora-front\n"
        let (_, configuration, _) = try AgentConfigStore.validate(upload, running: running)
        #expect(configuration.helperSocket == "/srv/amp/run/helper.sock")
        #expect(configuration.auditLog == "/srv/amp/audit/audit.jsonl")
        #expect(configuration.serviceManager == .direct)
        #expect(configuration.netns == "amp-it-test")
    }

    @Test func sameValueSpelledDifferentlyIsStoredWithTheRunningSpelling() throws {
        let running = try running()
        var upload = controllerRendering(ca: "\"/srv/amp/pki/ca.pem\"", basePath: "/srv//amp/./base/", haproxyCmd: "'/opt/haproxy/sbin/haproxy'")
        upload += "[privsep]\nservice_manager :   direct   \nhelper_socket = /srv/amp/run//helper.sock\n"
        let (text, configuration, _) = try AgentConfigStore.validate(upload, running: running)
        for (_, key) in DeploymentConstants.keys {
            #expect(configuration.renderedValue(forKey: key) == running.renderedValue(forKey: key), "\(key)")
        }
        // Omitted privsep keys first, then the two respelled paths in the running spelling.
        #expect(text.hasSuffix("""
            [privsep]
            front_user = amphora-front
            audit_log = /srv/amp/audit/audit.jsonl
            netns = amp-it-test
            keepalived_cmd = /opt/keepalived/sbin/keepalived
            syslog_socket = /srv/amp/run/syslog.sock
            audit_log_max_bytes = 33554432
            audit_log_keep = 8
            audit_seal_epoch_records = 1000
            audit_seal_epoch_seconds = 900

            [haproxy_amphora]
            base_path = /srv/amp/base

            [privsep]
            helper_socket = /srv/amp/run/helper.sock

            """), "\(text)")
    }

    @Test func controllerKeysStillChange() throws {
        let running = try running()
        let upload = controllerRendering().replacingOccurrences(of: "bind_port = 9443", with: "bind_port = 9444")
            .replacingOccurrences(of: "agent_request_read_timeout = 180", with: "agent_request_read_timeout = 30")
            .replacingOccurrences(of: "loadbalancer_topology = SINGLE", with: "loadbalancer_topology = ACTIVE_STANDBY")
        let (_, configuration, _) = try AgentConfigStore.validate(upload, running: running)
        #expect(configuration.bindPort == 9444)
        #expect(configuration.agentRequestReadTimeout == 30)
        #expect(configuration.loadbalancerTopology == "ACTIVE_STANDBY")
        #expect(configuration.heartbeatInterval == 3)
    }

    @Test func octaviaDefaultsAreAcceptedOnAnAmphoraDeployedWithThem() throws {
        // A production amphora runs with upstream's defaults; the controller renders the same values.
        let (running, _) = try AgentConfiguration.parse(text: "[amphora_agent]\namphora_id = \(amphoraID)\n", source: "r")
        let upload = controllerRendering(
            ca: "/etc/octavia/certs/client_ca.pem", cert: "/etc/octavia/certs/server.pem", basePath: "/var/lib/octavia",
            baseCertDir: "/var/lib/octavia/certs", haproxyCmd: "/usr/sbin/haproxy")
        let (_, configuration, _) = try AgentConfigStore.validate(upload, running: running)
        #expect(configuration.agentServerCA == "/etc/octavia/certs/client_ca.pem")
        #expect(configuration.frontUser == running.frontUser && configuration.serviceManager == .systemd)
    }

    @Test(arguments: DeploymentConstants.keys.map(\.key))
    func everyConstantIsProtected(key: String) throws {
        // A value that differs and is valid for the key's grammar.
        let value: String
        switch key {
        case "front_user": value = "root"
        case "netns": value = "elsewhere"
        case "service_manager": value = "systemd"
        case "audit_log_max_bytes": value = "65536"
        case "audit_log_keep", "audit_seal_epoch_records", "audit_seal_epoch_seconds": value = "2"
        default: value = "/tmp/elsewhere"
        }
        let section = try #require(DeploymentConstants.keys.first { $0.key == key }?.section)
        // The running text sets every key but the audit tuning ones: those are added to its [privsep].
        let upload = runningText.contains("\n\(key) = ")
            ? runningWith(key, value) : runningText.replacingOccurrences(of: "[privsep]\n", with: "[privsep]\n\(key) = \(value)\n")
        try expectRefusedNaming(section, key, upload)
    }
}
