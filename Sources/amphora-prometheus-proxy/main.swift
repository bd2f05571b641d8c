// amphora-prometheus-proxy: upstream's prometheus-proxy (octavia/cmd/prometheus_proxy.py). Serves
// 127.0.0.1:9102 in the network namespace it is started in (the amphora namespace: systemd's
// NetworkNamespacePath=, or the standalone agent), where PROMETHEUS listeners' haproxy backend
// points, and answers haproxy's own exporter (127.0.0.1:9101) translated to Octavia's metric names.
// Unprivileged: it refuses to run as root.
import Glibc
import LinuxSystem
import PrometheusProxy
import ToolCommandLine

_ = ToolCommandLine(
    tool: "amphora-prometheus-proxy",
    abstract: "Octavia's Prometheus proxy: serves 127.0.0.1:9102 in the namespace it starts in, haproxy's exporter translated.",
    options: []
).parseOrExit()
guard geteuid() != 0, getuid() != 0 else {
    FileDescriptorOutput.standardError.write("amphora-prometheus-proxy: refusing to run as root (start it as an unprivileged user)\n")
    exit(1)
}
// A scraper that hangs up is an error on send (MSG_NOSIGNAL), not a signal.
signal(SIGPIPE, SIG_IGN)
MetricsProxyServer().run { FileDescriptorOutput.standardError.write("amphora-prometheus-proxy: \($0)\n") }
