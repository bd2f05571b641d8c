#!/usr/bin/env python3
"""Renders keepalived configurations with Octavia's own templaters (the installed octavia package).

Prints one JSON object: {"vrrp": [{"name", "text"}...], "lvs": [{"name", "text"}...]}:
  - vrrp: KeepalivedJinjaTemplater.build_keepalived_config (ACTIVE_STANDBY) for IPv4 and IPv6 VIPs,
    additional VIPs, host routes, with and without a gateway;
  - lvs: LvsJinjaTemplater.build_config for UDP and SCTP listeners with every health monitor type
    the LVS templates know (UDP-CONNECT, SCTP, HTTP GET, TCP) and none, session persistence,
    connection limits, monitor addresses, disabled members/pools/listeners, IPv6.
Used by Tests/IntegrationTests/KeepalivedUploadTests.swift (run with the bench venv's python).
"""
import argparse
import json
import sys
import warnings
from types import SimpleNamespace as NS

warnings.filterwarnings('ignore')

from oslo_config import cfg  # noqa: E402

from octavia.common import config  # noqa: E402,F401  (registers the options)
from octavia.common import constants  # noqa: E402
from octavia_lib.common import constants as lib_consts  # noqa: E402
from octavia.amphorae.drivers.keepalived.jinja import jinja_cfg as vrrp_cfg  # noqa: E402
from octavia.common.jinja.lvs import jinja_cfg as lvs_cfg  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--base-path', required=True)
parser.add_argument('--netns', required=True)
parser.add_argument('--interface', default='eth1')
ARGS = parser.parse_args()

CONF = cfg.CONF
CONF([], project='octavia', default_config_files=[])
CONF.set_override('base_path', ARGS.base_path, group='haproxy_amphora')
if hasattr(constants, 'AMPHORA_NAMESPACE'):
    constants.AMPHORA_NAMESPACE = ARGS.netns

LB_ID = '11111111-2222-4333-8444-555555555555'


def vrrp_configs():
    out = []
    # keepalived 2.2.7's own --config-test exits 5 with a warning on three of Octavia's renderings: host
    # routes ("unknown route keyword gateway": that route is dropped), IPv6 (VRRPv3 ignores the
    # authentication) and a lone amphora (unicast keywords without peers: multicast). keepalived runs
    # them; the agent accepts exactly these warnings (KeepalivedConfigTest.benignWarnings).
    v4 = {'cidr': '192.0.2.0/24', 'gateway_ip': '192.0.2.1', 'host_routes': []}
    cases = [
        ('ipv4', '192.0.2.100', '192.0.2.11', ['192.0.2.12'], v4,
         [{'ip_address': '2001:db8::100', 'subnet': {'cidr': '2001:db8::/64', 'gateway_ip': None, 'host_routes': []}},
          {'ip_address': '192.0.2.101', 'subnet': v4}]),
        ('ipv4-no-gateway', '192.0.2.100', '192.0.2.11', ['192.0.2.12'],
         {'cidr': '192.0.2.0/24', 'gateway_ip': None, 'host_routes': []}, []),
        ('ipv4-host-routes', '192.0.2.100', '192.0.2.11', ['192.0.2.12'],
         {'cidr': '192.0.2.0/24', 'gateway_ip': '192.0.2.1',
          'host_routes': [{'destination': '198.51.100.0/24', 'nexthop': '192.0.2.254'}]}, []),
        ('ipv6', '2001:db8::100', '2001:db8::11', ['2001:db8::12'],
         {'cidr': '2001:db8::/64', 'gateway_ip': '2001:db8::1', 'host_routes': []}, []),
        ('ipv4-no-peers', '192.0.2.100', '192.0.2.11', [], v4, []),
    ]
    for name, vip, vrrp_ip, peers, subnet, additional in cases:
        amphorae = [NS(vrrp_ip=vrrp_ip, status=constants.AMPHORA_ALLOCATED)] + [
            NS(vrrp_ip=p, status=constants.AMPHORA_ALLOCATED) for p in peers]
        lb = NS(vip=NS(ip_address=vip), amphorae=amphorae,
                vrrp_group=NS(vrrp_group_name=LB_ID.replace('-', ''), vrrp_auth_type='PASS', vrrp_auth_pass='0a1b2c3',
                              advert_int=1))
        amphora = NS(vrrp_ip=vrrp_ip, vrrp_interface=ARGS.interface, vrrp_id=1, vrrp_priority=100)
        net = {'additional_vip_data': additional, constants.VIP_SUBNET: subnet}
        text = vrrp_cfg.KeepalivedJinjaTemplater().build_keepalived_config(lb, amphora, net)
        out.append({'name': name, 'text': text})
    return out


def member(n, address, port=53, **kw):
    values = dict(id=f'99999999-0000-4000-8000-0000000000{n:02d}', ip_address=address, protocol_port=port, weight=n,
                  enabled=True, monitor_address=None, monitor_port=None, provisioning_status='ACTIVE')
    values.update(kw)
    return NS(**values)


def lvs_configs():
    out = []
    monitors = {
        'none': None,
        'udp-connect': (constants.HEALTH_MONITOR_UDP_CONNECT, {}),
        'sctp': (lib_consts.HEALTH_MONITOR_SCTP, {}),
        'http': (constants.HEALTH_MONITOR_HTTP, {'url_path': '/health/check?x=1', 'http_method': 'GET',
                                                 'expected_codes': '200-202', 'rise_threshold': 2}),
        'tcp': (constants.HEALTH_MONITOR_TCP, {}),
        'disabled': (constants.HEALTH_MONITOR_UDP_CONNECT, {'enabled': False}),
    }
    for protocol in (lib_consts.PROTOCOL_UDP, lib_consts.PROTOCOL_SCTP):
        for hm_name, hm in monitors.items():
            for variant in ('plain', 'persistence', 'ipv6', 'monitor-address', 'disabled-member', 'disabled-pool',
                            'disabled-listener'):
                health = None
                if hm is not None:
                    values = dict(id='99999999-0000-4000-8000-0000000000bb', type=hm[0], delay=30, timeout=31,
                                  enabled=True, fall_threshold=3, provisioning_status='ACTIVE')
                    values.update(hm[1])
                    health = NS(**values)
                members = [member(1, '192.0.2.20'), member(2, '192.0.2.21', 54)]
                vip = NS(ip_address='203.0.113.100')
                additional = []
                if variant == 'ipv6':
                    members.append(member(3, '2001:db8::20'))
                    additional = [NS(ip_address='2001:db8::100')]
                if variant == 'monitor-address':
                    members[0] = member(1, '192.0.2.20', monitor_address='192.0.2.30', monitor_port=9053)
                if variant == 'disabled-member':
                    members[1] = member(2, '192.0.2.21', enabled=False)
                persistence = None
                if variant == 'persistence':
                    persistence = NS(type=constants.SESSION_PERSISTENCE_SOURCE_IP, persistence_timeout=33,
                                     persistence_granularity='255.255.0.0')
                pool = NS(id='99999999-0000-4000-8000-0000000000aa', protocol=protocol,
                          lb_algorithm=constants.LB_ALGORITHM_LEAST_CONNECTIONS if variant == 'plain'
                          else constants.LB_ALGORITHM_ROUND_ROBIN,
                          members=members, health_monitor=health, session_persistence=persistence,
                          enabled=variant != 'disabled-pool', provisioning_status='ACTIVE')
                lb = NS(id=LB_ID, vip=vip, additional_vips=additional, enabled=True)
                listener = NS(id='99999999-0000-4000-8000-0000000000ee', protocol=protocol, protocol_port=53,
                              enabled=variant != 'disabled-listener', connection_limit=98 if variant == 'plain' else -1,
                              default_pool=pool, load_balancer=lb)
                text = lvs_cfg.LvsJinjaTemplater(base_amp_path=ARGS.base_path).build_config(listener)
                out.append({'name': f'{protocol}-{hm_name}-{variant}', 'text': text})
    # Source IP persistence with defaults (no timeout, no granularity) on IPv6 only.
    return out


json.dump({'vrrp': vrrp_configs(), 'lvs': lvs_configs()}, sys.stdout)
