#!/usr/bin/env bash
# The boot test: boots an amphora image (scripts/build-image.sh --test-console) under QEMU with a
# management NIC, a VIP NIC and a member NIC wired to namespaces on this machine, and drives it with
# Octavia 19.0.0's AmphoraAPIClient1_0 (Tests/Conformance/drive_booted_amphora.py): plug VIP and
# member network, haproxy upload and start, client traffic through the VIP to a member, a reload of
# the running haproxy (its server state saved, the same master), UDP
# listener, VRRP upload and start, heartbeat; in the guest: units active and enabled, seccomp and
# capabilities of the live processes, systemd-analyze security, journal priorities, a seccomp kill
# and restart, a reboot that serves again without the controller, `service amphora-agent restart`.
#
#   bash scripts/boot-test.sh [--image DIR] [--accel auto|kvm|tcg] [--timeout S] [--keep-logs DIR]
#
# DIR defaults to dist/image-debian12. KVM when /dev/kvm can boot a stock kernel, else TCG
# emulation (slow; timeouts are generous; timings are printed, never judged). Run as root.
# Namespaces amp-bt-<id>-{q,c,m}: q runs QEMU and plays the controller (198.51.100.1), c is the
# client on the VIP network (203.0.113.1, the VIP is 203.0.113.100), m the member (192.0.2.5).
# Everything is removed on exit, also on failure. Exit 0 when every step passed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
image=$repo/dist/image-debian12 accel=auto timeout=3600 keep=''
while (($#)); do
  case $1 in
    --image) image=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --keep-logs) keep=$2; shift 2 ;;
    *) echo "usage: $0 [--image DIR] [--accel auto|kvm|tcg] [--timeout S] [--keep-logs DIR]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "boot-test: run as root" >&2; exit 2; }
for f in rootfs.raw vmlinuz initrd.img cmdline; do
  [ -e "$image/$f" ] || { echo "boot-test: $image/$f missing (bash scripts/build-image.sh --test-console debian12)" >&2; exit 2; }
done
venv=${AMPHORA_BENCH_VENV:-/var/tmp/amphora-bench-venv}
# Under ensure-venv's lock: the test suite may be installing the same venv at this moment.
AMPHORA_BENCH_VENV=$venv bash Tests/Conformance/ensure-venv.sh >/dev/null
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v genisoimage >/dev/null || need+=(genisoimage)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

kvm_problem=$( (exec 3<>/dev/kvm) 2>&1 | sed 's/.*: //' ) || true
[ -z "$kvm_problem" ] && [ -d /sys/module/kvm_pvm ] && kvm_problem="it is PVM (kvm_pvm), which cannot boot a stock kernel"
case $accel in
  kvm) [ -z "$kvm_problem" ] || { echo "boot-test: /dev/kvm is not usable: $kvm_problem" >&2; exit 77; } ;;
  auto) if [ -n "$kvm_problem" ]; then accel=tcg; echo "boot-test: /dev/kvm is not usable here ($kvm_problem): TCG emulation"
        else accel=kvm; fi ;;
  tcg) ;;
  *) echo "boot-test: --accel auto|kvm|tcg" >&2; exit 2 ;;
esac

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
q=amp-bt-$id-q c=amp-bt-$id-c m=amp-bt-$id-m
tmp=$(mktemp -d /var/tmp/amphora-boot-test.XXXXXX)
qpid='' mpid=''
cleanup() {
  set +e
  [ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
  [ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
  for ns in "$q" "$c" "$m"; do ip netns del "$ns" 2>/dev/null; done
  if [ -n "$keep" ]; then
    mkdir -p "$keep" && cp "$tmp"/*.log "$tmp"/*.json "$keep"/ 2>/dev/null
    # The guest's journal (read it with journalctl -D DIR/journal/<machine-id>) and the agent's
    # audit log (DIR/amphora-agent/).
    if [ -e "$tmp/disk.raw" ]; then
      debugfs -R "rdump /var/log/journal $keep" "$tmp/disk.raw" >/dev/null 2>&1
      debugfs -R "rdump /var/log/amphora-agent $keep" "$tmp/disk.raw" >/dev/null 2>&1
    fi
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

amphora=$(cat /proc/sys/kernel/random/uuid)
mac_m=52:54:00:b7:00:01 mac_v=52:54:00:b7:00:02 mac_b=52:54:00:b7:00:03
heartbeat_key=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')

# The networks: taps in q (QEMU's namespace); the VIP and member networks are bridges in q with a
# veth into the client's and the member's namespace.
for ns in "$q" "$c" "$m"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
for t in tm tv tb; do ip -n "$q" tuntap add dev "$t$id" mode tap; ip -n "$q" link set "$t$id" up; done
ip -n "$q" addr add 198.51.100.1/24 dev "tm$id"
for n in v:"$c":203.0.113.1/24 b:"$m":192.0.2.5/24; do
  IFS=: read -r k ns addr <<<"$n"
  ip -n "$q" link add "br$k$id" type bridge; ip -n "$q" link set "br$k$id" up
  ip -n "$q" link set "t$k$id" master "br$k$id"
  ip -n "$q" link add "v$k$id" type veth peer name eth0 netns "$ns"
  ip -n "$q" link set "v$k$id" master "br$k$id"; ip -n "$q" link set "v$k$id" up
  ip -n "$ns" addr add "$addr" dev eth0; ip -n "$ns" link set eth0 up
done
ip -n "$m" route add 203.0.113.0/24 via 192.0.2.10 2>/dev/null || true
# The member: answers GET /token with the token.
mkdir -p "$tmp/www" && echo "$token" >"$tmp/www/token"
ip netns exec "$m" python3 -m http.server --bind 192.0.2.5 --directory "$tmp/www" 80 >"$tmp/member.log" 2>&1 &
mpid=$!

# Certificates and the agent configuration, as Octavia's controller makes them, on a config drive.
bash scripts/dev-pki.sh "$tmp/pki" "$amphora" >/dev/null
cd_dir=$tmp/config-drive
mkdir -p "$cd_dir/openstack/latest" "$cd_dir/openstack/content"
"$venv/bin/python" -W ignore Tests/Conformance/render_agent_config.py --amphora-id "$amphora" \
  --controller 198.51.100.1:5555 --heartbeat-interval 3 --heartbeat-key "$heartbeat_key" >"$cd_dir/openstack/content/0000"
cp "$tmp/pki/server.pem" "$cd_dir/openstack/content/0001"
cp "$tmp/pki/ca.pem" "$cd_dir/openstack/content/0002"
cat >"$cd_dir/openstack/latest/meta_data.json" <<JSON
{"uuid": "$amphora", "hostname": "amphora-$amphora", "name": "amphora-$amphora",
 "files": [{"path": "/etc/octavia/amphora-agent.conf", "content_path": "/content/0000"},
           {"path": "/etc/octavia/certs/server.pem", "content_path": "/content/0001"},
           {"path": "/etc/octavia/certs/client_ca.pem", "content_path": "/content/0002"}]}
JSON
cat >"$cd_dir/openstack/latest/network_data.json" <<JSON
{"links": [{"id": "tapmgmt", "type": "phy", "ethernet_mac_address": "$mac_m", "mtu": 1500}],
 "networks": [{"id": "network0", "link": "tapmgmt", "type": "ipv4", "ip_address": "198.51.100.10",
               "netmask": "255.255.255.0", "routes": [], "network_id": "mgmt"}], "services": []}
JSON
genisoimage -quiet -o "$tmp/config-drive.iso" -V config-2 -r -J "$cd_dir"

# The root disk: a sparse copy (the image stays pristine; the reboot keeps this copy's state).
cp --sparse=always "$image/rootfs.raw" "$tmp/disk.raw"
if [ "$accel" = kvm ]; then accel_args=(-accel kvm -cpu host); else accel_args=(-accel tcg,thread=multi,tb-size=512 -cpu max); fi
started=$(date +%s.%N)
ip netns exec "$q" timeout -k 10 "$timeout" qemu-system-x86_64 -nodefaults -no-user-config \
  -machine q35 "${accel_args[@]}" -smp "${BOOT_TEST_SMP:-2}" -m "${BOOT_TEST_MEM:-2048}" \
  -display none -monitor none -serial "file:$tmp/console.log" \
  -kernel "$image/vmlinuz" -initrd "$image/initrd.img" -append "$(cat "$image/cmdline")" \
  -drive "file=$tmp/disk.raw,format=raw,if=virtio,cache=unsafe,discard=unmap" \
  -drive "file=$tmp/config-drive.iso,format=raw,if=virtio,readonly=on" \
  -netdev "tap,id=nm,ifname=tm$id,script=no,downscript=no" -device "virtio-net-pci,netdev=nm,mac=$mac_m" \
  -netdev "tap,id=nv,ifname=tv$id,script=no,downscript=no" -device "virtio-net-pci,netdev=nv,mac=$mac_v" \
  -netdev "tap,id=nb,ifname=tb$id,script=no,downscript=no" -device "virtio-net-pci,netdev=nb,mac=$mac_b" \
  -device virtio-serial-pci -chardev "socket,id=tc,path=$tmp/console.sock,server=on,wait=off" \
  -device virtserialport,chardev=tc,name=org.amphora.test \
  -device virtio-rng-pci \
  </dev/null >"$tmp/qemu.log" 2>&1 &
qpid=$!
echo "boot-test: $accel, image $image, amphora $amphora, namespaces amp-bt-$id-*"

rc=0
ip netns exec "$q" env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE PATH="$PATH" "$venv/bin/python" \
  Tests/Conformance/drive_booted_amphora.py --certdir "$tmp/pki" --amphora-id "$amphora" \
  --console "$tmp/console.sock" --client-ns "$c" --vip-mac "$mac_v" --member-mac "$mac_b" \
  --heartbeat-key "$heartbeat_key" --heartbeat-port 5555 --lb-network-ip 198.51.100.10 --member-ip 192.0.2.5 \
  --member-net-ip 192.0.2.10 --vip 203.0.113.100 --vrrp-ip 203.0.113.11 --controller-ip 198.51.100.1 \
  --token "$token" --qemu-started "$started" --boot-timeout "${BOOT_TEST_BOOT_TIMEOUT:-900}" \
  --json "$tmp/boot-test.json" || rc=$?
# The guest powers off at the end; give it a moment, then QEMU goes.
for _ in $(seq 1 30); do kill -0 "$qpid" 2>/dev/null || break; sleep 1; done
if [ "$rc" != 0 ]; then
  echo "boot-test: FAILED; the guest's console (last 80 lines):"
  tail -n 80 "$tmp/console.log" | sed 's/^/  console: /'
  tail -n 20 "$tmp/qemu.log" | sed 's/^/  qemu: /'
fi
exit "$rc"
