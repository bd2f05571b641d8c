import IPCProtocol
import LinuxSystem

/// Who asked for an action, and the audit log its records go to.
///
/// Every record of a command goes through ``record(_:_:)`` (or ``recordIntent(_:_:)``), which puts
/// the command's ``fields`` first: where it came from (`origin`), the command, the front's request
/// counter and uid, and for a controller request its `request_id`, `http_method`, `http_path`,
/// `client_subject` and `client_sha256`. Those last five are the front's claim: the helper checks
/// their shape but cannot verify them (it only knows the front's uid). Each is cut to
/// ``maximumClaimBytes`` here, so a hostile front cannot inflate every record (see ``claim(_:_:cut:)``).
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

    /// The most bytes of one front-supplied member (`request_id`, `http_method`, `http_path`,
    /// `client_subject`, `client_sha256`) a record carries.
    public static let maximumClaimBytes = 256

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
    /// claims are printable ASCII, checked when the envelope was decoded, and cut to
    /// ``maximumClaimBytes``; a record with a cut member ends its origin with `origin_cut`).
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
            var cut: [JSONValue] = []
            var members: [(String, JSONValue)] = [
                ("origin", .string("controller")), ("command", .string(command)), ("request", .number(String(requestID))),
                ("peer_uid", .number(String(peerUID))), Self.claim("request_id", request.requestID.description, cut: &cut),
                Self.claim("http_method", request.method, cut: &cut), Self.claim("http_path", request.path, cut: &cut),
            ]
            if let subject = request.clientSubject, let fingerprint = request.clientFingerprint {
                members.append(Self.claim("client_subject", subject, cut: &cut))
                members.append(Self.claim("client_sha256", fingerprint, cut: &cut))
            }
            if !cut.isEmpty { members.append(("origin_cut", .array(cut))) }
            return members
        }
    }

    /// The member `name` with the front's `text`, cut to its first ``maximumClaimBytes`` bytes on a
    /// UTF-8 character boundary. A cut adds `{"member": name, "bytes": the full length, "sha256": of
    /// the full text}` to `cut`, so the record says it was cut and still identifies the whole claim.
    static func claim(_ name: String, _ text: String, cut: inout [JSONValue]) -> (String, JSONValue) {
        let bytes = Array(text.utf8)
        guard bytes.count > maximumClaimBytes else { return (name, .string(text)) }
        var end = maximumClaimBytes
        while end > 0, UTF8.isContinuation(bytes[end]) { end -= 1 }
        cut.append(.object([
            ("member", .string(name)), ("bytes", .number(String(bytes.count))), ("sha256", .string(Digest.sha256Hex(bytes))),
        ]))
        return (name, .string(String(decoding: bytes[..<end], as: UTF8.self)))
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
        recordOutcome(event, members: fields + extra, in: log)
    }

    /// An outcome record whose members the caller assembled (starting with ``fields``), in `log`.
    /// For a command the front sent it is fsynced with the next intent or before the reply
    /// (``AuditLog/recordBeforeNextSync(_:_:)``); the helper's own work has no reply, so its
    /// outcomes are fsynced at once.
    public func recordOutcome(_ event: String, members: [(String, JSONValue)], in log: AuditLog) {
        if origin == .helper {
            try? log.record(event, members)
        } else {
            try? log.recordBeforeNextSync(event, members)
        }
    }
}
