#!/usr/bin/env python3
"""Render the agent configuration (/etc/octavia/amphora-agent.conf) as Octavia's controller puts it on
an amphora's config drive: its own AgentJinjaTemplater (amphora_agent_conf.template), from the
controller's configuration. Run with the venv's python (Tests/Conformance/ensure-venv.sh):
  render_agent_config.py --amphora-id ID --controller IP:PORT [--controller ...] --heartbeat-key KEY
      [--heartbeat-interval N] [--topology SINGLE|ACTIVE_STANDBY] [--network-dir DIR] [--debug]
Writes the text to stdout; everything not named is Octavia's default.
"""
import argparse
import sys

from oslo_config import cfg
from oslo_log import log

from octavia.amphorae.backends.agent import agent_jinja_cfg
from octavia.common import config  # noqa: F401  (registers the options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--amphora-id", required=True)
    parser.add_argument("--controller", action="append", required=True, metavar="IP:PORT",
                        help="an entry of [health_manager] controller_ip_port_list (repeatable)")
    parser.add_argument("--heartbeat-key", required=True)
    parser.add_argument("--heartbeat-interval", type=int, default=10)
    parser.add_argument("--topology", choices=["SINGLE", "ACTIVE_STANDBY"], default="SINGLE")
    parser.add_argument("--network-dir", help="[amphora_agent] agent_server_network_dir (absent unless given)")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()

    conf = cfg.CONF
    log.register_options(conf)  # `debug`, which the template reads
    conf([], project="octavia", default_config_files=[])
    conf.set_override("debug", args.debug)
    conf.set_override("controller_ip_port_list", args.controller, group="health_manager")
    conf.set_override("heartbeat_interval", args.heartbeat_interval, group="health_manager")
    conf.set_override("heartbeat_key", args.heartbeat_key, group="health_manager")
    if args.network_dir:
        conf.set_override("agent_server_network_dir", args.network_dir, group="amphora_agent")
    sys.stdout.write(agent_jinja_cfg.AgentJinjaTemplater().build_agent_config(args.amphora_id, args.topology))
    return 0


if __name__ == "__main__":
    sys.exit(main())
