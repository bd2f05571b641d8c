#!/usr/bin/env bash
# The soak (docs/reliability.md, "Exhaustion and soak"): the real agent under many concurrent
# mutual-TLS keep-alive connections with a mixed read/write workload, its process tree's memory
# sampled throughout. Run as root on Debian 12 from anywhere in the repository:
#
#   bash scripts/soak.sh                                 # 600 s, 128 connections
#   bash scripts/soak.sh --seconds 60 --connections 128  # CI's run (scripts/test.sh)
#
# Further options go to bench/soak.py (--processes N client processes, --sample S seconds between
# memory samples, --json FILE). The agent is the debug build in .build/debug unless
# AMPHORA_SOAK_BIN_DIR names another directory (e.g. .build-release/release after bench/run.sh).
# Exits non-zero when any request failed or the agent died.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "soak.sh: run as root (the agent starts root processes)"; exit 1; }
bin=${AMPHORA_SOAK_BIN_DIR:-.build/debug}
[ -x "$bin/amphora-agent" ] || { echo "soak.sh: no $bin/amphora-agent (swift build first)"; exit 1; }
# In the background so that a TERM/INT/HUP to this script reaches the driver, which then cleans up.
/usr/bin/python3 bench/soak.py --bin-dir "$bin" "$@" &
driver=$!
trap 'kill -TERM "$driver" 2>/dev/null || true' TERM INT HUP
status=0
while kill -0 "$driver" 2>/dev/null; do
  wait "$driver" && status=0 || status=$?
done
exit "$status"
