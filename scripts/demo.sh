#!/usr/bin/env bash
# Sets up and runs the agent on this machine (Debian 12, as root) and shows a sample controller
# interaction: installs packages, builds, writes a development PKI and config under ./dev-agent,
# starts the agent on 127.0.0.1:9443, then talks to it with curl as the controller would.
# The agent keeps running in the foreground afterwards; Ctrl-C stops it (pass --once to stop at once).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root"; exit 1; }

bash scripts/install-deps.sh
echo "== building (the first build takes several minutes on 2 cores)"
swift build 2>&1 | grep -E "error|Build complete" | tail -3
bin=$(swift build --show-bin-path)

amp=${AMPHORA_ID:-7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b}
dir=$(pwd)/dev-agent
mkdir -p "$dir"
chmod 0755 "$dir"
[ -f "$dir/pki/server.pem" ] || bash scripts/dev-pki.sh "$dir/pki" "$amp"
cat > "$dir/amphora-agent.conf" <<CONF
[amphora_agent]
agent_server_ca = $dir/pki/ca.pem
agent_server_cert = $dir/pki/server.pem
amphora_id = $amp
[haproxy_amphora]
base_path = $dir/lib
base_cert_dir = $dir/certs
bind_host = 127.0.0.1
bind_port = 9443
[health_manager]
controller_ip_port_list = 127.0.0.1:5555
heartbeat_key = insecure
[privsep]
front_user = amphora-front
helper_socket = $dir/run/helper.sock
audit_log = $dir/audit/audit.jsonl
service_manager = direct
CONF

echo "== starting: $bin/amphora-agent --config-file $dir/amphora-agent.conf"
"$bin/amphora-agent" --config-file "$dir/amphora-agent.conf" &
agent=$!
trap 'kill -TERM $agent 2>/dev/null; wait $agent 2>/dev/null || true' EXIT
curl_ctl=(curl -sS --cacert "$dir/pki/ca.pem" --cert "$dir/pki/client.crt" --key "$dir/pki/client.key"
          --resolve "$amp:9443:127.0.0.1")
for _ in $(seq 1 100); do "${curl_ctl[@]}" -o /dev/null "https://$amp:9443/" 2>/dev/null && break; sleep 0.1; done

show() { echo; echo "\$ $*"; "$@"; echo; }
echo "== a controller's first calls (client certificate signed by the agent's CA)"
show "${curl_ctl[@]}" "https://$amp:9443//"
show "${curl_ctl[@]}" "https://$amp:9443/info"
show "${curl_ctl[@]}" "https://$amp:9443/1.0/info"
show "${curl_ctl[@]}" -i "https://$amp:9443/1.0/no-such-thing"
echo "== without a client certificate the TLS handshake is refused:"
show curl -sS --cacert "$dir/pki/ca.pem" --resolve "$amp:9443:127.0.0.1" "https://$amp:9443/1.0/info" || true
echo "== the helper's audit log (hash-chained) verifies:"
show "$bin/amphora-helper" audit-verify "$dir/audit/audit.jsonl"

if [ "${1:-}" = "--once" ]; then exit 0; fi
echo "== the agent keeps running on https://127.0.0.1:9443 (Ctrl-C stops it)"
wait $agent
