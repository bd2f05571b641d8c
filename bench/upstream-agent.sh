#!/usr/bin/env bash
# Runs the real upstream Octavia amphora agent (octavia==19.0.0 from a venv) as root in a private
# mount namespace, so that its hard-coded paths (/var/lib/octavia, /etc/octavia, /var/log,
# /usr/lib/systemd/system, /run/netns ...) are tmpfs mounts that only it sees and that vanish with it.
# See ../shared/reference/octavia-agent-upstream.md §9. Started by bench/benchmark.py.
#
#   bench/upstream-agent.sh VENV CONF CERTDIR SYSLOGDIR
#
# VENV       the venv with octavia and pyroute2 (bench/run.sh installs it)
# CONF       amphora-agent.conf (paths inside it are the upstream defaults, seen inside the namespace)
# CERTDIR    holds server.pem (certificate + key) and client_ca.pem
# SYSLOGDIR  a directory with the Unix datagram socket `log` that stands in for rsyslog
#            (/run/rsyslog/octavia/log in an amphora; gunicorn logs every request there)
#
# The mount points /var/lib/octavia and /etc/octavia must exist on the host (empty); the caller
# creates them if needed and removes them afterwards. The pid of this script stays the agent's pid:
# bash execs unshare, which execs bash, which execs the agent (gunicorn's master).
set -euo pipefail
venv=${1:?usage: upstream-agent.sh VENV CONF CERTDIR SYSLOGDIR}
conf=${2:?}; certs=${3:?}; syslog=${4:?}
for d in /var/lib/octavia /etc/octavia; do
  [ -d "$d" ] || { echo "upstream-agent.sh: mount point $d is missing" >&2; exit 1; }
done
export VENV=$venv CONF=$conf CERTS=$certs SYSLOGDIR=$syslog
exec unshare --mount --propagation private bash -c '
  set -euo pipefail
  for d in /var/lib/octavia /etc/octavia /usr/lib/systemd/system /etc/systemd/system /var/log /run; do
    mount -t tmpfs -o mode=0755 tmpfs "$d"
  done
  mkdir -p /run/netns /run/rsyslog/octavia /run/lock
  mount --bind "$SYSLOGDIR" /run/rsyslog/octavia
  mkdir -p /etc/octavia/certs /etc/octavia/interfaces /var/lib/octavia/home
  cp "$CERTS/server.pem" "$CERTS/client_ca.pem" /etc/octavia/certs/
  cp "$CONF" /etc/octavia/amphora-agent.conf
  printf "global\n    group nogroup\n" > /var/lib/octavia/haproxy-default-user-group.conf
  ip netns add amphora-haproxy
  export HOME=/var/lib/octavia/home      # gunicorn puts a control socket in ~/.gunicorn
  cd /
  exec "$VENV/bin/amphora-agent" --config-file /etc/octavia/amphora-agent.conf
'
