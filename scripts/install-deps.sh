#!/usr/bin/env bash
# Installs every system package the agent, its build and its tests need on a
# fresh Debian 12 (or later) or Ubuntu 22.04 (or later) machine. Idempotent:
# re-running it only checks.
#
# Package names: every name below is the same on Debian and Ubuntu (upstream's
# amphora images are Ubuntu). What differs is where they live: on Ubuntu,
# ipv6toolkit and seccomp are in the "universe" component, which minimal images
# leave out; the script says so instead of failing on a bare "Unable to locate".
set -euo pipefail

distribution=unknown
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  distribution=$(. /etc/os-release && echo "${ID:-unknown}")
fi
case "$distribution" in
  debian|ubuntu) ;;
  *) echo "install-deps: $distribution is neither Debian nor Ubuntu; trying the Debian names" >&2 ;;
esac
universe_packages=(ipv6toolkit seccomp)

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
  if [ "$distribution" = ubuntu ]; then
    for p in "${universe_packages[@]}"; do
      if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        echo "install-deps: $p is in Ubuntu's universe component, which this machine does not use:" \
             "run 'add-apt-repository universe' (or add universe to /etc/apt/sources.list) and try again" >&2
        exit 1
      fi
    done
  fi
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
