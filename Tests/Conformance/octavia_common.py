"""What Octavia 19.0.0's controller renders and sends for one load balancer, shared by the conformance
drivers (drive_octavia_client.py, drive_booted_amphora.py) and the benchmark (bench/benchmark.py).

Standard library only at import time (the benchmark runs outside Octavia's venv); `render_vrrp_config`
imports jinja2 and octavia when called.
"""
import os


def haproxy_http_config(lb_id, listener, pool, stats_socket, bind, member, maxconn=1000):
    """haproxy.cfg of one HTTP listener with one member, as octavia's haproxy templater renders it."""
    return f"""# Configuration for loadbalancer {lb_id}
global
    daemon
    user nobody
    log /run/rsyslog/octavia/log local0
    log /run/rsyslog/octavia/log local1 notice
    stats socket {stats_socket} mode 0666 level user
    maxconn {maxconn}

defaults
    log global
    retries 3
    option redispatch
    option splice-request
    option splice-response
    option http-keep-alive

frontend {listener}
    maxconn {maxconn}
    bind {bind}
    mode http
    default_backend {pool}:{listener}
    timeout client 50000

backend {pool}:{listener}
    mode http
    balance roundrobin
    fullconn {maxconn}
    option allbackups
    timeout connect 5000
    timeout server 50000
    server m1 {member} weight 1
"""


def udp_listener_config(lb_id, listener, pool, netns, vip, member_ip, base_path):
    """keepalived's LVS configuration of one UDP listener (port 53, one member with a UDP health
    check), as octavia's LVS templater renders it."""
    return f"""# Configuration for Loadbalancer {lb_id}
# Configuration for Listener {listener}

net_namespace {netns}

virtual_server_group ipv4-group {{
    {vip} 53
}}

virtual_server group ipv4-group {{
    lb_algo wrr
    lb_kind NAT
    protocol UDP
    delay_loop 30
    delay_before_retry 30
    retry 3


    # Configuration for Pool {pool}
    # Configuration for HealthMonitor 99999999-0000-4000-8000-0000000000bb
    # Configuration for Member 99999999-0000-4000-8000-0000000000cc
    real_server {member_ip} 53 {{
        weight 1
        MISC_CHECK {{
            misc_path "{base_path}/lvs/check/udp_check.sh {member_ip} 53"
            misc_timeout 5
        }}
    }}

}}

"""


def render_vrrp_config(lb_id, role, priority, vrrp_ip, peer_vrrp_ips, vip, base_path):
    """keepalived.conf as the controller renders it: octavia's own keepalived_base.template, for a VIP
    on 203.0.113.0/24 (gateway 203.0.113.1) on eth1."""
    import jinja2
    from octavia.amphorae.drivers.keepalived.jinja import jinja_cfg
    env = jinja2.Environment(autoescape=True, loader=jinja2.FileSystemLoader(os.path.dirname(jinja_cfg.KEEPALIVED_TEMPLATE)),
                             trim_blocks=True, lstrip_blocks=True)
    return env.get_template(os.path.basename(jinja_cfg.KEEPALIVED_TEMPLATE)).render(
        vrrp_group_name=lb_id.replace('-', ''), amp_role=role, amp_intf='eth1', amp_vrrp_id=1, amp_priority=priority,
        vrrp_garp_refresh=5, vrrp_garp_refresh_repeat=2, vrrp_auth_type='PASS', vrrp_auth_pass='0123456',
        amp_vrrp_ip=vrrp_ip, peers_vrrp_ips=peer_vrrp_ips, vip_ip_address=vip, advert_int=1,
        check_script_path=f'{base_path}/vrrp/check_script.sh', vrrp_check_interval=5, vrrp_fail_count=2,
        vrrp_success_count=2, vips=[{'ip_address': vip, 'network_cidr': '203.0.113.0/24', 'ipv6': False,
                                     'interface_index': 0, 'gateway': '203.0.113.1', 'excluded': False,
                                     'host_routes': []}])


def upload_and_start_vrrp(client, amp, vrrp_ip, config, expect):
    """The controller's VRRP calls: interface lookup on the VRRP address (expected on eth1), keepalived
    configuration upload (200), start (202); `expect(condition, message)` is the driver's check.
    Returns the interface lookup's answer and the start's response."""
    interface = client.get_interface(amp, vrrp_ip)
    expect(interface.get('interface') == 'eth1', f'{interface}')
    r = client.upload_vrrp_config(amp, config)
    expect(r.status_code == 200, f'upload status {r.status_code}')
    r = client.start_vrrp(amp)
    expect(r.status_code == 202, f'start status {r.status_code}')
    return interface, r


def controller_clients(certdir, port, conn_timeout, read_timeout, last):
    """Octavia's own controller-side REST clients (AmphoraAPIClientBase, AmphoraAPIClient1_0), configured
    as the controller's [haproxy_amphora] options would: mutual TLS with CERTDIR's client.pem and ca.pem,
    the agent's `port`, 3 connection retries a second apart, the connect and read timeouts given. Every
    response is recorded in `last['r']`, so that a failure can show the agent's own words."""
    from oslo_config import cfg
    from octavia.amphorae.drivers.haproxy import rest_api_driver as rad
    conf = cfg.CONF
    conf([], project='octavia', default_config_files=[])
    for name, value in (('client_cert', f'{certdir}/client.pem'), ('server_ca', f'{certdir}/ca.pem'), ('bind_port', port),
                        ('connection_max_retries', 3), ('connection_retry_interval', 1),
                        ('rest_request_conn_timeout', conn_timeout), ('rest_request_read_timeout', read_timeout)):
        conf.set_override(name, value, 'haproxy_amphora')
    # Python's requests would take REQUESTS_CA_BUNDLE over `verify` (DESIGN.md).
    os.environ.pop('REQUESTS_CA_BUNDLE', None)
    os.environ.pop('CURL_CA_BUNDLE', None)
    base = rad.AmphoraAPIClientBase()
    client = rad.AmphoraAPIClient1_0()
    for c in (base, client):
        c.session.trust_env = False
        c.session.hooks['response'].append(lambda r, *a, **k: last.__setitem__('r', r))
    return base, client
