#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets that read configuration texts and kernel
or haproxy answers (Fuzz/corpus/<target>/). The command and frame seeds come from the Swift test
FuzzCorpusTests instead (they follow the wire format's encoder).

Run with the benchmark venv's python (Tests/Conformance/ensure-venv.sh), from the repository root:
  /var/tmp/amphora-bench-venv/bin/python Fuzz/make_seeds.py
haproxy, VRRP, LVS and agent configuration seeds are rendered by Octavia's own templaters (the conformance
renderers).
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")
LB = "8d2a2c28-5d5c-4c46-9d24-6fa3ba6f4c5f"
BASE = "/var/lib/octavia"


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def reset(target):
    shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)


def haproxy():
    reset("haproxy")
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, os.path.join(ROOT, "Tests/Conformance/render_octavia_haproxy.py"),
                        "--lb", LB, "--base-path", BASE, "--cert-dir", BASE + "/certs", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name in sorted(os.listdir(out)):
            if name.endswith(".cfg") and not name.endswith("_nolog.cfg"):
                with open(os.path.join(out, name), "rb") as f:
                    write("haproxy", name, f.read())


def keepalived():
    reset("keepalived")
    reset("lvs")
    rendered = subprocess.run([sys.executable, os.path.join(ROOT, "Tests/Conformance/render_keepalived.py"),
                               "--base-path", BASE, "--netns", "amphora-haproxy"],
                              check=True, capture_output=True).stdout
    texts = json.loads(rendered)
    for item in texts["vrrp"]:
        write("keepalived", item["name"] + ".conf", item["text"])
    # One of each protocol and monitor with its variants would be 84 files: keep the plain ones and
    # every variant of one monitor type.
    for item in texts["lvs"]:
        if item["name"].endswith("-plain") or item["name"].startswith("UDP-udp-connect-"):
            write("lvs", item["name"] + ".conf", item["text"])


def ini():
    reset("ini")
    # Octavia's amphora_agent_conf.template, rendered by the controller's own templater.
    rendered = subprocess.run([sys.executable, "-W", "ignore", os.path.join(ROOT, "Tests/Conformance/render_agent_config.py"),
                               "--amphora-id", "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b", "--controller", "192.0.2.5:5555",
                               "--controller", "[2001:db8::5]:5555", "--controller", "controller.example:5555",
                               "--heartbeat-key", "insecure-test-key", "--topology", "ACTIVE_STANDBY",
                               "--network-dir", "/etc/network/interfaces.d/"],
                              check=True, capture_output=True).stdout
    write("ini", "octavia-rendered.conf", rendered)
    write("ini", "edge-cases.conf", "# comment\n; other comment\n[a]\nkey=value\n  continued line\nempty =\n[b]\nk = \"quoted\" value\n")


def pem():
    reset("pem")
    reset("crtlist")
    with tempfile.TemporaryDirectory() as out:
        key, cert = os.path.join(out, "key.pem"), os.path.join(out, "cert.pem")
        # A throwaway test identity, only ever used as fuzzing input.
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "3650", "-subj", "/CN=www.example.com"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(cert, "rb") as f:
            cert_text = f.read()
        with open(key, "rb") as f:
            key_text = f.read()
    write("pem", "certificate.pem", cert_text)
    write("pem", "bundle.pem", cert_text + key_text)
    directory = BASE + "/certs/" + LB
    write("crtlist", "sni.txt", f"{directory}/a.pem [ssl-min-ver TLSv1.2 alpn h2,http/1.1] www.example.com\n"
                                f"{directory}/b.pem *.example.org !secret.example.org\n{directory}/c.pem\n")


def netlink():
    reset("netlink")

    def attr(kind, payload):
        data = struct.pack("<HH", 4 + len(payload), kind) + payload
        return data + b"\0" * (-len(data) % 4)

    def message(kind, flags, seq, body):
        return struct.pack("<IHHII", 16 + len(body), kind, flags, seq, 0) + body

    ifinfo = struct.pack("<BxHiII", 0, 1, 2, 0x1043, 0)
    link = message(16, 2, 1, ifinfo + attr(3, b"eth1\0") + attr(4, struct.pack("<I", 1500))
                   + attr(1, bytes.fromhex("fa163e000002")) + attr(23, struct.pack("<24Q", *range(24))))
    done = message(3, 2, 1, struct.pack("<i", 0))
    write("netlink", "link-dump.bin", link + done)
    write("netlink", "error.bin", message(2, 0, 1, struct.pack("<i", -17) + b"\0" * 16))


def stats():
    reset("stats")
    header = ("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,"
              "status,weight,act,bck\n")
    write("stats", "show-stat.csv", header
          + f"{LB},FRONTEND,,,1,2,50000,10,100,200,0,0,0,,,,,OPEN,,,\n"
          + "pool1,member1,0,0,0,1,,5,50,100,,0,,0,0,0,0,UP,1,1,0\n"
          + "pool1,member2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0\n"
          + "pool1,BACKEND,0,0,0,1,5000,5,50,100,0,0,,0,0,0,0,UP,2,2,0\n")


def json_values():
    reset("json")
    write("json", "object.json", '{"a":[1,-2.5e3,"x\\u00e9\\n",true,false,null],"b":{"c":{}}}')
    write("json", "plug.json", '{"subnet_cidr":"203.0.113.0/24","gateway":"203.0.113.1","mac_address":"fa:16:3e:00:00:01",'
                               '"vrrp_ip":"203.0.113.11","host_routes":[{"destination":"198.51.100.0/24","nexthop":"203.0.113.254"}],"mtu":1500}')


if __name__ == "__main__":
    haproxy()
    keepalived()
    ini()
    pem()
    netlink()
    stats()
    json_values()
    print("seeds written under", CORPUS)
