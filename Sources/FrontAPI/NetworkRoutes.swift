import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol

/// Interface lookup and port plugging, both API versions.
extension AgentAPI {
    func addNetworkRoutes(_ table: inout RouteTable) {
        table.add(.get, "/v0.1/interface/:ip") { _, _, p in try await interfaceLookup(p["ip"], .seed) }
        table.add(.get, "/1.0/interface/:ip") { _, _, p in try await interfaceLookup(p["ip"], .current) }
        table.add(.post, "/v0.1/plug/vip/:ip") { request, context, p in try await plugVIP(request, context, p["ip"], .seed) }
        table.add(.post, "/1.0/plug/vip/:ip") { request, context, p in try await plugVIP(request, context, p["ip"], .current) }
        table.add(.post, "/v0.1/plug/network") { request, context, _ in try await plugNetwork(request, context, .seed) }
        table.add(.post, "/1.0/plug/network") { request, context, _ in try await plugNetwork(request, context, .current) }
    }

    func interfaceLookup(_ raw: String, _ version: APIVersion) async throws -> Response {
        guard let address = try? IPAddress(validating: raw) else {
            throw APIError.message(.badRequest, version == .seed ? "Bad IP address version" : "Invalid IP address")
        }
        let name = try await helper.call(.interfaceForAddress(address))
        return JSONResponse.object(.ok, [("message", .string("OK")), ("interface", .string(name))])
    }

    func plugVIP(_ request: Request, _ context: AgentRequestContext, _ rawVIP: String, _ version: APIVersion) async throws -> Response {
        guard let vip = try? IPAddress(validating: rawVIP) else { throw APIError.message(.badRequest, "Invalid VIP") }
        let body = try await jsonObject(request, context, invalid: "Invalid subnet information")
        let plug: VIPPlug
        do {
            guard body.has("subnet_cidr"), body.has("mac_address") else {
                throw APIError.framework(.badRequest, "Invalid subnet information")
            }
            plug = try body.vipPlug(vip: vip, mac: try MACAddress(validating: try body.string("mac_address")))
        } catch let error as ValidationError {
            throw APIError.message(.badRequest, error.field == "vrrp_ip" ? "Invalid VRRP Address" : "Invalid subnet information", details: error.description)
        }
        do {
            let name = try await helper.call(.plugVIP(plug)).name
            let details: String
            switch version {
            case .seed: details = "VIP \(vip) plugged on interface \(name)"
            case .current: details = "VIPs plugged on interface \(name): " + ([vip] + plug.additionalVIPs.map(\.address)).map(\.description).joined(separator: " ")
            }
            return JSONResponse.object(.accepted, [("message", .string("OK")), ("details", .string(details))])
        } catch let error as CommandError {
            throw Self.plugError(error, operation: "Error plugging VIP")
        }
    }

    func plugNetwork(_ request: Request, _ context: AgentRequestContext, _ version: APIVersion) async throws -> Response {
        let body = try await jsonObject(request, context, invalid: "Invalid port information")
        let plug: NetworkPlug
        do {
            guard body.has("mac_address") else { throw APIError.framework(.badRequest, "Invalid port information") }
            var fixed: [SubnetAddress] = []
            for item in try body.array("fixed_ips") { fixed.append(try JSONObject(item).subnetAddress(addressKey: "ip_address")) }
            let mac = try MACAddress(validating: try body.string("mac_address"))
            // `vip_net_info` (the VRRP port): net info as for plug/vip, with the VIP under "vip".
            var vipNetInfo: VIPPlug?
            switch body.value("vip_net_info") {
            case nil, .null?: vipNetInfo = nil
            case .object?:
                let info = JSONObject(body.value("vip_net_info") ?? .null)
                guard info.has("subnet_cidr"), info.has("vip") else {
                    throw ValidationError(field: "vip_net_info", reason: "needs subnet_cidr and vip")
                }
                let infoMAC = try info.optionalString("mac_address").map { raw throws(ValidationError) in
                    try MACAddress(validating: raw, field: "vip_net_info")
                }
                vipNetInfo = try info.vipPlug(vip: try IPAddress(validating: try info.string("vip"), field: "vip_net_info"), mac: infoMAC ?? mac)
            default: throw ValidationError(field: "vip_net_info", reason: "must be an object")
            }
            plug = try NetworkPlug(
                mac: mac, fixedIPs: fixed,
                mtu: try body.optionalInt("mtu").map { value throws(ValidationError) in try MTU(validating: value) },
                vipNetInfo: vipNetInfo, isSRIOV: try body.optionalBool("is_sriov") ?? false)
        } catch let error as ValidationError {
            throw APIError.message(.badRequest, "Invalid network port", details: error.description)
        }
        do {
            let plugged = try await helper.call(.plugNetwork(plug))
            let details: String
            switch version {
            case .seed: details = "Plugged interface \(plugged.name)"
            case .current: details = plugged.updated ? "Updated existing interface \(plugged.name)" : "Plugged on interface \(plugged.name)"
            }
            return JSONResponse.object(.accepted, [("message", .string("OK")), ("details", .string(details))])
        } catch let error as CommandError {
            throw Self.plugError(error, operation: "Error plugging Port")
        }
    }

    /// 404 carries the sentence the controller looks for in `details` (it retries on it).
    static func plugError(_ error: CommandError, operation: String) -> APIError {
        switch error.code {
        case .notFound: return .message(.notFound, error.message, details: error.message)
        case .internalError: return .message(.internalServerError, operation, details: error.details ?? error.message)
        default: return .from(error)
        }
    }

    /// The request body as a JSON object (400 with upstream's werkzeug-style message otherwise).
    func jsonObject(_ request: Request, _ context: AgentRequestContext, invalid: String) async throws -> JSONObject {
        let bytes = try await body(request, context)
        guard let value = try? JSONValue(parsing: bytes), case .object = value else { throw APIError.framework(.badRequest, invalid) }
        return JSONObject(value)
    }
}

/// Typed reads from a JSON object the controller sent. Unknown keys are ignored (the controller adds
/// fields over time, e.g. `is_sriov`); known keys must have the right type.
struct JSONObject {
    let members: [(String, JSONValue)]

    init(_ value: JSONValue) {
        if case .object(let members) = value { self.members = members } else { self.members = [] }
    }

    func value(_ key: String) -> JSONValue? { members.first { $0.0 == key }?.1 }
    func has(_ key: String) -> Bool { value(key) != nil }

    func string(_ key: String) throws(ValidationError) -> String {
        guard case .string(let s)? = value(key) else { throw ValidationError(field: key, reason: "must be a string") }
        return s
    }

    func optionalString(_ key: String) throws(ValidationError) -> String? {
        switch value(key) {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw ValidationError(field: key, reason: "must be a string")
        }
    }

    func optionalInt(_ key: String) throws(ValidationError) -> Int? {
        switch value(key) {
        case nil, .null?: return nil
        case .number(let text)?:
            guard let n = Int(text) else { throw ValidationError(field: key, reason: "must be an integer") }
            return n
        default: throw ValidationError(field: key, reason: "must be an integer")
        }
    }

    func optionalBool(_ key: String) throws(ValidationError) -> Bool? {
        switch value(key) {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: throw ValidationError(field: key, reason: "must be true or false")
        }
    }

    /// The net info of a VIP port (`plug/vip` body, `vip_net_info`) for `vip` on the port `mac`.
    func vipPlug(vip: IPAddress, mac: MACAddress) throws(ValidationError) -> VIPPlug {
        let subnet = try CIDR(validating: try string("subnet_cidr"), field: "subnet_cidr")
        let vrrp = try optionalString("vrrp_ip").map { raw throws(ValidationError) in try IPAddress(validating: raw, field: "vrrp_ip") }
        var additional: [SubnetAddress] = []
        for item in try array("additional_vips") {
            additional.append(try JSONObject(item).subnetAddress(addressKey: "ip_address"))
        }
        return try VIPPlug(
            vip: try SubnetAddress(
                address: vip, subnet: subnet,
                gateway: try optionalString("gateway").map { raw throws(ValidationError) in try IPAddress(validating: raw, field: "gateway") },
                hostRoutes: try hostRoutes()),
            mac: mac, vrrpAddress: vrrp,
            mtu: try optionalInt("mtu").map { value throws(ValidationError) in try MTU(validating: value) },
            additionalVIPs: additional, isSRIOV: try optionalBool("is_sriov") ?? false)
    }

    func array(_ key: String) throws(ValidationError) -> [JSONValue] {
        switch value(key) {
        case nil, .null?: return []
        case .array(let items)?: return items
        default: throw ValidationError(field: key, reason: "must be a list")
        }
    }

    func hostRoutes() throws(ValidationError) -> [HostRoute] {
        let items = try array("host_routes")
        guard items.count <= SubnetAddress.maximumHostRoutes else {
            throw ValidationError(field: "host_routes", reason: "more than \(SubnetAddress.maximumHostRoutes) routes")
        }
        var routes: [HostRoute] = []
        for item in items {
            let entry = JSONObject(item)
            routes.append(
                try HostRoute(
                    destination: try CIDR(validating: try entry.string("destination"), field: "host_routes"),
                    nexthop: try IPAddress(validating: try entry.string("nexthop"), field: "host_routes")))
        }
        return routes
    }

    func subnetAddress(addressKey: String) throws(ValidationError) -> SubnetAddress {
        try SubnetAddress(
            address: try IPAddress(validating: try string(addressKey), field: addressKey),
            subnet: try CIDR(validating: try string("subnet_cidr"), field: "subnet_cidr"),
            gateway: try optionalString("gateway").map { raw throws(ValidationError) in try IPAddress(validating: raw, field: "gateway") },
            hostRoutes: try hostRoutes())
    }
}
