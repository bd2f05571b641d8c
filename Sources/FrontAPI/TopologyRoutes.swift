import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol

/// The seed's topology API and the VRRP endpoints of both versions.
extension AgentAPI {
    func addTopologyRoutes(_ table: inout RouteTable) {
        table.add(.get, "/v0.1/topology") { _, _, _ in try await topology() }
        table.add(.post, "/v0.1/topology") { request, context, _ in try await changeTopology(request, context) }
        for version in ["v0.1", "1.0"] {
            // Registered before the action route, so `upload` is never taken for an action.
            table.add(.put, "/\(version)/vrrp/upload") { request, context, _ in try await uploadVRRP(request, context) }
            table.add(.put, "/\(version)/vrrp/:action") { _, _, p in try await vrrpAction(p["action"]) }
        }
    }

    /// The seed spells ACTIVE_STANDBY with a hyphen.
    static func seedName(_ topology: Topology) -> String { topology.rawValue.split(separator: "_").joined(separator: "-") }

    func topology() async throws -> Response {
        let state = try await helper.call(.topology)
        let info = try await amphoraInfo()
        return JSONResponse.object(.ok, [
            ("hostname", .string(info.hostname)),
            ("uuid", .string(info.amphoraID.description)),
            ("topology", .string(Self.seedName(state.topology))),
            ("role", .optional(state.role?.rawValue)),
            ("ha_ip", .optional(state.haIP?.description)),
            ("topology_status", .string(state.status.rawValue)),
            ("last_failed_transition", state.lastFailure.map(Self.failureObject) ?? .null),
        ])
    }

    /// The last transition that failed (refused with 400, or rolled back), until a later one succeeds.
    static func failureObject(_ failure: TopologyFailure) -> JSONValue {
        .object([
            ("topology", .string(seedName(failure.topology))), ("role", .optional(failure.role?.rawValue)),
            ("ha_ip", .optional(failure.haIP?.description)), ("message", .string(failure.message)),
            ("details", .optional(failure.details)),
        ])
    }

    /// Validates every parameter and names each one that fails, then hands the change to the helper (202).
    func changeTopology(_ request: Request, _ context: AgentRequestContext) async throws -> Response {
        let body = try await jsonObject(request, context, invalid: "Invalid topology information")
        var problems: [String] = []
        var topology: Topology?
        var role: TopologyRole?
        var haIP: IPAddress?
        var secret: String?
        do { topology = try Topology(parsing: try body.string("topology")) } catch { problems.append(error.reason) }
        if let raw = try? body.optionalString("role") {
            do { role = try TopologyRole(parsing: raw) } catch { problems.append(error.reason) }
        } else if body.has("role") {
            problems.append("role must be a string")
        }
        if let raw = try? body.optionalString("ha_ip") {
            do { haIP = try IPAddress(validating: raw, field: "ha_ip") } catch { problems.append("Invalid ha_ip: \(error.reason)") }
        } else if body.has("ha_ip") {
            problems.append("ha_ip must be a string")
        }
        if let raw = try? body.optionalString("secret") { secret = raw } else if body.has("secret") { problems.append("secret must be a string") }
        if let topology {
            problems += TopologyChange.problems(topology: topology, role: role, haIP: haIP, secret: secret).map(\.reason)
        }
        guard problems.isEmpty, let topology, let change = try? TopologyChange(topology: topology, role: role, haIP: haIP, secret: secret) else {
            throw APIError.message(.badRequest, "Invalid request", details: problems.joined(separator: "; "))
        }
        let state = try await helper.call(.setTopology(change))
        return JSONResponse.object(.accepted, [
            ("message", .string("OK")), ("topology", .string(Self.seedName(change.topology))),
            ("topology_status", .string(state.status.rawValue)),
        ])
    }

    func uploadVRRP(_ request: Request, _ context: AgentRequestContext) async throws -> Response {
        let bytes = try await body(request, context)
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            throw APIError.message(.badRequest, "Invalid request", details: "The configuration must be UTF-8 text without NUL bytes")
        }
        let md5 = try await helper.call(.uploadVRRPConfig(text: text))
        return JSONResponse.object(.ok, [("message", .string("OK"))], headers: [.eTag: md5])
    }

    func vrrpAction(_ raw: String) async throws -> Response {
        let action: ServiceAction
        do {
            action = try ServiceAction(parsing: raw)
        } catch {
            throw APIError.message(.badRequest, "Invalid Request", details: error.reason)
        }
        let details = try await helper.call(.vrrpAction(action))
        return JSONResponse.object(.accepted, [("message", .string("OK")), ("details", .string(details))])
    }
}
