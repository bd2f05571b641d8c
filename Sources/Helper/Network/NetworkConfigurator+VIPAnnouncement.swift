import IPCProtocol

extension NetworkConfigurator {
    /// Gratuitous ARP / unsolicited NA for each address on the amphora-namespace interface that holds
    /// it (upstream's `send_vip_advertisements`); addresses no interface holds are skipped, and a
    /// failed lookup announces nothing (the runner audits every outcome; upstream ignores failures).
    public func announceVIPs(_ addresses: [IPAddress], context: AuditContext) {
        guard let held = try? self.addresses(context) else { return }
        for address in addresses {
            guard let entry = held.first(where: { $0.address == address }),
                let name = try? InterfaceName(validating: entry.interface)
            else { continue }
            announce([address], on: name, context)
        }
    }
}
