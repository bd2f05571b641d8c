import IPCProtocol
import LinuxSystem

/// Who asked for an action, and the audit log its records go to.
///
/// Every record of a command goes through ``record(_:_:)`` (or ``recordIntent(_:_:)``), which puts
/// the command's ``fields`` first: where it came from (`origin`), the command, the front's request
/// counter and uid, and for a controller request its `request_id`, `http_method`, `http_path`,
/// `client_subject` and `client_sha256`. Those last five are the front's claim: the helper checks
/// their shape but cannot verify them (it only knows the front's uid).
/// ```
/// try context.recordIntent("exec-intent", [("argv", argv)])   // fails closed: 503 when unwritable
/// context.recordOutcome("exec-outcome", [("exit_code", .number("0"))])
/// ```
public struct AuditContext: Sendable {
    /// Where the work comes from.
    public enum Origin: Sendable, Equatable {
        /// A controller's HTTP request, as the front described it.
        case controller(ControllerRequest)
        /// The front on its own behalf (its settings at start, the heartbeat's reads).
        case front
        /// The helper itself (restoring state at boot, its own checks).
        case helper
    }

    /// The log every record of this command goes to.
    public let log: AuditLog
    /// The front's request counter for the command (0 for the helper's own work).
    public let requestID: UInt64
    /// The uid of the peer that sent the command (0 for the helper's own work).
    public let peerUID: UInt32
    /// The command's name (``IPCProtocol/Command/name``), or what the helper is doing.
    public let command: String
    public let origin: Origin

    /// The refusal of a change whose intent could not be recorded.
    public static var auditUnavailable: CommandError { .auditRefusal }

    public init(log: AuditLog, requestID: UInt64, peerUID: UInt32, command: String, origin: Origin) {
        self.log = log
        self.requestID = requestID
        self.peerUID = peerUID
        self.command = command
        self.origin = origin
    }

    /// A command the front sent: from a controller request when the envelope names one, else the front's own.
    public init(log: AuditLog, envelope: RequestEnvelope, peerUID: UInt32) {
        self.init(
            log: log, requestID: envelope.id, peerUID: peerUID, command: envelope.command.name,
            origin: envelope.origin.map { .controller($0) } ?? .front)
    }

    /// Work the helper starts itself (`task`: what it is doing, e.g. `startup`).
    public static func helper(_ task: String, log: AuditLog) -> AuditContext {
        AuditContext(log: log, requestID: 0, peerUID: 0, command: task, origin: .helper)
    }

    /// The members every record of this command starts with (never key material: the front's
    /// claims are printable ASCII of bounded length, checked when the envelope was decoded).
    public var fields: [(String, JSONValue)] {
        switch origin {
        case .helper:
            return [("origin", .string("helper")), ("command", .string(command))]
        case .front:
            return [
                ("origin", .string("front")), ("command", .string(command)), ("request", .number(String(requestID))),
                ("peer_uid", .number(String(peerUID))),
            ]
        case .controller(let request):
            var members: [(String, JSONValue)] = [
                ("origin", .string("controller")), ("command", .string(command)), ("request", .number(String(requestID))),
                ("peer_uid", .number(String(peerUID))), ("request_id", .string(request.requestID.description)),
                ("http_method", .string(request.method)), ("http_path", .string(request.path)),
            ]
            if let subject = request.clientSubject, let fingerprint = request.clientFingerprint {
                members.append(("client_subject", .string(subject)))
                members.append(("client_sha256", .string(fingerprint)))
            }
            return members
        }
    }

    /// Appends `event` with this command's ``fields`` and then `extra`, fsynced; throws when the log is unwritable.
    public func record(_ event: String, _ extra: [(String, JSONValue)] = []) throws(SystemError) {
        try log.record(event, fields + extra)
    }

    /// Records what is about to be done, fail closed: when the record cannot be written the caller
    /// must not act, and the command fails with ``auditUnavailable`` (503).
    public func recordIntent(_ event: String, _ extra: [(String, JSONValue)] = []) throws(CommandError) {
        do {
            try record(event, extra)
        } catch {
            throw Self.auditUnavailable
        }
    }

    /// Records what came of an action already taken. Best effort: the action happened whether or
    /// not this record can be written, and its intent record is already there.
    public func recordOutcome(_ event: String, _ extra: [(String, JSONValue)] = []) {
        try? record(event, extra)
    }
}
