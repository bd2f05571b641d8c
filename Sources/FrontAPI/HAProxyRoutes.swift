import Crypto
import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol
import NIOCore

/// haproxy instance routes: v0.1 per listener, 1.0 per load balancer, over the same helper commands.
extension AgentAPI {
    func addHAProxyRoutes(_ table: inout RouteTable) {
        // v0.1 (seed spec)
        table.add(.put, "/v0.1/listeners/:amphora/:listener/haproxy") { request, context, p in
            let (md5, output) = try await upload(request, context, amphora: p["amphora"], instance: p["listener"])
            return JSONResponse.object(.created, [("message", .string("OK")), ("details", .string(output))], headers: [.eTag: md5])
        }
        table.add(.get, "/v0.1/listeners/:listener/haproxy") { _, _, p in try await storedConfig(p["listener"], .seed) }
        table.add(.put, "/v0.1/listeners/:listener/:action") { _, _, p in try await action(p["action"], p["listener"], .seed) }
        table.add(.delete, "/v0.1/listeners/:listener") { _, _, p in
            let id = try resourceID(p["listener"], field: "listener")
            guard try await helper.call(.deleteInstance(instance: id)) else { throw APIVersion.seed.notFound(id) }
            return JSONResponse.object(.ok, [("message", .string("OK"))])
        }
        table.add(.get, "/v0.1/listeners") { _, _, _ in
            let instances = try await helper.call(.listInstances)
            return JSONResponse.make(.ok, .array(instances.map { instance in
                .object([
                    ("status", .string(instance.state.rawValue)),
                    ("uuid", .string(instance.instance.description)),
                    ("type", .string(instance.frontends.first?.type ?? "TCP")),
                ])
            }))
        }
        table.add(.get, "/v0.1/listeners/:listener") { _, _, p in
            let id = try resourceID(p["listener"], field: "listener")
            let status = try await call(.instanceStatus(instance: id), instance: id, .seed)
            return JSONResponse.object(.ok, [
                ("status", .string(status.summary.state.rawValue)),
                ("uuid", .string(id.description)),
                ("type", .string(status.summary.frontends.first?.type ?? "TCP")),
                ("pools", .array(status.pools.map { pool in
                    .object([
                        ("uuid", .string(pool.name)),
                        ("status", .string(pool.status)),
                        ("members", .array(pool.members.map { .object([($0.name, .string($0.status))]) })),
                    ])
                })),
            ])
        }

        // 1.0 (today's controller)
        table.add(.put, "/1.0/loadbalancer/:amphora/:lb/haproxy") { request, context, p in
            let (md5, _) = try await upload(request, context, amphora: p["amphora"], instance: p["lb"])
            return JSONResponse.object(.accepted, [("message", .string("OK"))], headers: [.eTag: md5])
        }
        table.add(.get, "/1.0/loadbalancer/:lb/haproxy") { _, _, p in try await storedConfig(p["lb"], .current) }
        table.add(.put, "/1.0/loadbalancer/:lb/:action") { _, _, p in try await action(p["action"], p["lb"], .current) }
        table.add(.delete, "/1.0/listeners/:id") { _, _, p in
            let id = try resourceID(p["id"], field: "id")
            // A haproxy load balancer's or a UDP listener's: the helper removes whichever it has (200 either way).
            _ = try await helper.call(.deleteListener(id: id))
            return JSONResponse.object(.ok, [("message", .string("OK"))])
        }
        table.add(.get, "/1.0/listeners") { _, _, _ in
            let listing = try await helper.call(.listListeners)
            return JSONResponse.make(.ok, Self.listenerEntries(listing))
        }
    }

    /// `GET /1.0/listeners`: every haproxy frontend (ACTIVE, its type), then every UDP listener (type
    /// UDP, upstream's status words).
    static func listenerEntries(_ listing: ListenerListing) -> JSONValue {
        let frontends: [JSONValue] = listing.instances.flatMap { instance in
            instance.frontends.map { frontend in
                .object([("status", .string("ACTIVE")), ("uuid", .string(frontend.name)), ("type", .string(frontend.type))])
            }
        }
        let udp: [JSONValue] = listing.lvsListeners.map {
            .object([("status", .string($0.state.rawValue)), ("uuid", .string($0.listener.description)), ("type", .string("UDP"))])
        }
        return .array(frontends + udp)
    }

    /// Calls the helper about one haproxy instance; an unknown instance answers in `version`'s words.
    func call<Answer>(_ request: HelperRequest<Answer>, instance id: ResourceID, _ version: APIVersion) async throws -> Answer {
        do {
            return try await helper.call(request)
        } catch let error as CommandError where error.code == .instanceNotFound {
            throw version.notFound(id)
        }
    }

    /// Reads and checks an uploaded configuration, sends it, and returns the body's MD5 and haproxy's words.
    func upload(_ request: Request, _ context: AgentRequestContext, amphora: String, instance: String) async throws -> (String, String) {
        let amphoraID = try resourceID(amphora, field: "amphora_id")
        let instanceID = try resourceID(instance, field: "id")
        let bytes = try await body(request, context)
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            throw APIError.message(.badRequest, "Invalid request", details: "The configuration must be UTF-8 text without NUL bytes")
        }
        let upload = HAProxyConfigUpload(instance: instanceID, amphoraID: amphoraID, config: text)
        let output = try await helper.call(.uploadHAProxyConfig(upload))
        return (md5Hex(bytes), output)
    }

    func storedConfig(_ raw: String, _ version: APIVersion) async throws -> Response {
        let id = try resourceID(raw, field: "id")
        let file = try await call(.haproxyConfig(instance: id), instance: id, version)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .eTag: file.md5],
            body: ResponseBody(byteBuffer: ByteBuffer(string: file.text)))
    }

    /// v0.1 acts on a haproxy listener; 1.0 on whatever owns the id (the helper decides: a haproxy
    /// load balancer, else a UDP listener's keepalived).
    func action(_ rawAction: String, _ rawID: String, _ version: APIVersion) async throws -> Response {
        // Upstream checks the action before the id; so do we.
        let action: ServiceAction
        do {
            action = try ServiceAction(parsing: rawAction)
        } catch {
            throw APIError.message(.badRequest, "Invalid Request", details: error.reason)
        }
        let id = try resourceID(rawID, field: "id")
        let details: String
        switch version {
        case .seed: details = try await call(.haproxyAction(instance: id, action: action), instance: id, version)
        case .current: details = try await call(.loadBalancerAction(id: id, action: action), instance: id, version)
        }
        return JSONResponse.object(.accepted, [("message", .string("OK")), ("details", .string(details))])
    }

    /// A path parameter as a canonical UUID, or 400.
    func resourceID(_ raw: String, field: String) throws -> ResourceID {
        do {
            return try ResourceID(validating: raw, field: field)
        } catch {
            throw APIError.message(.badRequest, "Invalid request", details: error.description)
        }
    }

    /// The request body, refused with 400 past the context's limit (``BodyLimit``).
    func body(_ request: Request, _ context: AgentRequestContext) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Array(buffer.readableBytesView)
    }

    func md5Hex(_ bytes: [UInt8]) -> String {
        HexText.lowercase(Insecure.MD5.hash(data: bytes))
    }
}
