#!/usr/bin/env python3
"""Render, with Octavia's own JinjaTemplater (combined_listeners), a load balancer whose one listener
is a PROMETHEUS listener on VIP:PORT, as the controller renders it (haproxy 2.x: the template adds the
internal exporter frontend on 127.0.0.1:9101 and the backend pointing at prometheus-proxy on
127.0.0.1:9102). Run with the venv's python (Tests/Conformance/ensure-venv.sh):
  render_prometheus_haproxy.py --lb LB_ID --base-path DIR --cert-dir DIR --vip VIP:PORT OUTFILE
"""
import sys

from octavia.common import constants
from octavia.common.jinja.haproxy.combined_listeners import jinja_cfg
from octavia.tests.unit.common.sample_configs import sample_configs_combined as sc
from octavia_lib.common import constants as lib_consts

import haproxy_renderer  # beside this file

def main():
    parser = haproxy_renderer.argument_parser()
    parser.add_argument("--vip", required=True, metavar="VIP:PORT")
    parser.add_argument("outfile")
    args = parser.parse_args()

    haproxy_renderer.configure_octavia(args)

    vip, vip_port = args.vip.rsplit(":", 1)
    listener = sc.sample_listener_tuple(proto=lib_consts.PROTOCOL_PROMETHEUS, alloc_default_pool=False,
                                        include_pools=False, connection_limit=1000)
    lb = listener.load_balancer._replace(id=args.lb, vip=sc.sample_vip_tuple(ip_address=vip))
    amphorae = [a._replace(status=constants.AMPHORA_ALLOCATED) for a in lb.amphorae]
    if args.amphora:
        amphorae[0] = amphorae[0]._replace(id=args.amphora)
    listener = listener._replace(load_balancer=lb._replace(amphorae=amphorae), protocol_port=int(vip_port))
    templater = jinja_cfg.JinjaTemplater(base_amp_path=args.base_path, base_crt_dir=args.cert_dir)
    text = templater.build_config(sc.sample_amphora_tuple(), [listener], {}, haproxy_renderer.HAPROXY_VERSION, None)
    with open(args.outfile, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
