#!/usr/bin/env python3
"""Render haproxy configurations with Octavia's own JinjaTemplater (combined_listeners) for a
matrix of load-balancer features, one file per case, into OUTDIR.

Run with the venv's python (Tests/Conformance/ensure-venv.sh):
  render_octavia_haproxy.py --lb LB_ID --base-path DIR --cert-dir DIR OUTDIR
      [--serve VIP:PORT MEMBER_IP:PORT]

The objects come from Octavia's own unit-test sample builders
(octavia.tests.unit.common.sample_configs.sample_configs_combined), so every template branch the
controller's own tests exercise is rendered here: every listener protocol, TLS termination with
SNI and client authentication (CA, CRL), backend re-encryption with client certificate/CA/CRL,
every algorithm, every session persistence type, every health monitor type, backup/disabled
members with monitor addresses, L7 policies and rules, PROXY/PROXYV2, PROMETHEUS, timeouts,
TLS versions/ciphers, ALPN, HSTS, inserted headers, ACTIVE_STANDBY peers, additional VIPs,
cpu pinning and the TLS session cache. With --serve, also `served.cfg`: one HTTP listener on
VIP:PORT with an HTTP health-monitored pool of one member MEMBER_IP:PORT.
"""
import os
import sys

from octavia.common import constants
from octavia.common.jinja.haproxy.combined_listeners import jinja_cfg
from octavia.tests.unit.common.sample_configs import sample_configs_combined as sc
from octavia_lib.common import constants as lib_consts

import haproxy_renderer  # beside this file

def write_certs(lb_dir, listener_ids):
    """A CA, a CRL, a server and a client certificate (with keys) at the paths the templates name."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "conformance CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))

    def leaf(cn, serial):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
                .issuer_name(ca_name).public_key(key.public_key()).serial_number(serial)
                .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        return (cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    crl = (x509.CertificateRevocationListBuilder().issuer_name(ca_name).last_update(now)
           .next_update(now + datetime.timedelta(days=30)).sign(ca_key, hashes.SHA256()))
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    crl_pem = crl.public_bytes(serialization.Encoding.PEM)
    os.makedirs(lb_dir, mode=0o700, exist_ok=True)
    files = {"server.pem": leaf("www.example.com", 2), "pool_client.pem": leaf("client.example.com", 3),
             "client_ca.pem": ca_pem, "pool_ca.pem": ca_pem, "client_crl.pem": crl_pem, "pool_crl.pem": crl_pem}
    for listener_id in listener_ids:
        files[f"{listener_id}.pem"] = (os.path.join(lb_dir, "server.pem") + "\n").encode()
    for name, data in files.items():
        with open(os.path.join(lb_dir, name), "wb") as f:
            f.write(data)
        os.chmod(os.path.join(lb_dir, name), 0o600)


def main():
    parser = haproxy_renderer.argument_parser()
    parser.add_argument("--serve", nargs=2, metavar=("VIP:PORT", "MEMBER:PORT"))
    parser.add_argument("--write-certs", action="store_true",
                        help="also write the TLS files the configurations name into CERT_DIR/LB")
    parser.add_argument("outdir")
    args = parser.parse_args()

    haproxy_renderer.configure_octavia(args)
    os.makedirs(args.outdir, exist_ok=True)

    lb_dir = os.path.join(args.cert_dir, args.lb)

    def pool_certs(pool_ids):
        return {pid: {"client_cert": os.path.join(lb_dir, "pool_client.pem"),
                      "ca_cert": os.path.join(lb_dir, "pool_ca.pem"),
                      "crl": os.path.join(lb_dir, "pool_crl.pem")} for pid in pool_ids}

    tls_certs = {"cont_id_ca": "client_ca.pem", "cont_id_crl": "client_crl.pem"}
    tls_certs.update(pool_certs(["sample_pool_id_0", "sample_pool_id_1", "sample_pool_id_2"]))

    def relabel(listener, lb_id=args.lb, algorithm=None, listener_id=None):
        lb = listener.load_balancer._replace(id=lb_id)
        # Allocated amphorae (the peers section lists only those); the first is this host.
        amphorae = [a._replace(status=constants.AMPHORA_ALLOCATED) for a in lb.amphorae]
        if args.amphora:
            amphorae[0] = amphorae[0]._replace(id=args.amphora)
        lb = lb._replace(amphorae=amphorae)
        changes = {"load_balancer": lb}
        if algorithm:
            changes["pools"] = [p._replace(lb_algorithm=algorithm) for p in (listener.pools or [])]
            if listener.default_pool:
                changes["default_pool"] = listener.default_pool._replace(lb_algorithm=algorithm)
        if listener_id:
            changes["id"] = listener_id
        return listener._replace(**changes)

    cases = {}
    L = sc.sample_listener_tuple
    for proto in ["HTTP", "HTTPS", "TCP"]:
        cases[f"{proto.lower()}"] = [L(proto=proto)]
    cases["terminated_https_sni_client_auth_crl"] = [L(proto="TERMINATED_HTTPS", tls=True, sni=True,
                                                       client_ca_cert=True, client_crl_cert=True)]
    cases["terminated_https_no_hsts"] = [L(proto="TERMINATED_HTTPS", tls=True, hsts_max_age=None)]
    cases["terminated_https_tls13_only"] = [L(proto="TERMINATED_HTTPS", tls=True,
                                              tls_versions=[lib_consts.TLS_VERSION_1_3])]
    cases["terminated_https_headers"] = [L(proto="TERMINATED_HTTPS", tls=True, client_ca_cert=True,
                                           insert_headers={h: "true" for h in (
                                               "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto",
                                               "X-SSL-Client-Verify", "X-SSL-Client-Has-Cert",
                                               "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Issuer",
                                               "X-SSL-Client-SHA1", "X-SSL-Client-Not-Before",
                                               "X-SSL-Client-Not-After")})]
    cases["http_headers"] = [L(proto="HTTP", insert_headers={"X-Forwarded-For": "true",
                                                             "X-Forwarded-Port": "true",
                                                             "X-Forwarded-Proto": "true"})]
    cases["proxy_backend"] = [L(proto="HTTP", be_proto="PROXY")]
    cases["proxyv2_backend"] = [L(proto="TCP", be_proto=lib_consts.PROTOCOL_PROXYV2)]
    cases["proxyv2_tls_listener"] = [L(proto="TERMINATED_HTTPS", tls=True,
                                       be_proto=lib_consts.PROTOCOL_PROXYV2)]
    cases["prometheus"] = [L(proto=lib_consts.PROTOCOL_PROMETHEUS, alloc_default_pool=False,
                             include_pools=False)]
    for persistence in ["SOURCE_IP", "HTTP_COOKIE", "APP_COOKIE"]:
        for topology in ["SINGLE", "ACTIVE_STANDBY"]:
            cases[f"persistence_{persistence.lower()}_{topology.lower()}"] = [L(
                proto="HTTP", persistence_type=persistence, persistence_cookie="JSESSIONID",
                topology=topology)]
    for monitor in ["HTTP", "HTTPS", "TCP", "PING", "TLS-HELLO"]:
        cases[f"monitor_{monitor.lower()}"] = [L(proto="HTTP", monitor_proto=monitor,
                                                 monitor_ip_port=True,
                                                 monitor_expected_codes="200-204")]
    cases["monitor_http11_host"] = [L(proto="HTTP", monitor_proto="HTTP", hm_host_http_check=True)]
    cases["no_monitor"] = [L(proto="TCP", monitor=False, persistence=False)]
    cases["members_backup_disabled"] = [L(proto="HTTP", backup_member=True, disabled_member=True)]
    cases["l7_policies"] = [L(proto="HTTP", l7=True)]
    cases["l7_ssl_rules"] = [L(proto="TERMINATED_HTTPS", tls=True, l7=True, ssl_type_l7=True,
                               client_ca_cert=True)]
    cases["pool_tls_full"] = [L(proto="HTTP", tls_enabled=True, pool_cert=True, pool_ca_cert=True,
                                pool_crl=True, backend_tls_ciphers="ECDHE-RSA-AES256-GCM-SHA384:TLS_AES_256_GCM_SHA384")]
    cases["pool_tls_ca_only"] = [L(proto="HTTP", tls_enabled=True, pool_ca_cert=True)]
    cases["pool_tls_https_monitor"] = [L(proto="HTTP", tls_enabled=True, monitor_proto="HTTPS")]
    cases["timeouts"] = [L(proto="TCP", timeout_client_data=1, timeout_member_connect=2,
                           timeout_member_data=3, timeout_tcp_inspect=4, connection_limit=5)]
    cases["additional_vips"] = [L(proto="HTTP", additional_vips=True)]
    cases["disabled_pool"] = [L(proto="HTTP", pool_enabled=False)]
    for algorithm in ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP", "SOURCE_IP_PORT"]:
        cases[f"algorithm_{algorithm.lower()}"] = [relabel(L(proto="HTTP"), algorithm=algorithm)]
    cases["two_listeners"] = [L(proto="HTTP"), L(proto="TCP", id="sample_listener_id_2")]

    if args.write_certs:
        write_certs(lb_dir, ["sample_listener_id_1", "sample_listener_id_2"])

    rendered = 0
    for name, listeners in sorted(cases.items()):
        listeners = [relabel(x) for x in listeners]
        for logging in (True, False):
            amp_details = {"active_tuned_profiles": "virtual-guest optimize-serial-console amphora",
                           "cpu_count": 4,
                           "memory": {"free": 10_000_000, "buffers": 100_000, "cached": 100_000}}
            templater = jinja_cfg.JinjaTemplater(base_amp_path=args.base_path, base_crt_dir=args.cert_dir,
                                                 connection_logging=logging)
            text = templater.build_config(sc.sample_amphora_tuple(), listeners, tls_certs,
                                          haproxy_renderer.HAPROXY_VERSION, amp_details)
            suffix = "" if logging else "_nolog"
            with open(os.path.join(args.outdir, f"{name}{suffix}.cfg"), "w") as f:
                f.write(text)
            rendered += 1

    if args.serve:
        vip, vip_port = args.serve[0].rsplit(":", 1)
        member, member_port = args.serve[1].rsplit(":", 1)
        # A connection limit the test machine's FD limit allows (the default, 50000, needs 100000 fds).
        listener = relabel(L(proto="HTTP", persistence=False, monitor_proto="HTTP", connection_limit=1000))
        pool = listener.default_pool
        members = [pool.members[0]._replace(ip_address=member, protocol_port=int(member_port),
                                            monitor_address=None, monitor_port=None)]
        pool = pool._replace(members=members, health_monitor=pool.health_monitor._replace(
            url_path="/", expected_codes="200", http_version=None, delay=1, timeout=1))
        lb = listener.load_balancer._replace(vip=sc.sample_vip_tuple(ip_address=vip))
        listener = listener._replace(protocol_port=int(vip_port), default_pool=pool, pools=[pool],
                                     load_balancer=lb)
        templater = jinja_cfg.JinjaTemplater(base_amp_path=args.base_path, base_crt_dir=args.cert_dir)
        text = templater.build_config(sc.sample_amphora_tuple(), [listener], tls_certs, haproxy_renderer.HAPROXY_VERSION, None)
        with open(os.path.join(args.outdir, "served.cfg"), "w") as f:
            f.write(text)
        rendered += 1
    print(f"rendered {rendered} configurations into {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
