#!/usr/bin/env bash
# Installs every system package the agent, its build and its tests need on a
# fresh Debian 12 machine. Idempotent: re-running it only checks.
set -euo pipefail

packages=(
  haproxy keepalived ipvsadm iproute2 nftables   # what the agent drives
  netcat-openbsd                                  # nc, for the UDP listeners' health check script
  iputils-arping ipv6toolkit                      # gratuitous ARP and unsolicited NA (na6) after a plug
  libseccomp-dev seccomp                          # helper confinement (build + scmp_sys_resolver)
  libssl-dev zlib1g-dev pkg-config                # C bridges (PEM checks, heartbeat zlib)
  openssl curl python3 procps psmisc              # dev PKI, sample interaction, tests
  systemd                                         # systemd-analyze for the offline unit checks
  strace bsdutils                                 # front tests: seccomp before accept, `script`'s terminal
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # haproxy and keepalived ship units that would try to start them; nothing here runs systemd,
  # and the agent starts its own instances, so keep the package scripts from starting anything.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all packages present"

# The front's own unprivileged account (no home, no shell, no login).
if ! getent passwd amphora-front >/dev/null; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin amphora-front
  echo "install-deps: created system user amphora-front"
fi

# The account configuration checks run as (haproxy -c, keepalived --config-test): unprivileged,
# owning nothing; its group may read the load balancers' certificate directories.
if ! getent passwd amphora-check >/dev/null; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin amphora-check
  echo "install-deps: created system user amphora-check"
fi
