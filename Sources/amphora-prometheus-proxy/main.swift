// amphora-prometheus-proxy: upstream's prometheus-proxy (octavia/cmd/prometheus_proxy.py). Serves
// 127.0.0.1:9102 in the network namespace it is started in (the amphora namespace: systemd's
// NetworkNamespacePath=, or the standalone agent), where PROMETHEUS listeners' haproxy backend
// points, and answers haproxy's own exporter (127.0.0.1:9101) translated to Octavia's metric names.
// Unprivileged: it refuses to run as root.
import BuildInfo
import Glibc
import LinuxSystem
import PrometheusProxy

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--version"] {
    print("amphora-prometheus-proxy \(BuildInfo.versionDescription)")
    exit(0)
}
guard arguments.isEmpty else {
    FileDescriptorOutput.standardError.write("usage: amphora-prometheus-proxy [--version]\n")
    exit(2)
}
guard geteuid() != 0, getuid() != 0 else {
    FileDescriptorOutput.standardError.write("amphora-prometheus-proxy: refusing to run as root (start it as an unprivileged user)\n")
    exit(1)
}
// A scraper that hangs up is an error on send (MSG_NOSIGNAL), not a signal.
signal(SIGPIPE, SIG_IGN)
MetricsProxyServer().run { FileDescriptorOutput.standardError.write("amphora-prometheus-proxy: \($0)\n") }
