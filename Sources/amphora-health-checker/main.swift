// amphora-health-checker: the program Octavia's keepalived LVS template names for SCTP health
// monitors (`amphora-health-checker sctp [-t TIMEOUT] ADDRESS PORT`), with upstream's arguments,
// messages and exit statuses (0 listening, 1 refused, 2 timeout, 3 unexpected answer).
import BuildInfo
import Glibc
import SCTPHealthCheck

var arguments = Array(CommandLine.arguments.dropFirst())
func usage() -> Never {
    let text = Array("usage: amphora-health-checker sctp [-t TIMEOUT] ADDRESS PORT\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}
guard !arguments.isEmpty else { usage() }
if arguments == ["--version"] {
    print("amphora-health-checker \(BuildInfo.versionDescription)")
    exit(0)
}
let kind = arguments.removeFirst()
var timeout = 3
if arguments.first == "-t" {
    arguments.removeFirst()
    // Any whole number, as upstream's int(); keepalived's misc_timeout ends a check that runs too long.
    guard let value = arguments.first.flatMap({ Int($0) }), value >= 0 else { usage() }
    timeout = min(value, 86_400)
    arguments.removeFirst()
}
guard kind.lowercased() == "sctp" else {
    print("Unsupported protocol '\(kind)'")
    exit(1)
}
guard arguments.count == 2, let port = UInt16(arguments[1]), port > 0 else { usage() }
print("Sending INIT packet to \(arguments[0]):\(port)")
let outcome = SCTPHealthCheck.run(address: arguments[0], port: port, timeoutSeconds: timeout)
switch outcome {
case .listening: print("Received INIT ACK")
case .refused: print("Received ABORT")
case .timedOut: print("Timeout after \(timeout) seconds.")
case .unexpected: print("Unexpected answer or error")
}
exit(outcome.rawValue)
