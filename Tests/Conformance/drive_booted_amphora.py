"""Drive a booted amphora image (scripts/boot-test.sh) with Octavia 19.0.0's own controller client.

Runs inside the boot test's controller namespace, where the guest's management address answers on
9443 and the heartbeat arrives. The real `AmphoraAPIClient1_0` sends the calls of a load balancer
create (plug VIP, plug member network, certificate, haproxy upload and start, UDP listener, VRRP
upload and start); client traffic goes through the VIP to a member in another namespace. Checks
inside the guest go through its test console (a root shell on a virtio-serial port, present only in
images built with --test-console). Then: a confined process killed by seccomp (status=31/SYS) and
restarted, a reboot after which the load balancer serves without any controller call, and the
controller's `service amphora-agent restart`.

One line per step on stdout: `STEP <name> OK|FAIL (<ms>) <detail>`; `TIMING <name> <seconds>`
lines report (never judge) durations. Exit status 0 when every step passed.
"""
import argparse
import hashlib
import json
import logging
import re
import secrets
import socket
import subprocess
import sys
import time
import traceback
import types
import warnings

warnings.filterwarnings('ignore')

from octavia.amphorae.backends.health_daemon import status_message  # noqa: E402
from octavia.amphorae.drivers.haproxy import exceptions as exc  # noqa: E402
from octavia.amphorae.drivers.haproxy import rest_api_driver as rad  # noqa: E402

import octavia_common  # noqa: E402  (beside this file)

p = argparse.ArgumentParser()
for name in ('certdir', 'amphora-id', 'console', 'client-ns', 'vip-mac', 'member-mac', 'heartbeat-key', 'lb-network-ip',
             'member-ip', 'member-net-ip', 'vip', 'vrrp-ip', 'controller-ip', 'token'):
    p.add_argument('--' + name, required=True)
p.add_argument('--heartbeat-port', type=int, required=True)
p.add_argument('--qemu-started', type=float, required=True, help='time.time() when QEMU was started')
p.add_argument('--boot-timeout', type=int, default=900)
p.add_argument('--json')
ARGS = p.parse_args()

LB_ID = '11111111-2222-4333-8444-555555555555'
HTTP_LISTENER = '99999999-0000-4000-8000-000000000001'
UDP_LISTENER = '99999999-0000-4000-8000-000000000002'
POOL = '99999999-0000-4000-8000-0000000000aa'
BASE = '/var/lib/octavia'

amp = types.SimpleNamespace(id=ARGS.amphora_id, lb_network_ip=ARGS.lb_network_ip, api_version=None)
LAST = {}
base, client = octavia_common.controller_clients(ARGS.certdir, 9443, 10, 120, LAST)
RESULTS = []
TIMINGS = {}
# Steps known to fail under systemd today (docs/production.md, "Open"): reported as KNOWN-OPEN with
# their failure, not counted as failures. A listed step that passes says so: remove it then.
KNOWN_OPEN: dict[str, str] = {}


class StepFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise StepFailed(message)


def last_response():
    r = LAST.get('r')
    return '' if r is None else f'{r.request.method} {r.request.path_url} -> {r.status_code} {r.text.strip()[:300]}'


def timing(name, seconds):
    TIMINGS[name] = round(seconds, 1)
    print(f'TIMING {name} {seconds:.1f}', flush=True)


def step(name):
    def wrap(fn):
        LAST.pop('r', None)
        t = time.perf_counter()
        try:
            detail = fn() or ''
            status = 'OK'
        except Exception as e:  # noqa: BLE001 - every failure is reported with the agent's answer
            status = 'FAIL'
            detail = f'{type(e).__name__}: {e}; last response: {last_response()}'
            if not isinstance(e, (StepFailed, exc.APIException)):
                detail += '\n' + traceback.format_exc()
        ms = (time.perf_counter() - t) * 1000
        if name in KNOWN_OPEN:
            if status == 'FAIL':
                status, detail = 'KNOWN-OPEN', f'{KNOWN_OPEN[name]}: {detail}'
            else:
                detail += ' (listed in KNOWN_OPEN but passes: remove it)'
        RESULTS.append({'step': name, 'status': status, 'ms': round(ms, 1), 'detail': detail})
        print(f'STEP {name} {status} ({ms:.0f} ms) {detail}', flush=True)
        return fn
    return wrap


class GuestConsole:
    """The test image's root shell on a virtio-serial port (QEMU chardev socket on our side)."""

    def __init__(self, path):
        self.path = path
        self.sock = None

    def connect(self, timeout):
        deadline = time.time() + timeout
        while True:
            try:
                self.close()
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.path)
                self.sock = s
                self.run('true', timeout=min(60, max(5, deadline - time.time())))
                return
            except (OSError, TimeoutError, StepFailed):
                if time.time() > deadline:
                    raise StepFailed(f'no guest console on {self.path}')
                time.sleep(2)

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def run(self, command, timeout=120, check=True):
        """Runs `command` (bash) in the guest; returns (status, output)."""
        marker = f'__BOOT_TEST_{secrets.token_hex(6)}__'
        script = f'{{\n{command}\n}} </dev/null 2>&1; echo "{marker} $?"\n'
        self.sock.settimeout(5)
        self.sock.sendall(script.encode())
        data = b''
        deadline = time.time() + timeout
        pattern = re.compile(rf'{marker} (\d+)\n'.encode())
        while True:
            m = pattern.search(data)
            if m:
                output = data[:m.start()].decode(errors='replace')
                status = int(m.group(1))
                if check and status != 0:
                    raise StepFailed(f'guest command failed ({status}): {command[:200]}\n{output[-2000:]}')
                return status, output
            if time.time() > deadline:
                raise TimeoutError(f'guest command timed out: {command[:200]}')
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise StepFailed('guest console closed')
            data += chunk


console = GuestConsole(ARGS.console)


def wait_for_agent(timeout):
    """Polls GET // until the front answers over mutual TLS; returns seconds waited."""
    t = time.time()
    quick = rad.AmphoraAPIClientBase()
    quick.session.trust_env = False
    logging.disable(logging.ERROR)  # the client's "Could not connect to instance. Retrying." while it boots
    try:
        while True:
            try:
                version = quick.get_api_version(amp)
                expect(version == {'api_version': '1.0'}, f'got {version}')
                amp.api_version = version['api_version']  # the client forgets it after failed connections
                return time.time() - t
            except StepFailed:
                raise
            except Exception:  # noqa: BLE001 - not up yet
                if time.time() - t > timeout:
                    raise StepFailed(f'no answer from the agent within {timeout} s')
                time.sleep(2)
    finally:
        logging.disable(logging.NOTSET)


def vip_get(attempts=30):
    """One HTTP GET from the client namespace through the VIP; the member's token must come back."""
    last = ''
    for _ in range(attempts):
        r = subprocess.run(['ip', 'netns', 'exec', ARGS.client_ns, 'curl', '-sS', '--max-time', '10',
                            f'http://{ARGS.vip}/token'], capture_output=True, text=True)
        last = (r.stdout + r.stderr).strip()
        if r.returncode == 0 and ARGS.token in r.stdout:
            return last
        time.sleep(2)
    raise StepFailed(f'no answer through the VIP: {last[:300]}')


def unit_pid(unit):
    return console.run(f'systemctl show -p MainPID --value {unit}')[1].strip()


@step('first_mtls_answer')
def _():
    waited = wait_for_agent(ARGS.boot_timeout)
    timing('power_on_to_first_mtls_answer', time.time() - ARGS.qemu_started)
    amp.api_version = '1.0'
    return f'after {time.time() - ARGS.qemu_started:.1f} s from QEMU start ({waited:.1f} s of polling)'


@step('guest_console')
def _():
    console.connect(300)
    return console.run('uname -r; . /etc/os-release; echo "$PRETTY_NAME"; amphora-helper --version')[1].strip().replace('\n', ' | ')


@step('get_info')
def _():
    info = client.get_info(amp)
    expect(info['api_version'] == '1.0', f'{info}')
    int(info['haproxy_version'].split('.')[0])
    return f'haproxy {info["haproxy_version"]}, keepalived {info.get("keepalived_version")}, host {info["hostname"]}'


@step('get_details')
def _():
    details = client.get_details(amp)
    for key in ('hostname', 'haproxy_version', 'networks', 'cpu_count', 'memory', 'disk', 'load', 'topology', 'listeners'):
        expect(key in details, f'no {key}')
    return f'{len(details)} keys, topology {details["topology"]}'


@step('plug_vip')
def _():
    r = client.plug_vip(amp, ARGS.vip, {
        'subnet_cidr': '203.0.113.0/24', 'gateway': '203.0.113.1', 'mac_address': ARGS.vip_mac, 'vrrp_ip': ARGS.vrrp_ip,
        'mtu': 1500, 'host_routes': [], 'additional_vips': [], 'is_sriov': False})
    expect(r.status_code == 202, f'status {r.status_code}')
    return r.json().get('details', '')


@step('plug_network')
def _():
    r = client.plug_network(amp, {
        'mac_address': ARGS.member_mac, 'mtu': 1500, 'is_sriov': False,
        'fixed_ips': [{'ip_address': ARGS.member_net_ip, 'subnet_cidr': '192.0.2.0/24', 'host_routes': [], 'gateway': None}]})
    expect(r.status_code == 202, f'status {r.status_code}')
    return r.json().get('details', '')


CERT_NAME = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.pem'


@step('certificate_upload')
def _():
    with open(f'{ARGS.certdir}/server.pem', 'rb') as f:
        pem = f.read()
    client.upload_cert_pem(amp, LB_ID, CERT_NAME, pem)
    md5 = client.get_cert_md5sum(amp, LB_ID, CERT_NAME)
    expect(md5 == hashlib.md5(pem).hexdigest(), f'md5 {md5}')
    return f'md5 {md5}'


HAPROXY_CFG = octavia_common.haproxy_http_config(LB_ID, HTTP_LISTENER, POOL, f'{BASE}/{LB_ID}.sock', f'{ARGS.vip}:80',
                                                 f'{ARGS.member_ip}:80')


def upload_and_reload(upload, listener_id, config, upload_status):
    """`upload` (the client's upload_config or upload_udp_config) of `config` answering `upload_status`,
    then reload_listener (which starts it the first time) answering 202; returns the reload's response."""
    r = upload(amp, listener_id, config)
    expect(r.status_code == upload_status, f'upload status {r.status_code}')
    r = client.reload_listener(amp, listener_id)
    expect(r.status_code == 202, f'reload status {r.status_code}')
    return r


@step('haproxy_upload_start')
def _():
    upload_and_reload(client.upload_config, LB_ID, HAPROXY_CFG, 202)
    listeners = client.get_all_listeners(amp)
    expect({'status': 'ACTIVE', 'uuid': HTTP_LISTENER, 'type': 'HTTP'} in listeners, f'{listeners}')
    return f'{listeners}'


@step('traffic_through_vip')
def _():
    return vip_get()


@step('haproxy_reload_running')
def _():
    """A reload of the running haproxy: it answered on its stats socket, so its server state is saved
    and systemd reloads it (no status query first); the same master stays, traffic still flows."""
    unit = f'haproxy@{LB_ID}.service'
    before = unit_pid(unit)
    r = client.reload_listener(amp, LB_ID)
    expect(r.status_code == 202, f'reload status {r.status_code}')
    first = console.run(f'head -n 1 {BASE}/{LB_ID}/servers-state', check=False)[1].strip()
    expect(first == '1', f'servers-state starts with {first[:60]!r}, not the format line 1')
    after = unit_pid(unit)
    expect(after == before and after not in ('', '0'), f'MainPID {before} -> {after}: not reloaded in place')
    return f'MainPID {after}; ' + vip_get()


UDP_CFG = octavia_common.udp_listener_config(LB_ID, UDP_LISTENER, POOL, 'amphora-haproxy', ARGS.vip, ARGS.member_ip, BASE)


@step('udp_listener_upload_start')
def _():
    r = upload_and_reload(client.upload_udp_config, UDP_LISTENER, UDP_CFG, 200)
    return r.json().get('details', '')


def render_vrrp_config():
    """keepalived.conf as the controller renders it (MASTER, one peer): octavia's own keepalived_base.template."""
    return octavia_common.render_vrrp_config(LB_ID, 'MASTER', 100, ARGS.vrrp_ip, ['203.0.113.12'], ARGS.vip, BASE)


@step('vrrp_upload_start')
def _():
    _, r = octavia_common.upload_and_start_vrrp(client, amp, ARGS.vrrp_ip, render_vrrp_config(), expect)
    return r.json().get('details', '')


@step('heartbeat')
def _():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ARGS.controller_ip, ARGS.heartbeat_port))
    s.settimeout(1)
    deadline = time.time() + 60
    msg = None
    try:
        while time.time() < deadline:
            try:
                data, _ = s.recvfrom(65535)
            except socket.timeout:
                continue
            msg = status_message.unwrap_envelope(data, ARGS.heartbeat_key)
            if HTTP_LISTENER in msg.get('listeners', {}):
                break
    finally:
        s.close()
    expect(msg is not None, 'no heartbeat within 60 s')
    expect(msg.get('id') == ARGS.amphora_id, f'{msg}')
    expect(HTTP_LISTENER in msg.get('listeners', {}), f'listeners {msg.get("listeners")}')
    return f'verified; listeners {sorted(msg.get("listeners", {}))}'


UNITS = ['amphora-agent.service', 'amphora-agent-helper.service', 'amphora-agent-front.service', 'amphora-netns.service',
         'var-lib-octavia-certs.mount', 'amphora-config-drive.service', f'haproxy@{LB_ID}.service',
         'octavia-keepalived.service', f'octavia-keepalivedlvs@{UDP_LISTENER}.service', 'amphora-prometheus-proxy.service']


def check_units():
    vrrp_ok = any(r['step'] == 'vrrp_upload_start' and r['status'] == 'OK' for r in RESULTS)
    units = [u for u in UNITS if vrrp_ok or u != 'octavia-keepalived.service']
    deadline = time.time() + 120
    while True:
        status, out = console.run('systemctl is-active ' + ' '.join(units), check=False)
        if status == 0:
            break
        if time.time() > deadline:
            raise StepFailed('units not active:\n' + '\n'.join(f'{u}: {s}' for u, s in zip(units, out.split())))
        time.sleep(3)
    failed = console.run('systemctl list-units --failed --no-legend --plain')[1].strip()
    expect(failed == '', f'failed units: {failed}')
    enabled = console.run('systemctl is-enabled ' + ' '.join(units[1:]), check=False)[1].split()
    expect(all(e in ('enabled', 'static', 'generated', 'enabled-runtime') for e in enabled), f'enablement: {enabled}')
    return f'{len(units)} units active, none failed; enablement {sorted(set(enabled))}'


@step('units_active_and_enabled')
def _():
    return check_units()


@step('confinement_of_live_processes')
def _():
    lines = []
    for unit, cap_eff_zero in (('amphora-agent-helper.service', False), ('amphora-agent-front.service', True)):
        pid = unit_pid(unit)
        status = console.run(f'grep -E "^(Seccomp|Seccomp_filters|NoNewPrivs|CapEff):" /proc/{pid}/status')[1]
        fields = dict(line.split(':\t', 1) for line in status.strip().splitlines())
        fields = {k: v.strip() for k, v in fields.items()}
        expect(fields.get('Seccomp') == '2', f'{unit}: {fields}')
        # systemd loads one filter per sandboxing option (SystemCallFilter=, RestrictAddressFamilies=,
        # MemoryDenyWriteExecute=, ...), ours comes on top: at least 2.
        expect(int(fields.get('Seccomp_filters', '0')) >= 2, f'{unit}: {fields}')
        expect(fields.get('NoNewPrivs') == '1', f'{unit}: {fields}')
        if cap_eff_zero:
            expect(int(fields.get('CapEff', '1'), 16) == 0, f'{unit}: {fields}')
        lines.append(f'{unit}: ' + ' '.join(f'{k}={v}' for k, v in sorted(fields.items())))
    return '; '.join(lines)


@step('systemd_analyze_security')
def _():
    scores = []
    for unit in ('amphora-agent-front.service', 'amphora-agent-helper.service', f'haproxy@{LB_ID}.service',
                 'octavia-keepalived.service', 'amphora-netns.service'):
        out = console.run(f'systemd-analyze security --no-pager {unit} | tail -n 1', check=False)[1]
        m = re.search(r'Overall exposure level for \S+: ([0-9.]+) (\S+)', out)
        scores.append(f'{unit} {m.group(1)} {m.group(2)}' if m else f'{unit} ?')
    for s in scores:
        print(f'SECURITY {s}', flush=True)
    return '; '.join(scores)


@step('namespace_sysctls')
def _():
    names = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding', 'net.ipv4.ip_nonlocal_bind', 'net.ipv6.ip_nonlocal_bind',
             'net.ipv4.vs.conntrack', 'net.ipv4.vs.expire_nodest_conn', 'net.ipv4.vs.expire_quiescent_template']
    out = console.run('ip netns exec amphora-haproxy sysctl ' + ' '.join(names))[1]
    values = dict(line.split(' = ') for line in out.strip().splitlines())
    expect(all(values.get(n) == '1' for n in names), f'{values}')
    root = console.run('sysctl -n net.netfilter.nf_conntrack_max')[1].strip()
    expect(root == '125000', f'nf_conntrack_max {root}')
    return f'all 1 in the namespace; nf_conntrack_max {root}'


@step('journal_priorities')
def _():
    # Warnings and worse from this boot, as journald stored their priority.
    out = console.run('journalctl -b -p warning --no-pager -o short-monotonic | tail -n 60')[1]
    print('JOURNAL-WARNINGS-BEGIN\n' + out.rstrip() + '\nJOURNAL-WARNINGS-END', flush=True)
    ours = console.run('journalctl -b -p warning --no-pager -o cat -u amphora-agent-helper -u amphora-agent-front', check=False)[1]
    expect('helper ready' not in ours and 'front serving' not in ours, f'info messages stored as warnings:\n{ours[-1500:]}')
    info = console.run('journalctl -b -p info --no-pager -o cat -u amphora-agent-helper -u amphora-agent-front | grep -c -e "helper ready" -e "front serving"', check=False)[1]
    return f'info lines of the agent not among the warnings ({info.strip()} readiness lines at info)'


@step('forbidden_syscall_kills_and_unit_restarts')
def _():
    # The real helper binary, in its real unit (systemd's sandbox), loads its real filter and calls
    # execve once: SIGSYS (status=31/SYS); Restart= brings back the real helper.
    before = int(console.run('systemctl show -p NRestarts --value amphora-agent-helper.service')[1].strip() or 0)
    console.run(r'''mkdir -p /run/systemd/system/amphora-agent-helper.service.d
cat >/run/systemd/system/amphora-agent-helper.service.d/90-boot-test-sigsys.conf <<'EOF'
[Service]
ExecStart=
ExecStart=/bin/sh -c 'if [ -e /var/lib/octavia/boot-test-sigsys ]; then rm -f /var/lib/octavia/boot-test-sigsys; exec /usr/sbin/amphora-helper seccomp-selftest helper execve; fi; exec /usr/sbin/amphora-helper serve --config-file /etc/octavia/amphora-agent.conf'
EOF
systemctl daemon-reload
touch /var/lib/octavia/boot-test-sigsys
systemctl restart --no-block amphora-agent-helper.service''')
    deadline = time.time() + 180
    while True:
        restarts = int(console.run('systemctl show -p NRestarts --value amphora-agent-helper.service')[1].strip() or 0)
        active = console.run('systemctl is-active amphora-agent-helper.service', check=False)[1].strip()
        if restarts > before and active == 'active':
            break
        expect(time.time() < deadline, f'helper: NRestarts {restarts}, {active}')
        time.sleep(2)
    log = console.run('journalctl -b -u amphora-agent-helper.service --no-pager -o cat | grep -E "status=31/SYS|SIGSYS" | tail -n 2', check=False)[1]
    expect('31/SYS' in log or 'SYS' in log, f'no SIGSYS exit in the journal: {log}')
    console.run('rm -rf /run/systemd/system/amphora-agent-helper.service.d; systemctl daemon-reload')
    wait_for_agent(180)
    return f'{log.strip().splitlines()[-1]}; NRestarts {before} -> {restarts}; helper active and answering again'


@step('reboot_serves_without_controller')
def _():
    t = time.time()
    try:
        console.run('systemctl reboot', timeout=10, check=False)
    except (StepFailed, TimeoutError, OSError):
        pass
    console.close()
    time.sleep(10)
    console.connect(ARGS.boot_timeout)
    wait_for_agent(ARGS.boot_timeout)
    timing('reboot_to_first_mtls_answer', time.time() - t)
    served = vip_get(attempts=60)
    timing('reboot_to_vip_serving', time.time() - t)
    return f'{check_units()}; through the VIP: {served[:60]}'


@step('service_amphora_agent_restart')
def _():
    before = (unit_pid('amphora-agent-helper.service'), unit_pid('amphora-agent-front.service'))
    console.run('service amphora-agent restart', timeout=300)
    after = (unit_pid('amphora-agent-helper.service'), unit_pid('amphora-agent-front.service'))
    expect(before[0] != after[0] and before[1] != after[1], f'pids {before} -> {after}')
    wait_for_agent(180)
    info = client.get_info(amp)
    return f'helper {before[0]} -> {after[0]}, front {before[1]} -> {after[1]}; info {info["api_version"]}'


@step('delete_load_balancer')
def _():
    for listener in (UDP_LISTENER, LB_ID):
        r = client.delete_listener(amp, listener)
        expect(r.status_code == 200, f'delete {listener}: {r.status_code}')
    enabled = console.run(f'systemctl is-enabled haproxy@{LB_ID}.service', check=False)[1].strip()
    expect(enabled != 'enabled', f'haproxy@{LB_ID} still {enabled}')
    return f'deleted; haproxy@ unit {enabled}'


failed = [r for r in RESULTS if r['status'] == 'FAIL']
if failed:
    # What the guest says about it, when its console answers.
    try:
        if console.sock is None:
            console.connect(120)
        # Seccomp kills first: the kernel's audit line names the process and the system call
        # (x86_64 number; syscall=59 of amphora-helper is the deliberate execve of the SIGSYS step).
        diagnosis = console.run('journalctl -b --no-pager -o cat | grep -E "type=1326" | tail -n 10; '
                                'systemctl list-units --failed --no-pager; '
                                'ls -la /var/lib/octavia/vrrp; journalctl -b --no-pager -o cat -t Keepalived -t Keepalived_vrrp | tail -n 20; '
                                'f=/var/lib/octavia/vrrp/octavia-keepalived.conf.new-failed; [ -e $f ] && '
                                '{ ip netns exec amphora-haproxy keepalived --config-test -l -D -f $f; echo "config-test outside the sandbox: $?"; }; '
                                'journalctl -b --no-pager -o short-monotonic -u "amphora-*" -u "haproxy@*" '
                                '-u "octavia-*" -u var-lib-octavia-certs.mount | tail -n 80', check=False, timeout=120)[1]
        print('GUEST-DIAGNOSIS-BEGIN\n' + diagnosis.rstrip() + '\nGUEST-DIAGNOSIS-END', flush=True)
    except Exception as e:  # noqa: BLE001 - diagnosis only
        print(f'GUEST-DIAGNOSIS unavailable: {e}', flush=True)
if ARGS.json:
    with open(ARGS.json, 'w') as f:
        json.dump({'steps': RESULTS, 'timings': TIMINGS, 'failed': len(failed)}, f, indent=2)
try:
    console.run('systemctl poweroff --no-block', timeout=10, check=False)
except Exception:  # noqa: BLE001 - the guest goes away
    pass
known = [r['step'] for r in RESULTS if r['status'] == 'KNOWN-OPEN']
print(f'SUMMARY {len(RESULTS) - len(failed) - len(known)} ok, {len(failed)} failed, known open {known}', flush=True)
sys.exit(1 if failed else 0)
