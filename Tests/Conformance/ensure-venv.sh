#!/usr/bin/env bash
# Makes sure the cached venv with Octavia's own client exists and prints its path. It is the same
# venv as the benchmark's (bench/run.sh: same path, same requirements stamp, same lock), so CI
# installs octavia==19.0.0 once per machine whichever of the two runs first.
#
#   bash Tests/Conformance/ensure-venv.sh     # -> /var/tmp/amphora-bench-venv
set -euo pipefail
venv=${AMPHORA_BENCH_VENV:-/var/tmp/amphora-bench-venv}
# Keep in step with bench/run.sh: the 19.0.0 wheel's metadata omits pyroute2, which the agent imports.
requirements="octavia==19.0.0 pyroute2"
python=/usr/bin/python3

exec 9>"$venv.lock"
flock 9
if [ "$(cat "$venv/.bench-stamp" 2>/dev/null)" != "$requirements" ]; then
  echo "ensure-venv: installing $requirements into $venv (a few minutes, once per machine)" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # shellcheck disable=SC2086
  if ! "$venv/bin/pip" install --quiet --no-cache-dir $requirements > "$venv/bench-pip.log" 2>&1; then
    tail -30 "$venv/bench-pip.log" >&2; rm -rf "$venv"; echo "ensure-venv: pip install failed" >&2; exit 1
  fi
  echo "$requirements" > "$venv/.bench-stamp"
fi
echo "$venv"
