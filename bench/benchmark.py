#!/usr/bin/env python3
"""Side-by-side benchmark: our amphora agent against the upstream Python agent (octavia 19.0.0).

Started by bench/run.sh, which builds our agent and installs the upstream one; standard library
only. Both agents get the same PKI, run on loopback ports, and are driven by the same mutual-TLS
HTTP/1.1 client (TLS server name = the amphora id, as Octavia's client checks it).

    python3 bench/benchmark.py --bin-dir DIR --venv DIR [--smoke] [--out FILE] [--json FILE]

What it measures, for each agent:
  * per request type: median and p99 latency with a new TLS connection per call and on a kept-alive
    connection, and the server's CPU time per request over that phase;
  * throughput at 8, 32 and 128 concurrent connections (several client processes), with the
    server's and the load generator's CPU;
  * the server's CPU: utime+stime+cutime+cstime from /proc/<pid>/stat summed over the agent's whole
    process tree, sampled before and after each phase;
  * PSS of the process tree (sum of /proc/<pid>/smaps_rollup Pss), idle and under load;
  * time from start to the first answered request;
  * how much a haproxy config upload plus reload adds on top of running `haproxy -c` directly;
  * a large load balancer: Octavia's own rendering of 50 listeners x 200 members
    (Tests/Conformance/render_large_octavia_haproxy.py, run with the venv's python) uploaded (with its
    `haproxy -c`), started and reloaded, and the PSS of the agent's tree with that haproxy running
    (once in the smoke mode, to check that it works);
  * ours only: what the audit log adds to a call (haproxy upload, reload, certificate upload): the
    records and bytes each call appends to the agent's audit log, times the cost of one record that
    `amphora-helper audit-bench` measures next to that log (SHA-256 chain, HMAC seal, key evolution,
    write, fsync).

An endpoint that our agent answers with 404/405 is reported as "not implemented yet"; nothing is
ever filled in by hand. Our agent runs its haproxy in a network namespace the benchmark makes (and
removes); the upstream agent runs in a private mount namespace (bench/upstream-agent.sh). Every
process, namespace and temp dir is removed at the end, also on failure or SIGTERM. The smoke mode only checks that the benchmark works (both agents start and
answer, the result is well-formed); it never judges a timing.
"""

import argparse
import base64
import ctypes
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import platform
import re
import resource
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

AMP_ID = '7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b'
LB_ID = '11111111-2222-3333-4444-555555555555'
LISTENER_ID = '99999999-0000-0000-0000-000000000001'
CERT_NAME = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.pem'
USER_AGENT = 'Octavia HaProxy Rest Client/1.0 (amphora-agent bench)'
CLK_TCK = os.sysconf('SC_CLK_TCK')
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The controller's texts, shared with the conformance drivers.
sys.path.insert(0, os.path.join(REPO, 'Tests', 'Conformance'))
import octavia_common  # noqa: E402
AGENTS = ('ours', 'upstream')
AGENT_TITLES = {'ours': 'ours (Swift)', 'upstream': 'upstream (octavia 19.0.0)'}
NIY = 'not implemented yet'

# name, label, method, path
REQUESTS = [
    ('root', '`GET /`', 'GET', '/'),
    ('info', '`GET /1.0/info`', 'GET', '/1.0/info'),
    ('details', '`GET /1.0/details`', 'GET', '/1.0/details'),
    ('listeners', '`GET /1.0/listeners`', 'GET', '/1.0/listeners'),
    ('cert_md5', 'certificate md5 `GET /1.0/loadbalancer/<lb>/certificates/<f>`', 'GET',
     f'/1.0/loadbalancer/{LB_ID}/certificates/{CERT_NAME}'),
    ('upload', 'config upload `PUT /1.0/loadbalancer/<amp>/<lb>/haproxy`', 'PUT',
     f'/1.0/loadbalancer/{AMP_ID}/{LB_ID}/haproxy'),
    ('reload', 'reload `PUT /1.0/loadbalancer/<lb>/reload`', 'PUT', f'/1.0/loadbalancer/{LB_ID}/reload'),
]
REQ = {r[0]: r for r in REQUESTS}
READ_REQUESTS = ['root', 'info', 'details', 'listeners', 'cert_md5']
WRITE_REQUESTS = ['upload', 'reload']
# (request, connection mode) for the throughput phases; 'ka' keeps the connection alive when the
# server allows it (as the controller's requests.Session does), 'new' opens one per request.
THROUGHPUT = [('root', 'ka'), ('root', 'new'), ('info', 'ka')]
CONCURRENCY = [8, 32, 128]

FULL = dict(seq_min_n=100, seq_min_s=3.0, seq_max_n=20000, write_n=30, pair_n=60, load_s=8.0, starts=3, idle_s=2.0, large_n=3,
            audit_records=500)
SMOKE = dict(seq_min_n=5, seq_min_s=0.3, seq_max_n=2000, write_n=3, pair_n=3, load_s=1.5, starts=1, idle_s=0.5, large_n=1,
             audit_records=50)

# The untimed pause before each upload + reload round and before each direct `haproxy -c` it is compared with.
SETTLE_S = 0.1

# The large load balancer: Octavia's templater's rendering (Tests/Conformance/render_large_octavia_haproxy.py).
LARGE_LB_ID = '11111111-2222-3333-4444-666666666666'
LARGE_LISTENERS, LARGE_MEMBERS = 50, 200


class BenchmarkBroken(Exception):
    """The benchmark itself cannot go on (an agent does not start or answer `GET /`)."""


def log(msg):
    print(f'[bench {time.strftime("%H:%M:%S")}] {msg}', flush=True)


# ----------------------------------------------------------------------------------------------
# /proc: process trees, CPU, PSS

def read_stat(pid):
    """(ppid, cpu_ticks incl. reaped children, starttime, comm) or None if the process is gone."""
    try:
        with open(f'/proc/{pid}/stat', 'rb') as f:
            data = f.read().decode('latin-1')
    except OSError:
        return None
    rparen = data.rfind(')')
    comm = data[data.find('(') + 1:rparen]
    fields = data[rparen + 2:].split()
    # fields[0] is field 3 (state): utime=14 stime=15 cutime=16 cstime=17 starttime=22
    cpu = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return int(fields[1]), cpu, int(fields[19]), comm


def process_table():
    table = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            st = read_stat(int(name))
            if st:
                table[int(name)] = st
    return table


# The load balancer's own daemons. Ours in direct mode runs them as its children (it plays systemd's
# part); under systemd, and upstream's always, they are systemd's. The agent's own PSS leaves them
# out (with their children), so that both agents are measured alike.
DAEMONS = ('haproxy', 'keepalived')


def tree(root, table=None, daemons=True):
    """The pids of root and all its live descendants (without the daemons' subtrees unless
    `daemons`)."""
    table = table if table is not None else process_table()
    children = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            if not daemons and pid != root and table[pid][3] in DAEMONS:
                continue
            out.append(pid)
            todo.extend(children.get(pid, []))
    return out


def tree_cpu_ticks(root):
    table = process_table()
    return sum(table[p][1] for p in tree(root, table))


def pss_kb(pid):
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                if line.startswith('Pss:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_name(pid, fallback):
    """A short readable name: the command line's program (and first argument for interpreters)."""
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            argv = [a.decode('utf-8', 'replace') for a in f.read().split(b'\0') if a]
    except OSError:
        return fallback
    if not argv:
        return fallback
    if len(argv) == 1 and ' ' in argv[0]:          # a process title (setproctitle)
        if argv[0].startswith('gunicorn'):
            return argv[0].split('[')[0].strip()    # "gunicorn: master", "gunicorn: worker"
        argv = argv[0].split()
    prog = os.path.basename(argv[0])
    if prog.startswith('python') and len(argv) > 1:
        return os.path.basename(argv[1])
    if prog.startswith('amphora-') and len(argv) > 1 and not argv[1].startswith('-'):
        return f'{prog} {argv[1]}'
    return prog


def tree_pss(root, names=False, daemons=False):
    """(total PSS kB, [(name, kB), ...]) for the process tree: the agent's own processes, and with
    `daemons` the haproxy and keepalived it runs too."""
    table = process_table()
    detail = [(process_name(p, table[p][3]) if names else table[p][3], pss_kb(p)) for p in sorted(tree(root, table, daemons))]
    return sum(kb for _, kb in detail), detail


def machine_busy_ticks():
    with open('/proc/stat') as f:
        vals = [int(v) for v in f.readline().split()[1:]]
    idle = vals[3] + vals[4]
    return sum(vals[:8]) - idle, sum(vals[:8])


# ----------------------------------------------------------------------------------------------
# The mutual-TLS HTTP/1.1 client (the same for both agents)

def client_context(pki):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(f'{pki}/ca.pem')
    ctx.load_cert_chain(f'{pki}/client.crt', f'{pki}/client.key')
    ctx.check_hostname = True
    return ctx


_source_counter = itertools.count()


def next_source():
    """The next loopback source address for a client connection (127.0.0.1 to 127.0.0.250)."""
    return f'127.0.0.{next(_source_counter) % 250 + 1}'


class Connection:
    """One TLS connection; request() sends one HTTP/1.1 request and reads the whole response."""

    def __init__(self, ctx, port, timeout=60.0):
        # Each connection from its own loopback source address (127.0.0.1-250, round robin): the
        # front caps connections per source (16), as a production controller never needs more;
        # the benchmark's 128 concurrent clients stand for many sources. Upstream has no cap.
        raw = socket.create_connection(('127.0.0.1', port), timeout=timeout, source_address=(next_source(), 0))
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.sock = ctx.wrap_socket(raw, server_hostname=AMP_ID)
        except BaseException:
            raw.close()
            raise
        self.port = port
        self.buf = b''
        self.closed_by_server = False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError('connection closed by the server')
        self.buf += chunk

    def request(self, method, path, body=None, close=False):
        """Returns (status, headers, body); sets closed_by_server when the server ends the connection."""
        head = [f'{method} {path} HTTP/1.1', f'Host: {AMP_ID}:{self.port}', f'User-Agent: {USER_AGENT}',
                'Accept: */*']
        if body is not None or method in ('PUT', 'POST'):
            head.append(f'Content-Length: {len(body or b"")}')
        if close:
            head.append('Connection: close')
        self.sock.sendall(('\r\n'.join(head) + '\r\n\r\n').encode() + (body or b''))
        while b'\r\n\r\n' not in self.buf:
            self._fill()
        raw_head, _, self.buf = self.buf.partition(b'\r\n\r\n')
        lines = raw_head.decode('latin-1').split('\r\n')
        version, status = lines[0].split(' ', 2)[:2]
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(':')
            headers[k.strip().lower()] = v.strip()
        if 'content-length' in headers:
            n = int(headers['content-length'])
            while len(self.buf) < n:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n:]
        elif headers.get('transfer-encoding', '').lower() == 'chunked':
            data = b''
            while True:
                while b'\r\n' not in self.buf:
                    self._fill()
                size_line, _, self.buf = self.buf.partition(b'\r\n')
                size = int(size_line.split(b';')[0], 16)
                while len(self.buf) < size + 2:
                    self._fill()
                data += self.buf[:size]
                self.buf = self.buf[size + 2:]
                if size == 0:
                    break
        else:
            data = self.buf
            try:
                while True:
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except (OSError, ssl.SSLError):
                pass
            self.buf = b''
            headers['connection'] = 'close'
        if headers.get('connection', '').lower() == 'close' or version == 'HTTP/1.0':
            self.closed_by_server = True
        return int(status), headers, data


def short(body, n=100):
    """An error answer's details (or message), on one line, at most n characters."""
    text = body.decode('utf-8', 'replace')
    try:
        obj = json.loads(text)
        text = str(obj.get('details') or obj.get('message') or obj.get('error') or text)
    except (ValueError, AttributeError):
        pass
    text = ' '.join(text.split())
    return text if len(text) <= n else text[:n - 1] + '…'


def one_request(ctx, port, method, path, body=None):
    conn = Connection(ctx, port)
    try:
        return conn.request(method, path, body, close=True)
    finally:
        conn.close()


def percentile(values, p):
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


# ----------------------------------------------------------------------------------------------
# Load generator processes for the throughput phases

def _load_worker(pki, port, path, threads, keep_alive, t_start, t_end, out_q):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)     # the driver's handler is for the driver only
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    ctx = client_context(pki)
    lock = threading.Lock()
    open_socks = set()
    results = {'count': 0, 'errors': 0, 'statuses': {}, 'lat': [], 'connects': 0, 'error_kinds': {}}

    def loop():
        conn = None
        count, errors, statuses, lat, connects, error_kinds = 0, 0, {}, [], 0, {}
        while time.monotonic() < t_start:
            time.sleep(0.001)
        while True:
            t0 = time.monotonic()
            if t0 >= t_end:
                break
            try:
                if conn is None:
                    conn = Connection(ctx, port, timeout=120)
                    connects += 1
                    with lock:
                        open_socks.add(conn.sock)
                status, _, _ = conn.request('GET', path, close=not keep_alive)
                t1 = time.monotonic()
                if t1 <= t_end:
                    count += 1
                    statuses[status] = statuses.get(status, 0) + 1
                    lat.append(t1 - t0)
                if conn.closed_by_server or not keep_alive:
                    with lock:
                        open_socks.discard(conn.sock)
                    conn.close()
                    conn = None
            except (OSError, ssl.SSLError, ValueError, IndexError) as e:
                if time.monotonic() < t_end:
                    errors += 1
                    kind = f'{type(e).__name__}: {e}'[:120]
                    error_kinds[kind] = error_kinds.get(kind, 0) + 1
                    time.sleep(0.01)
                if conn is not None:
                    with lock:
                        open_socks.discard(conn.sock)
                    conn.close()
                    conn = None
        if conn is not None:
            conn.close()
        with lock:
            results['count'] += count
            results['errors'] += errors
            results['connects'] += connects
            results['lat'].extend(lat)
            for k, v in error_kinds.items():
                results['error_kinds'][k] = results['error_kinds'].get(k, 0) + v
            for k, v in statuses.items():
                results['statuses'][k] = results['statuses'].get(k, 0) + v

    ts = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
    for t in ts:
        t.start()
    while time.monotonic() < t_end:
        time.sleep(0.02)
    # Requests still in flight at the end of the window do not count; unblock them at once.
    with lock:
        for s in list(open_socks):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    for t in ts:
        t.join(timeout=30)
    out_q.put(results)


# ----------------------------------------------------------------------------------------------
# The agents

class Agent:
    def __init__(self, name, port, argv, log_path, env=None):
        self.name, self.port, self.argv, self.log_path, self.env = name, port, argv, log_path, env
        self.proc = None
        self.seen = {}          # pid -> starttime of every process ever seen in the tree

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def remember_tree(self):
        if not self.alive():
            return []
        table = process_table()
        pids = tree(self.pid, table)
        for p in pids:
            self.seen[p] = table[p][2]
        return pids

    def start(self, ctx, timeout):
        """Starts the agent; returns seconds from spawn to the first answered `GET /`."""
        logf = open(self.log_path, 'ab')
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=self.env, cwd='/')
        logf.close()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise BenchmarkBroken(f'{self.name} agent exited with {self.proc.returncode} at start:\n'
                                      + self.log_tail())
            try:
                status, _, _ = one_request(ctx, self.port, 'GET', '/')
                if status == 200:
                    elapsed = time.monotonic() - t0
                    self.remember_tree()
                    return elapsed
            except (OSError, ssl.SSLError, ValueError):
                pass
            time.sleep(0.002)
        raise BenchmarkBroken(f'{self.name} agent did not answer GET / within {timeout} s:\n' + self.log_tail())

    def log_tail(self, n=30):
        try:
            with open(self.log_path, errors='replace') as f:
                return ''.join(f.readlines()[-n:])
        except OSError:
            return ''

    def stop(self, timeout=20.0):
        """SIGTERM to the agent's pid, then SIGKILL to whatever of its tree is left (by pid)."""
        if self.proc is None:
            return
        self.remember_tree()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f'{self.name} agent did not stop within {timeout} s; killing its processes')
        kill_seen(self.seen)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def nofile_hard_limit():
    """What a service manager gives an amphora's haproxy: upstream's unit says LimitNOFILE=2600000, which
    the kernel caps at fs.nr_open. The controller's template sets maxconn 50000, which needs ~125000
    descriptors; a shell's default hard limit (often 20000 or less) would keep haproxy from starting."""
    try:
        with open('/proc/sys/fs/nr_open') as f:
            nr_open = int(f.read())
    except (OSError, ValueError):
        nr_open = 1 << 20
    return min(2_600_000, nr_open)


def raise_nofile_hard_limit():
    """Raises this process's hard limit (the agents inherit it) as far as we may; the soft limit stays
    as it was. Returns the hard limit in force: raising it needs CAP_SYS_RESOURCE, which some sandboxes
    (this workplace's among them) do not give even to root."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, max(hard, nofile_hard_limit())))
    except (ValueError, OSError):
        pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[1]


def haproxy_maxconn(hard_limit):
    """The controller's default global maxconn is 50000 (about 2.5 descriptors per connection with
    splicing, ~125000 in all). Where the hard limit cannot hold that, the largest of a few round values
    that fits: what the controller sends for a listener with that connection_limit."""
    for maxconn in (50000, 20000, 10000, 5000, 2000, 1000):
        if maxconn * 5 // 2 + 1000 <= hard_limit:
            return maxconn
    return 500


def large_connection_limit(hard_limit):
    """Every large listener's connection limit: the largest round value whose descriptors fit the hard
    limit (2.5 per connection of the global maxconn, the sum of the listeners' limits, plus one per
    health-checked server and a few; 50 x 100 connections need 22,580, over this workplace's 20,000)."""
    for limit in (1000, 500, 200, 100, 50, 20):
        if LARGE_LISTENERS * limit * 5 // 2 + LARGE_LISTENERS * LARGE_MEMBERS + 1000 <= hard_limit:
            return limit
    return 10


def kill_seen(seen):
    """SIGKILL every process we saw in a tree that is still the same process (pid and start time)."""
    for pid, start in seen.items():
        st = read_stat(pid)
        if st and st[2] == start:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# ----------------------------------------------------------------------------------------------
# Measurements

class Bench:
    def __init__(self, args, limits):
        self.args, self.L = args, limits
        self.tmp = None
        self.certtmp = None
        self.created_mount_points = []
        self.agents = {}
        self.sink = None
        self.netns = None
        self.netns_dir_existed = True
        self.results = {'agents': {a: {'requests': {}, 'throughput': {}} for a in AGENTS}}
        self.large_text = {}

    # -- setup ---------------------------------------------------------------------------------

    def agent_sections(self, base_path, cert_dir, port):
        """The [haproxy_amphora] and [health_manager] sections both agents' configurations share (the
        agents differ in paths and port only)."""
        return f"""[haproxy_amphora]
base_path = {base_path}
base_cert_dir = {cert_dir}
bind_host = 127.0.0.1
bind_port = {port}
haproxy_cmd = /usr/sbin/haproxy
[health_manager]
controller_ip_port_list = 127.0.0.1:{self.ports['hb']}
heartbeat_interval = 10
heartbeat_key = insecure-bench-key"""

    def setup(self):
        self.tmp = tempfile.mkdtemp(prefix='amphora-bench-')
        os.chmod(self.tmp, 0o755)           # the front's user reaches the helper socket below it
        self.certtmp = tempfile.mkdtemp(prefix='amphora-bench-certs-', dir='/dev/shm')   # must be tmpfs
        pki = f'{self.tmp}/pki'
        subprocess.run(['bash', f'{REPO}/scripts/dev-pki.sh', pki, AMP_ID], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(f'{pki}/ca.pem', f'{pki}/client_ca.pem')
        self.pki = pki
        self.ctx = client_context(pki)
        # A listener certificate (certificate + key) for the certificate endpoints.
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj',
                        '/CN=www.example.com', '-keyout', f'{self.tmp}/listener.key', '-out',
                        f'{self.tmp}/listener.crt'], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(f'{self.tmp}/listener.crt', 'rb') as a, open(f'{self.tmp}/listener.key', 'rb') as b:
            self.listener_pem = a.read() + b.read()
        ports = free_ports(5)
        self.ports = dict(ours=ports[0], upstream=ports[1], hb=ports[2], fe_ours=ports[3], fe_upstream=ports[4])

        # The rsyslog stand-in for the upstream agent (gunicorn logs every request there).
        os.makedirs(f'{self.tmp}/syslog')
        os.chmod(f'{self.tmp}/syslog', 0o755)
        ready = multiprocessing.get_context('fork').Event()
        self.sink = multiprocessing.get_context('fork').Process(
            target=_syslog_sink, args=(f'{self.tmp}/syslog/log', ready), daemon=True)
        self.sink.start()
        ready.wait(10)

        # Our agent runs haproxy in a network namespace of its own (loopback up), as the tests do.
        self.netns_dir_existed = os.path.isdir('/run/netns')
        name = 'ampb-' + os.urandom(4).hex()     # at most 15 characters
        subprocess.run(['ip', 'netns', 'add', name], check=True)
        self.netns = name
        subprocess.run(['ip', '-n', name, 'link', 'set', 'dev', 'lo', 'up'], check=True)

        # Our agent.
        ours_dir = f'{self.tmp}/ours'
        os.makedirs(ours_dir)
        os.chmod(ours_dir, 0o755)
        self.ours_base = f'{ours_dir}/base'
        with open(f'{ours_dir}/agent.conf', 'w') as f:
            f.write(f"""[amphora_agent]
agent_server_ca = {pki}/ca.pem
agent_server_cert = {pki}/server.pem
amphora_id = {AMP_ID}
agent_request_read_timeout = 180
{self.agent_sections(self.ours_base, f'{self.certtmp}/certs', self.ports['ours'])}
[controller_worker]
loadbalancer_topology = SINGLE
[privsep]
front_user = amphora-front
helper_socket = {ours_dir}/run/helper.sock
audit_log = {ours_dir}/audit/audit.jsonl
service_manager = direct
netns = {self.netns}
""")
        self.agents['ours'] = Agent('ours', self.ports['ours'],
                                    [f'{self.args.bin_dir}/amphora-agent', '--config-file', f'{ours_dir}/agent.conf'],
                                    f'{self.tmp}/ours.log')

        # The upstream agent (paths are its defaults, inside its private mount namespace).
        up_dir = f'{self.tmp}/upstream'
        os.makedirs(up_dir)
        with open(f'{up_dir}/amphora-agent.conf', 'w') as f:
            f.write(f"""[DEFAULT]
debug = False
use_syslog = False
{self.agent_sections('/var/lib/octavia', '/var/lib/octavia/certs', self.ports['upstream'])}
[amphora_agent]
agent_server_ca = /etc/octavia/certs/client_ca.pem
agent_server_cert = /etc/octavia/certs/server.pem
agent_server_network_dir = /etc/octavia/interfaces/
agent_request_read_timeout = 180
amphora_id = {AMP_ID}
amphora_udp_driver = keepalived_lvs
[controller_worker]
loadbalancer_topology = SINGLE
""")
        for d in ('/var/lib/octavia', '/etc/octavia'):
            if not os.path.isdir(d):
                os.mkdir(d, 0o755)
                self.created_mount_points.append(d)
        self.agents['upstream'] = Agent('upstream', self.ports['upstream'],
                                        ['bash', f'{REPO}/bench/upstream-agent.sh', self.args.venv,
                                         f'{up_dir}/amphora-agent.conf', pki, f'{self.tmp}/syslog'],
                                        f'{self.tmp}/upstream.log')
        self.nofile_hard = raise_nofile_hard_limit()
        self.maxconn = haproxy_maxconn(self.nofile_hard)
        self.results['haproxy_limits'] = {'nofile_hard': self.nofile_hard, 'maxconn': self.maxconn}
        # The haproxy configuration each agent gets (what the controller's template renders for one
        # HTTP listener with one member, no health checks; it binds only on loopback).
        self.haproxy_cfg = {
            'ours': haproxy_config(f'{self.ours_base}/{LB_ID}.sock', self.ports['fe_ours'], self.maxconn).encode(),
            'upstream': haproxy_config(f'/var/lib/octavia/{LB_ID}.sock', self.ports['fe_upstream'],
                                       self.maxconn).encode(),
        }

    def cleanup(self):
        for a in self.agents.values():
            try:
                a.stop()
            except Exception as e:     # keep cleaning up
                log(f'stopping {a.name}: {e}')
        reap_orphans(exclude=own_helper_processes())
        if self.sink is not None and self.sink.is_alive():
            self.sink.terminate()
            self.sink.join(5)
        if self.netns:
            subprocess.run(['ip', 'netns', 'delete', self.netns], stderr=subprocess.DEVNULL)
            self.netns = None
            # iproute2 made /run/netns (a mount point) for us; put it back as it was if it is unused.
            if not self.netns_dir_existed and os.path.isdir('/run/netns') and not os.listdir('/run/netns'):
                if os.path.ismount('/run/netns'):
                    subprocess.run(['umount', '/run/netns'], stderr=subprocess.DEVNULL)
                if not os.path.ismount('/run/netns'):
                    try:
                        os.rmdir('/run/netns')
                    except OSError:
                        pass
        for d in self.created_mount_points:
            try:
                os.rmdir(d)
            except OSError as e:
                log(f'could not remove {d}: {e}')
        for d in (self.tmp, self.certtmp):
            if d:
                shutil.rmtree(d, ignore_errors=True)

    # -- phases --------------------------------------------------------------------------------

    def quiesce(self, agent, max_s=10.0):
        """Waits until the agent's tree stops using CPU (queued work from the last phase is done)."""
        a = self.agents[agent]
        last = tree_cpu_ticks(a.pid)
        deadline = time.monotonic() + max_s
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = tree_cpu_ticks(a.pid)
            if now - last <= 1:
                return
            last = now

    def body_for(self, agent, name):
        if name == 'upload':
            return self.haproxy_cfg[agent]
        if name == 'reload':
            return b''
        return None

    def sequential(self, agent, name, mode, n_min, s_min, n_max):
        """Sequential calls from this process; mode 'new' = new TLS connection per call, 'ka' = one
        kept-alive connection. Returns the phase's statistics."""
        a = self.check_alive(agent)
        _, method, path = REQ[name][1:4]
        body = self.body_for(agent, name)
        a.remember_tree()
        self.quiesce(agent)
        lat, statuses, reconnects, errors, last_error = [], {}, 0, 0, ''
        conn = None
        cpu0, self_cpu0, t_start = tree_cpu_ticks(a.pid), os.times(), time.monotonic()
        try:
            while (len(lat) < n_min or time.monotonic() - t_start < s_min) and len(lat) < n_max and errors < 20:
                t0 = time.perf_counter()
                try:
                    if conn is None:
                        conn = Connection(self.ctx, a.port)
                        if mode == 'ka' and lat:
                            reconnects += 1
                    status, _, _ = conn.request(method, path, body, close=(mode == 'new'))
                except (OSError, ssl.SSLError, ValueError, IndexError) as e:
                    errors += 1
                    last_error = f'{type(e).__name__}: {e}'[:100]
                    if conn is not None:
                        conn.close()
                        conn = None
                    time.sleep(0.05)
                    continue
                lat.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
                if mode == 'new' or conn.closed_by_server:
                    if mode == 'ka' and len(lat) == 1:
                        conn.close()
                        return {'na': 'server closes the connection after every response (`Connection: close`)'}
                    conn.close()
                    conn = None
        finally:
            if conn is not None:
                conn.close()
        self.check_alive(agent)
        elapsed = time.monotonic() - t_start
        cpu1, self_cpu1 = tree_cpu_ticks(a.pid), os.times()
        a.remember_tree()
        n = len(lat)
        if not n:
            return {'na': f'every call failed ({last_error})'}
        client_s = (self_cpu1.user - self_cpu0.user) + (self_cpu1.system - self_cpu0.system)
        return {
            'n': n, 'duration_s': elapsed, 'statuses': statuses, 'reconnects': reconnects,
            'errors': errors, 'last_error': last_error,
            'median_ms': statistics.median(lat) * 1e3, 'p99_ms': percentile(lat, 99) * 1e3,
            'server_cpu_ms_per_req': (cpu1 - cpu0) / CLK_TCK * 1e3 / n,
            'server_cpu_ticks': cpu1 - cpu0,
            'client_cpu_ms_per_req': client_s * 1e3 / n,
        }

    def check_alive(self, agent):
        """The agent, or BenchmarkBroken if it has exited (the run cannot go on without it)."""
        a = self.agents[agent]
        if not a.alive():
            raise BenchmarkBroken(f'{agent} agent exited during the run (status {a.proc.returncode}):\n'
                                  + a.log_tail())
        return a

    def throughput(self, agent, name, mode, conc):
        a = self.check_alive(agent)
        path = REQ[name][3]
        nproc = max(2, min(4, os.cpu_count() or 2))
        nproc = min(nproc, conc)
        per = [conc // nproc + (1 if i < conc % nproc else 0) for i in range(nproc)]
        self.quiesce(agent)
        mp = multiprocessing.get_context('fork')
        q = mp.Queue()
        t_start = time.monotonic() + 0.5
        t_end = t_start + self.L['load_s']
        workers = [mp.Process(target=_load_worker,
                              args=(self.pki, a.port, path, k, mode == 'ka', t_start, t_end, q), daemon=True)
                   for k in per]
        for w in workers:
            w.start()
        while time.monotonic() < t_start:
            time.sleep(0.001)
        cpu0 = tree_cpu_ticks(a.pid)
        wcpu0 = sum((read_stat(w.pid) or (0, 0))[1] for w in workers)
        busy0, total0 = machine_busy_ticks()
        pss = []
        while time.monotonic() < t_end - 0.3:
            time.sleep(min(0.5, max(0.0, t_end - 0.3 - time.monotonic())))
            a.remember_tree()
            pss.append(tree_pss(a.pid)[0])
        while time.monotonic() < t_end:
            time.sleep(0.001)
        cpu1 = tree_cpu_ticks(a.pid)
        wcpu1 = sum((read_stat(w.pid) or (0, 0))[1] for w in workers)
        busy1, total1 = machine_busy_ticks()
        parts = [q.get(timeout=120) for _ in workers]
        for w in workers:
            w.join(30)
        count = sum(p['count'] for p in parts)
        lat = [x for p in parts for x in p['lat']]
        statuses, error_kinds = {}, {}
        for p in parts:
            for k, v in p['statuses'].items():
                statuses[k] = statuses.get(k, 0) + v
            for k, v in p['error_kinds'].items():
                error_kinds[k] = error_kinds.get(k, 0) + v
        window = t_end - t_start
        ncpu = os.cpu_count() or 1
        res = {
            'concurrency': conc, 'client_processes': nproc, 'window_s': window, 'requests': count,
            'errors': sum(p['errors'] for p in parts), 'connects': sum(p['connects'] for p in parts),
            'error_kinds': dict(sorted(error_kinds.items(), key=lambda kv: -kv[1])[:5]),
            'statuses': statuses, 'rps': count / window,
            'server_cpu_pct': (cpu1 - cpu0) / CLK_TCK / window * 100,
            'server_cpu_ms_per_req': ((cpu1 - cpu0) / CLK_TCK * 1e3 / count) if count else None,
            'client_cpu_pct': (wcpu1 - wcpu0) / CLK_TCK / window * 100,
            'machine_busy_pct': (busy1 - busy0) / max(1, total1 - total0) * 100 * ncpu,
            'loadavg_before': os.getloadavg()[0],
            'median_ms': statistics.median(lat) * 1e3 if lat else None,
            'p99_ms': percentile(lat, 99) * 1e3 if lat else None,
            'pss_max_kb': max(pss) if pss else None,
        }
        return res

    # -- the run -------------------------------------------------------------------------------

    def start_agents(self):
        for name in AGENTS:
            a = self.agents[name]
            timeout = 30 if name == 'ours' else 120
            times = []
            for i in range(self.L['starts']):
                t = a.start(self.ctx, timeout)
                times.append(t * 1e3)
                log(f'{name}: first answer {t * 1e3:.0f} ms after start')
                if i + 1 < self.L['starts']:
                    a.stop()
            r = self.results['agents'][name]
            r['start_ms'] = times
            conn = Connection(self.ctx, a.port)
            r['tls'] = f'{conn.sock.version()} {conn.sock.cipher()[0]}'
            conn.close()

    def production_tree(self):
        """Our agent as systemd runs it in an amphora (systemd/amphora-agent-helper.service and
        amphora-agent-front.service): the helper and the front started directly, without the
        supervisor of the direct mode and without the Prometheus proxy (a unit of its own, as
        upstream's). Returns its start to first answer and idle PSS (helper, launchers, front)."""
        with open(f'{self.tmp}/ours/agent.conf') as f:
            text = f.read()
        sock = re.search(r'(?m)^helper_socket = (.+)$', text).group(1)
        # As in an amphora: systemd is the service manager (idle, nothing is asked of it here).
        conf = f'{self.tmp}/ours/agent-systemd.conf'
        with open(conf, 'w') as f:
            f.write(re.sub(r'(?m)^service_manager = .*$', 'service_manager = systemd', text))
        bin_dir = self.args.bin_dir
        script = (f'"{bin_dir}/amphora-helper" serve --config-file "{conf}" & h=$!; '
                  f'until [ -S "{sock}" ] || ! kill -0 $h 2>/dev/null; do sleep 0.002; done; '
                  f'setpriv --reuid amphora-front --regid amphora-front --clear-groups '
                  f'"{bin_dir}/amphora-front" --helper-socket "{sock}" & f=$!; '
                  "trap 'kill -TERM $f $h; wait' TERM; wait")
        a = Agent('production', self.ports['ours'], ['/bin/bash', '-c', script], f'{self.tmp}/production.log')
        try:
            start = a.start(self.ctx, 30)
            time.sleep(self.L['idle_s'])
            _, detail = tree_pss(a.pid, names=True)
        finally:
            a.stop()
        detail = [(n, kb) for n, kb in detail if n.startswith('amphora-')]
        res = {'start_ms': start * 1e3, 'pss_idle_kb': sum(kb for _, kb in detail), 'pss_idle_detail': detail}
        log(f'ours as systemd runs it: first answer {start * 1e3:.0f} ms, idle PSS {res["pss_idle_kb"] / 1024:.1f} MiB {detail}')
        return res

    def probe(self, agent, name):
        """One call of the request type (after its setup); returns (status, note)."""
        self.check_alive(agent)
        try:
            return self._probe(agent, name)
        except (OSError, ssl.SSLError, ValueError, IndexError) as e:
            self.check_alive(agent)
            return 'error', f'connection failed: {type(e).__name__}: {e}'[:120]

    def _probe(self, agent, name):
        a = self.agents[agent]
        ours = agent == 'ours'

        def verdict(status, body, what):
            if 200 <= status < 300:
                return 'ok', ''
            if ours and status in (404, 405):
                return 'niy', NIY + (f' ({what})' if what else '')
            text = body.decode('utf-8', 'replace')
            try:
                obj = json.loads(text)
                text = obj.get('details') or obj.get('message') or obj.get('error') or text
            except (ValueError, AttributeError):
                pass
            text = str(text)
            for marker in ('[ALERT]', 'error', 'Error'):
                if marker in text and not text.startswith(marker):
                    text = text[text.index(marker):] if marker == '[ALERT]' else text
                    break
            text = ' '.join(text.split())
            if len(text) > 100:
                log(f'{agent} answers {status}: {text}')
                text = text[:99] + '…'
            return 'error', f'answers {status}: {text}'

        if name == 'cert_md5':
            st, _, b = one_request(self.ctx, a.port, 'PUT', f'/1.0/loadbalancer/{LB_ID}/certificates/{CERT_NAME}',
                                   self.listener_pem)
            v = verdict(st, b, 'certificate upload')
            if v[0] != 'ok':
                return v
            st, _, b = one_request(self.ctx, a.port, 'GET', REQ[name][3])
            v = verdict(st, b, '')
            if v[0] == 'ok':
                try:
                    got = json.loads(b)['md5sum']
                except (ValueError, KeyError, TypeError):
                    return 'error', 'answers 2xx without an md5sum'
                if got != hashlib.md5(self.listener_pem).hexdigest():
                    return 'error', f'wrong md5sum {got}'
            return v
        if name == 'reload':
            up = self.results['agents'][agent]['requests'].get('upload', {})
            if up.get('status') != 'ok':
                return ('niy' if up.get('status') == 'niy' else 'error'), \
                    'needs the config upload, which ' + ('is not implemented yet' if up.get('status') == 'niy'
                                                         else 'fails')
        _, method, path = REQ[name][1:4]
        st, _, b = one_request(self.ctx, a.port, method, path, self.body_for(agent, name))
        return verdict(st, b, '')

    def run(self):
        L = self.L
        self.setup()
        log(f'temp dir {self.tmp}; ports {self.ports}')
        self.results['production'] = self.production_tree()
        self.start_agents()
        time.sleep(L['idle_s'])
        for name in AGENTS:
            r = self.results['agents'][name]
            r['pss_idle_kb'], r['pss_idle_detail'] = tree_pss(self.agents[name].pid, names=True)
            r['pss_idle_procs'] = len(r['pss_idle_detail'])

        # Setup calls for the stateful endpoints (certificate, config upload) and probes.
        for name in AGENTS:
            reqs = self.results['agents'][name]['requests']
            for rq in ['root', 'info', 'details', 'listeners', 'cert_md5', 'upload']:
                status, note = self.probe(name, rq)
                reqs[rq] = {'status': status, 'note': note}
                log(f'{name} {rq}: {status} {note}')
            if reqs['root']['status'] != 'ok':
                raise BenchmarkBroken(f'{name} agent does not answer GET / : {reqs["root"]["note"]}')

        # Latency and CPU per request, sequential.
        for rq in READ_REQUESTS + ['upload']:
            for mode in ('new', 'ka'):
                for name in AGENTS:
                    entry = self.results['agents'][name]['requests'][rq]
                    if entry['status'] != 'ok':
                        continue
                    if rq == 'upload':
                        res = self.sequential(name, rq, mode, L['write_n'], 0, L['write_n'])
                    else:
                        res = self.sequential(name, rq, mode, L['seq_min_n'], L['seq_min_s'], L['seq_max_n'])
                    entry[mode] = res
                    log(f'{name} {rq} {mode}: ' + (res.get('na') or
                        f'median {res["median_ms"]:.2f} ms p99 {res["p99_ms"]:.2f} ms '
                        f'cpu {res["server_cpu_ms_per_req"]:.3f} ms/req n={res["n"]} {res["statuses"]}'))

        # Throughput.
        for rq, mode in THROUGHPUT:
            for conc in CONCURRENCY:
                for name in AGENTS:
                    if self.results['agents'][name]['requests'][rq]['status'] != 'ok':
                        continue
                    res = self.throughput(name, rq, mode, conc)
                    self.results['agents'][name]['throughput'].setdefault(f'{rq}/{mode}', {})[str(conc)] = res
                    log(f'{name} {rq}/{mode} x{conc}: {res["rps"]:.0f} req/s, server cpu {res["server_cpu_pct"]:.0f}%, '
                        f'client cpu {res["client_cpu_pct"]:.0f}%, errors {res["errors"]} {res["statuses"]}'
                        + (f' {res["error_kinds"]}' if res['errors'] else ''))

        for name in AGENTS:
            if any(t['errors'] for tp in self.results['agents'][name]['throughput'].values() for t in tp.values()):
                log(f'{name} had connection errors under load; the end of its log:\n'
                    + self.agents[name].log_tail(25))

        for name in AGENTS:
            r = self.results['agents'][name]
            self.quiesce(name)
            time.sleep(L['idle_s'])
            r['pss_after_load_kb'], r['pss_after_load_detail'] = tree_pss(self.agents[name].pid, names=True)
            r['daemons_after_load_kb'] = tree_pss(self.agents[name].pid, daemons=True)[0] - r['pss_after_load_kb']
            loads = [t['pss_max_kb'] for tp in r['throughput'].values() for t in tp.values() if t['pss_max_kb']]
            r['pss_load_kb'] = max(loads) if loads else None

        # haproxy -c alone, on the same configuration, with the command upstream runs, then ours.
        self.results['haproxy_c'] = self.haproxy_check(L['write_n'], 'upstream')
        self.results['haproxy_c_ours'] = self.haproxy_check(L['write_n'], 'ours')
        log(f'haproxy -c alone: median {self.results["haproxy_c"]["median_ms"]:.1f} ms as upstream runs it, '
            f'{self.results["haproxy_c_ours"]["median_ms"]:.1f} ms as ours does')

        # Reload, then upload + reload as the controller sends them.
        for name in AGENTS:
            reqs = self.results['agents'][name]['requests']
            status, note = self.probe(name, 'reload')     # the first one starts haproxy
            reqs['reload'] = {'status': status, 'note': note}
            log(f'{name} reload: {status} {note}')
            if status == 'ok':
                for mode in ('new', 'ka'):
                    reqs['reload'][mode] = self.sequential(name, 'reload', mode, L['write_n'], 0, L['write_n'])
            self.results['agents'][name]['upload_reload'] = self.upload_reload(name, L['pair_n'])
        # What the audit log's sealed, fsynced records (intents included) add to each upload kind.
        self.results['audit'] = self.audit_overhead(L['write_n'], L['audit_records'])

        # The large load balancer (50 listeners x 200 members), last: its haproxy runs until it is deleted.
        self.results['large'] = {'listeners': LARGE_LISTENERS, 'members': LARGE_MEMBERS,
                                 'connection_limit': large_connection_limit(self.nofile_hard)}
        for name in AGENTS:
            res = self.large_configuration(name, L['large_n'])
            self.results['agents'][name]['large'] = res
            log(f'{name} large: ' + ', '.join(f'{k} {v:.0f} ms' for k, v in res.items() if k.endswith('_ms')
                                              and isinstance(v, (int, float)))
                + f' {res.get("status")} {res.get("note", "")}')
        self.results['large']['haproxy_c'] = self.haproxy_check_large(L['large_n'])
        return self.results

    def user_group_file(self, agent):
        """The second `-f` file `agent` passes to haproxy, as that agent wrote it: upstream's names the
        group; ours also names the controller's CA (copied into its state directory) as the trust
        store of haproxy's HTTP client, which spares haproxy loading the system's CA store."""
        ug = f'{self.tmp}/{agent}-user-group.conf'
        if agent == 'ours':
            shutil.copy(f'{self.ours_base}/haproxy-default-user-group.conf', ug)
        else:
            with open(ug, 'w') as f:
                f.write('global\n    group nogroup\n')      # what bench/upstream-agent.sh gives upstream
        return ug

    def direct_check_argv(self, agent):
        """`haproxy -c` as `agent` runs it for an upload, on the benchmark's configuration (files written once)."""
        cfg = f'{self.tmp}/haproxy-check.cfg'
        with open(cfg, 'wb') as f:
            f.write(self.haproxy_cfg['ours'])
        return ['haproxy', '-c', '-L', peer_name(AMP_ID), '-f', cfg, '-f', self.user_group_file(agent)]

    def haproxy_check(self, n, agent):
        argv = self.direct_check_argv(agent)
        lat = timed_haproxy_checks(argv, n, 'the benchmark configuration')
        return {'n': n, 'argv': ' '.join(argv[:4]) + ' -f haproxy.cfg -f user-group.conf',
                'median_ms': statistics.median(lat) * 1e3, 'p99_ms': percentile(lat, 99) * 1e3}

    def upload_reload(self, agent, n):
        """An upload followed by a reload on a kept-alive connection (reconnecting if the server
        closes), as the controller's session sends them; or the upload alone if reload fails. Each
        round follows one `haproxy -c` run directly (interleaved: the round and its baseline see the
        same machine, which drifts by milliseconds between minutes here), and each of the two starts
        after the same untimed pause (``SETTLE_S``), so that neither runs into the haproxy that the
        round before reloaded (a reload returns once haproxy was told; it then parses its
        configuration again for about as long as a check)."""
        reqs = self.results['agents'][agent]['requests']
        if reqs['upload']['status'] != 'ok':
            return {'status': reqs['upload']['status'], 'note': reqs['upload']['note']}
        calls = ['upload'] + (['reload'] if reqs['reload']['status'] == 'ok' else [])
        a = self.agents[agent]
        self.quiesce(agent)
        log_path = self.audit_log_path() if agent == 'ours' else None
        log_start = os.path.getsize(log_path) if log_path else 0
        lat, bad, direct = [], 0, []
        conn = None
        argv = self.direct_check_argv(agent)
        for _ in range(n):
            time.sleep(SETTLE_S)
            direct += timed_haproxy_checks(argv, 1, 'the benchmark configuration')
            time.sleep(SETTLE_S)
            t0 = time.perf_counter()
            for c in calls:
                try:
                    if conn is None:
                        conn = Connection(self.ctx, a.port)
                    status, _, _ = conn.request(REQ[c][2], REQ[c][3], self.body_for(agent, c))
                except (OSError, ssl.SSLError, ValueError, IndexError):
                    status = 0
                    if conn is not None:
                        conn.close()
                    conn = None
                bad += not (200 <= status < 300)
                if conn is not None and conn.closed_by_server:
                    conn.close()
                    conn = None
            lat.append(time.perf_counter() - t0)
        self.check_alive(agent)
        if conn is not None:
            conn.close()
        res = {'status': 'ok', 'calls': calls, 'n': n, 'failed_calls': bad,
               'median_ms': statistics.median(lat) * 1e3, 'p99_ms': percentile(lat, 99) * 1e3,
               'direct_check_median_ms': statistics.median(direct) * 1e3}
        if log_path and os.path.getsize(log_path) >= log_start:
            with open(log_path, 'rb') as f:
                f.seek(log_start)
                res['parts'] = upload_reload_parts(f.read(), n, len(calls))
        return res


    # -- audit overhead ------------------------------------------------------------------------

    def audit_log_path(self):
        """Our agent's audit log, as its configuration names it (`[privsep] audit_log`)."""
        with open(f'{self.tmp}/ours/agent.conf') as f:
            m = re.search(r'(?m)^audit_log\s*=\s*(\S+)\s*$', f.read())
        if not m:
            raise BenchmarkBroken('our agent configuration names no audit_log')
        return m.group(1)

    def audit_overhead(self, n, records):
        """Per upload kind: the audit records and bytes one call appends to our agent's log (read
        from the log itself), and `amphora-helper audit-bench`'s cost of one record (chain, seal,
        write, fsync) measured next to the log, so: records x cost = what the audit adds to a call.
        Upstream writes no audit log."""
        res = {'status': 'ok', 'kinds': {}}
        log_path = self.audit_log_path()
        scratch = os.path.join(os.path.dirname(log_path), '..', 'audit-bench')
        os.makedirs(scratch, mode=0o700, exist_ok=True)
        p = subprocess.run([f'{self.args.bin_dir}/amphora-helper', 'audit-bench', '--records', str(records),
                            '--dir', scratch], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            res['cost'] = json.loads(p.stdout.decode())
        except ValueError:
            res['cost'] = None
        if p.returncode != 0 or not isinstance(res['cost'], dict):
            return {'status': 'error', 'note': f'audit-bench exit {p.returncode}: {short(p.stdout, 300)}'}
        a = self.agents['ours']
        kinds = [('haproxy upload', 'PUT', REQ['upload'][3], self.haproxy_cfg['ours'])]
        if self.results['agents']['ours']['requests']['reload']['status'] == 'ok':
            kinds.append(('reload', 'PUT', REQ['reload'][3], b''))
        kinds.append(('certificate upload', 'PUT', f'/1.0/loadbalancer/{LB_ID}/certificates/{CERT_NAME}',
                      self.listener_pem))
        self.quiesce('ours')
        conn = Connection(self.ctx, a.port)
        try:
            for kind, method, path, body in kinds:
                calls = []
                for _ in range(n):
                    before = os.path.getsize(log_path)
                    t0 = time.perf_counter()
                    status, _, answer = conn.request(method, path, body)
                    ms = (time.perf_counter() - t0) * 1e3
                    if conn.closed_by_server:
                        conn.close()
                        conn = Connection(self.ctx, a.port)
                    if not 200 <= status < 300:
                        res['kinds'][kind] = {'status': 'error', 'note': f'answers {status}: {short(answer)}'}
                        break
                    with open(log_path, 'rb') as f:
                        f.seek(before)
                        appended = f.read()
                    if len(appended) == 0 and os.path.getsize(log_path) < before:
                        continue            # rotated during the call: not counted
                    calls.append(dict(audit_call_summary(appended), ms=ms))
                else:
                    res['kinds'][kind] = audit_kind_figures(calls, res['cost'])
        except (OSError, ssl.SSLError, ValueError, IndexError) as e:
            res.update(status='error', note=f'{type(e).__name__}: {e}')
        finally:
            conn.close()
            self.check_alive('ours')
        return res

    def render_large(self, agent):
        """Octavia's rendering of the large load balancer for `agent`'s paths, bound on loopback
        (the benchmark's namespaces have no VIP)."""
        if agent in self.large_text:
            return self.large_text[agent]
        base, certs = ((self.ours_base, f'{self.certtmp}/certs') if agent == 'ours'
                       else ('/var/lib/octavia', '/var/lib/octavia/certs'))
        out = f'{self.tmp}/large-{agent}.cfg'
        p = subprocess.run([f'{self.args.venv}/bin/python', f'{REPO}/Tests/Conformance/render_large_octavia_haproxy.py',
                            '--lb', LARGE_LB_ID, '--base-path', base, '--cert-dir', certs, '--amphora', AMP_ID,
                            '--listeners', str(LARGE_LISTENERS), '--members', str(LARGE_MEMBERS),
                            '--connection-limit', str(self.results['large']['connection_limit']),
                            '--cpu-count', str(os.cpu_count() or 1), out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            raise BenchmarkBroken('render_large_octavia_haproxy.py failed:\n' + p.stdout.decode()[-2000:])
        with open(out) as f:
            text = f.read()
        self.large_text[agent] = re.sub(r'(?m)^(    bind )203\.0\.113\.100:', r'\g<1>127.0.0.1:', text).encode()
        return self.large_text[agent]

    def large_configuration(self, agent, n):
        """Upload (the agent runs `haproxy -c`), reload (the first starts haproxy), each `n` times on
        one kept-alive connection, as the controller's listeners update sends them; then the PSS of
        the agent's tree with that haproxy running (our direct service manager runs haproxy as the
        agent's child; upstream's reload needs systemd), then the delete."""
        a = self.agents[agent]
        body = self.render_large(agent)
        base = '/1.0/loadbalancer'
        upload, reload = (f'{base}/{AMP_ID}/{LARGE_LB_ID}/haproxy', f'{base}/{LARGE_LB_ID}/reload')
        res = {'status': 'ok', 'bytes': len(body), 'servers': body.count(b'\n    server ')}
        self.quiesce(agent)
        conn = None

        def call(method, path, data=None):
            nonlocal conn
            if conn is None:
                conn = Connection(self.ctx, a.port, timeout=180.0)
            t0 = time.perf_counter()
            st, _, b = conn.request(method, path, data)
            ms = (time.perf_counter() - t0) * 1e3
            if conn.closed_by_server:
                conn.close()
                conn = None
            return st, b, ms

        try:
            uploads, starts, reloads = [], [], []
            for _ in range(n):
                st, b, ms = call('PUT', upload, body)
                if not 200 <= st < 300:
                    res.update(status='error', note=f'upload answers {st}: {short(b)}')
                    return res
                uploads.append(ms)
                st, b, ms = call('PUT', reload)
                if not 200 <= st < 300:
                    res['reload_note'] = f'reload answers {st}: {short(b)}'
                    continue
                (reloads if starts else starts).append(ms)
            res['upload_median_ms'] = statistics.median(uploads)
            if starts:
                res['start_ms'] = starts[0]
            if reloads:
                res['reload_median_ms'] = statistics.median(reloads)
            self.quiesce(agent)
            res['pss_kb'], res['pss_detail'] = tree_pss(a.pid, names=True, daemons=True)
            res['haproxy_pss_kb'] = sum(kb for name, kb in res['pss_detail'] if name.startswith('haproxy'))
            st, b, _ = call('DELETE', f'/1.0/listeners/{LARGE_LB_ID}')
            if not 200 <= st < 300:
                res['delete_note'] = f'delete answers {st}: {short(b)}'
        except (OSError, ssl.SSLError, ValueError, IndexError) as e:
            res.update(status='error', note=f'{type(e).__name__}: {e}')
        finally:
            if conn is not None:
                conn.close()
            self.check_alive(agent)
        return res

    def haproxy_check_large(self, n):
        """`haproxy -c` alone on our agent's rendering of the large load balancer."""
        cfg = f'{self.tmp}/large-check.cfg'
        with open(cfg, 'wb') as f:
            f.write(self.render_large('ours'))
        res = {'n': n}
        for agent in AGENTS:
            argv = ['haproxy', '-c', '-L', peer_name(AMP_ID), '-f', cfg, '-f', self.user_group_file(agent)]
            lat = timed_haproxy_checks(argv, n, 'the large configuration', output_tail=2000)
            res['median_ms' if agent == 'upstream' else 'ours_median_ms'] = statistics.median(lat) * 1e3
        return res

def _syslog_sink(path, ready):
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o666)
    ready.set()
    while True:
        s.recv(65536)


def reap_orphans(exclude):
    """We are a child subreaper: anything one of our agents left behind became our child. Stop those
    (only our own children, by pid)."""
    me = os.getpid()
    for _ in range(2):
        table = process_table()
        mine = [p for p, st in table.items() if st[0] == me and p not in exclude]
        for p in mine:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        for p in mine:
            try:
                os.waitpid(p, 0)
            except ChildProcessError:
                pass
        if not mine:
            return


def own_helper_processes():
    """Our own multiprocessing children (the syslog sink, load workers, the resource tracker)."""
    pids = {p.pid for p in multiprocessing.active_children()}
    try:
        from multiprocessing import resource_tracker
        if resource_tracker._resource_tracker._pid:
            pids.add(resource_tracker._resource_tracker._pid)
    except (ImportError, AttributeError):
        pass
    return pids


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def timed_haproxy_checks(argv, n, what, output_tail=None):
    """Runs `haproxy -c` (`argv`) n times and returns each run's duration in seconds; a refusal of `what`
    breaks the benchmark, with haproxy's output (its last `output_tail` characters when given)."""
    lat = []
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lat.append(time.perf_counter() - t0)
        if p.returncode != 0:
            output = p.stdout.decode()
            raise BenchmarkBroken(f'haproxy -c rejects {what}:\n' + (output[-output_tail:] if output_tail else output))
    return lat


def peer_name(amphora_id):
    """octavia.common.utils.base64_sha1_string(amphora_id).rstrip('=')"""
    b = base64.b64encode(hashlib.sha1(amphora_id.encode()).digest(), altchars=b'_-').decode()
    return re.sub(r'^-', 'x', b).rstrip('=')


def haproxy_config(stats_socket, port, maxconn):
    """One HTTP listener on loopback `port` with one member (127.0.0.1:9), no health checks."""
    return octavia_common.haproxy_http_config(LB_ID, LISTENER_ID, 'pool1', stats_socket, f'127.0.0.1:{port}', '127.0.0.1:9',
                                              maxconn)


# ----------------------------------------------------------------------------------------------
# Environment and report

def sh(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout.decode().strip()
    except (OSError, subprocess.TimeoutExpired):
        return 'unknown'


def environment(args):
    model = 'unknown'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    with open('/proc/meminfo') as f:
        mem_kb = int(f.readline().split()[1])
    venv_py = f'{args.venv}/bin/python3'
    ver = lambda pkg: sh([venv_py, '-c', f'import importlib.metadata as m; print(m.version("{pkg}"))'])
    commit = sh(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'])
    dirty = sh(['git', '-C', REPO, 'status', '--porcelain', '--untracked-files=all', '--', 'Sources', 'Package.swift'])
    source = args.source or ('commit ' + commit + (' plus uncommitted changes in Sources/' if dirty else ''))
    swift = sh(['swift', '--version'])
    return {
        'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        'machine': {'nproc': os.cpu_count(), 'cpu': model, 'kernel': platform.release(),
                    'memory_gib': round(mem_kb / 1024 / 1024, 1)},
        'versions': {
            'swift': swift.splitlines()[0] if swift else 'unknown',
            'haproxy': sh(['haproxy', '-v']).splitlines()[0],
            'octavia': ver('octavia'), 'gunicorn': ver('gunicorn'), 'pyroute2': ver('pyroute2'),
            'upstream_python': sh([venv_py, '--version']),
            'client_python': f'Python {platform.python_version()}, {ssl.OPENSSL_VERSION}',
            'ours_source': source,
        },
    }


def fmt_ms(v):
    if v is None:
        return '–'
    if v < 0:
        return '−' + fmt_ms(-v)
    if v >= 100:
        return f'{v:.0f} ms'
    if v >= 10:
        return f'{v:.1f} ms'
    if v >= 1:
        return f'{v:.2f} ms'
    return f'{v:.3f} ms'


def fmt_ratio(num, den):
    if num is None or den is None or den <= 0 or num <= 0:
        return '–'
    r = num / den
    return f'{r:.0f}×' if r >= 20 else f'{r:.1f}×' if r >= 2 else f'{r:.2f}×'


def fmt_mib(kb):
    return '–' if kb is None else f'{kb / 1024:.1f} MiB'


def cell(entry, mode, key):
    """A table cell for one agent: the number, or why there is none."""
    if entry.get('status') != 'ok':
        return entry.get('note') or entry.get('status')
    ph = entry.get(mode)
    if ph is None:
        return '–'
    if 'na' in ph:
        return 'n/a: ' + ph['na']
    return fmt_ms(ph[key])


def others_pct(t):
    """CPU the machine spent on neither the agent nor the load generator during a phase (other work on
    the machine, the driver itself, interrupts), in % of one CPU."""
    return max(0.0, t['machine_busy_pct'] - t['server_cpu_pct'] - t['client_cpu_pct'])


def calls_cell(entry, mode):
    """How many calls a phase made, and how many of them were not 2xx or failed to connect."""
    n = number(entry, mode, 'n')
    if not n:
        return '–'
    ph = entry[mode]
    text = str(n)
    bad = sum(v for k, v in ph.get('statuses', {}).items() if not 200 <= int(k) < 300)
    if bad:
        text += f' ({bad} not 2xx)'
    if ph.get('errors'):
        text += f' (+{ph["errors"]} failed: {ph.get("last_error", "")})'
    return text


def number(entry, mode, key):
    if entry.get('status') != 'ok':
        return None
    ph = entry.get(mode) or {}
    return ph.get(key)


def measured_rows(w, agents, key, columns, missing_cells):
    """Writes a table's header (`columns` after 'Agent') and yields (name, entry) for every agent whose
    `key` entry was measured; an agent's row without one gets `missing_cells(entry)`, its other cells empty."""
    w('| Agent | ' + ' | '.join(columns) + ' |')
    w('|' + ' --- |' * (len(columns) + 1))
    for name in AGENTS:
        entry = agents[name].get(key, {})
        if entry.get('status') != 'ok':
            cells = missing_cells(entry)
            w('| ' + ' | '.join([AGENT_TITLES[name]] + cells) + ' |' + ' |' * (len(columns) - len(cells)))
            continue
        yield name, entry


def render(results):
    env = results['env']
    mode = results['mode']
    A = results['agents']
    o, u = A['ours'], A['upstream']
    out = []
    w = out.append
    w('# Benchmark: our agent against the upstream Python agent')
    w('')
    if mode == 'smoke':
        w('**Smoke run** (a few requests per phase): checks that the benchmark works; the numbers mean little.')
        w('')
    w(f'Generated by `{results.get("command") or "bash bench/run.sh"}` on {env["date"]}. '
      'Every number below was measured in that one run; nothing is filled in by hand. '
      f'Cells that say "{NIY}" are endpoints our agent still answers with 404/405; '
      're-run the benchmark once they land.')
    w('')
    m, v = env['machine'], env['versions']
    w(f'- Machine: {m["nproc"]} CPUs ({m["cpu"]}), {m["memory_gib"]} GiB, Linux {m["kernel"]}')
    w(f'- Ours: {v["ours_source"]}, {results["build"]} build, {v["swift"]}')
    w(f'- Upstream: octavia {v["octavia"]} (gunicorn {v["gunicorn"]}, pyroute2 {v["pyroute2"]}, '
      f'{v["upstream_python"]}), as root in a private mount namespace (`bench/upstream-agent.sh`)')
    w(f'- {v["haproxy"]}')
    w(f'- Client: {v["client_python"]}; mutual TLS with the same PKI for both agents; '
      f'TLS negotiated: ours {o.get("tls", "?")}, upstream {u.get("tls", "?")}. '
      'A "new connection" call is a full TLS handshake (no session resumption, as Octavia\'s client).')
    w('')
    w('## Targets')
    w('')
    w('| Target | Measured | Met? |')
    w('| --- | --- | --- |')
    # Round two (issue 20): kept-alive CPU per request, as the controller's session sees it (ours
    # keeps the connection; upstream closes it after every answer, so its calls are all new ones).
    for rq, factor in (('root', 50), ('info', 100), ('details', 100)):
        cka, cu = number(o['requests'][rq], 'ka', 'server_cpu_ms_per_req'), \
            number(u['requests'][rq], 'new', 'server_cpu_ms_per_req')
        co = number(o['requests'][rq], 'new', 'server_cpu_ms_per_req')
        label = REQ[rq][1]
        if cka is None or cu is None:
            why = o['requests'][rq].get('note') or u['requests'][rq].get('note') or 'no figure'
            w(f'| ≥{factor}× less server CPU per request for {label} | {why} | not measurable yet |')
            continue
        met = cka == 0 or cu / cka >= factor
        text = (f'ours on a kept-alive connection {fmt_ms(cka)} vs upstream {fmt_ms(cu)} ({fmt_ratio(cu, cka)} less; '
                f'target at most {fmt_ms(cu / factor)})')
        if co is not None:
            text += f'; both with a new TLS connection per call: {fmt_ms(co)} vs {fmt_ms(cu)} ({fmt_ratio(cu, co)} less)'
        w(f'| ≥{factor}× less server CPU per request for {label} | {text} | {"yes" if met else "no"} |')
    po, pu = o.get('pss_load_kb'), u.get('pss_load_kb')
    pio, piu = o.get('pss_idle_kb'), u.get('pss_idle_kb')
    prod = results.get('production')
    text = (f'idle {fmt_mib(pio)} vs {fmt_mib(piu)} ({fmt_ratio(piu, pio)} less); '
            f'under load {fmt_mib(po)} vs {fmt_mib(pu)} ({fmt_ratio(pu, po)} less)')
    if prod:
        text += (f'; as systemd runs ours (no supervisor, no Prometheus proxy), idle: {fmt_mib(prod["pss_idle_kb"])} '
                 f'({fmt_ratio(piu, prod["pss_idle_kb"])} less)')
    w(f'| PSS ≤ 1/5 of upstream\'s | {text} | '
      f'{"yes" if pio and piu and po and pu and pio * 5 <= piu and po * 5 <= pu else "no"} |')
    so = statistics.median(o['start_ms'])
    w(f'| start to first answer < 100 ms | {fmt_ms(so)} (median of {len(o["start_ms"])}) | '
      f'{"yes" if so < 100 else "no"} |')
    ur = o.get('upload_reload', {})
    if ur.get('status') == 'ok' and 'reload' in ur.get('calls', []):
        hc = ur['direct_check_median_ms']
        extra = ur['median_ms'] - hc
        w(f'| config upload + reload ≤ 3 ms on top of `haproxy -c` | {fmt_ms(ur["median_ms"])} − '
          f'{fmt_ms(hc)} = {fmt_ms(extra)} | {"yes" if extra <= 3 else "no"} |')
    else:
        why = ur.get('note') or (o['requests']['reload'].get('note') if ur.get('status') == 'ok' else '') or 'no figure'
        w(f'| config upload + reload ≤ 3 ms on top of `haproxy -c` | {why} | not measurable yet |')
    w('')

    w('## Latency per request type (sequential calls, one client)')
    w('')
    w('Median / p99 over the calls of the phase; "CPU/req" is the server process tree\'s CPU time '
      '(user+system, children included) over the phase divided by the calls. Ratio = upstream ÷ ours '
      '(above 1: ours is faster / cheaper).')
    w('')
    w('| Request | Connection | Ours median | Ours p99 | Ours CPU/req | Upstream median | Upstream p99 '
      '| Upstream CPU/req | Ratio median | Ratio CPU/req | Calls (ours / upstream) |')
    w('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for rq in READ_REQUESTS + WRITE_REQUESTS:
        for md, mlabel in (('new', 'new per call'), ('ka', 'kept alive')):
            eo, eu = o['requests'][rq], u['requests'][rq]
            row = [REQ[rq][1], mlabel]
            for e in (eo, eu):
                c1 = cell(e, md, 'median_ms')
                if c1.startswith('n/a') or e.get('status') != 'ok':
                    row += [c1, '', '']
                else:
                    row += [c1, cell(e, md, 'p99_ms'), cell(e, md, 'server_cpu_ms_per_req')]
            row.append(fmt_ratio(number(eu, md, 'median_ms'), number(eo, md, 'median_ms')))
            row.append(fmt_ratio(number(eu, md, 'server_cpu_ms_per_req'), number(eo, md, 'server_cpu_ms_per_req')))
            row.append(' / '.join(calls_cell(e, md) for e in (eo, eu)))
            w('| ' + ' | '.join(row) + ' |')
    w('')
    w(f'Reads run for at least {results["limits"]["seq_min_s"]} s and {results["limits"]["seq_min_n"]} calls; '
      f'uploads and reloads {results["limits"]["write_n"]} calls. The CPU figures come from clock ticks '
      f'({1000 // CLK_TCK} ms each) over the whole phase, spread over its calls.')
    w('')

    w('## Config upload and reload against `haproxy -c`')
    w('')
    hcr = results['haproxy_c']
    hco = results.get('haproxy_c_ours', {})
    w(f'`{hcr["argv"]}` run directly (the command upstream runs for an upload): median {fmt_ms(hcr["median_ms"])}, '
      f'p99 {fmt_ms(hcr["p99_ms"])} over {hcr["n"]} runs. The same with our agent\'s `user-group.conf`, which also '
      f'names the controller\'s CA as the trust store of haproxy\'s HTTP client (nothing in an Octavia '
      f'configuration uses that client; left alone, haproxy loads the system\'s CA store into it): median '
      f'{fmt_ms(hco.get("median_ms"))}, p99 {fmt_ms(hco.get("p99_ms"))}. Each agent\'s upload + reload rounds '
      f'below are interleaved with as many direct runs of the check that agent runs (one before each round, each '
      f'of the two after the same untimed {SETTLE_S * 1000:.0f} ms pause, so that neither runs into the haproxy '
      f'the round before reloaded), and what a round adds is counted against those: this machine drifts by '
      f'milliseconds between minutes.')
    w('')
    for name, ur in measured_rows(w, A, 'upload_reload',
                                  ['Calls (kept-alive connection where allowed)', 'Rounds', 'Median', 'p99',
                                   '`haproxy -c` directly, interleaved (median)', 'Added on top of `haproxy -c` (median)'],
                                  lambda ur: ['upload + reload', ur.get('note') or ur.get('status')]):
        calls = ' + '.join(ur['calls'])
        note = ''
        if 'reload' not in ur['calls']:
            note = ' (upload only: the reload fails here, see above)'
        if ur.get('failed_calls'):
            note += f' ({ur["failed_calls"]} calls failed)'
        w(f'| {AGENT_TITLES[name]} | {calls}{note} | {ur["n"]} | {fmt_ms(ur["median_ms"])} | {fmt_ms(ur["p99_ms"])} | '
          f'{fmt_ms(ur["direct_check_median_ms"])} | {fmt_ms(ur["median_ms"] - ur["direct_check_median_ms"])} |')
    w('')
    out.extend(render_upload_reload_parts(results))

    lg = results.get('large')
    if lg:
        w(f'## Large load balancer ({lg["listeners"]} listeners × {lg["members"]} members)')
        w('')
        lo = o.get('large', {})
        w(f'Octavia\'s own rendering (its `JinjaTemplater`, `Tests/Conformance/render_large_octavia_haproxy.py`): '
          f'{lo.get("bytes", 0) / 1e6:.2f} MB, {lo.get("servers", "?")} servers with HTTP health checks, '
          f'connection limit {lg["connection_limit"]} per listener (the descriptors of a larger limit do not fit '
          f'the hard limit of {results["haproxy_limits"]["nofile_hard"]} here), bound on loopback. '
          f'The upload includes the agent\'s `haproxy -c`; `haproxy -c` alone on it: '
          f'{fmt_ms(lg["haproxy_c"]["median_ms"])} as upstream runs it, {fmt_ms(lg["haproxy_c"].get("ours_median_ms"))} '
          f'with our `user-group.conf` (medians of {lg["haproxy_c"]["n"]}). Each call '
          f'{results["limits"]["large_n"]} times on one kept-alive connection (upstream closes it); the first '
          'reload starts haproxy. PSS: the agent\'s process tree with that haproxy running (ours runs it as '
          'the agent\'s child, its direct service manager).')
        w('')
        for name, e in measured_rows(w, A, 'large',
                                     ['Upload + check (median)', 'Start (first reload)', 'Reload (median)', 'PSS of the tree',
                                      'of which haproxy'],
                                     lambda e: [e.get('note') or 'not measured']):
            reload_note = e.get('reload_note', '')
            start = fmt_ms(e['start_ms']) if 'start_ms' in e else reload_note
            rel = fmt_ms(e['reload_median_ms']) if 'reload_median_ms' in e else ('–' if 'start_ms' in e else '')
            hp = fmt_mib(e['haproxy_pss_kb']) if e.get('haproxy_pss_kb') else 'no haproxy running'
            w(f'| {AGENT_TITLES[name]} | {fmt_ms(e["upload_median_ms"])} | {start} | {rel} | '
              f'{fmt_mib(e.get("pss_kb"))} | {hp} |')
        w('')

    w('## Throughput')
    w('')
    w('Closed loop: each connection sends its next request as soon as the answer arrives, for '
      f'{results["limits"]["load_s"]} s after a common start. "kept alive" reuses the connection when the '
      'server allows it (as the controller\'s requests session does) and reconnects when the server closes it; '
      '"new per call" opens a TLS connection for every request. Server CPU = the agent\'s process tree, in % of '
      'one CPU; client CPU = the load generator\'s processes (several, so that it keeps up); machine = all CPUs '
      f'busy, in % of one CPU (the machine has {m["nproc"]}). Ratio = ours ÷ upstream requests per second.')
    w('')
    w('| Request | Connection | Concurrent | Agent | Req/s | Median | p99 | Server CPU | Server CPU/req '
      '| Client CPU | Machine busy | Others | PSS (max) | Errors | Ratio req/s |')
    w('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for rq, md in THROUGHPUT:
        key = f'{rq}/{md}'
        for conc in CONCURRENCY:
            rows = {}
            for name in AGENTS:
                t = A[name]['throughput'].get(key, {}).get(str(conc))
                rows[name] = t
            for name in AGENTS:
                t = rows[name]
                lead = [REQ[rq][1], 'kept alive' if md == 'ka' else 'new per call', str(conc), AGENT_TITLES[name]]
                if t is None:
                    e = A[name]['requests'][rq]
                    w('| ' + ' | '.join(lead + [e.get('note') or 'not run'] + [''] * 10) + ' |')
                    continue
                ratio = ''
                if name == 'ours' and rows['upstream']:
                    ratio = fmt_ratio(t['rps'], rows['upstream']['rps'])
                errs = str(t['errors'])
                non2xx = sum(v for k, v in t['statuses'].items() if not 200 <= int(k) < 300)
                if non2xx:
                    errs += f' (+{non2xx} non-2xx)'
                w('| ' + ' | '.join(lead + [f'{t["rps"]:.0f}', fmt_ms(t['median_ms']), fmt_ms(t['p99_ms']),
                                            f'{t["server_cpu_pct"]:.0f}%', fmt_ms(t['server_cpu_ms_per_req']),
                                            f'{t["client_cpu_pct"]:.0f}%', f'{t["machine_busy_pct"]:.0f}%',
                                            f'{others_pct(t):.0f}%',
                                            fmt_mib(t['pss_max_kb']), errs, ratio]) + ' |')
    kinds = [(name, key, conc, t['error_kinds']) for name in AGENTS for key, tp in A[name]['throughput'].items()
             for conc, t in tp.items() if t.get('error_kinds')]
    if kinds:
        w('')
        w('Client-side errors (connection failures the load generator saw; such calls do not count):')
        w('')
        for name, key, conc, ek in kinds:
            w(f'- {AGENT_TITLES[name]}, {key} ×{conc}: ' + '; '.join(f'{v}× {k}' for k, v in ek.items()))
    w('')

    w('## Memory and start')
    w('')
    w('PSS = sum of `Pss` in `/proc/<pid>/smaps_rollup` over the agent\'s whole process tree. Idle = right after '
      'start; under load = the highest sample taken every 0.5 s during the throughput phases.')
    w('')
    w('The agent\'s own processes only: the haproxy that the reload phase started, which ours runs as its child in '
      'direct mode (as systemd would), is not counted (upstream\'s reload fails here, so it has none); the large load '
      'balancer\'s section counts it.')
    w('')
    w('| | Ours | Upstream | Ratio (upstream ÷ ours) |')
    w('| --- | --- | --- | --- |')
    w(f'| PSS idle | {fmt_mib(o.get("pss_idle_kb"))} ({o.get("pss_idle_procs")} processes) | '
      f'{fmt_mib(u.get("pss_idle_kb"))} ({u.get("pss_idle_procs")} processes) | '
      f'{fmt_ratio(u.get("pss_idle_kb"), o.get("pss_idle_kb"))} |')
    w(f'| PSS under load (max) | {fmt_mib(po)} | {fmt_mib(pu)} | {fmt_ratio(pu, po)} |')
    w(f'| PSS idle after the load | {fmt_mib(o.get("pss_after_load_kb"))} | {fmt_mib(u.get("pss_after_load_kb"))} | '
      f'{fmt_ratio(u.get("pss_after_load_kb"), o.get("pss_after_load_kb"))} |')
    su = statistics.median(u['start_ms'])
    w(f'| Start to first answered `GET /` (median) | {fmt_ms(so)} | {fmt_ms(su)} | {fmt_ratio(su, so)} |')
    prod = results.get('production')
    if prod:
        w(f'| PSS idle, ours as systemd runs it (helper, launcher, front; no supervisor, no Prometheus proxy) | '
          f'{fmt_mib(prod["pss_idle_kb"])} ({len(prod["pss_idle_detail"])} processes) | {fmt_mib(u.get("pss_idle_kb"))} | '
          f'{fmt_ratio(u.get("pss_idle_kb"), prod["pss_idle_kb"])} |')
    w('')
    for name in AGENTS:
        det = ', '.join(f'{c} {kb / 1024:.1f}' for c, kb in A[name].get('pss_idle_detail', []))
        starts = ', '.join(f'{x:.0f}' for x in A[name]['start_ms'])
        after = ', '.join(f'{c} {kb / 1024:.1f}' for c, kb in A[name].get('pss_after_load_detail', []))
        daemons = A[name].get('daemons_after_load_kb')
        w(f'- {AGENT_TITLES[name]}: idle PSS per process (MiB): {det}; after the load: {after}'
          + (f' (and the haproxy it runs, not counted: {fmt_mib(daemons)})' if daemons else '')
          + f'; start runs (ms): {starts}.')
    if prod:
        det = ', '.join(f'{c} {kb / 1024:.1f}' for c, kb in prod['pss_idle_detail'])
        w(f'- ours as systemd runs it (`amphora-helper serve` and `amphora-front` started directly, as '
          f'systemd/amphora-agent-helper.service and amphora-agent-front.service do): idle PSS per process (MiB): '
          f'{det}; start to first answer {fmt_ms(prod["start_ms"])}.')
    w('')
    w('## Notes')
    w('')
    w('- Upstream serves with gunicorn\'s sync worker: one request at a time, and `Connection: close` on every '
      'response, so each of its calls is a new TLS connection whatever the client asks for.')
    hn, hk = number(o['requests']['root'], 'new', 'server_cpu_ms_per_req'), \
        number(o['requests']['root'], 'ka', 'server_cpu_ms_per_req')
    if hn is not None and hk is not None:
        w(f'- A new connection costs our agent about {fmt_ms(hn - hk)} of CPU more than a kept-alive call '
          '(`GET /` new minus kept alive): the mutual-TLS handshake (an RSA-2048 signature, ECDHE, checking the '
          'client certificate). Both agents pay it on every call when the connection is not kept, which caps '
          'the CPU ratio for cheap requests such as `GET /`.')
    w('- Upstream\'s reload asks systemd to start or reload `haproxy-<lb>.service`; this host does not run '
      'systemd, so it answers 500 here and has no reload figure. Its config upload works (it runs '
      '`haproxy -c` and two `systemctl enable`, which work without a running systemd).')
    hl = results.get('haproxy_limits', {})
    if hl.get('maxconn') == 50000:
        w(f'- The haproxy configuration is the controller\'s template for one HTTP listener with one member '
          f'(`maxconn 50000`); both agents run with a hard limit of {hl["nofile_hard"]} open files, as '
          'upstream\'s haproxy unit asks for with `LimitNOFILE=2600000`.')
    elif hl:
        w(f'- The haproxy configuration is the controller\'s template for one HTTP listener with one member, with '
          f'`maxconn {hl["maxconn"]}` (a listener with that connection limit) instead of the default 50000: '
          'that needs about 125000 open files, and the hard limit here is '
          f'{hl["nofile_hard"]} and cannot be raised (no CAP_SYS_RESOURCE); our direct service manager raises '
          'haproxy\'s limit only up to the hard limit it has, so haproxy would refuse to start.')
    w('- Upstream\'s start time includes the namespace setup of `bench/upstream-agent.sh` (a few tmpfs mounts '
      'and `ip netns add`, a few ms). Its gunicorn syslog goes to a Unix datagram socket the benchmark provides '
      '(as rsyslog does in an amphora), outside both process trees.')
    w('- Both agents run on the same machine as the load generator; the "machine busy" column shows how much '
      'CPU was left, and "others" how much went to neither the agent nor the load generator.')
    phases = [t for a in (o, u) for tp in a['throughput'].values() for t in tp.values()]
    if phases:
        other = statistics.mean(others_pct(t) for t in phases)
        if other >= 20:
            w(f'- **Noisy run:** during the throughput phases other work on the machine took {other:.0f}% of a CPU '
              'on average (other processes, e.g. builds and tests running at the same time). Latencies, start '
              'times and req/s suffer most; CPU per request and PSS, which count only the agent\'s own '
              'processes, much less. Re-run on a quiet machine for cleaner figures.')
    cap = 100 * (m['nproc'] or 1)
    sat = [f'{REQ[k.split("/")[0]][1]} {"kept alive" if k.endswith("ka") else "new per call"} ×{c}'
           for k, tp in o['throughput'].items() for c, t in tp.items() if t['machine_busy_pct'] >= 0.9 * cap]
    if sat:
        w(f'- In {len(sat)} of our throughput phases the machine was saturated (≥ 90 % of its {m["nproc"]} CPUs '
          'busy, the load generator taking a large share): there our req/s are bounded by the machine, not by '
          'the agent alone, and the server CPU per request is the figure to compare.')
    ups = [t for tp in u['throughput'].values() for t in tp.values()]
    if ups and max(t['machine_busy_pct'] for t in ups) < 0.8 * cap:
        w('- Upstream\'s throughput phases left CPU idle: its single sync worker handles one connection at a '
          'time and waits for each client\'s part of the mutual-TLS handshake, so neither the machine nor the '
          'load generator limited it.')
    w('')
    return '\n'.join(out + render_audit(results))


def audit_call_summary(appended):
    """The audit records one call appended: this call's (`origin` controller), others written meanwhile
    (heartbeat reads, epoch ends), bytes, and this call's records by event."""
    mine, other, mine_bytes, events = 0, 0, 0, {}
    for line in appended.splitlines(keepends=True):
        try:
            rec = json.loads(line)
        except ValueError:
            other += 1
            continue
        if rec.get('origin') == 'controller':
            mine += 1
            mine_bytes += len(line)
            # An announced intent shares the next intent's fsync: counted apart from the others.
            event = rec.get('event') + (' (announced)' if rec.get('announced') is True else '')
            events[event] = events.get(event, 0) + 1
        else:
            other += 1
    return {'records': mine, 'bytes': mine_bytes, 'other_records': other, 'events': events}


def upload_reload_parts(appended, n, calls_per_round):
    """From the audit records `n` rounds of upload + reload appended (this phase's controller
    requests): how long `haproxy -c` ran as the launcher runs it (its `exec-outcome` duration: spawn,
    the check account, Landlock, seccomp, inputs as sealed memory files, output captured), and the
    fsyncs a round needs: the audit log's (one per intent, plus one before each reply; an intent
    recorded ahead with the next one, `announced: true`, shares its fsync) and the
    files' (a replaced file: the file and its directory; a rename or removal: the directory; a
    configuration's candidate, `candidate: true`: none at its write, the file and its directory at
    the rename that promotes it)."""
    checks, intents, file_syncs = [], 0, 0
    for line in appended.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get('origin') != 'controller':
            continue
        event = rec.get('event', '')
        if event == 'exec-outcome' and rec.get('operation') == 'haproxy-check' and 'duration_us' in rec:
            checks.append(rec['duration_us'] / 1e3)
        if event.endswith('-intent') and rec.get('announced') is not True:
            intents += 1        # an announced intent is fsynced with the next one
        if event == 'file-outcome' and rec.get('result') == 'done':
            if rec.get('candidate') is True:
                file_syncs += 2 if rec.get('action') == 'rename' else 0
            else:
                file_syncs += 2 if rec.get('action') == 'write' else 1
    if not checks or n <= 0:
        return None
    return {'check_median_ms': statistics.median(checks), 'checks': len(checks),
            'audit_fsyncs': intents / n + calls_per_round, 'file_fsyncs': file_syncs / n}


def audit_kind_figures(calls, cost):
    """Medians over the calls of one kind, and records x cost per record (from audit-bench)."""
    if not calls:
        return {'status': 'error', 'note': 'no call counted'}
    records = statistics.median(c['records'] for c in calls)
    events = {}     # the most records of each event in one call
    for c in calls:
        for e, k in c['events'].items():
            events[e] = max(events.get(e, 0), k)
    intents = sum(k for e, k in events.items() if e.split(' ')[0] in ('file-intent', 'file-outcome'))
    # An intent is fsynced as it is written; an outcome is fsynced with the next intent or with the
    # sync before the helper's reply (AuditLog.recordBeforeNextSync): one fsync per intent, plus one.
    fsyncs = sum(k for e, k in events.items() if e.endswith('-intent'))
    fsyncs += 1 if records > fsyncs else 0
    unsynced_us = max(cost['record_us'] - cost['fsync_us'], 0.0)
    file_fsyncs = events.get('file-intent', 0)     # an announced one ('file-intent (announced)') shares another's
    return {'status': 'ok', 'n': len(calls), 'median_ms': statistics.median(c['ms'] for c in calls),
            'records': records, 'bytes': statistics.median(c['bytes'] for c in calls),
            'other_records': sum(c['other_records'] for c in calls), 'events': events,
            'file_intent_records': intents, 'fsyncs': fsyncs,
            'audit_ms': (records * unsynced_us + fsyncs * cost['fsync_us']) / 1e3,
            'sealing_ms': records * cost['sealing_us'] / 1e3,
            'fsync_ms': fsyncs * cost['fsync_us'] / 1e3,
            'file_intents_ms': (intents * unsynced_us + file_fsyncs * cost['fsync_us']) / 1e3}


def render_upload_reload_parts(results):
    """Where ours spends what it adds to an upload + reload: the check as its launcher runs it, the
    fsyncs (counted in its audit log, priced with audit-bench's fsync), and the rest."""
    ur = results['agents']['ours'].get('upload_reload', {})
    parts = ur.get('parts')
    au = results.get('audit') or {}
    if ur.get('status') != 'ok' or 'reload' not in ur.get('calls', []) or not parts or au.get('status') != 'ok':
        return []
    hc = ur['direct_check_median_ms']
    added = ur['median_ms'] - hc
    launcher = parts['check_median_ms'] - hc
    fsync_ms = au['cost']['fsync_us'] / 1e3
    syncs = parts['audit_fsyncs'] + parts['file_fsyncs']
    syncing = syncs * fsync_ms
    out = ['Where ours spends what it adds (medians of this phase; the fsyncs counted in its audit log and priced at '
           f'audit-bench\'s {au["cost"]["fsync_us"]:.0f} µs each):', '']
    w = out.append
    w('| Part of one upload + reload | ms |')
    w('| --- | --- |')
    w(f'| added on top of `haproxy -c` | {fmt_ms(added)} |')
    w(f'| `haproxy -c` as the launcher runs it ({fmt_ms(parts["check_median_ms"])}, {parts["checks"]} checks) minus run '
      'directly: spawn from the launcher, the check account, Landlock, seccomp, inputs as sealed memory files, '
      f'output captured | {fmt_ms(launcher)} |')
    w(f'| fsyncs: {parts["audit_fsyncs"]:g} for the audit log (an intent before each act, one before each reply) and '
      f'{parts["file_fsyncs"]:g} for the files (the candidate as it is promoted and the servers-state file: each '
      f'file and its directory) | {fmt_ms(syncing)} |')
    w(f'| the rest: two HTTPS requests through the front, the helper\'s IPC, allow-list and audit records, the '
      f'service manager\'s status and reload, `show servers state` | {fmt_ms(added - launcher - syncing)} |')
    w('')
    return out


def render_audit(results):
    """The section on what the audit log (sealing, intent records, fsync) adds to an upload."""
    au = results.get('audit')
    out = ['## What the audit log adds to an upload (ours)', '']
    w = out.append
    if not au or au.get('status') != 'ok':
        w(f'Not measured: {(au or {}).get("note", "no figure")}.')
        w('')
        return out
    c = au['cost']
    w(f'`amphora-helper audit-bench --records {c["records"]}` (next to the agent\'s audit log, same filesystem), '
      f'per record of {c["bytes_per_record"]} bytes: `AuditLog.record` end to end {c["record_us"]:.1f} µs (medians); '
      f'its parts, each timed alone: SHA-256 chain {c["chain_us"]:.1f} µs + HMAC seal {c["seal_us"]:.1f} µs + key evolution '
      f'{c["evolve_us"]:.0f} µs once per {c["epoch_records"]} records + write {c["write_us"]:.1f} µs + '
      f'fsync {c["fsync_us"]:.1f} µs. Sealing thus costs {c["sealing_us"]:.1f} µs a record; '
      'an unsealed chain would save only that.')
    w('')
    w('Records per call are counted in our agent\'s audit log (those of the call\'s controller request); '
      'the cost is records × the record without its fsync, plus fsyncs × the fsync: an intent is fsynced as '
      'it is written, outcomes with the next intent or once before the reply (so fsyncs = intents + 1, a lower '
      'bound: an epoch end or a rotation adds its own). '
      '"File intents" are the `file-intent`/`file-outcome` '
      'records before and after every file change. Upstream writes no audit log. The cost of a record was '
      'measured once, the calls at other moments: on a busy disk the fsync varies, so the share of a call can '
      'be off (even above 100 %).')
    w('')
    w('| Call | Median call | Audit records (bytes) | File intents | Audit: records × cost | of which sealing '
      '| of which fsync (fsyncs) | File intents × cost |')
    w('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for kind, k in au['kinds'].items():
        if k.get('status') != 'ok':
            w(f'| {kind} | {k.get("note")} | | | | | | |')
            continue
        share = f' ({100 * k["audit_ms"] / k["median_ms"]:.0f} %)' if k['median_ms'] > 0 else ''
        w(f'| {kind} | {fmt_ms(k["median_ms"])} | {k["records"]:g} ({k["bytes"]:g}) | {k["file_intent_records"]} | '
          f'{fmt_ms(k["audit_ms"])}{share} | {fmt_ms(k["sealing_ms"])} | {fmt_ms(k["fsync_ms"])} ({k["fsyncs"]}) | '
          f'{fmt_ms(k["file_intents_ms"])} |')
    w('')
    return out


README_BEGIN = '<!-- bench/run.sh writes this table; do not edit by hand -->'
README_END = '<!-- end of the benchmark table -->'


def render_headline(results):
    """The few figures the README shows, from the same results as docs/benchmark.md."""
    A = results['agents']
    o, u = A['ours'], A['upstream']
    rows = []

    def row(label, vo, vu, fmt, better_low=True):
        if isinstance(vo, str) or isinstance(vu, str):
            rows.append(f'| {label} | {vo if isinstance(vo, str) else fmt(vo)} | '
                        f'{vu if isinstance(vu, str) else fmt(vu)} | – |')
        else:
            ratio = fmt_ratio(vu, vo) if better_low else fmt_ratio(vo, vu)
            rows.append(f'| {label} | {fmt(vo)} | {fmt(vu)} | {ratio} |')

    def cpu(agent, rq, mode):
        e = A[agent]['requests'][rq]
        if e.get('status') != 'ok':
            return NIY if e.get('status') == 'niy' else 'fails'
        return number(e, mode, 'server_cpu_ms_per_req')

    for rq in ('root', 'info', 'details'):
        row(f'Server CPU per {REQ[rq][1]} (controller\'s session)', cpu('ours', rq, 'ka'), cpu('upstream', rq, 'new'),
            fmt_ms)
    t_o = o['throughput'].get('root/ka', {}).get('32')
    t_u = u['throughput'].get('root/ka', {}).get('32')
    if t_o and t_u:
        row('`GET /` per second, 32 connections', t_o['rps'], t_u['rps'], lambda v: f'{v:.0f}', better_low=False)
    row('PSS of the process tree, idle', o.get('pss_idle_kb'), u.get('pss_idle_kb'), fmt_mib)
    row('PSS of the process tree, under load', o.get('pss_load_kb'), u.get('pss_load_kb'), fmt_mib)
    if results.get('production'):
        row('PSS idle, ours as systemd runs it (no supervisor, no Prometheus proxy)', results['production']['pss_idle_kb'],
            u.get('pss_idle_kb'), fmt_mib)
    row('Start to first answer', statistics.median(o['start_ms']), statistics.median(u['start_ms']), fmt_ms)
    parts = []
    for name in AGENTS:
        ur = A[name].get('upload_reload', {})
        if ur.get('status') == 'ok' and 'reload' in ur.get('calls', []):
            parts.append(ur['median_ms'] - ur['direct_check_median_ms'])
        else:
            rl = A[name]['requests']['reload']
            parts.append(NIY if rl.get('status') == 'niy' or ur.get('status') == 'niy' else 'reload fails here')
    row('Config upload + reload on top of `haproxy -c`', parts[0], parts[1], fmt_ms)
    env = results['env']
    return '\n'.join([
        README_BEGIN,
        f'Measured on {env["date"]}, {env["machine"]["nproc"]} CPUs ({env["machine"]["cpu"]}), '
        f'ours built from {env["versions"]["ours_source"]}; details and every other figure in '
        '[docs/benchmark.md](docs/benchmark.md). "Controller\'s session": the client keeps its connection '
        'as Octavia\'s requests session does; upstream closes every connection, ours keeps it. '
        'Ratio: how many times less (for requests per second: more) ours needs.',
        '',
        '| | Ours | Upstream 19.0.0 | Ratio |',
        '| --- | --- | --- | --- |',
        *rows,
        README_END,
    ])


def update_readme(results):
    """Replaces the table between the README's benchmark markers (nothing else); no markers, no change."""
    path = os.path.join(REPO, 'README.md')
    with open(path) as f:
        text = f.read()
    start, end = text.find(README_BEGIN), text.find(README_END)
    if start < 0 or end < start:
        return False
    new = text[:start] + render_headline(results) + text[end + len(README_END):]
    if new != text:
        with open(path, 'w') as f:
            f.write(new)
    return True


def validate(results, text):
    """A malformed result fails the run (timings never do)."""
    problems = []
    for name in AGENTS:
        a = results['agents'][name]
        for key in ('start_ms', 'pss_idle_kb', 'tls'):
            if not a.get(key):
                problems.append(f'{name}: missing {key}')
        for rq in READ_REQUESTS + WRITE_REQUESTS:
            e = a['requests'].get(rq)
            if not e or e.get('status') not in ('ok', 'niy', 'error'):
                problems.append(f'{name} {rq}: no verdict')
                continue
            if e['status'] == 'ok':
                for md in ('new', 'ka'):
                    ph = e.get(md)
                    if not ph or not ('na' in ph or all(isinstance(ph.get(k), (int, float)) and ph[k] >= 0
                                                        and math.isfinite(ph[k]) for k in
                                                        ('median_ms', 'p99_ms', 'server_cpu_ms_per_req'))):
                        problems.append(f'{name} {rq} {md}: malformed {ph}')
        for rq, md in THROUGHPUT:
            if a['requests'][rq]['status'] != 'ok':
                continue
            for conc in CONCURRENCY:
                t = a['throughput'].get(f'{rq}/{md}', {}).get(str(conc))
                if not t or not t['requests'] or not math.isfinite(t['rps']):
                    problems.append(f'{name} {rq}/{md} x{conc}: no requests completed ({t and t["errors"]} errors)')
        if a['requests']['root']['status'] != 'ok':
            problems.append(f'{name}: GET / does not work')
    large = results['agents']['ours'].get('large')
    if large is not None and (large.get('status') != 'ok' or 'start_ms' not in large):
        problems.append(f'ours: the large load balancer did not upload and start: {large.get("note") or large.get("reload_note")}')
    au = results.get('audit') or {}
    if au.get('status') != 'ok' or not any(k.get('status') == 'ok' for k in au.get('kinds', {}).values()):
        problems.append(f'ours: the audit overhead was not measured: {au.get("note") or au.get("kinds")}')
    for line in ('## Targets', '## Latency per request type', '## Throughput', '## Memory and start'):
        if line not in text:
            problems.append(f'report lacks {line}')
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bin-dir', required=True, help='where amphora-agent is (the release build)')
    ap.add_argument('--venv', required=True, help='the venv with octavia==19.0.0 and pyroute2')
    ap.add_argument('--smoke', action='store_true', help='a short run that only checks the benchmark works')
    ap.add_argument('--out', help='Markdown report (default docs/benchmark.md, or a temp file with --smoke)')
    ap.add_argument('--json', help='also write the raw results here')
    ap.add_argument('--build', default='release', help='what --bin-dir holds, for the report (release, debug)')
    ap.add_argument('--source', help='what our agent was built from, for the report (default: from git)')
    ap.add_argument('--command', help='the command that ran the benchmark, for the report')
    args = ap.parse_args()
    args.bin_dir, args.venv = os.path.abspath(args.bin_dir), os.path.abspath(args.venv)
    if os.geteuid() != 0:
        sys.exit('benchmark.py: run as root (both agents start root processes)')
    # Anything an agent leaves behind (a daemonised child) becomes our child, so we can stop it.
    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f'signal {signum}')
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    limits = SMOKE if args.smoke else FULL
    bench = Bench(args, limits)
    t0 = time.monotonic()
    try:
        results = bench.run()
    except BenchmarkBroken as e:
        log(f'BROKEN: {e}')
        return 1
    except KeyboardInterrupt as e:
        log(f'interrupted ({e}); cleaning up')
        return 130
    finally:
        bench.cleanup()
    results['mode'] = 'smoke' if args.smoke else 'full'
    results['build'] = args.build
    results['command'] = args.command or ('bash bench/run.sh' + (' --smoke' if args.smoke else ''))
    results['limits'] = limits
    results['env'] = environment(args)
    results['duration_s'] = time.monotonic() - t0
    text = render(results)
    problems = validate(results, text)
    out = args.out or (None if args.smoke else os.path.join(REPO, 'docs', 'benchmark.md'))
    if out:
        with open(out, 'w') as f:
            f.write(text + '\n')
    if not args.smoke and not args.out and not problems:
        if update_readme(results):
            log('README.md benchmark table updated')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1, sort_keys=True, default=str)
    print(text)
    log(f'report {"written to " + out if out else "printed above (smoke: no file)"}; '
        f'{results["duration_s"]:.0f} s of measuring')
    if problems:
        log('MALFORMED RESULT:\n  ' + '\n  '.join(problems))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
