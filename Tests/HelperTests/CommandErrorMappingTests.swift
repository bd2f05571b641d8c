import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// The wire form of every domain error: status kind, message and details exactly as the helper
/// built them before the domain errors existed (the front and the integration tests read them).
@Suite("domain errors → CommandError")
struct CommandErrorMappingTests {
    static let id = try! ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
    static let system = SystemError("open", errno: ENOENT, subject: "haproxy.cfg")
    static let launcher = CommandError(.unavailable, "Audit log unavailable; command refused")
    static let file = try! CertificateFileName(validating: "a.pem")

    static let cases: [(any Error, CommandError)] = [
        (HAProxyError.refused(details: "line 3: x"), CommandError(.badRequest, "Invalid request", details: "line 3: x")),
        (HAProxyError.policyUnreadable, CommandError(.internalError, "Internal error", details: "the compiled-in haproxy policy does not parse")),
        (HAProxyError.notFound(id), CommandError(.instanceNotFound, "Instance Not Found", details: id.description)),
        (HAProxyError.storage(system), CommandError(.internalError, "Internal error", details: system.description)),
        (HAProxyError.checkFailed(.start, details: "d"), CommandError(.internalError, "Error starting haproxy", details: "d")),
        (HAProxyError.checkFailed(.reload, details: "d"), CommandError(.internalError, "Error reloading haproxy", details: "d")),
        (HAProxyError.didNotStart(details: nil), CommandError(.internalError, "Error starting haproxy", details: "haproxy did not come up")),
        (HAProxyError.didNotStart(details: "[ALERT] x"), CommandError(.internalError, "Error starting haproxy", details: "[ALERT] x")),
        (HAProxyError.launcher(launcher), launcher),

        (CertificateError.tooLarge, CommandError(.tooLarge, "Certificate too large")),
        (CertificateError.badBundle(CertificateProblem("No certificate")), CommandError(.badRequest, "No certificate")),
        (CertificateError.invalid(details: "NUL byte"), CommandError(.badRequest, "Invalid certificate", details: "NUL byte")),
        (CertificateError.storageUnavailable(details: "d"), CommandError(.unavailable, "Certificate storage unavailable", details: "d")),
        (CertificateError.notFound(file, .loadBalancer), CommandError(.certificateNotFound, "Certificate Not Found", details: "No certificate with filename: a.pem")),
        (CertificateError.notFound(file, .listener), CommandError(.certificateNotFound, "Certificate Not Found", details: "No certificate with file name: a.pem")),
        (CertificateError.instance(.notFound(id)), CommandError(.instanceNotFound, "Instance Not Found", details: id.description)),
        (CertificateError.notStored(system), CommandError(.internalError, "Error storing certificate", details: system.description)),
        (CertificateError.notRead(system), CommandError(.internalError, "Error reading certificate", details: system.description)),
        (CertificateError.notDeleted(system), CommandError(.internalError, "Error deleting certificate", details: system.description)),

        (KeepalivedConfigError.refused(KeepalivedConfigRefusal(line: 2, reason: "r")),
         CommandError(.badRequest, "Invalid request", details: KeepalivedConfigRefusal(line: 2, reason: "r").description)),
        (KeepalivedConfigError.policyMissing(fileName: "keepalived-lvs.txt"), CommandError(.internalError, "keepalived-lvs.txt is not compiled in")),
        (KeepalivedConfigError.policyMalformed(fileName: "f.txt", line: "rule"), CommandError(.internalError, "malformed line in f.txt: rule")),

        (KeepalivedError.transitionInProgress, CommandError(.unavailable, "Topology transition in progress")),
        (KeepalivedError.incompleteActiveStandby, CommandError(.badRequest, "role, ha_ip and secret are required for ACTIVE-STANDBY")),
        (KeepalivedError.unsupportedTopology, CommandError(.badRequest, "Unsupported topology: ACTIVE-ACTIVE")),
        (KeepalivedError.directoryUnavailable(system), CommandError(.internalError, "Error opening the VRRP directory", details: system.description)),
        (KeepalivedError.directoryUnavailable(nil), CommandError(.internalError, "No VRRP directory")),
        (KeepalivedError.notStored(system), CommandError(.internalError, "Error storing the VRRP configuration", details: system.description)),
        (KeepalivedError.notRead(system), CommandError(.internalError, "Error reading the VRRP configuration", details: system.description)),
        (KeepalivedError.configTestFailed(details: "d"), CommandError(.badRequest, "Invalid request", details: "d")),
        (KeepalivedError.notConfigured, CommandError(.internalError, "No keepalived configuration has been uploaded")),
        (KeepalivedError.exited(details: nil), CommandError(.internalError, "keepalived exited")),
        // An action keeps a refusal a 400 and makes everything else a 500, the cause's text in the details.
        (KeepalivedError.actionFailed(.start, cause: .configTestFailed(details: "d")),
         CommandError(.badRequest, "Failed to start keepalived service: d", details: "d")),
        (KeepalivedError.actionFailed(.reload, cause: .notConfigured),
         CommandError(
             .internalError, "Failed to reload keepalived service: No keepalived configuration has been uploaded",
             details: "No keepalived configuration has been uploaded")),
        (KeepalivedError.actionFailed(.stop, cause: .launcher(launcher)),
         CommandError(
             .internalError, "Failed to stop keepalived service: Audit log unavailable; command refused",
             details: "Audit log unavailable; command refused")),
        (KeepalivedError.uploadFailed(cause: .notStored(system)),
         CommandError(.internalError, "Failed to upload keepalived configuration.", details: system.description)),
        (KeepalivedError.network(.noInterfaceOnSubnet(try! IPAddress(validating: "192.0.2.10"))),
         CommandError(.notFound, "No interface on the subnet of 192.0.2.10")),

        (LVSError.notFound(id), CommandError(.lvsListenerNotFound, "UDP Listener Not Found", details: "No UDP listener with UUID: \(id)")),
        (LVSError.storage(system), CommandError(.internalError, "Internal error", details: system.description)),
        (LVSError.configTestFailed(details: "d"), CommandError(.badRequest, "Invalid request", details: "d")),
        (LVSError.actionFailed(.reload, id, .noKernelSupport("no IP_VS")),
         CommandError(.internalError, "Failed to restart keepalivedlvs listener \(id)", details: "no IP_VS")),
        (LVSError.actionFailed(.start, id, .policy(.refused(KeepalivedConfigRefusal(line: 1, reason: "r")))),
         CommandError(.internalError, "Failed to start keepalivedlvs listener \(id)", details: KeepalivedConfigRefusal(line: 1, reason: "r").description)),
        (LVSError.ipvsUnreadable(details: "d"), CommandError(.internalError, "Cannot read the IP Virtual Server table", details: "d")),

        (NetworkError.noSuitableInterface, CommandError(.notFound, "No suitable network interface found")),
        (NetworkError.noInterfaceForAddress, CommandError(.notFound, "Error interface not found for IP address")),
        (NetworkError.alreadyPlugged, CommandError(.conflict, "Interface already exists")),
        (NetworkError.ipFailed(details: "d"), CommandError(.internalError, "Error configuring interface", details: "d")),
        (NetworkError.notRecorded(details: "d"), CommandError(.internalError, "Error recording the interface", details: "d")),
        (NetworkError.tooManyRules, CommandError(
            .badRequest, "Invalid rules information", details: "more than \(InterfaceRules.maximumRules) rules")),
        (NetworkError.unexpectedInterfaceName("x"), CommandError(.internalError, "Unexpected interface name", details: "x")),
        (NetworkError.rulesNotWritten(system), CommandError(.internalError, "Error writing the nftables rules", details: system.description)),
        (NetworkError.rulesNotLoaded(details: "d"), CommandError(.internalError, "Error loading the nftables rules", details: "d")),

        (AgentConfigError.invalid(details: "d"), CommandError(.badRequest, "Invalid configuration", details: "d")),
        (AgentConfigError.auditUnavailable, CommandError(.unavailable, "Audit log unavailable; command refused")),
        (AgentConfigError.notStored(system), CommandError(
            .internalError, "Unable to update amphora-agent configuration.", details: system.description)),

        (ServiceError.auditUnavailable, CommandError(.unavailable, "Audit log unavailable; command refused")),
        (ServiceError.managerUnavailable(details: "d"), CommandError(.internalError, "Service manager unavailable", details: "d")),
        (ServiceError.failed(.start, .haproxy(id), details: "d"), CommandError(.internalError, "Error starting haproxy", details: "d")),
        (ServiceError.failed(.reload, .keepalived, details: "d"), CommandError(.internalError, "Error reloading keepalived", details: "d")),
        (HAProxyError.service(.failed(.stop, .haproxy(id), details: "d")), CommandError(.internalError, "Error stopping haproxy", details: "d")),
        (HAProxyError.stopFailed(.failed(.stop, .haproxy(id), details: "d")), CommandError(.internalError, "Error stopping haproxy", details: "d")),
        (LVSError.stopFailed(.failed(.stop, .lvs(id), details: "d")), CommandError(.internalError, "Error stopping keepalivedlvs", details: "d")),
        (LVSError.actionFailed(.start, id, .service(.auditUnavailable)),
         CommandError(.unavailable, "Failed to start keepalivedlvs listener \(id)", details: "Audit log unavailable; command refused")),
        (ReportingError.haproxy(.storage(system)), CommandError(.internalError, "Internal error", details: system.description)),
        (ReportingError.countersNotStored(details: "d"), CommandError(.internalError, "Cannot store the heartbeat counters", details: "d")),

        (LaunchError.argumentRefused, CommandError(.badRequest, "argument refused by the launcher's grammar")),
        (LaunchError.optionLikeValueRefused, CommandError(.badRequest, "option-like value refused by the launcher's grammar")),
        (LaunchError.checkAccountMissing, CommandError(
            .internalError,
            "the configuration-check user amphora-check does not exist (scripts/install-deps.sh creates it: useradd --system amphora-check)")),
        (LaunchError.certificateDirectoryUnavailable(details: "d"), CommandError(.internalError, "certificate directory unavailable", details: "d")),
        (LaunchError.certificatesNotShared(reason: "EPERM"),
         CommandError(.internalError, "cannot share the certificate directory with the check", details: "EPERM")),
        (LaunchError.checkInputUnreadable(path: "/x", reason: "ENOENT"), CommandError(.internalError, "cannot open /x: ENOENT")),
        (LaunchError.checkInputNotHanded(path: "/x", reason: "EMFILE"), CommandError(.internalError, "cannot hand /x to the check: EMFILE")),
        (LaunchError.landlockRulesetFailed(reason: "no Landlock"), CommandError(.internalError, "cannot build the check's Landlock ruleset: no Landlock")),
        (LaunchError.answeredAnotherRequest, CommandError(.internalError, "launcher answered another request")),
        (LaunchError.launcherExited, CommandError(.internalError, "launcher exited")),
        (LaunchError.launcherUnavailable(details: "d"), CommandError(.internalError, "launcher unavailable", details: "d")),

        (CommandHandlerError.listenersNotConfigured, CommandError(.internalError, "UDP listeners are not configured in this helper")),
        (CommandHandlerError.auditUnavailable, CommandError(.unavailable, "Audit log unavailable; command refused")),
        (CommandHandlerError.serverCertificateRefused(CertificateProblem("No private key")), CommandError(.badRequest, "No private key")),
        (CommandHandlerError.serverCertificateNotStored(system),
         CommandError(.internalError, "Error storing the server certificate", details: system.description)),
    ]

    @Test("every domain error maps to the status, message and details the wire had")
    func mapping() {
        for (error, expected) in Self.cases {
            #expect(CommandError(mapping: error) == expected, "\(type(of: error))")
        }
    }

    @Test("a full file system (ENOSPC, EDQUOT) is named in the message; what failed stays in the details")
    func noSpaceLeft() {
        let full = SystemError("write", errno: ENOSPC)
        let quota = SystemError("write", errno: EDQUOT)
        let cases: [(any Error, String, SystemError)] = [
            (HAProxyError.storage(full), "Internal error", full),
            (CertificateError.notStored(full), "Error storing certificate", full),
            (KeepalivedError.notStored(full), "Error storing the VRRP configuration", full),
            (LVSError.storage(quota), "Internal error", quota),
            (AgentConfigError.notStored(full), "Unable to update amphora-agent configuration.", full),
            (ReportingError.haproxy(.storage(full)), "Internal error", full),
        ]
        for (error, message, cause) in cases {
            #expect(
                CommandError(mapping: error) == CommandError(.internalError, "No space left on device", details: "\(message): \(cause.description)"),
                "\(type(of: error))")
        }
        #expect(full.description == "write: No space left on device")
    }

    @Test("a CommandError passes through; an unknown error is a 500 that names it")
    func passThroughAndFallback() {
        #expect(CommandError(mapping: Self.launcher) == Self.launcher)
        struct Other: Error {}
        #expect(CommandError(mapping: Other()).code == .internalError)
    }

    @Test("the launchers' errors reach the audited runner in their wire form")
    func launcherAdapters() throws {
        let directory = "/tmp/amphora-mapping-\(getpid())"
        try #require(mkdir(directory, 0o700) == 0)
        defer { rmdir(directory) }
        // A regular file where the load balancer's certificate directory should be: not a directory.
        let fd = open(directory + "/" + Self.id.description, O_CREAT | O_WRONLY | O_EXCL | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        close(fd)
        defer { unlink(directory + "/" + Self.id.description) }
        do throws(CommandError) {
            try CertificateSharing(baseCertDir: directory, gid: 0).share(Self.id)
            Issue.record("a file in place of the certificate directory was shared")
        } catch {
            #expect(error.code == .internalError && error.message == "certificate directory unavailable" && error.details != nil, "\(error)")
        }
    }

    @Test("only a 500 is an internal keepalived error (the VRRP upload wraps those alone)")
    func keepalivedInternalErrors() {
        #expect(KeepalivedError.notStored(Self.system).isInternalError)
        #expect(!KeepalivedError.configTestFailed(details: "d").isInternalError)
        #expect(!KeepalivedError.transitionInProgress.isInternalError)
    }

    @Test("a domain error prints as its wire error (logs and audit records unchanged)")
    func description() {
        let error = KeepalivedError.actionFailed(.start, cause: .notConfigured)
        #expect(error.description == CommandError(mapping: error).description)
    }
}
