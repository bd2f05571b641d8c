#!/usr/bin/env python3
"""Soak: the real agent under many concurrent mutual-TLS keep-alive connections for a long time.

Started by scripts/soak.sh (standard library only; it reuses bench/benchmark.py's PKI, process-tree
and client code). It starts our agent with a throwaway PKI on a loopback port (haproxy in a network
namespace it makes and removes), then drives `--connections` kept-alive mutual-TLS connections
(several client processes, each with threads, so that the client is not the bottleneck) with a mixed
read/write workload:

    GET /, GET /1.0/info, GET /1.0/details, GET /1.0/listeners (listener status),
    PUT and GET (md5) of a listener certificate, PUT of a small valid Octavia haproxy configuration
    (the helper runs `haproxy -c` on it)

Every answer is checked (status, and the certificate's md5). RSS and PSS of the agent's whole process
tree (front, helper, supervisor, launchers; /proc/PID/smaps_rollup) are sampled at the start, every
`--sample` seconds, and at the end. The summary gives requests and failures per kind, the memory
curve and a growth verdict, taken on the anonymous memory of the agent's own processes (PSS moves
when other processes on the machine start or stop mapping the same binaries and libraries). Exit status: 0 when no request failed, 1 otherwise (or when the agent
died), 2 on bad usage.

    python3 bench/soak.py --bin-dir DIR [--seconds N] [--connections N] [--sample N] [--json FILE]
"""

import argparse
import ctypes
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchmark as B  # noqa: E402

AMP_ID, LB_ID, LISTENER_ID = B.AMP_ID, B.LB_ID, B.LISTENER_ID
CERT_NAMES = [f'aaaaaaaa-bbbb-cccc-dddd-{i:012d}.pem' for i in range(8)]
# (kind, weight): reads dominate as with a controller's health and status polling; a write in ten.
WORKLOAD = [('root', 20), ('info', 20), ('details', 10), ('listeners', 20), ('cert_get', 20), ('cert_put', 6),
            ('haproxy_put', 4)]
KINDS = [k for k, _ in WORKLOAD]


def log(msg):
    print(f'[soak {time.strftime("%H:%M:%S")}] {msg}', flush=True)


def tree_memory(root):
    """(RSS kB, PSS kB, [(name, rss, pss, anonymous)]) summed over the agent's live process tree."""
    table = B.process_table()
    rows = []
    for pid in sorted(B.tree(root, table)):
        rss = pss = anon = 0
        try:
            with open(f'/proc/{pid}/smaps_rollup') as f:
                for line in f:
                    if line.startswith('Rss:'):
                        rss = int(line.split()[1])
                    elif line.startswith('Pss:'):
                        pss = int(line.split()[1])
                    elif line.startswith('Anonymous:'):
                        anon = int(line.split()[1])
        except OSError:
            continue
        rows.append((B.process_name(pid, table[pid][3]), rss, pss, anon))
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def _client_process(pki, port, threads, t_start, t_end, listener_pem, haproxy_cfg, seed, out_q):
    """One load process: `threads` kept-alive connections, each looping over the weighted workload."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    ctx = B.client_context(pki)
    lock = threading.Lock()
    totals = {'requests': {k: 0 for k in KINDS}, 'failures': {k: 0 for k in KINDS}, 'connects': 0,
              'server_closes': 0, 'failure_kinds': {}}
    open_socks = set()
    md5 = hashlib.md5(listener_pem).hexdigest()
    kinds = [k for k, w in WORKLOAD for _ in range(w)]

    def call(conn, kind, rng):
        cert = f'/1.0/loadbalancer/{LB_ID}/certificates/{rng.choice(CERT_NAMES)}'
        if kind == 'root':
            st, _, body = conn.request('GET', '/')
        elif kind == 'info':
            st, _, body = conn.request('GET', '/1.0/info')
        elif kind == 'details':
            st, _, body = conn.request('GET', '/1.0/details')
        elif kind == 'listeners':
            st, _, body = conn.request('GET', '/1.0/listeners')
        elif kind == 'cert_put':
            st, _, body = conn.request('PUT', cert, listener_pem)
        elif kind == 'cert_get':
            st, _, body = conn.request('GET', cert)
            # Every certificate name was uploaded before the run; each upload has the same bytes.
            if st == 200 and json.loads(body).get('md5sum') != md5:
                return f'cert_get: wrong md5sum {body[:80]!r}'
        else:
            st, _, body = conn.request('PUT', f'/1.0/loadbalancer/{AMP_ID}/{LB_ID}/haproxy', haproxy_cfg)
        if not 200 <= st < 300:
            return f'{kind}: {st} {B.short(body, 80)}'
        return None

    def loop(index):
        rng = random.Random(seed * 1000 + index)
        requests = {k: 0 for k in KINDS}
        failures = {k: 0 for k in KINDS}
        kinds_seen = {}
        connects = server_closes = 0
        conn = None
        while time.monotonic() < t_start:
            time.sleep(0.005)
        while time.monotonic() < t_end:
            kind = rng.choice(kinds)
            try:
                if conn is None:
                    conn = B.Connection(ctx, port, timeout=120)
                    connects += 1
                    with lock:
                        open_socks.add(conn.sock)
                problem = call(conn, kind, rng)
            except (OSError, ssl.SSLError, ValueError, IndexError) as e:
                problem = f'{kind}: {type(e).__name__}: {e}'[:120]
                if time.monotonic() >= t_end:      # cut off at the end of the window: not counted
                    break
                if conn is not None:
                    with lock:
                        open_socks.discard(conn.sock)
                    conn.close()
                    conn = None
            requests[kind] += 1
            if problem:
                failures[kind] += 1
                kinds_seen[problem] = kinds_seen.get(problem, 0) + 1
                time.sleep(0.05)
            if conn is not None and conn.closed_by_server:
                server_closes += 1
                with lock:
                    open_socks.discard(conn.sock)
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            for k in KINDS:
                totals['requests'][k] += requests[k]
                totals['failures'][k] += failures[k]
            totals['connects'] += connects
            totals['server_closes'] += server_closes
            for k, v in kinds_seen.items():
                totals['failure_kinds'][k] = totals['failure_kinds'].get(k, 0) + v

    # Each connection from its own loopback source address (the front caps connections per source).
    B._source_counter = iter(range(seed * threads, 1 << 30))
    ts = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(threads)]
    for t in ts:
        t.start()
    while time.monotonic() < t_end:
        time.sleep(0.05)
    # A request still in flight after the deadline is not counted; give it a moment, then unblock.
    deadline = time.monotonic() + 30
    for t in ts:
        t.join(max(0.0, deadline - time.monotonic()))
    with lock:
        for s in list(open_socks):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    for t in ts:
        t.join(5)
    out_q.put(totals)


class Soak:
    def __init__(self, args):
        self.args = args
        self.tmp = self.certtmp = self.netns = None
        self.agent = None
        self.netns_dir_existed = True
        self.samples = []          # (seconds since start, rss kB, pss kB, pss kB of the agent's own processes)
        self.snapshots = {}        # label -> [(name, rss, pss)]

    def setup(self):
        self.tmp = tempfile.mkdtemp(prefix='amphora-soak-')
        os.chmod(self.tmp, 0o755)           # the front's user reaches the helper socket below it
        self.certtmp = tempfile.mkdtemp(prefix='amphora-soak-certs-', dir='/dev/shm')   # must be tmpfs
        pki = f'{self.tmp}/pki'
        subprocess.run(['bash', f'{B.REPO}/scripts/dev-pki.sh', pki, AMP_ID], check=True, stdout=subprocess.DEVNULL)
        self.pki = pki
        self.ctx = B.client_context(pki)
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj',
                        '/CN=www.example.com', '-keyout', f'{self.tmp}/listener.key', '-out',
                        f'{self.tmp}/listener.crt'], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(f'{self.tmp}/listener.crt', 'rb') as a, open(f'{self.tmp}/listener.key', 'rb') as b:
            self.listener_pem = a.read() + b.read()
        port, hb, fe = B.free_ports(3)
        self.netns_dir_existed = os.path.isdir('/run/netns')
        name = 'amps-' + os.urandom(4).hex()
        subprocess.run(['ip', 'netns', 'add', name], check=True)
        self.netns = name
        subprocess.run(['ip', '-n', name, 'link', 'set', 'dev', 'lo', 'up'], check=True)
        d = f'{self.tmp}/agent'
        os.makedirs(d)
        os.chmod(d, 0o755)
        base = f'{d}/base'
        with open(f'{d}/agent.conf', 'w') as f:
            f.write(f"""[amphora_agent]
agent_server_ca = {pki}/ca.pem
agent_server_cert = {pki}/server.pem
amphora_id = {AMP_ID}
agent_request_read_timeout = 180
[haproxy_amphora]
base_path = {base}
base_cert_dir = {self.certtmp}/certs
bind_host = 127.0.0.1
bind_port = {port}
haproxy_cmd = /usr/sbin/haproxy
[health_manager]
controller_ip_port_list = 127.0.0.1:{hb}
heartbeat_interval = 10
heartbeat_key = insecure-soak-key
[controller_worker]
loadbalancer_topology = SINGLE
[privsep]
front_user = amphora-front
helper_socket = {d}/run/helper.sock
audit_log = {d}/audit/audit.jsonl
service_manager = direct
netns = {self.netns}
""")
        self.haproxy_cfg = B.haproxy_config(f'{base}/{LB_ID}.sock', fe, 1000).encode()
        self.agent = B.Agent('ours', port, [f'{self.args.bin_dir}/amphora-agent', '--config-file', f'{d}/agent.conf'],
                             f'{self.tmp}/agent.log')

    def cleanup(self):
        if self.agent is not None:
            try:
                self.agent.stop()
            except Exception as e:     # keep cleaning up
                log(f'stopping the agent: {e}')
        B.reap_orphans(exclude=B.own_helper_processes())
        if self.netns:
            subprocess.run(['ip', 'netns', 'delete', self.netns], stderr=subprocess.DEVNULL)
            if not self.netns_dir_existed and os.path.isdir('/run/netns') and not os.listdir('/run/netns'):
                if os.path.ismount('/run/netns'):
                    subprocess.run(['umount', '/run/netns'], stderr=subprocess.DEVNULL)
                try:
                    os.rmdir('/run/netns')
                except OSError:
                    pass
        for d in (self.tmp, self.certtmp):
            if d:
                shutil.rmtree(d, ignore_errors=True)

    def sample(self, t0, label=None):
        rss, pss, rows = tree_memory(self.agent.pid)
        # The agent's own processes, without the short-lived `haproxy -c` checks and the haproxy they
        # run: their RSS, PSS and anonymous memory (heap and stacks: what a leak grows; PSS also moves
        # when other processes on the machine map the same binaries and libraries, or stop).
        own = [r for r in rows if r[0].startswith('amphora-')]
        self.samples.append((time.monotonic() - t0, rss, pss, sum(r[1] for r in own), sum(r[2] for r in own),
                             sum(r[3] for r in own)))
        if label:
            self.snapshots[label] = rows
        return rss, pss

    def run(self):
        a = self.args
        self.setup()
        started = self.agent.start(self.ctx, 60)
        log(f'agent pid {self.agent.pid} answers after {started:.2f} s')
        # Every certificate name and the configuration exist before the load (GETs then always find them).
        for n in CERT_NAMES:
            st, _, body = B.one_request(self.ctx, self.agent.port, 'PUT', f'/1.0/loadbalancer/{LB_ID}/certificates/{n}',
                                        self.listener_pem)
            if st != 200:
                raise B.BenchmarkBroken(f'certificate upload answers {st}: {B.short(body)}')
        st, _, body = B.one_request(self.ctx, self.agent.port, 'PUT', f'/1.0/loadbalancer/{AMP_ID}/{LB_ID}/haproxy',
                                    self.haproxy_cfg)
        if st != 202:
            raise B.BenchmarkBroken(f'haproxy configuration upload answers {st}: {B.short(body)}')

        procs_n = max(1, min(a.processes, a.connections))
        per = [a.connections // procs_n + (1 if i < a.connections % procs_n else 0) for i in range(procs_n)]
        mp = multiprocessing.get_context('fork')
        q = mp.Queue()
        t_start = time.monotonic() + 2.0
        t_end = t_start + a.seconds
        workers = [mp.Process(target=_client_process, args=(self.pki, self.agent.port, n, t_start, t_end,
                                                             self.listener_pem, self.haproxy_cfg, i, q), daemon=True)
                   for i, n in enumerate(per) if n]
        for w in workers:
            w.start()
        while time.monotonic() < t_start:
            time.sleep(0.01)
        log(f'{a.connections} connections from {len(workers)} client processes for {a.seconds} s')
        rss, pss = self.sample(t_start, 'start')
        log(f'memory at start: RSS {rss / 1024:.1f} MiB, PSS {pss / 1024:.1f} MiB')
        cpu0 = B.tree_cpu_ticks(self.agent.pid)
        middle_done = False
        next_sample = t_start + a.sample
        while time.monotonic() < t_end:
            time.sleep(0.2)
            if not self.agent.alive():
                raise B.BenchmarkBroken(f'the agent exited during the soak ({self.agent.proc.returncode}):\n'
                                        + self.agent.log_tail())
            now = time.monotonic()
            if not middle_done and now >= t_start + a.seconds / 2:
                middle_done = True
                rss, pss = self.sample(t_start, 'middle')
                log(f'memory at the middle: RSS {rss / 1024:.1f} MiB, PSS {pss / 1024:.1f} MiB')
            elif now >= next_sample and now < t_end - 1:
                rss, pss = self.sample(t_start)
                log(f'{now - t_start:5.0f} s: RSS {rss / 1024:.1f} MiB, PSS {pss / 1024:.1f} MiB')
            if now >= next_sample:
                next_sample += a.sample
        rss, pss = self.sample(t_start, 'end')
        cpu1 = B.tree_cpu_ticks(self.agent.pid)
        log(f'memory at the end: RSS {rss / 1024:.1f} MiB, PSS {pss / 1024:.1f} MiB')
        totals = []
        for _ in workers:
            totals.append(q.get(timeout=120))
        for w in workers:
            w.join(10)
        # After the load: the agent still answers, and its memory once it is idle.
        time.sleep(2)
        st, _, _ = B.one_request(self.ctx, self.agent.port, 'GET', '/1.0/info')
        rss_idle, pss_idle = self.sample(t_start, 'idle after')
        return self.summary(totals, cpu1 - cpu0, st, rss_idle, pss_idle)

    def summary(self, totals, cpu_ticks, after_status, rss_idle, pss_idle):
        a = self.args
        req = {k: sum(t['requests'][k] for t in totals) for k in KINDS}
        fail = {k: sum(t['failures'][k] for t in totals) for k in KINDS}
        kinds = {}
        for t in totals:
            for k, v in t['failure_kinds'].items():
                kinds[k] = kinds.get(k, 0) + v
        n, errors = sum(req.values()), sum(fail.values())
        # Growth: the load's samples after the first fifth (warm-up: buffers, caches, connection state)
        # compared first third against last third of that span.
        load = [s for s in self.samples if s[0] <= a.seconds + 1]
        warm = [s for s in load if s[0] >= a.seconds / 5] or load
        third = max(1, len(warm) // 3)
        early = sum(s[5] for s in warm[:third]) / third
        late = sum(s[5] for s in warm[-third:]) / third
        growth_kb = late - early
        # Flat: under 5 % or 2 MiB between the early and the late third of the warm samples.
        flat = growth_kb < max(2048, 0.05 * early)
        verdict = ('flat' if flat else 'GROWING') + \
            f' (anonymous memory of the amphora-* processes: mean {early / 1024:.1f} MiB in the first third after warm-up, {late / 1024:.1f} MiB in the last: ' \
            f'{growth_kb / 1024:+.1f} MiB)'
        result = {
            'seconds': a.seconds, 'connections': a.connections, 'processes': a.processes,
            'bin_dir': a.bin_dir, 'requests': n, 'failed': errors, 'per_kind': {k: [req[k], fail[k]] for k in KINDS},
            'rate_per_s': n / a.seconds, 'connects': sum(t['connects'] for t in totals),
            'server_closes': sum(t['server_closes'] for t in totals), 'failure_kinds': kinds,
            'agent_cpu_s': cpu_ticks / B.CLK_TCK, 'samples': self.samples,
            'snapshots': self.snapshots, 'verdict': verdict, 'flat': flat,
            'after_load_info_status': after_status, 'idle_after': [rss_idle, pss_idle],
        }
        print()
        print(f'SOAK {a.seconds} s, {a.connections} keep-alive mutual-TLS connections ({a.processes} client '
              f'processes), agent from {a.bin_dir}')
        print(f'requests {n} ({n / a.seconds:.0f}/s), failed {errors}; connections opened {result["connects"]} '
              f'(closed by the server {result["server_closes"]}); agent CPU {result["agent_cpu_s"]:.0f} s')
        print('  ' + ', '.join(f'{k} {req[k]}' + (f' ({fail[k]} failed)' if fail[k] else '') for k in KINDS))
        for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])[:10]:
            print(f'  FAILED x{v}: {k}')
        print('memory of the agent\'s process tree (kB):')
        print('  t (s)      RSS      PSS   (all)    RSS      PSS  anonymous (amphora-* only, without haproxy and its checks)')
        for t, rss, pss, own_rss, own_pss, own_anon in self.samples:
            print(f'  {t:5.0f} {rss:8d} {pss:8d}       {own_rss:8d} {own_pss:8d} {own_anon:8d}')
        for label in ('start', 'middle', 'end', 'idle after'):
            rows = self.snapshots.get(label, [])
            print(f'  {label}: ' + ', '.join(f'{name} {rss}/{pss}/{anon}' for name, rss, pss, anon in rows)
                  + '  (RSS/PSS/anonymous kB)')
        print(f'GET /1.0/info after the load: {after_status}')
        print(f'memory verdict: {verdict}')
        return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bin-dir', required=True, help='where amphora-agent is')
    ap.add_argument('--seconds', type=int, default=600)
    ap.add_argument('--connections', type=int, default=128)
    ap.add_argument('--processes', type=int, default=4, help='client processes the connections are spread over')
    ap.add_argument('--sample', type=float, default=0, help='memory sample interval in seconds (default: seconds/20, at least 5)')
    ap.add_argument('--json', help='also write the raw results here')
    args = ap.parse_args()
    if args.seconds < 10 or args.connections < 1:
        ap.error('--seconds must be at least 10 and --connections at least 1')
    args.sample = args.sample or max(5.0, args.seconds / 20)
    args.bin_dir = os.path.abspath(args.bin_dir)
    if os.geteuid() != 0:
        sys.exit('soak.py: run as root (the agent starts root processes)')
    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f'signal {signum}')
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    soak = Soak(args)
    try:
        result = soak.run()
    except B.BenchmarkBroken as e:
        log(f'BROKEN: {e}')
        return 1
    except KeyboardInterrupt as e:
        log(f'interrupted ({e}); cleaning up')
        return 130
    finally:
        soak.cleanup()
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(result, f, indent=1, sort_keys=True)
    if result['failed'] or result['after_load_info_status'] != 200:
        log('FAILED: requests failed (see above)')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
