import CZlib
import FrontRequestParsing
import HeartbeatFormat
import IPCProtocol

/// The front's targets: request paths against the route table, and the heartbeat's message and
/// envelope built from the helper's report.
extension FuzzTarget {
    /// The front's routes, each answering with its index.
    static let routeTable: RoutePatternTable<String, Int> = {
        var table = RoutePatternTable<String, Int>()
        for (index, route) in AgentRoutePatterns.all.enumerated() { table.add(route.method, route.pattern, index) }
        return table
    }()

    /// A comparable outcome of a lookup.
    enum RouteOutcome: Equatable {
        case found(Int, RouteParameters)
        case wrongMethod([String])
        case notFound
        case badEncoding
    }

    static func outcome(_ method: String, _ path: String) -> RouteOutcome {
        switch routeTable.match(method: method, path: path) {
        case .found(let index, let parameters): .found(index, parameters)
        case .wrongMethod(let allowed): .wrongMethod(allowed)
        case .notFound: .notFound
        case .badEncoding: .badEncoding
        }
    }

    /// Input: `METHOD SP path` (the path as Hummingbird hands it over: any text). Properties: doubled
    /// slashes change nothing; a found route's parameters, fully percent-encoded again, reach the
    /// same route with the same values; a wrong method lists only other methods; a bad encoding
    /// needs a `%`; the audited method and path are printable ASCII within the protocol's bounds.
    static func route(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let method = String(parts[0])
        let path = parts.count > 1 ? String(parts[1]) : ""
        let result = outcome(method, path)

        let doubled = path.replacingSlashes(with: "//")
        guard outcome(method, doubled) == result else { fatalError("route: doubled slashes changed the outcome") }

        switch result {
        case .found(let index, let parameters):
            let again = "/" + routeTable.routes[index].segments.map { segment in
                switch segment {
                case .literal(let literal): literal
                case .parameter(let name): percentEncodeAll(parameters[name])
                }
            }.joined(separator: "/")
            guard outcome(method, again) == result else { fatalError("route: re-encoded parameters reach another route or value") }
        case .wrongMethod(let allowed):
            guard !allowed.isEmpty, !allowed.contains(method) else { fatalError("route: a wrong method allows itself or nothing") }
        case .badEncoding:
            guard path.utf8.contains(UInt8(ascii: "%")) else { fatalError("route: a bad encoding without a percent sign") }
        case .notFound:
            break
        }

        let auditedPath = AuditedRequestText.path(path)
        guard auditedPath.utf8.count <= ControllerRequest.maximumPathLength, auditedPath.utf8.first == UInt8(ascii: "/"),
            auditedPath.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { fatalError("route: the audited path is not printable ASCII within the bound") }
        let auditedMethod = AuditedRequestText.method(method)
        guard auditedMethod == method || auditedMethod == "OTHER" else { fatalError("route: the audited method is neither") }
        let auditedSubject = AuditedRequestText.subject(text)
        guard auditedSubject.utf8.count <= ControllerRequest.maximumSubjectLength,
            auditedSubject.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else { fatalError("route: the audited subject is not printable ASCII within the bound") }
        if case .found = result { return true }
        return false
    }

    static func percentEncodeAll(_ value: String) -> String {
        value.utf8.map { "%" + HexText.uppercase([$0]) }.joined()
    }

    /// Input: a helper's heartbeat report (JSON, as the front decodes the reply). Properties: the
    /// message serialises to JSON the strict parser reads back equal, with one member per
    /// listener and pool; the envelope is the compressed message and the MAC, and the compressed
    /// part inflates back to the message (what the health manager does before it checks the MAC).
    static func heartbeat(_ bytes: [UInt8]) -> Bool {
        // Any bytes compress and inflate back.
        guard let packed = try? HeartbeatEnvelope.compress(bytes), inflate(packed, size: bytes.count) == bytes else {
            fatalError("heartbeat: compressed bytes do not inflate back")
        }
        guard let report = try? StrictJSON.decode(HeartbeatReport.self, from: bytes) else { return false }
        let message = HeartbeatMessage.json(amphoraID: instance, sequence: UInt64(bytes.count), report: report)
        let json = message.serialized()
        guard let parsed = try? JSONValue(parsing: json) else { fatalError("heartbeat: the message is not strict JSON") }
        guard parsed == message else { fatalError("heartbeat: the message changed through serialisation") }
        guard case .object(let members) = parsed,
            case .object(let listeners)? = members.first(where: { $0.0 == "listeners" })?.1,
            case .object(let pools)? = members.first(where: { $0.0 == "pools" })?.1,
            listeners.count == Set(report.listeners.map(\.id)).count, pools.count == Set(report.pools.map(\.key)).count
        else { fatalError("heartbeat: the message lost or repeated a listener or pool") }
        let mac = String(repeating: "0", count: 64)
        guard let payload = try? HeartbeatEnvelope.compress(json) else { fatalError("heartbeat: compression failed") }
        let datagram = HeartbeatEnvelope.assemble(payload: payload, hexMAC: mac)
        guard Array(datagram.suffix(64)) == Array(mac.utf8), inflate(Array(datagram.dropLast(64)), size: json.count) == json else {
            fatalError("heartbeat: the envelope does not unwrap to the message")
        }
        return true
    }

    /// zlib `uncompress` into exactly `size` bytes; nil when the data is not that.
    static func inflate(_ bytes: [UInt8], size: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var length = uLong(output.count)
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count)) }
        }
        guard status == Z_OK, Int(length) == size else { return nil }
        return Array(output.prefix(size))
    }
}

extension String {
    /// The text with every `/` replaced by `replacement`.
    func replacingSlashes(with replacement: String) -> String {
        split(separator: "/", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
