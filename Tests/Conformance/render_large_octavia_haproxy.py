#!/usr/bin/env python3
"""Render one large load balancer's haproxy configuration with Octavia's own JinjaTemplater
(combined_listeners), to size and test the agent's upload limits (docs/limits.md).

Run with the venv's python (Tests/Conformance/ensure-venv.sh):
  render_large_octavia_haproxy.py --lb LB_ID --base-path DIR --cert-dir DIR
      [--listeners 50] [--members 200] [--profile plain|longest] [--ciphers N]
      [--connection-limit N] [--amphora AMP_ID] [--cpu-count N] [--write-certs] OUTFILE

Every listener has its own pool of MEMBERS members, every id is a UUID as Octavia's database
gives them. Profiles:
  plain    HTTP listeners, HTTP pools with an HTTP health monitor, IPv4 members: the common case.
  longest  every option that lengthens a `server` line at once: TERMINATED_HTTPS listeners with
           SNI, client authentication (CA and CRL) and every inserted header; PROXYV2 pools with
           backend re-encryption (client certificate, CA, CRL, ciphers, TLS versions, ALPN), an
           HTTPS health monitor with a monitor address and port, HTTP_COOKIE persistence, backup
           members; IPv6 member addresses of the longest textual form. Octavia's API does not
           accept every one of these combinations in one pool, so this over-estimates. Monitor
           addresses are IPv4: Octavia renders `addr <address>` unbracketed, and haproxy 2.6 reads
           the last group of an IPv6 address there as a port and refuses the configuration.
--ciphers N sets every pool's backend cipher string to N characters of distinct cipher names (the
API accepts up to 2048; the templater removes duplicates, so N bytes per server line at most).
--cpu-count N is the amphora's `cpu_count` as GET /1.0/details reports it (the templater derives
nbthread and cpu-map from it; default 4).
--write-certs writes the TLS files the configuration names (see render_octavia_haproxy.py) so
that `haproxy -c` can load it.
Prints one line: `rendered BYTES bytes, LINES lines, SERVERS servers, longest server line N bytes`.
"""
import os
import random
import sys
import uuid

from octavia.common import constants
from octavia.common.jinja.haproxy.combined_listeners import jinja_cfg
from octavia.tests.unit.common.sample_configs import sample_configs_combined as sc
from octavia_lib.common import constants as lib_consts

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import haproxy_renderer  # noqa: E402
from render_octavia_haproxy import write_certs  # noqa: E402

# Cipher names OpenSSL 3 knows for TLS 1.2 and below (distinct, so the templater keeps them all).
CIPHER_NAMES = [
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "DHE-DSS-AES256-GCM-SHA384",
    "DHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    "DHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES256-CCM8", "ECDHE-ECDSA-AES256-CCM", "DHE-RSA-AES256-CCM8",
    "DHE-RSA-AES256-CCM", "ECDHE-ECDSA-ARIA256-GCM-SHA384", "ECDHE-ARIA256-GCM-SHA384",
    "DHE-DSS-ARIA256-GCM-SHA384", "DHE-RSA-ARIA256-GCM-SHA384", "ADH-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "DHE-DSS-AES128-GCM-SHA256",
    "DHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-CCM8", "ECDHE-ECDSA-AES128-CCM", "DHE-RSA-AES128-CCM8",
    "DHE-RSA-AES128-CCM", "ECDHE-ECDSA-ARIA128-GCM-SHA256", "ECDHE-ARIA128-GCM-SHA256",
    "DHE-DSS-ARIA128-GCM-SHA256", "DHE-RSA-ARIA128-GCM-SHA256", "ADH-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "DHE-RSA-AES256-SHA256", "DHE-DSS-AES256-SHA256",
    "ECDHE-ECDSA-CAMELLIA256-SHA384", "ECDHE-RSA-CAMELLIA256-SHA384", "DHE-RSA-CAMELLIA256-SHA256",
    "DHE-DSS-CAMELLIA256-SHA256", "ADH-AES256-SHA256", "ADH-CAMELLIA256-SHA256", "ECDHE-ECDSA-AES128-SHA256",
    "ECDHE-RSA-AES128-SHA256", "DHE-RSA-AES128-SHA256", "DHE-DSS-AES128-SHA256",
    "ECDHE-ECDSA-CAMELLIA128-SHA256", "ECDHE-RSA-CAMELLIA128-SHA256", "DHE-RSA-CAMELLIA128-SHA256",
    "DHE-DSS-CAMELLIA128-SHA256", "ADH-AES128-SHA256", "ADH-CAMELLIA128-SHA256", "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA", "DHE-RSA-AES256-SHA", "DHE-DSS-AES256-SHA", "DHE-RSA-CAMELLIA256-SHA",
    "DHE-DSS-CAMELLIA256-SHA", "AECDH-AES256-SHA", "ADH-AES256-SHA", "ADH-CAMELLIA256-SHA",
    "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-SHA", "DHE-DSS-AES128-SHA",
    "DHE-RSA-SEED-SHA", "DHE-DSS-SEED-SHA", "DHE-RSA-CAMELLIA128-SHA", "DHE-DSS-CAMELLIA128-SHA",
    "AECDH-AES128-SHA", "ADH-AES128-SHA", "ADH-SEED-SHA", "ADH-CAMELLIA128-SHA", "RSA-PSK-AES256-GCM-SHA384",
    "DHE-PSK-AES256-GCM-SHA384", "RSA-PSK-CHACHA20-POLY1305", "DHE-PSK-CHACHA20-POLY1305",
    "ECDHE-PSK-CHACHA20-POLY1305", "DHE-PSK-AES256-CCM8", "DHE-PSK-AES256-CCM", "RSA-PSK-ARIA256-GCM-SHA384",
    "DHE-PSK-ARIA256-GCM-SHA384", "AES256-GCM-SHA384", "AES256-CCM8", "AES256-CCM", "ARIA256-GCM-SHA384",
    "PSK-AES256-GCM-SHA384", "PSK-CHACHA20-POLY1305", "PSK-AES256-CCM8", "PSK-AES256-CCM",
    "PSK-ARIA256-GCM-SHA384", "RSA-PSK-AES128-GCM-SHA256", "DHE-PSK-AES128-GCM-SHA256",
    "DHE-PSK-AES128-CCM8", "DHE-PSK-AES128-CCM", "RSA-PSK-ARIA128-GCM-SHA256", "DHE-PSK-ARIA128-GCM-SHA256",
    "AES128-GCM-SHA256", "AES128-CCM8", "AES128-CCM", "ARIA128-GCM-SHA256", "PSK-AES128-GCM-SHA256",
    "PSK-AES128-CCM8", "PSK-AES128-CCM", "PSK-ARIA128-GCM-SHA256", "AES256-SHA256", "CAMELLIA256-SHA256",
    "AES128-SHA256", "CAMELLIA128-SHA256",
]


def cipher_string(length):
    """Distinct cipher names joined by ':', as close to `length` characters as they allow."""
    names, total = [], 0
    for name in CIPHER_NAMES:
        extra = len(name) + (1 if names else 0)
        if total + extra > length:
            break
        names.append(name)
        total += extra
    return ":".join(names)


def main():
    parser = haproxy_renderer.argument_parser()
    parser.add_argument("--listeners", type=int, default=50)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--profile", choices=["plain", "longest"], default="plain")
    parser.add_argument("--ciphers", type=int, help="backend cipher string length (longest profile)")
    parser.add_argument("--connection-limit", type=int,
                        help="every listener's connection limit (Octavia's default, 50000, needs 100000 fds each)")
    parser.add_argument("--cpu-count", type=int, default=4, help="the amphora's cpu_count (GET /1.0/details)")
    parser.add_argument("--write-certs", action="store_true")
    parser.add_argument("outfile")
    args = parser.parse_args()

    haproxy_renderer.configure_octavia(args)
    rng = random.Random(16)

    def new_id():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    longest = args.profile == "longest"
    lb_dir = os.path.join(args.cert_dir, args.lb)
    tls_certs = {"cont_id_ca": "client_ca.pem", "cont_id_crl": "client_crl.pem"}
    listeners, listener_ids = [], []
    lb = None
    for index in range(args.listeners):
        if longest:
            base = sc.sample_listener_tuple(
                proto="TERMINATED_HTTPS", tls=True, sni=True, client_ca_cert=True, client_crl_cert=True,
                be_proto=lib_consts.PROTOCOL_PROXYV2, monitor_proto="HTTPS", monitor_ip_port=True,
                persistence_type="HTTP_COOKIE", persistence_cookie="JSESSIONID", tls_enabled=True,
                pool_cert=True, pool_ca_cert=True, pool_crl=True, backup_member=True,
                insert_headers={h: "true" for h in (
                    "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto", "X-SSL-Client-Verify",
                    "X-SSL-Client-Has-Cert", "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Issuer",
                    "X-SSL-Client-SHA1", "X-SSL-Client-Not-Before", "X-SSL-Client-Not-After")})
        else:
            base = sc.sample_listener_tuple(proto="HTTP", monitor_proto="HTTP", persistence=False)
        listener_id, pool_id = new_id(), new_id()
        listener_ids.append(listener_id)
        template_member = base.default_pool.members[-1]
        members = []
        for m in range(args.members):
            if longest:
                address = f"2001:db8:ffff:ffff:ffff:ffff:{0xf000 + index:x}:{0xf000 + m:x}"
                members.append(template_member._replace(
                    id=new_id(), ip_address=address, protocol_port=65535, weight=256,
                    monitor_address=f"198.51.{100 + index % 100}.{100 + m % 155}", monitor_port=65535))
            else:
                members.append(template_member._replace(
                    id=new_id(), ip_address=f"198.51.100.{1 + m % 254}", protocol_port=10000 + index))
        pool = base.default_pool._replace(id=pool_id, members=members)
        if longest and args.ciphers:
            pool = pool._replace(tls_ciphers=cipher_string(args.ciphers))
        if lb is None:
            amphorae = [a._replace(status=constants.AMPHORA_ALLOCATED) for a in base.load_balancer.amphorae]
            if args.amphora:
                amphorae[0] = amphorae[0]._replace(id=args.amphora)
            lb = base.load_balancer._replace(id=args.lb, amphorae=amphorae,
                                             vip=sc.sample_vip_tuple(ip_address="203.0.113.100"))
        listener = base._replace(
            id=listener_id, protocol_port=1000 + index, default_pool=pool, pools=[pool], load_balancer=lb)
        if args.connection_limit:
            listener = listener._replace(connection_limit=args.connection_limit)
        listeners.append(listener)
        if longest:
            tls_certs[pool_id] = {"client_cert": os.path.join(lb_dir, "pool_client.pem"),
                                  "ca_cert": os.path.join(lb_dir, "pool_ca.pem"),
                                  "crl": os.path.join(lb_dir, "pool_crl.pem")}

    if args.write_certs:
        write_certs(lb_dir, listener_ids)
    amp_details = {"active_tuned_profiles": "virtual-guest optimize-serial-console amphora", "cpu_count": args.cpu_count,
                   "memory": {"free": 10_000_000, "buffers": 100_000, "cached": 100_000}}
    templater = jinja_cfg.JinjaTemplater(base_amp_path=args.base_path, base_crt_dir=args.cert_dir)
    text = templater.build_config(sc.sample_amphora_tuple(), listeners, tls_certs, haproxy_renderer.HAPROXY_VERSION, amp_details)
    with open(args.outfile, "w") as f:
        f.write(text)
    servers = [line for line in text.splitlines() if line.strip().startswith("server ")]
    print(f"rendered {len(text.encode())} bytes, {text.count(chr(10))} lines, {len(servers)} servers, "
          f"longest server line {max((len(s.strip()) for s in servers), default=0)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
