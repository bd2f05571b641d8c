import HTTPTypes
import IPCProtocol

/// The front's request body limit and the answer past it.
///
/// The answer is 400 `{"message": "Invalid request", "details": …}`, not 413: Octavia's controller
/// (`exceptions.check_exception`) raises only on 400, 401, 403, 404, 405, 409, 500 and 503, so a
/// 413 would count as success and the upload would silently never happen. 400 is what upstream's
/// agent answers for an upload it cannot take (a configuration `haproxy -c` refuses): the
/// controller raises `InvalidRequest` and reverts the flow; retrying would not help, so not 503.
enum BodyLimit {
    /// The largest request body (``UploadLimits/maximumBodySize``; docs/limits.md has the arithmetic).
    static let maximumSize = UploadLimits.maximumBodySize

    /// The refusal; `length` is the declared or encoded size when known.
    static func refusal(length: Int? = nil) -> APIError {
        let size = length.map { "\($0) bytes" } ?? "The request body"
        let subject = length == nil ? size : "The request body (\(size))"
        return APIError.message(
            .badRequest, "Invalid request", details: "\(subject) exceeds the agent's limit of \(maximumSize) bytes")
    }
}
