import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol
import NIOCore

/// UDP listeners (keepalived LVS configurations) and interface rules (nftables), API 1.0 only.
extension AgentAPI {
    func addLVSRoutes(_ table: inout RouteTable) {
        table.add(.put, "/1.0/listeners/:amphora/:listener/udp_listener") { request, context, p in
            let amphora = try resourceID(p["amphora"], field: "amphora_id")
            let listener = try resourceID(p["listener"], field: "listener_id")
            let bytes = try await body(request, context)
            guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
                throw APIError.message(.badRequest, "Invalid request", details: "The configuration must be UTF-8 text without NUL bytes")
            }
            let upload = LVSConfigUpload(listener: listener, amphoraID: amphora, config: text)
            _ = try await helper.call(.uploadLVSConfig(upload))
            return JSONResponse.object(.ok, [("message", .string("OK"))], headers: [.eTag: md5Hex(bytes)])
        }
        table.add(.get, "/1.0/listeners/:listener/udp_listener") { _, _, p in
            let listener = try resourceID(p["listener"], field: "listener_id")
            let file: StoredFile
            do {
                file = try await helper.call(.lvsConfig(listener: listener))
            } catch let error as CommandError where error.code == .lvsListenerNotFound {
                throw APIError.message(.notFound, "UDP Listener Not Found", details: "No UDP listener with UUID: \(listener)")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .eTag: file.md5],
                body: ResponseBody(byteBuffer: ByteBuffer(string: file.text)))
        }
        table.add(.put, "/1.0/interface/:ip/rules") { request, context, p in
            guard let address = try? IPAddress(validating: p["ip"]) else { throw APIError.message(.badRequest, "Invalid IP address") }
            let bytes = try await body(request, context)
            guard let rules = Self.interfaceRules(bytes, address: address) else {
                // Upstream looks the interface up before it reads the body: a 404 wins over a bad body.
                _ = try await helper.call(.interfaceForAddress(address))
                throw APIError.framework(.badRequest, "Invalid rules information")
            }
            _ = try await helper.call(.setInterfaceRules(rules))
            return JSONResponse.object(.ok, [("message", .string("OK"))])
        }
    }

    /// The rules body per `rules_schema.py`: an array of objects with exactly `protocol` (TCP, UDP,
    /// SCTP, VRRP), `cidr` (string or null) and `port` (1...65535); nil when anything else.
    static func interfaceRules(_ bytes: [UInt8], address: IPAddress) -> InterfaceRules? {
        guard let value = try? JSONValue(parsing: bytes), case .array(let items) = value else { return nil }
        var rules: [InterfaceRule] = []
        for item in items {
            guard case .object(let members) = item, members.count == 3,
                Set(members.map(\.0)) == ["protocol", "cidr", "port"],
                case .string(let rawProtocol)? = members.first(where: { $0.0 == "protocol" })?.1,
                let ruleProtocol = RuleProtocol(rawValue: rawProtocol),
                case .number(let rawPort)? = members.first(where: { $0.0 == "port" })?.1,
                let port = Int(rawPort) ?? Double(rawPort).flatMap({ $0.rounded() == $0 ? Int(exactly: $0) : nil })
            else { return nil }
            let cidr: CIDR?
            switch members.first(where: { $0.0 == "cidr" })?.1 {
            case .null?: cidr = nil
            case .string(let raw)?:
                guard let parsed = try? CIDR(validating: raw, field: "cidr") else { return nil }
                cidr = parsed
            default: return nil
            }
            guard let rule = try? InterfaceRule(ruleProtocol: ruleProtocol, cidr: cidr, port: port) else { return nil }
            rules.append(rule)
        }
        return try? InterfaceRules(address: address, rules: rules)
    }
}
