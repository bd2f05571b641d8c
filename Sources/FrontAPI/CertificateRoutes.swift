import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol

/// Certificate routes: per-listener PEM files (v0.1), per-load-balancer files (1.0), and the
/// rotation of the agent's own server certificate (both versions).
extension AgentAPI {
    func addCertificateRoutes(_ table: inout RouteTable) {
        // The same three routes per version; v0.1 answers an upload with 201, 1.0 with 200.
        let versions: [(owner: String, path: String, scope: CertificateScope, uploaded: HTTPResponse.Status)] = [
            ("listener", "/v0.1/listeners/:listener/certificates/:filename", .listener, .created),
            ("lb", "/1.0/loadbalancer/:lb/certificates/:filename", .loadBalancer, .ok),
        ]
        for (owner, path, scope, uploaded) in versions {
            table.add(.put, path) { request, context, p in
                let md5 = try await uploadCertificate(request, context, p[owner], p["filename"], scope)
                return JSONResponse.object(uploaded, [("message", .string("OK"))], headers: [.eTag: md5])
            }
            table.add(.get, path) { _, _, p in try await certificateDigest(p[owner], p["filename"], scope) }
            table.add(.delete, path) { _, _, p in try await deleteCertificate(p[owner], p["filename"], scope) }
        }
        for path in ["/v0.1/certificate", "/1.0/certificate"] {
            table.add(.put, path) { request, context, _ in try await rotateServerCertificate(request, context) }
        }
    }

    func certificateFile(_ raw: String) throws -> CertificateFileName {
        guard let file = try? CertificateFileName(validating: raw) else {
            throw APIError.message(.badRequest, "Filename has wrong format")
        }
        return file
    }

    /// The API version a certificate scope belongs to (its not-found wording).
    static func version(_ scope: CertificateScope) -> APIVersion { scope == .listener ? .seed : .current }

    func uploadCertificate(
        _ request: Request, _ context: AgentRequestContext, _ rawID: String, _ rawFile: String, _ scope: CertificateScope
    ) async throws -> String {
        let id = try resourceID(rawID, field: scope == .listener ? "listener" : "lb")
        let file = try certificateFile(rawFile)
        let bytes = try await body(request, context)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError.message(.badRequest, "No certificate found", details: "The body is not PEM text")
        }
        let upload = CertificateUpload(instance: id, file: file, content: text, scope: scope)
        return try await call(.uploadCertificate(upload), instance: id, Self.version(scope))
    }

    func certificateDigest(_ rawID: String, _ rawFile: String, _ scope: CertificateScope) async throws -> Response {
        let id = try resourceID(rawID, field: scope == .listener ? "listener" : "lb")
        let file = try certificateFile(rawFile)
        let md5 = try await call(.certificateDigest(instance: id, file: file, scope: scope), instance: id, Self.version(scope))
        return JSONResponse.object(.ok, [("md5sum", .string(md5))], headers: [.eTag: md5])
    }

    func deleteCertificate(_ rawID: String, _ rawFile: String, _ scope: CertificateScope) async throws -> Response {
        let id = try resourceID(rawID, field: scope == .listener ? "listener" : "lb")
        let file = try certificateFile(rawFile)
        let existed = try await call(.deleteCertificate(instance: id, file: file, scope: scope), instance: id, Self.version(scope))
        if !existed, scope == .listener {
            throw APIError.message(.notFound, "Certificate Not Found", details: "No certificate with file name: \(file)")
        }
        return JSONResponse.object(.ok, [("message", .string("OK"))])
    }

    /// `PUT /certificate`: the front checks that BoringSSL can serve it, the helper checks it with
    /// OpenSSL and stores it; then every new handshake presents it, while connections already open
    /// carry on. Refused by either, nothing is stored and the old identity stays in service.
    func rotateServerCertificate(_ request: Request, _ context: AgentRequestContext) async throws -> Response {
        let bytes = try await body(request, context)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw APIError.message(.badRequest, "No certificate found") }
        // BoringSSL must be able to serve it before the helper (OpenSSL) may store it.
        try ServerTLSIdentity.checkServable(text)
        let identity = try await helper.call(.rotateServerCertificate(pem: text))
        do {
            try tlsIdentity.replace(with: identity)
        } catch {
            throw APIError.message(.internalServerError, "The new certificate could not be loaded")
        }
        return JSONResponse.object(.accepted, [("message", .string("OK"))])
    }
}
