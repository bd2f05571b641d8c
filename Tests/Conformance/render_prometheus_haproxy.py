#!/usr/bin/env python3
"""Render, with Octavia's own JinjaTemplater (combined_listeners), a load balancer whose one listener
is a PROMETHEUS listener on VIP:PORT, as the controller renders it (haproxy 2.x: the template adds the
internal exporter frontend on 127.0.0.1:9101 and the backend pointing at prometheus-proxy on
127.0.0.1:9102). Run with the venv's python (Tests/Conformance/ensure-venv.sh):
  render_prometheus_haproxy.py --lb LB_ID --base-path DIR --cert-dir DIR --vip VIP:PORT OUTFILE
"""
import argparse
import sys

from oslo_config import cfg

from octavia.common import config  # noqa: F401  (registers the options)
from octavia.common import constants
from octavia.common.jinja.haproxy.combined_listeners import jinja_cfg
from octavia.tests.unit.common.sample_configs import sample_configs_combined as sc
from octavia_lib.common import constants as lib_consts

HAPROXY_VERSION = ("2", "6", "12")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lb", required=True)
    parser.add_argument("--base-path", required=True)
    parser.add_argument("--cert-dir", required=True)
    parser.add_argument("--vip", required=True, metavar="VIP:PORT")
    parser.add_argument("--amphora", help="the host amphora's id (haproxy's local peer)")
    parser.add_argument("outfile")
    args = parser.parse_args()

    conf = cfg.CONF
    conf([], project="octavia", default_config_files=[])
    conf.set_override("base_path", args.base_path, group="haproxy_amphora")
    conf.set_override("base_cert_dir", args.cert_dir, group="haproxy_amphora")

    vip, vip_port = args.vip.rsplit(":", 1)
    listener = sc.sample_listener_tuple(proto=lib_consts.PROTOCOL_PROMETHEUS, alloc_default_pool=False,
                                        include_pools=False, connection_limit=1000)
    lb = listener.load_balancer._replace(id=args.lb, vip=sc.sample_vip_tuple(ip_address=vip))
    amphorae = [a._replace(status=constants.AMPHORA_ALLOCATED) for a in lb.amphorae]
    if args.amphora:
        amphorae[0] = amphorae[0]._replace(id=args.amphora)
    listener = listener._replace(load_balancer=lb._replace(amphorae=amphorae), protocol_port=int(vip_port))
    templater = jinja_cfg.JinjaTemplater(base_amp_path=args.base_path, base_crt_dir=args.cert_dir)
    text = templater.build_config(sc.sample_amphora_tuple(), [listener], {}, HAPROXY_VERSION, None)
    with open(args.outfile, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
