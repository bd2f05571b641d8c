"""Drive our agent with Octavia's own controller-side client (octavia==19.0.0).

The real `AmphoraAPIClient1_0` from `octavia.amphorae.drivers.haproxy.rest_api_driver` sends the
calls a load balancer create, update, failover and delete sends (reference §7), over mutual TLS,
against a running agent; no database, message bus or keystone (reference §8, Appendix B). Every
step must return what the client expects without an exception. The heartbeat is verified with
octavia's own `status_message.unwrap_envelope`.

Run by Tests/IntegrationTests/ConformanceTests.swift, which starts the agent, creates the VIP and
member ports (veth pairs with the MACs given here) and checks the kernel state afterwards:

  python drive_octavia_client.py --certdir DIR --port N --amphora-id UUID --base-path DIR \
      --netns NS --vip-mac MAC --member-mac MAC --agent-config FILE --heartbeat-port N \
      --heartbeat-key KEY [--sequence create|failover] [--json FILE]
      [--kill-helper-of AGENT_PID --agent-log FILE]

--sequence create (the default) is a load balancer's life on one amphora: create, member subnets
added and removed (on a member port, and on the VRRP port with `vip_net_info`), Octavia's own
50 listeners x 200 members rendering uploaded, checked, started and reloaded, UDP listener, SR-IOV
interface rules, VRRP, agent configuration, heartbeat, certificate rotation, delete.
--sequence failover is what the controller's failover flow (octavia/controller/worker/v2/flows/
amphora_flows.py, get_failover_amphora_flow with an ACTIVE_STANDBY load balancer) sends to the NEW
amphora, a fresh agent: connectivity wait, VIP plug on its new VRRP port, member port plug, the
listeners update (certificates, configuration, reload), the VRRP subflow (interface lookup,
keepalived configuration as BACKUP, start), the listeners reload, then the load balancer serves.
The member and VIP ports' addresses are checked in the amphora namespace NS (`ip -n NS`).

With --kill-helper-of (helper restarts under load, issue 16), the root helper of the standalone
agent AGENT_PID is killed (SIGKILL, by pid) right before every step, so that every step meets a
restarting helper and the front's stale pooled connections; the supervisor restarts it. A kill
waits until the previous helper reported ready (AGENT_LOG) and stays within the supervisor's
restart budget (20 within 60 s; the driver keeps to 15). An extra step kills the helper while an upload is in flight.

Exit status 0 when every step passed (or is in EXPECTED_MISSING and answered 404/405), 1 otherwise.
One line per step on stdout: `STEP <name> OK|FAIL|EXPECTED-MISSING <detail>`.
"""
import argparse
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import types
import warnings

warnings.filterwarnings('ignore')

# Importing the driver module registers every octavia option group.
from octavia.amphorae.backends.health_daemon import status_message  # noqa: E402
from octavia.amphorae.drivers.haproxy import exceptions as exc  # noqa: E402
from octavia.amphorae.drivers.haproxy import rest_api_driver as rad  # noqa: E402

import octavia_common  # noqa: E402  (beside this file)

# Steps whose endpoints other issues deliver. A step listed here that answers 404 or 405 (route
# not there yet) is reported as EXPECTED-MISSING instead of FAIL; any other failure still fails.
# Keep this list empty once those endpoints have landed.
EXPECTED_MISSING = set()

LB_ID = '11111111-2222-4333-8444-555555555555'
HTTP_LISTENER = '99999999-0000-4000-8000-000000000001'
UDP_LISTENER = '99999999-0000-4000-8000-000000000002'
POOL = '99999999-0000-4000-8000-0000000000aa'
VIP = '203.0.113.100'
MEMBER_IP = '192.0.2.5'
# A member subnet the controller adds (and later removes) on the member port, then on the VRRP port.
NEW_SUBNET = '198.51.100.0/24'
NEW_SUBNET_MEMBER_PORT_IP = '198.51.100.5'
NEW_SUBNET_VRRP_PORT_IP = '198.51.100.20'
NEW_SUBNET_MEMBER = '198.51.100.6'


class StepFailed(Exception):
    pass


class MissingEndpoint(Exception):
    pass


def parse_args():
    p = argparse.ArgumentParser()
    for name in ('certdir', 'amphora-id', 'base-path', 'netns', 'vip-mac', 'member-mac', 'agent-config',
                 'heartbeat-key'):
        p.add_argument('--' + name, required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--heartbeat-port', type=int, required=True)
    p.add_argument('--json')
    p.add_argument('--sequence', choices=('create', 'failover'), default='create')
    p.add_argument('--large-connection-limit', type=int, default=int(os.environ.get('CONFORMANCE_LARGE_CONNECTION_LIMIT', 0)),
                   help="the large listeners' connection limit (default: $CONFORMANCE_LARGE_CONNECTION_LIMIT, else the "
                        "largest that fits the descriptor limit; 100 reproduces haproxy's 'Cannot raise FD limit' here)")
    p.add_argument('--kill-helper-of', type=int, help="the standalone agent's pid: kill its helper before every step")
    p.add_argument('--agent-log', help="the standalone agent's log (to see the restarted helper ready)")
    return p.parse_args()


ARGS = parse_args()
# The failover amphora gets a new VRRP (base) port; its peer is the surviving amphora.
VRRP_IP, PEER_VRRP_IP = ('203.0.113.12', '203.0.113.11') if ARGS.sequence == 'failover' else ('203.0.113.11', '203.0.113.12')
amp = types.SimpleNamespace(id=ARGS.amphora_id, lb_network_ip='127.0.0.1', api_version=None)
# Every response is recorded so that failures can show the agent's own words.
LAST = {}
base, client = octavia_common.controller_clients(ARGS.certdir, ARGS.port, 5, 60, LAST)

RESULTS = []
KILLS = []


def helper_pid():
    """The pid of the agent's helper: its newest child running `amphora-helper serve` (a killed
    helper's launchers, forked from it with the same command line, may linger as the agent's
    children for a moment; they started before the new helper)."""
    newest = None
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            with open(f'/proc/{entry}/cmdline', 'rb') as f:
                argv = f.read().split(b'\0')
        except (OSError, ValueError, IndexError):
            continue
        if int(fields[1]) != ARGS.kill_helper_of or argv[:2] != [b'amphora-helper', b'serve']:
            continue
        started = int(fields[19])
        if newest is None or started > newest[0]:
            newest = (started, int(entry))
    return newest[1] if newest else None


def helpers_ready():
    with open(ARGS.agent_log, errors='replace') as f:
        return f.read().count('helper ready')


def kill_helper():
    """SIGKILL the helper once the previous one is ready and the supervisor's budget allows it."""
    deadline = time.time() + 120
    while True:
        recent = [t for t in KILLS if time.monotonic() - t < 62]
        if len(recent) < 15 and helpers_ready() >= len(KILLS) + 1:
            break
        if time.time() > deadline:
            raise StepFailed(f'the helper did not come back after {len(KILLS)} kills')
        time.sleep(0.1)
    time.sleep(0.2)  # "helper ready" is logged just before READY reaches the supervisor
    pid = helper_pid()
    if pid is None:
        raise StepFailed('no helper process to kill')
    os.kill(pid, signal.SIGKILL)
    KILLS.append(time.monotonic())


def last_response():
    r = LAST.get('r')
    if r is None:
        return ''
    return f'{r.request.method} {r.request.path_url} -> {r.status_code} {r.text.strip()[:400]}'


STEPS = []


def step(name, sequences=('create',)):
    """Registers a step of the given sequences (--sequence); the steps run in order at the end."""
    def wrap(fn):
        if ARGS.sequence in sequences:
            STEPS.append((name, fn))
        return fn
    return wrap


def run_step(name, fn):
    LAST.pop('r', None)
    t = time.perf_counter()
    try:
        if ARGS.kill_helper_of:
            kill_helper()
        detail = fn() or ''
        status = 'OK'
    except MissingEndpoint as e:
        status, detail = ('EXPECTED-MISSING' if name in EXPECTED_MISSING else 'FAIL'), f'not implemented: {e}'
    except Exception as e:  # noqa: BLE001 - every failure is reported, with the agent's answer
        r = LAST.get('r')
        if r is not None and r.status_code in (404, 405) and _route_missing(r):
            status = 'EXPECTED-MISSING' if name in EXPECTED_MISSING else 'FAIL'
            detail = f'endpoint missing: {last_response()}'
        else:
            status = 'FAIL'
            detail = f'{type(e).__name__}: {e}; last response: {last_response()}'
            if not isinstance(e, (StepFailed, exc.APIException)):
                detail += '\n' + traceback.format_exc()
    ms = (time.perf_counter() - t) * 1000
    if name in EXPECTED_MISSING and status == 'OK':
        detail = f'{detail} (listed in EXPECTED_MISSING but passes: remove it)'
    RESULTS.append({'step': name, 'status': status, 'ms': round(ms, 1), 'detail': detail})
    print(f'STEP {name} {status} ({ms:.0f} ms) {detail}', flush=True)


def _route_missing(r):
    """A 404/405 for the route itself (framework shape), not a handler's own 404."""
    try:
        body = r.json()
    except ValueError:
        return True
    return r.status_code == 405 or 'http_code' in body


def expect(condition, message):
    if not condition:
        raise StepFailed(message)


def expect_raises(exception, fn, *a, **kw):
    try:
        fn(*a, **kw)
    except exception as e:
        return e
    raise StepFailed(f'expected {exception.__name__}; last response: {last_response()}')


# 1. Version discovery: GET // (AmphoraComputeConnectivityWait)
@step('get_api_version', sequences=('create', 'failover'))
def _():
    version = base.get_api_version(amp)
    expect(version == {'api_version': '1.0'}, f'got {version}')
    expect(LAST['r'].request.path_url == '//', f'the client sent {LAST["r"].request.path_url}')
    amp.api_version = version['api_version']
    return f'{version}'


# 2. GET /1.0/info: the controller parses haproxy_version's MAJOR.MINOR
@step('get_info')
def _():
    info = client.get_info(amp)
    expect(info['api_version'] == '1.0', f'api_version {info["api_version"]}')
    major, minor = info['haproxy_version'].split('.')[:2]
    int(major), int(minor[:1])
    for key in ('hostname', 'keepalived_version', 'ipvsadm_version'):
        expect(key in info, f'no {key}')
    return f'haproxy {info["haproxy_version"]}'


# 3. GET /1.0/details: the haproxy templater reads these fields
@step('get_details')
def _():
    details = client.get_details(amp)
    for key in ('hostname', 'haproxy_version', 'api_version', 'networks', 'active', 'haproxy_count', 'cpu_count', 'cpu',
                'memory', 'disk', 'load', 'active_tuned_profiles', 'topology', 'topology_status', 'listeners', 'packages'):
        expect(key in details, f'no {key} in {sorted(details)}')
    for key in ('free', 'buffers', 'cached'):
        expect(isinstance(details['memory'][key], int), f'memory.{key} is not an int')
    expect(isinstance(details['cpu_count'], int), 'cpu_count is not an int')
    return f'{len(details)} keys'


# 4. AmphoraPostVIPPlug: POST /1.0/plug/vip/<vip>, body as _build_net_info renders it
@step('plug_vip', sequences=('create', 'failover'))
def _():
    r = client.plug_vip(amp, VIP, {
        'subnet_cidr': '203.0.113.0/24', 'gateway': '203.0.113.1', 'mac_address': ARGS.vip_mac, 'vrrp_ip': VRRP_IP,
        'mtu': 1500, 'host_routes': [], 'additional_vips': [], 'is_sriov': False})
    expect(r.status_code == 202, f'status {r.status_code}')
    return r.json().get('details', '')


# 5. AmphoraePostNetworkPlug: POST /1.0/plug/network
@step('plug_network', sequences=('create', 'failover'))
def _():
    r = client.plug_network(amp, {
        'mac_address': ARGS.member_mac, 'mtu': 1500, 'is_sriov': False,
        'fixed_ips': [{'ip_address': MEMBER_IP, 'subnet_cidr': '192.0.2.0/24', 'host_routes': [], 'gateway': None}]})
    expect(r.status_code == 202, f'status {r.status_code}')
    return r.json().get('details', '')


# 6. ListenersUpdate: certificates as _upload_cert does it (md5 GET, 404 ok, PUT when different)
CERT_NAME = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.pem'
with open(f'{ARGS.certdir}/server.crt', 'rb') as f:
    CERT_PEM = f.read()


@step('certificate_md5_upload')
def _():
    try:
        before = client.get_cert_md5sum(amp, LB_ID, CERT_NAME, ignore=(404,))
    except exc.NotFound:
        before = None
    expect(LAST['r'].status_code == 404 and 'json' in LAST['r'].headers.get('content-type', ''),
           f'first md5 lookup: {last_response()}')
    expect(before is None, f'md5 before upload: {before}')
    r = client.upload_cert_pem(amp, LB_ID, CERT_NAME, CERT_PEM)
    expect(r.headers.get('ETag') == hashlib.md5(CERT_PEM).hexdigest(), f'ETag {r.headers.get("ETag")}')
    after = client.get_cert_md5sum(amp, LB_ID, CERT_NAME)
    expect(after == hashlib.md5(CERT_PEM).hexdigest(), f'md5 after upload {after}')
    return f'md5 {after}'


# 7. haproxy configuration upload (202 + ETag) then reload (starts it the first time)
HAPROXY_CFG = octavia_common.haproxy_http_config(LB_ID, HTTP_LISTENER, POOL, f'{ARGS.base_path}/{LB_ID}.sock', f'{VIP}:80',
                                                 f'{MEMBER_IP}:80')


@step('haproxy_upload_reload')
def _():
    r = client.upload_config(amp, LB_ID, HAPROXY_CFG)
    expect(r.status_code == 202, f'upload status {r.status_code}')
    expect(r.headers.get('ETag') == hashlib.md5(HAPROXY_CFG.encode()).hexdigest(), f'ETag {r.headers.get("ETag")}')
    r = client.reload_listener(amp, LB_ID)
    expect(r.status_code == 202, f'reload status {r.status_code}')
    return r.json().get('details', '').replace('\n', ' | ')


@step('get_all_listeners_http')
def _():
    listeners = client.get_all_listeners(amp)
    expect({'status': 'ACTIVE', 'uuid': HTTP_LISTENER, 'type': 'HTTP'} in listeners, f'{listeners}')
    return f'{listeners}'


# 7a. Member subnets (member_flows.py get_create_member_flow / get_delete_member_flow): the controller
# plugs or unplugs the subnet's fixed IP on the amphora's port in Neutron (HandleNetworkDeltas), sends
# the port's whole new fixed_ips list (AmphoraePostNetworkPlug -> post_network_plug), then the
# listeners update (update_amphora_listeners: get_info, get_details, upload_config, reload_listener).
# On the VRRP port itself the body carries `vip_net_info` (post_network_plug: port.id ==
# amphora.vrrp_port_id), and the VIP must stay.
def amphora_addresses():
    """The addresses in the amphora namespace (`ip -n NETNS -o addr show`)."""
    out = subprocess.run(['ip', '-n', ARGS.netns, '-o', 'addr', 'show'], check=True, capture_output=True, text=True).stdout
    return {fields[3].split('/')[0] for fields in (line.split() for line in out.splitlines()) if len(fields) > 3}


def vrrp_net_info():
    """rest_api_driver._build_net_info for the VRRP port, as post_network_plug adds it (plus `vip`)."""
    return {'subnet_cidr': '203.0.113.0/24', 'gateway': '203.0.113.1', 'mac_address': ARGS.vip_mac, 'vrrp_ip': VRRP_IP,
            'mtu': 1500, 'host_routes': [], 'additional_vips': [], 'is_sriov': False, 'vip': VIP}


def listeners_update(lb_id, config):
    """update_amphora_listeners' calls for a load balancer without TLS: haproxy version, details
    (the templater's input), configuration upload, reload."""
    client.get_info(amp)
    client.get_details(amp)
    r = client.upload_config(amp, lb_id, config)
    expect(r.status_code == 202, f'upload status {r.status_code}')
    r = client.reload_listener(amp, lb_id)
    expect(r.status_code == 202, f'reload status {r.status_code}')


MEMBER_PORT_FIXED_IP = {'ip_address': MEMBER_IP, 'subnet_cidr': '192.0.2.0/24', 'host_routes': [], 'gateway': None}
VRRP_PORT_FIXED_IP = {'ip_address': VRRP_IP, 'subnet_cidr': '203.0.113.0/24', 'host_routes': [], 'gateway': '203.0.113.1'}
HAPROXY_CFG_NEW_SUBNET = HAPROXY_CFG + f'    server m2 {NEW_SUBNET_MEMBER}:80 weight 1\n'


@step('member_subnet_add')
def _():
    r = client.plug_network(amp, {
        'mac_address': ARGS.member_mac, 'mtu': 1500, 'is_sriov': False,
        'fixed_ips': [MEMBER_PORT_FIXED_IP, {'ip_address': NEW_SUBNET_MEMBER_PORT_IP, 'subnet_cidr': NEW_SUBNET,
                                             'host_routes': [], 'gateway': None}]})
    expect(r.status_code == 202, f'status {r.status_code}')
    addresses = amphora_addresses()
    expect({MEMBER_IP, NEW_SUBNET_MEMBER_PORT_IP} <= addresses, f'amphora addresses {sorted(addresses)}')
    listeners_update(LB_ID, HAPROXY_CFG_NEW_SUBNET)
    return f'{NEW_SUBNET_MEMBER_PORT_IP} added beside {MEMBER_IP}; member {NEW_SUBNET_MEMBER} configured and reloaded'


@step('member_subnet_remove')
def _():
    r = client.plug_network(amp, {'mac_address': ARGS.member_mac, 'mtu': 1500, 'is_sriov': False,
                                  'fixed_ips': [MEMBER_PORT_FIXED_IP]})
    expect(r.status_code == 202, f'status {r.status_code}')
    addresses = amphora_addresses()
    expect(MEMBER_IP in addresses and NEW_SUBNET_MEMBER_PORT_IP not in addresses, f'amphora addresses {sorted(addresses)}')
    listeners_update(LB_ID, HAPROXY_CFG)
    return f'{NEW_SUBNET_MEMBER_PORT_IP} removed, {MEMBER_IP} kept; reloaded'


@step('vrrp_port_member_subnet_add')
def _():
    r = client.plug_network(amp, {
        'mac_address': ARGS.vip_mac, 'mtu': 1500, 'is_sriov': False, 'vip_net_info': vrrp_net_info(),
        'fixed_ips': [VRRP_PORT_FIXED_IP, {'ip_address': NEW_SUBNET_VRRP_PORT_IP, 'subnet_cidr': NEW_SUBNET,
                                           'host_routes': [], 'gateway': None}]})
    expect(r.status_code == 202, f'status {r.status_code}')
    addresses = amphora_addresses()
    expect({VIP, VRRP_IP, NEW_SUBNET_VRRP_PORT_IP} <= addresses, f'amphora addresses {sorted(addresses)}')
    listeners_update(LB_ID, HAPROXY_CFG_NEW_SUBNET)
    return f'{NEW_SUBNET_VRRP_PORT_IP} added on the VRRP port; VIP {VIP} and {VRRP_IP} kept'


@step('vrrp_port_member_subnet_remove')
def _():
    r = client.plug_network(amp, {'mac_address': ARGS.vip_mac, 'mtu': 1500, 'is_sriov': False,
                                  'vip_net_info': vrrp_net_info(), 'fixed_ips': [VRRP_PORT_FIXED_IP]})
    expect(r.status_code == 202, f'status {r.status_code}')
    addresses = amphora_addresses()
    expect({VIP, VRRP_IP} <= addresses and NEW_SUBNET_VRRP_PORT_IP not in addresses, f'amphora addresses {sorted(addresses)}')
    listeners_update(LB_ID, HAPROXY_CFG)
    listeners = client.get_all_listeners(amp)
    expect({'status': 'ACTIVE', 'uuid': HTTP_LISTENER, 'type': 'HTTP'} in listeners, f'{listeners}')
    return f'{NEW_SUBNET_VRRP_PORT_IP} removed; VIP {VIP} and {VRRP_IP} kept; listener ACTIVE'


# 7b. Upload limits (issue 16): past the agent's limit the controller must raise, not take 413 for
# success; Octavia's own rendering of a large load balancer (50 listeners x 200 members) uploads,
# passes haproxy -c, is stored whole, starts and reloads.
UPLOAD_LIMIT = 32 << 20
LARGE_LB = '11111111-2222-4333-8444-666666666666'
LARGE_LISTENERS, LARGE_MEMBERS = 50, 200
_LARGE = {}


def large_connection_limit():
    """Every large listener's connection limit: the largest round value whose descriptors fit the
    limit the agent's haproxy gets. haproxy needs 2.5 descriptors per connection of the global
    maxconn (the sum of the listeners' limits; 2 sockets plus splice pipes) plus one per health-checked
    server and a few: 50 x 100 connections need 22,580, over a sandbox's 20,000 (production's haproxy
    units say LimitNOFILE=2600000). The standalone agent hands haproxy its own hard limit, which the
    test shares with this driver."""
    if ARGS.large_connection_limit:
        return ARGS.large_connection_limit
    import resource
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY:
        hard = 2_600_000
    for limit in (1000, 500, 200, 100, 50, 20):
        if LARGE_LISTENERS * limit * 5 // 2 + LARGE_LISTENERS * LARGE_MEMBERS + 1000 <= hard:
            return limit
    return 10


def large_config():
    """Octavia's templater's rendering of 50 listeners x 200 members (render_large_octavia_haproxy.py)."""
    if 'text' not in _LARGE:
        cpus = client.get_details(amp).get('cpu_count', 1)
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         'render_large_octavia_haproxy.py'),
                            '--lb', LARGE_LB, '--base-path', ARGS.base_path, '--cert-dir', d, '--amphora',
                            ARGS.amphora_id, '--listeners', str(LARGE_LISTENERS), '--members', str(LARGE_MEMBERS),
                            '--connection-limit', str(large_connection_limit()), '--cpu-count', str(cpus),
                            f'{d}/large.cfg'],
                           check=True, capture_output=True)
            with open(f'{d}/large.cfg') as f:
                _LARGE['text'] = f.read()
    return _LARGE['text']


@step('oversize_upload_raises')
def _():
    body = HAPROXY_CFG + '#' * (UPLOAD_LIMIT + 1 - len(HAPROXY_CFG.encode()))
    expect_raises(exc.InvalidRequest, client.upload_config, amp, LARGE_LB, body)
    r = LAST['r']
    expect(r.headers.get('content-type') == 'application/json' and r.json().get('message') == 'Invalid request',
           f'{last_response()}')
    expect_raises(exc.NotFound, lambda: exc.check_exception(client.request('get', amp, f'loadbalancer/{LARGE_LB}/haproxy')))
    return f'InvalidRequest: {r.json().get("details")}'


@step('large_configuration_upload_reload')
def _():
    # As update_amphora_listeners sends it: details (the templater's input), upload, reload (which
    # starts the new instance), then a second reload (the running instance: server state saved, USR2).
    text = large_config()
    expect(len(text.encode()) > 1 << 20, f'rendering of {len(text.encode())} bytes')
    timings = []
    try:
        t = time.perf_counter()
        r = client.upload_config(amp, LARGE_LB, text)
        timings.append(f'upload+check {time.perf_counter() - t:.1f} s')
        expect(r.status_code == 202, f'upload status {r.status_code}')
        expect(r.headers.get('ETag') == hashlib.md5(text.encode()).hexdigest(), f'ETag {r.headers.get("ETag")}')
        r = exc.check_exception(client.request('get', amp, f'loadbalancer/{LARGE_LB}/haproxy'))
        servers = text.count('\n    server ')
        expect(r.text.count('\n    server ') == servers, f'stored {r.text.count(chr(10) + "    server ")} of {servers} servers')
        for what in ('start', 'reload'):
            t = time.perf_counter()
            r = client.reload_listener(amp, LARGE_LB)
            timings.append(f'{what} {time.perf_counter() - t:.1f} s')
            expect(r.status_code == 202, f'{what}: status {r.status_code}')
        listeners = client.get_all_listeners(amp)
        active = [entry for entry in listeners if entry['status'] == 'ACTIVE' and entry['uuid'] != HTTP_LISTENER]
        expect(len(active) == LARGE_LISTENERS, f'{len(active)} large listeners ACTIVE: {listeners}')
    except Exception as e:
        # haproxy's own log (the driver runs as root), to tell a refusal from a slow start.
        try:
            with open(f'{ARGS.base_path}/{LARGE_LB}/haproxy.log', errors='replace') as f:
                log_tail = f.read()[-1500:].replace('\n', ' | ')
        except OSError as error:
            log_tail = str(error)
        raise StepFailed(f'{type(e).__name__}: {e}; last response: {last_response()}; timings {timings}; '
                         f'haproxy.log: {log_tail}') from e
    finally:
        client.delete_listener(amp, LARGE_LB)
    return (f'{len(text.encode())} bytes, {servers} servers, connection limit {large_connection_limit()} per listener; '
            f'{LARGE_LISTENERS} listeners ACTIVE; ' + ', '.join(timings))


if ARGS.kill_helper_of:
    @step('upload_with_helper_killed_midway')
    def _():
        # The killer waits for the helper the step decorator just killed to be ready again, then
        # kills it while this upload (safe to repeat) is most likely being checked.
        import threading
        text = large_config()
        killer = threading.Thread(target=kill_helper)
        killer.start()
        try:
            r = client.upload_config(amp, LARGE_LB, text)
        finally:
            killer.join()
        expect(r.status_code == 202, f'upload status {r.status_code}')
        r = client.delete_listener(amp, LARGE_LB)
        expect(r.status_code == 200, f'delete status {r.status_code}')
        return f'{len(KILLS)} kills so far'


# 7c. PROMETHEUS listener: Octavia's templater points the listener's backend at prometheus-proxy
# (127.0.0.1:9102 in the namespace; ours is amphora-prometheus-proxy); scraped through the VIP.
PROM_LB = '11111111-2222-4333-8444-777777777777'


@step('prometheus_listener_scrape')
def _():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'render_prometheus_haproxy.py'),
                        '--lb', PROM_LB, '--base-path', ARGS.base_path, '--cert-dir', d, '--amphora', ARGS.amphora_id,
                        '--vip', f'{VIP}:9100', f'{d}/prom.cfg'], check=True, capture_output=True)
        with open(f'{d}/prom.cfg') as f:
            text = f.read()
    r = client.upload_config(amp, PROM_LB, text)
    expect(r.status_code == 202, f'upload status {r.status_code}')
    r = client.reload_listener(amp, PROM_LB)
    expect(r.status_code == 202, f'reload status {r.status_code}')
    up = 'octavia_listener_status{listener="sample_listener_id_1",state="UP"} 1'
    body = ''
    for _ in range(100):
        body = subprocess.run(['/usr/sbin/ip', 'netns', 'exec', ARGS.netns, 'curl', '-sf', '--max-time', '3',
                               f'http://{VIP}:9100/metrics'], capture_output=True, text=True).stdout
        if up in body:
            break
        time.sleep(0.2)
    expect(up in body and 'octavia_loadbalancer_cpu ' in body and 'haproxy_' not in body, f'scrape: {body[:300]}')
    r = client.delete_listener(amp, PROM_LB)
    expect(r.status_code == 200, f'delete status {r.status_code}')
    return f'{sum(1 for line in body.splitlines() if line.startswith("octavia_"))} Octavia samples through {VIP}:9100'


# 8. UDP listener: keepalived LVS configuration as octavia's LVS templater renders it
UDP_CFG = octavia_common.udp_listener_config(LB_ID, UDP_LISTENER, POOL, ARGS.netns, VIP, MEMBER_IP, ARGS.base_path)


@step('udp_listener_upload')
def _():
    r = client.upload_udp_config(amp, UDP_LISTENER, UDP_CFG)
    expect(r.status_code == 200, f'status {r.status_code}')
    expect(r.headers.get('ETag') == hashlib.md5(UDP_CFG.encode()).hexdigest(), f'ETag {r.headers.get("ETag")}')
    r = client.request('get', amp, f'listeners/{UDP_LISTENER}/udp_listener')
    expect(r.status_code == 200 and r.text == UDP_CFG, f'GET udp_listener: {r.status_code}')
    listeners = client.get_all_listeners(amp)
    expect({'status': 'OFFLINE', 'uuid': UDP_LISTENER, 'type': 'UDP'} in listeners, f'{listeners}')
    return 'stored, listed OFFLINE'


@step('udp_listener_reload')
def _():
    if os.path.exists('/proc/net/ip_vs'):
        r = client.reload_listener(amp, UDP_LISTENER)
        expect(r.status_code == 202, f'status {r.status_code}')
        return r.json().get('details', '')
    # No IP_VS in this kernel: the agent must answer 500 at once, naming the missing support, and
    # the client must raise the mapped exception.
    t = time.perf_counter()
    expect_raises(exc.InternalServerError, client.reload_listener, amp, UDP_LISTENER)
    elapsed = time.perf_counter() - t
    body = LAST['r'].json()
    expect('IP_VS' in body.get('details', '') and 'keepalivedlvs' in body.get('message', ''), f'body {body}')
    expect(elapsed < 10, f'took {elapsed:.1f} s')
    return f'InternalServerError as expected: {body["message"]}: {body["details"][:90]}'


# 9. SR-IOV VIPs: interface lookup then nftables rules
@step('interface_rules')
def _():
    interface = client.get_interface(amp, VIP)
    expect(interface.get('interface') == 'eth1', f'{interface}')
    r = client.set_interface_rules(amp, VIP, [
        {'protocol': 'TCP', 'cidr': '198.51.100.0/24', 'port': 80},
        {'protocol': 'UDP', 'cidr': None, 'port': 53},
        {'protocol': 'VRRP', 'cidr': '203.0.113.0/24', 'port': 112},
    ])
    expect(r.status_code == 200, f'status {r.status_code}')
    expect_raises(exc.InvalidRequest, client.set_interface_rules, amp, VIP, [{'protocol': 'ICMP', 'cidr': None, 'port': 1}])
    return f'interface {interface["interface"]}; bad protocol -> InvalidRequest'


# 10. ACTIVE_STANDBY: interface lookup on the VRRP address, VRRP configuration upload and start
def render_vrrp_config(role, priority):
    """keepalived.conf as the controller renders it: octavia's own keepalived_base.template."""
    return octavia_common.render_vrrp_config(LB_ID, role, priority, VRRP_IP, [PEER_VRRP_IP], VIP, ARGS.base_path)


# The failover amphora joins as BACKUP: the survivor is MASTER until keepalived elects again.
VRRP_CFG = render_vrrp_config('BACKUP', 90) if ARGS.sequence == 'failover' else render_vrrp_config('MASTER', 100)


@step('vrrp_upload_start')
def _():
    _, r = octavia_common.upload_and_start_vrrp(client, amp, VRRP_IP, VRRP_CFG, expect)
    return r.json().get('details', '')


# 11. Failover / `amphora configure`: PUT /1.0/config with a new heartbeat interval
@step('agent_config_update')
def _():
    with open(ARGS.agent_config) as f:
        text = f.read()
    lines = [line for line in text.splitlines() if not line.strip().startswith('heartbeat_interval')]
    out = []
    for line in lines:
        out.append(line)
        if line.strip() == '[health_manager]':
            out.append('heartbeat_interval = 1')
    r = client.update_agent_config(amp, '\n'.join(out) + '\n')
    expect(r.status_code == 202, f'status {r.status_code}')
    return 'heartbeat_interval = 1'


# 12. Heartbeats verify with the controller's own unwrap_envelope
@step('heartbeat')
def _():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', ARGS.heartbeat_port))
    s.settimeout(1)
    deadline = time.time() + 20
    seen = []
    try:
        while time.time() < deadline and len(seen) < 2:
            try:
                data, _ = s.recvfrom(65535)
            except socket.timeout:
                continue
            msg = status_message.unwrap_envelope(data, ARGS.heartbeat_key)
            seen.append(msg)
    finally:
        s.close()
    if not seen:
        raise MissingEndpoint('no heartbeat arrived within 20 s')
    msg = seen[-1]
    expect(msg.get('id') == ARGS.amphora_id and msg.get('ver') == 3, f'{msg}')
    expect(HTTP_LISTENER in msg.get('listeners', {}), f'listeners {msg.get("listeners")}')
    return f'{len(seen)} verified, seq {[m.get("seq") for m in seen]}, listeners {sorted(msg.get("listeners", {}))}'


# 13. Housekeeping: server certificate rotation (PUT /1.0/certificate), then a new handshake
@step('server_certificate_rotation')
def _():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(['openssl', 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f'{d}/k', '-out', f'{d}/csr',
                        '-subj', f'/CN={ARGS.amphora_id}'], check=True, capture_output=True)
        with open(f'{d}/ext', 'w') as f:
            f.write(f'subjectAltName=DNS:{ARGS.amphora_id}\nextendedKeyUsage=serverAuth\n')
        subprocess.run(['openssl', 'x509', '-req', '-in', f'{d}/csr', '-CA', f'{ARGS.certdir}/ca.pem', '-CAkey',
                        f'{ARGS.certdir}/ca.key', '-CAcreateserial', '-CAserial', f'{d}/srl', '-out', f'{d}/crt',
                        '-days', '2', '-extfile', f'{d}/ext'], check=True, capture_output=True)
        new_cert = open(f'{d}/crt', 'rb').read()
        pem = new_cert + open(f'{d}/k', 'rb').read()
    r = client.update_cert_for_rotation(amp, pem)
    expect(r.status_code == 202, f'status {r.status_code}')
    # A fresh client (new connections) must see the new certificate and still pass its checks.
    fresh = rad.AmphoraAPIClient1_0()
    fresh.session.trust_env = False
    info = fresh.get_info(amp)
    import ssl
    ctx = ssl.create_default_context(cafile=f'{ARGS.certdir}/ca.pem')
    ctx.load_cert_chain(f'{ARGS.certdir}/client.pem')
    with socket.create_connection(('127.0.0.1', ARGS.port)) as raw:
        with ctx.wrap_socket(raw, server_hostname=ARGS.amphora_id) as ctx_sock:
            served = ssl.DER_cert_to_PEM_cert(ctx_sock.getpeercert(binary_form=True)).encode()
    expect(served.split(b'-----')[2].replace(b'\n', b'') == new_cert.split(b'-----')[2].replace(b'\n', b''),
           'the agent still serves the old certificate')
    return f'new certificate served; info {info["api_version"]}'


# 14. Delete: certificates, the load balancer, the UDP listener (idempotent), bad action mapping
@step('delete')
def _():
    r = client.delete_cert_pem(amp, LB_ID, CERT_NAME)
    expect(r.status_code == 200, f'delete cert {r.status_code}')
    r = client.delete_listener(amp, UDP_LISTENER)
    expect(r.status_code == 200, f'delete UDP listener {r.status_code}')
    r = client.delete_listener(amp, LB_ID)
    expect(r.status_code == 200, f'delete LB {r.status_code}')
    r = client.delete_listener(amp, LB_ID)
    expect(r.status_code == 200, f'second delete {r.status_code}')
    listeners = client.get_all_listeners(amp)
    expect(listeners == [], f'listeners left: {listeners}')
    expect_raises(exc.NotFound, lambda: exc.check_exception(
        client.request('get', amp, f'listeners/{UDP_LISTENER}/udp_listener')))
    expect_raises(exc.InvalidRequest, client._action, 'bogus', amp, LB_ID)
    return 'all gone; GET udp_listener -> NotFound; bogus action -> InvalidRequest'


# 15. Failover (--sequence failover): what get_failover_amphora_flow sends to the new amphora after
# get_api_version, plug_vip (its new VRRP port) and plug_network (the member ports):
# AmphoraIndexListenerUpdate (update_amphora_listeners: get_info for the haproxy version, the
# listener certificate by md5, get_details, upload_config, reload_listener), the VRRP subflow
# (AmphoraIndexUpdateVRRPInterface, AmphoraIndexVRRPUpdate, AmphoraIndexVRRPStart), then
# AmphoraIndexListenersReload.
@step('failover_listeners_update', sequences=('failover',))
def _():
    info = client.get_info(amp)
    try:
        md5 = client.get_cert_md5sum(amp, LB_ID, CERT_NAME, ignore=(404,))
    except exc.NotFound:
        md5 = None
    if md5 != hashlib.md5(CERT_PEM).hexdigest():
        client.upload_cert_pem(amp, LB_ID, CERT_NAME, CERT_PEM)
    client.get_details(amp)
    r = client.upload_config(amp, LB_ID, HAPROXY_CFG)
    expect(r.status_code == 202, f'upload status {r.status_code}')
    r = client.reload_listener(amp, LB_ID)
    expect(r.status_code == 202, f'reload status {r.status_code}')
    return f'haproxy {info["haproxy_version"]}; certificate uploaded; ' + r.json().get('details', '').replace('\n', ' | ')


@step('failover_vrrp', sequences=('failover',))
def _():
    interface, r = octavia_common.upload_and_start_vrrp(client, amp, VRRP_IP, VRRP_CFG, expect)
    return f'keepalived BACKUP with peer {PEER_VRRP_IP} on {interface["interface"]}: ' + r.json().get('details', '')


@step('failover_listeners_reload', sequences=('failover',))
def _():
    r = client.reload_listener(amp, LB_ID)
    expect(r.status_code == 202, f'reload status {r.status_code}')
    listeners = client.get_all_listeners(amp)
    expect({'status': 'ACTIVE', 'uuid': HTTP_LISTENER, 'type': 'HTTP'} in listeners, f'{listeners}')
    addresses = amphora_addresses()
    expect({VIP, VRRP_IP, MEMBER_IP} <= addresses, f'amphora addresses {sorted(addresses)}')
    topology = client.request('get', amp, 'details').json().get('topology')
    return f'listener ACTIVE; addresses {sorted(addresses & {VIP, VRRP_IP, MEMBER_IP})}; topology {topology}'


for step_name, step_fn in STEPS:
    run_step(step_name, step_fn)

failed = [r for r in RESULTS if r['status'] == 'FAIL']
missing = [r for r in RESULTS if r['status'] == 'EXPECTED-MISSING']
summary = {'steps': RESULTS, 'failed': len(failed), 'expected_missing': [r['step'] for r in missing],
           'helper_kills': len(KILLS)}
if ARGS.json:
    with open(ARGS.json, 'w') as f:
        json.dump(summary, f, indent=2)
print(f'SUMMARY {len(RESULTS) - len(failed) - len(missing)} ok, {len(failed)} failed, '
      f'{len(missing)} expected-missing {summary["expected_missing"]}'
      + (f', {len(KILLS)} helper kills' if ARGS.kill_helper_of else ''), flush=True)
sys.exit(1 if failed else 0)
