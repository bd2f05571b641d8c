import Crypto
import HTTPTypes
import Hummingbird
import IPCProtocol
import NIOCore

/// haproxy instance routes: v0.1 per listener, 1.0 per load balancer, over the same helper commands.
extension AgentAPI {
    /// Which API version a route serves; decides not-found wording and success codes.
    enum Flavor {
        case seed
        case current

        func notFound(_ id: String) -> APIError {
            switch self {
            case .seed: return .message(.notFound, "Listener Not Found", details: "No listener with UUID: \(id)")
            case .current: return .message(.notFound, "Loadbalancer Not Found", details: "No loadbalancer with UUID: \(id)")
            }
        }
    }

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
            guard case .deleted(let existed) = try await helper.send(.deleteInstance(instance: id)) else { throw unexpectedReply }
            guard existed else { throw Flavor.seed.notFound(id.description) }
            return JSONResponse.object(.ok, [("message", .string("OK"))])
        }
        table.add(.get, "/v0.1/listeners") { _, _, _ in
            let instances = try await listInstances()
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
            let status: InstanceStatus
            do {
                guard case .instanceStatus(let reply) = try await helper.send(.instanceStatus(instance: id)) else { throw unexpectedReply }
                status = reply
            } catch let error as CommandError where error.code == .notFound {
                throw Flavor.seed.notFound(id.description)
            }
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
            guard case .deleted = try await helper.send(.deleteInstance(instance: id)) else { throw unexpectedReply }
            // The id may be a UDP listener's (upstream's routing for this path).
            guard case .deleted = try await helper.send(.deleteLVSListener(listener: id)) else { throw unexpectedReply }
            return JSONResponse.object(.ok, [("message", .string("OK"))])
        }
        table.add(.get, "/1.0/listeners") { _, _, _ in
            let instances = try await listInstances()
            return JSONResponse.make(.ok, .array(instances.flatMap { instance in
                instance.frontends.map { frontend in
                    .object([("status", .string("ACTIVE")), ("uuid", .string(frontend.name)), ("type", .string(frontend.type))])
                }
            } + (try await lvsListenerEntries())))
        }
    }

    func listInstances() async throws -> [InstanceSummary] {
        guard case .instances(let list) = try await helper.send(.listInstances) else { throw unexpectedReply }
        return list
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
        guard case .haproxyConfigStored(let output) = try await helper.send(.uploadHAProxyConfig(upload)) else { throw unexpectedReply }
        return (md5Hex(bytes), output)
    }

    func storedConfig(_ raw: String, _ flavor: Flavor) async throws -> Response {
        let id = try resourceID(raw, field: "id")
        do {
            guard case .haproxyConfig(let file) = try await helper.send(.haproxyConfig(instance: id)) else { throw unexpectedReply }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .eTag: file.md5],
                body: ResponseBody(byteBuffer: ByteBuffer(string: file.text)))
        } catch let error as CommandError where error.code == .notFound {
            throw flavor.notFound(id.description)
        }
    }

    func action(_ rawAction: String, _ rawID: String, _ flavor: Flavor) async throws -> Response {
        // Upstream checks the action before the id; so do we.
        let action: ServiceAction
        do {
            action = try ServiceAction(parsing: rawAction)
        } catch {
            throw APIError.message(.badRequest, "Invalid Request", details: error.reason)
        }
        let id = try resourceID(rawID, field: "id")
        do {
            guard case .actionDone(let details) = try await helper.send(.haproxyAction(instance: id, action: action)) else {
                throw unexpectedReply
            }
            return JSONResponse.object(.accepted, [("message", .string("OK")), ("details", .string(details))])
        } catch let error as CommandError where error.code == .notFound {
            // No haproxy load balancer with this id: a UDP listener's keepalived, if one is stored (1.0 only).
            if flavor == .current, let response = try await lvsAction(action, id) { return response }
            throw flavor.notFound(id.description)
        }
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
        Insecure.MD5.hash(data: bytes).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }
}
