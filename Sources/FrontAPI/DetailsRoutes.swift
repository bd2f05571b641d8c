import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol

/// `GET /details` for both API versions and `PUT /1.0/config`.
extension AgentAPI {
    func addDetailsRoutes(_ table: inout RouteTable) {
        table.add(.get, "/v0.1/details") { _, _, _ in
            JSONResponse.make(.ok, Self.seedDetails(try await amphoraDetails()))
        }
        table.add(.get, "/1.0/details") { _, _, _ in
            JSONResponse.make(.ok, Self.currentDetails(try await amphoraDetails()))
        }
        table.add(.put, "/1.0/config") { request, context, _ in try await updateConfig(request, context) }
    }

    func amphoraDetails() async throws -> AmphoraDetails { try await helper.call(.amphoraDetails) }

    /// The seed spec's details: rates in bytes/s over the window, CPU in percent, memory and disk in kB.
    static func seedDetails(_ d: AmphoraDetails) -> JSONValue {
        .object([
            ("hostname", .string(d.info.hostname)),
            ("uuid", .string(d.info.amphoraID.description)),
            ("haproxy_version", .optional(d.info.haproxyVersion)),
            ("api_version", .string(seedVersion)),
            ("networks", .object(d.networks.map { network in
                (network.name, .object([
                    ("network_tx", .number(String(UInt64(network.txRate.rounded())))),
                    ("network_rx", .number(String(UInt64(network.rxRate.rounded())))),
                ]))
            })),
            ("active", .bool(true)),
            ("haproxy_count", .number(String(d.haproxyCount))),
            ("cpu", .object([
                ("total", .number(fixed2(d.cpuPercent.total))), ("user", .number(fixed2(d.cpuPercent.user))),
                ("system", .number(fixed2(d.cpuPercent.system))), ("soft_irq", .number(fixed2(d.cpuPercent.softIRQ))),
            ])),
            ("memory", .object([
                ("total", number(d.memory.total)), ("free", number(d.memory.free)), ("available", number(d.memory.available)),
                ("buffers", number(d.memory.buffers)), ("cached", number(d.memory.cached)), ("swap_used", number(d.memory.swapUsed)),
                ("shared", number(d.memory.shared)), ("slab", number(d.memory.slab)), ("committed_as", number(d.memory.committedAS)),
            ])),
            ("disk", .object([("used", number(d.disk.usedBytes / 1024)), ("available", number(d.disk.availableBytes / 1024))])),
            ("load", .array(d.load.map { Double($0) != nil ? .number($0) : .string($0) })),
            // The seed spells topologies with a hyphen (ACTIVE-STANDBY); 1.0 with an underscore.
            ("topology", .string(String(d.topology.map { $0 == "_" ? "-" : $0 }))),
            ("topology_status", .string(d.topologyStatus)),
            ("listeners", .array(d.instances.map { .string($0.description) })),
            ("packages", .array(d.packages.map { .object([($0.name, .string($0.version))]) })),
        ])
    }

    /// Upstream's 1.0 details (`amphora_info.compile_amphora_details`): cumulative interface counters,
    /// raw `/proc/stat` ticks (strings, except the integer total), memory in kB with `swap_used` =
    /// SwapCached as upstream reports it, disk in bytes, load averages as strings.
    static func currentDetails(_ d: AmphoraDetails) -> JSONValue {
        .object([
            ("hostname", .string(d.info.hostname)),
            ("haproxy_version", .optional(d.info.haproxyVersion)),
            ("api_version", .string(currentVersion)),
            ("networks", .object(d.networks.map { network in
                (network.name, .object([("network_tx", number(network.txBytes)), ("network_rx", number(network.rxBytes))]))
            })),
            ("active", .bool(true)),
            ("haproxy_count", .number(String(d.haproxyCount))),
            ("cpu_count", .number(String(d.cpuCount))),
            ("cpu", .object([
                ("total", number(d.cpu.total)), ("user", .string(String(d.cpu.user))), ("system", .string(String(d.cpu.system))),
                ("soft_irq", .string(String(d.cpu.softirq))),
            ])),
            ("memory", .object([
                ("total", number(d.memory.total)), ("free", number(d.memory.free)), ("buffers", number(d.memory.buffers)),
                ("cached", number(d.memory.cached)), ("swap_used", number(d.memory.swapCached)), ("shared", number(d.memory.shared)),
                ("slab", number(d.memory.slab)),
            ])),
            ("disk", .object([("used", number(d.disk.usedBytes)), ("available", number(d.disk.availableBytes))])),
            ("load", .array(d.load.map { .string($0) })),
            ("active_tuned_profiles", .string(d.activeTunedProfiles)),
            ("topology", .string(d.topology)),
            ("topology_status", .string(d.topologyStatus)),
            ("listeners", .array(d.listeners.map { .string($0) })),
            ("packages", .object([])),
            ("lvs_listener_process_count", .number(String(d.lvsListenerProcessCount))),
            ("keepalived_version", .optional(d.info.keepalivedVersion)),
            ("ipvsadm_version", .optional(d.info.ipvsadmVersion)),
        ] + (d.auditHead.map { [("audit_head", $0.json)] } ?? []))
    }

    static func number(_ value: UInt64) -> JSONValue { .number(String(value)) }

    /// A non-negative number with two decimals (`0.43`), without Foundation.
    static func fixed2(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "0.00" }
        let hundredths = UInt64((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `PUT /1.0/config`: the helper validates and stores the new `amphora-agent.conf`; the heartbeat
    /// switches to its key, destinations and interval at once. An invalid configuration is refused
    /// with 400 and its one-line error (upstream answers 500 for anything that goes wrong).
    func updateConfig(_ request: Request, _ context: AgentRequestContext) async throws -> Response {
        let bytes = try await body(request, context)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError.message(.badRequest, "Unable to update amphora-agent configuration.", details: "The body is not UTF-8 text")
        }
        let settings: HeartbeatSettings
        do {
            settings = try await helper.call(.updateAgentConfig(text: text))
        } catch let error as CommandError where error.code == .badRequest {
            throw APIError.message(.badRequest, "Unable to update amphora-agent configuration.", details: error.details ?? error.message)
        }
        heartbeat?.update(settings)
        return JSONResponse.object(.accepted, [("message", .string("OK"))])
    }
}
