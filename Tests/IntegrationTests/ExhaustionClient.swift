import Foundation
import Testing

/// The hostile clients of ``ExhaustionTests``, in Python (standard library): each mode holds many
/// connections of one kind against the real agent for a while (reopening those the server closes)
/// while a controller keeps asking `GET /1.0/info` over mutual TLS from 127.0.0.1, and asks once more
/// afterwards. A controller request may be retried (liveness, no timing): "ok" means every check was
/// answered 200 before the attack ended, "late" one answered only after it, "failed" one never.
enum ExhaustionClient {
    static let script = #"""
        import os, socket, ssl, sys, threading, time
        mode, port, amp, pki = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
        slots, hold = int(sys.argv[5]), float(sys.argv[6])
        ctx = ssl.create_default_context(cafile=pki + "/ca.pem")
        ctx.load_cert_chain(pki + "/client.crt", pki + "/client.key")
        # Attackers come from many loopback sources (at most 15 each, under the per-source cap), never
        # from 127.0.0.1, which is the controller's.
        sources = ["127.0.%d.%d" % (1 + i // 250, 1 + i % 250) for i in range((slots + 14) // 15)]
        lock = threading.Lock()
        stats = {"opened": 0, "refused": 0, "closed_by_server": 0, "held": 0, "peak": 0}

        def bump(key, n=1):
            with lock:
                stats[key] += n
                if key == "held": stats["peak"] = max(stats["peak"], stats["held"])

        def controller(path="/1.0/info", deadline_s=90):
            end, attempts, last = time.monotonic() + deadline_s, 0, ""
            while time.monotonic() < end:
                attempts += 1
                try:
                    raw = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=("127.0.0.1", 0))
                    s = ctx.wrap_socket(raw, server_hostname=amp)
                    s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, amp)).encode())
                    data = b""
                    while b"\r\n" not in data:
                        chunk = s.recv(4096)
                        if not chunk: raise ConnectionError("closed before the status line")
                        data += chunk
                    s.close()
                    status = data.split(b" ")[1].decode()
                    if status == "200": return True, attempts
                    last = "status " + status
                except (OSError, ssl.SSLError, ValueError, IndexError) as e:
                    last = "%s: %s" % (type(e).__name__, e)
                time.sleep(0.5)
            return False, last

        def open_plain(source):
            return socket.create_connection(("127.0.0.1", port), timeout=3, source_address=(source, 0))

        def open_partial_hello(source):
            s = open_plain(source)
            s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]))  # a ClientHello's first bytes
            return s

        def open_tls(source):
            raw = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
            return ctx.wrap_socket(raw, server_hostname=amp)

        def open_slow_body(source):
            s = open_tls(source)
            s.sendall(("PUT /1.0/loadbalancer/11111111-2222-3333-4444-555555555555/certificates/slow.pem HTTP/1.1\r\n"
                       "Host: %s\r\nContent-Length: 100000\r\n\r\n" % amp).encode())
            return s

        def open_half(source, index):
            s = open_tls(source)
            s.sendall(("GET /1.0/info HTTP/1.1\r\nHost: %s\r\nUser-Agent: half" % amp).encode())  # a head that never ends
            if index % 2 == 0:
                s.shutdown(socket.SHUT_WR)   # half-closed: FIN sent, still reading
            return s

        opener = {"flood": open_plain, "fdlimit": open_plain, "slowtls": open_partial_hello, "slowbody": open_slow_body}.get(mode)
        stop_at = time.monotonic() + 2 + hold

        def slot(i):
            source = sources[i % len(sources)]
            while time.monotonic() < stop_at:
                try:
                    s = open_half(source, i) if mode == "halfopen" else opener(source)
                except (OSError, ssl.SSLError):
                    bump("refused"); time.sleep(0.5); continue
                bump("opened"); bump("held")
                s.settimeout(1.0)
                try:
                    while time.monotonic() < stop_at:
                        if mode == "slowbody": s.sendall(b"x")      # one byte a second: never idle, never done
                        try:
                            if not s.recv(4096):
                                bump("closed_by_server"); break
                        except socket.timeout:
                            pass
                except (OSError, ssl.SSLError):
                    bump("closed_by_server")
                finally:
                    bump("held", -1)
                    s.close()
                if mode == "halfopen":
                    return    # not reopened: the count of those the server closed is the result
            return

        threads = [threading.Thread(target=slot, args=(i,), daemon=True) for i in range(slots)]
        for t in threads: t.start()
        time.sleep(2)
        ok = late = failed = 0
        last_failure = ""
        while time.monotonic() < stop_at - 1:
            good, detail = controller()
            if not good: failed += 1; last_failure = detail
            elif time.monotonic() < stop_at: ok += 1
            else: late += 1
            time.sleep(0.5)
        for t in threads: t.join(15)
        print("attack opened=%(opened)d refused=%(refused)d closed_by_server=%(closed_by_server)d peak=%(peak)d" % stats)
        print("during ok=%d late=%d failed=%d %s" % (ok, late, failed, last_failure))
        good, detail = controller()
        print("after", "ok" if good else "failed " + str(detail))
        """#

    /// Runs `mode` with `slots` hostile connections held for `hold` seconds; returns the output lines.
    static func run(_ mode: String, agent: AgentHarness, slots: Int, hold: Int) throws -> [String] {
        let result = try Shell.run(
            "/usr/bin/python3", ["-c", script, mode, String(agent.port), AgentHarness.amphoraID, agent.pki, String(slots), String(hold)],
            check: false)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The integer after `key=` in the line starting with `prefix` (-1 when absent).
    static func figure(_ lines: [String], _ prefix: String, _ key: String) -> Int {
        guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return -1 }
        for word in line.split(separator: " ") where word.hasPrefix(key + "=") {
            return Int(word.dropFirst(key.count + 1)) ?? -1
        }
        return -1
    }
}
