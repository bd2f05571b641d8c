#!/usr/bin/env python3
"""Records which functions of the agent's own executables run, for lld's --symbol-ordering-file.

Why: the kernel maps file pages around every fault 64 KiB at a time (fault_around_bytes) and reads
executables ahead, so the front's scattered first calls keep most of its 12 MiB of code resident
(docs/performance.md, "Memory"). Linked with the functions that run next to each other, the same
calls touch a few MiB.

How: the executables are dropped from the page cache and the block device's read-ahead is set to 0
for the run (restored after it), so a page of code is in memory only if a process touched it. The
agent then starts and serves what a controller asks of it (the benchmark's requests: status, info,
details, listeners, a certificate, a configuration upload and reload, concurrent connections, an
error). Then every page of the executables is taken out of the processes and the page cache, and
the same requests run again: the pages that come back are what a serving agent runs. The
executables are linked in the recording layout for this (every function on pages of its own:
AMPHORA_RECORDING_LAYOUT=1, linker/recording-layout.ld), so the resident pages of each executable
(`/proc/<pid>/pagemap`) name exactly the functions that ran (`nm`). `linker/<executable>.order` lists
the functions serving runs, then those only the start runs (a serving front unmaps the start's
code: `ResidentPages.unmapCode`).

Usage: bash scripts/record-symbol-order.sh (root; it links the release build in the recording
layout, runs this on its BIN_DIR: python3 scripts/record-symbol-order.py BIN_DIR, then links it
again with the new order). See linker/README.md.
"""
import ctypes
import http.client
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'Tests', 'Conformance'))
import octavia_common  # noqa: E402

AMP_ID = '7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b'
LB_ID = '11111111-2222-3333-4444-555555555555'
LISTENER_ID = '99999999-0000-0000-0000-000000000001'
CERT_NAME = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.pem'
# The executables of the process tree (amphora-helper also runs as the launcher).
RECORDED = ['amphora-front', 'amphora-helper', 'amphora-agent', 'amphora-prometheus-proxy']
PAGE = 4096
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long


class Iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('length', ctypes.c_size_t)]

RUNS = 3


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def read_ahead_file(path):
    """The read_ahead_kb file of the block device holding `path`."""
    st = os.stat(path)
    dev = f'/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}'
    for candidate in (f'{dev}/queue/read_ahead_kb', f'{dev}/../queue/read_ahead_kb'):
        if os.path.exists(candidate):
            return os.path.realpath(candidate)
    sys.exit(f'record-symbol-order: no read_ahead_kb for {path} ({dev})')


def drop_from_page_cache(path):
    """Drops `path` from the page cache (written back first: a fresh link leaves it dirty, and dirty
    pages stay)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def process_tree(root):
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += [int(p) for p in subprocess.run(['pgrep', '-P', str(pid)], capture_output=True,
                                                 text=True).stdout.split()]
    return out


def resident_offsets(pid, binary):
    """File offsets of the pages of `binary` that process `pid` has mapped, and its load bias."""
    maps = []
    with open(f'/proc/{pid}/maps') as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and os.path.realpath(parts[5]) == binary:
                start, end = (int(x, 16) for x in parts[0].split('-'))
                maps.append((start, end, int(parts[2], 16)))
    offsets = set()
    with open(f'/proc/{pid}/pagemap', 'rb') as pm:
        for start, end, offset in maps:
            pm.seek(start // PAGE * 8)
            entries = pm.read((end - start) // PAGE * 8)
            for i in range((end - start) // PAGE):
                if struct.unpack_from('Q', entries, i * 8)[0] >> 63:
                    offsets.add(offset + i * PAGE)
    return offsets


def text_symbols(binary):
    """(address, size, name) of the binary's function symbols, and (vaddr, offset, size) of its
    loadable segments."""
    syms = []
    out = subprocess.run(['nm', '-S', '--defined-only', binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in 'tTwW':
            syms.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    segments = []
    out = subprocess.run(['readelf', '-lW', binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == 'LOAD':
            segments.append((int(parts[2], 16), int(parts[1], 16), int(parts[4], 16)))
    return sorted(syms), segments


def ordered_functions(binary, hot_offsets, offsets):
    """The functions on the pages a serving agent touched (`hot_offsets`), then those on the other
    touched pages (`offsets`: the start's), each group in its order in `binary`. `binary` is linked
    in the recording layout (every function on pages of its own), so a touched page names exactly
    the function that ran. A serving process that unmaps its start's code
    (`ResidentPages.unmapCode`) maps again only what serving runs, and finds it together."""
    syms, segments = text_symbols(binary)

    def pages_of(file_offsets):
        pages = set()
        for off in file_offsets:
            for vaddr, seg_off, size in segments:
                if seg_off <= off < seg_off + size:
                    pages.add((vaddr + off - seg_off) // PAGE)
        return pages

    hot_pages, pages = pages_of(hot_offsets), pages_of(offsets)
    serving, start, seen = [], [], set()
    for addr, size, name in syms:
        if name in seen:
            continue
        span = range(addr // PAGE, (addr + max(size, 1) - 1) // PAGE + 1)
        if any(p in hot_pages for p in span):
            serving.append(name)
        elif any(p in pages for p in span):
            start.append(name)
        else:
            continue
        seen.add(name)
    return serving, start


def page_out(pid, binary):
    """Takes `binary`'s pages out of process `pid` (process_madvise(MADV_PAGEOUT)); once no process
    maps them, `drop_from_page_cache` takes them out of the page cache: with read-ahead off, a page
    is back only once touched again."""
    pidfd = LIBC.syscall(434, pid, 0)          # pidfd_open
    if pidfd < 0:
        return
    try:
        with open(f'/proc/{pid}/maps') as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and os.path.realpath(parts[5]) == binary:
                    start, end = (int(x, 16) for x in parts[0].split('-'))
                    vec = Iovec(start, end - start)
                    LIBC.syscall(440, pidfd, ctypes.byref(vec), 1, 21, 0)   # process_madvise, MADV_PAGEOUT
    except OSError:
        pass
    finally:
        os.close(pidfd)


class Client:
    def __init__(self, pki, port):
        self.ctx = ssl.create_default_context(cafile=f'{pki}/ca.pem')
        self.ctx.load_cert_chain(f'{pki}/client.crt', f'{pki}/client.key')
        self.ctx.check_hostname = False
        self.port = port
        self.conn = None

    def call(self, method, path, body=None, new=False):
        if new or self.conn is None:
            if self.conn:
                self.conn.close()
            self.conn = http.client.HTTPSConnection('127.0.0.1', self.port, context=self.ctx, timeout=120)
        self.conn.request(method, path, body)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, data


def workload(pki, port, base, listener_pem, frontend_port):
    c = Client(pki, port)
    lb = f'/1.0/loadbalancer/{LB_ID}'
    cfg = octavia_common.haproxy_http_config(LB_ID, LISTENER_ID, 'pool1', f'{base}/{LB_ID}.sock',
                                             f'127.0.0.1:{frontend_port}', '127.0.0.1:9').encode()
    steps = [('GET', '/', None), ('GET', '/1.0/info', None), ('GET', '/1.0/details', None),
             ('GET', '/1.0/listeners', None), ('PUT', f'{lb}/certificates/{CERT_NAME}', listener_pem),
             ('GET', f'{lb}/certificates/{CERT_NAME}', None), ('PUT', f'/1.0/loadbalancer/{AMP_ID}/{LB_ID}/haproxy', cfg),
             ('PUT', f'{lb}/reload', None), ('GET', '/1.0/listeners', None), ('GET', f'{lb}/haproxy', None),
             ('GET', '/1.0/no-such-path', None), ('PUT', f'/1.0/loadbalancer/{AMP_ID}/{LB_ID}/haproxy', cfg),
             ('GET', '/1.0/details', None)]
    for method, path, body in steps:
        status, data = c.call(method, path, body)
        if status >= 400 and not path.endswith('no-such-path'):
            print(f'record-symbol-order: {method} {path}: {status} {data[:200]!r}', file=sys.stderr)
    for i in range(20):
        for path in ('/', '/1.0/info', '/1.0/details'):
            c.call('GET', path, new=(i % 2 == 0))

    def load():
        own = Client(pki, port)
        for i in range(30):
            try:
                own.call('GET', '/' if i % 2 else '/1.0/info', new=(i % 5 == 0))
            except OSError:     # a connection the front refused or reset: the next call opens one
                own.conn = None
    threads = [threading.Thread(target=load) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def start_agent(bin_dir, tmp, port):
    agent = subprocess.Popen([f'{bin_dir}/amphora-agent', '--config-file', f'{tmp}/agent.conf'],
                             stdout=open(f'{tmp}/agent.log', 'a'), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            Client(f'{tmp}/pki', port).call('GET', '/')
            return agent
        except OSError:
            if time.monotonic() > deadline or agent.poll() is not None:
                stop_agent(agent)
                sys.exit(f'record-symbol-order: the agent did not answer; see {tmp}/agent.log')
            time.sleep(0.05)


def stop_agent(agent):
    if agent.poll() is None:
        agent.terminate()
        try:
            agent.wait(30)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait()


def main():
    args = sys.argv[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    bin_dir = os.path.realpath(args[0])
    binaries = {name: os.path.realpath(f'{bin_dir}/{name}') for name in RECORDED}
    tmp = tempfile.mkdtemp(prefix='amphora-order-')
    os.chmod(tmp, 0o755)
    certs = tempfile.mkdtemp(prefix='amphora-order-certs-', dir='/dev/shm')
    netns = 'ampo-' + os.urandom(4).hex()
    ra_file = read_ahead_file(binaries['amphora-front'])
    with open(ra_file) as f:
        read_ahead = f.read().strip()
    agent = None
    # A TERM or HUP ends the recording through the cleanup below, as Ctrl-C does.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda received, frame: sys.exit(128 + received))
    try:
        subprocess.run(['bash', f'{REPO}/scripts/dev-pki.sh', f'{tmp}/pki', AMP_ID], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=www.example.com',
                        '-keyout', f'{tmp}/l.key', '-out', f'{tmp}/l.crt'], check=True, capture_output=True)
        listener_pem = open(f'{tmp}/l.crt', 'rb').read() + open(f'{tmp}/l.key', 'rb').read()
        subprocess.run(['ip', 'netns', 'add', netns], check=True)
        subprocess.run(['ip', '-n', netns, 'link', 'set', 'dev', 'lo', 'up'], check=True)
        port, frontend_port, hb_port = free_port(), free_port(), free_port()
        base = f'{tmp}/base'
        with open(f'{tmp}/agent.conf', 'w') as f:
            f.write(f"""[amphora_agent]
agent_server_ca = {tmp}/pki/ca.pem
agent_server_cert = {tmp}/pki/server.pem
amphora_id = {AMP_ID}
[haproxy_amphora]
base_path = {base}
base_cert_dir = {certs}/certs
bind_host = 127.0.0.1
bind_port = {port}
haproxy_cmd = /usr/sbin/haproxy
[health_manager]
controller_ip_port_list = 127.0.0.1:{hb_port}
heartbeat_key = insecure-record-key
heartbeat_interval = 1
[controller_worker]
loadbalancer_topology = SINGLE
[privsep]
front_user = amphora-front
helper_socket = {tmp}/run/helper.sock
audit_log = {tmp}/audit/audit.jsonl
service_manager = direct
netns = {netns}
""")
        # Which code runs varies a little between runs (timing, threads): the union of a few.
        offsets = {name: set() for name in RECORDED}
        hot_offsets = {name: set() for name in RECORDED}

        def record(into):
            for pid in process_tree(agent.pid):
                try:
                    exe = os.path.realpath(f'/proc/{pid}/exe')
                except OSError:
                    continue
                for name in RECORDED:
                    if exe == binaries[name]:
                        into[name] |= resident_offsets(pid, binaries[name])

        for run in range(RUNS):
            for path in binaries.values():
                drop_from_page_cache(path)
            with open(ra_file, 'w') as f:
                f.write('0')
            agent = start_agent(bin_dir, tmp, port)
            workload(f'{tmp}/pki', port, base, listener_pem, frontend_port)
            time.sleep(1)
            record(offsets)
            # Serving again with every page of the executables gone: what comes back is what a
            # serving agent runs.
            for pid in process_tree(agent.pid):
                for path in binaries.values():
                    page_out(pid, path)
            for path in binaries.values():
                drop_from_page_cache(path)
            workload(f'{tmp}/pki', port, base, listener_pem, frontend_port)
            time.sleep(2.5)     # two heartbeats (heartbeat_interval 1): their code runs in a serving agent too
            record(hot_offsets)
            stop_agent(agent)
            with open(ra_file, 'w') as f:
                f.write(read_ahead)
            shutil.rmtree(base, ignore_errors=True)
        for name in RECORDED:
            out = f'{REPO}/linker/{name}.order'
            serving, start = ordered_functions(binaries[name], hot_offsets[name], offsets[name] | hot_offsets[name])
            with open(out + '.tmp', 'w') as f:
                f.write('# serving: the functions a serving agent runs (scripts/record-symbol-order.py)\n')
                f.write(''.join(n + '\n' for n in serving))
                f.write('# start: the functions only the start runs\n')
                f.write(''.join(n + '\n' for n in start))
            os.replace(out + '.tmp', out)
            print(f'record-symbol-order: {name}: {len(serving)} functions serving, {len(start)} at start only '
                  f'(pages touched: {len(offsets[name]) * PAGE // 1024} KiB in {RUNS} runs, '
                  f'{len(hot_offsets[name]) * PAGE // 1024} KiB again when serving) -> {os.path.relpath(out, REPO)}')
    finally:
        with open(ra_file, 'w') as f:
            f.write(read_ahead)
        if agent:
            stop_agent(agent)
        subprocess.run(['ip', 'netns', 'del', netns], stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(certs, ignore_errors=True)


if __name__ == '__main__':
    main()
