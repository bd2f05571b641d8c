import IPCProtocol
import LinuxSystem

/// What can go wrong plugging ports, finding interfaces and loading interface rules.
public enum NetworkError: Error, Sendable {
    /// No link with the port's MAC address (the controller retries).
    case noSuitableInterface
    /// No interface holds the address (`GET /interface/:ip`).
    case noInterfaceForAddress
    /// No interface has an address on the subnet of this one (the VIP's, for keepalived).
    case noInterfaceOnSubnet(IPAddress)
    /// The port's MAC address is already in the amphora namespace.
    case alreadyPlugged
    /// The root-namespace link with the port's MAC is the amphora's own (it holds or held addresses,
    /// is enslaved, carries another link, or shares the MAC with another link): never moved into the
    /// amphora namespace.
    case interfaceInUse(name: String, reason: String)
    /// An `ip` command failed; its refusal or output.
    case ipFailed(details: String)
    /// The plugged-interface records could not be read or written.
    case notRecorded(details: String)
    /// More rules than ``InterfaceRules/maximumRules``.
    case tooManyRules
    /// The kernel named the interface with a name we do not accept.
    case unexpectedInterfaceName(String)
    /// The nftables ruleset file could not be written.
    case rulesNotWritten(SystemError)
    /// `nft -f` refused the ruleset; its refusal or output.
    case rulesNotLoaded(details: String)
    /// The launcher failed (its errors are already the wire's).
    case launcher(CommandError)
}
