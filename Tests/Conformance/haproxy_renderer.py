"""What the haproxy renderers (render_octavia_haproxy.py, render_large_octavia_haproxy.py,
render_prometheus_haproxy.py) share: the haproxy version they render for, their common arguments and
Octavia's configuration as the controller's JinjaTemplater reads it. Needs the venv (octavia)."""
import argparse

from oslo_config import cfg

from octavia.common import config  # noqa: F401  (registers the options)

# The haproxy the amphora runs (Debian 12's 2.6): the templater's feature switches follow it.
HAPROXY_VERSION = ("2", "6", "12")


def argument_parser():
    """A parser with the arguments every renderer takes: --lb, --base-path, --cert-dir, --amphora."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lb", required=True)
    parser.add_argument("--base-path", required=True)
    parser.add_argument("--cert-dir", required=True)
    parser.add_argument("--amphora", help="the host amphora's id (haproxy's local peer)")
    return parser


def configure_octavia(args):
    """Octavia's configuration as the controller's: `base_path` and `base_cert_dir` from the arguments."""
    conf = cfg.CONF
    conf([], project="octavia", default_config_files=[])
    conf.set_override("base_path", args.base_path, group="haproxy_amphora")
    conf.set_override("base_cert_dir", args.cert_dir, group="haproxy_amphora")
