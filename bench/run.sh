#!/usr/bin/env bash
# The side-by-side benchmark: our agent against the upstream Python agent (octavia==19.0.0).
# Run as root on Debian 12 from anywhere in the repository:
#
#   bash bench/run.sh            # full run (a few minutes), writes docs/benchmark.md
#   bash bench/run.sh --smoke    # short run that only checks the benchmark works (CI); no file written
#   bash bench/run.sh --head     # build a clean export of the last commit, not the working tree
#
# Steps: installs the system packages (scripts/install-deps.sh), builds our agent in release mode in
# its own scratch folder (.build-release, so it never blocks a debug build), installs the upstream
# agent into a cached venv (/var/tmp/amphora-bench-venv, reused by later runs; override with
# AMPHORA_BENCH_VENV), then runs bench/benchmark.py (Python standard library only), which starts both
# agents on loopback ports with one PKI, drives them with one mutual-TLS client and cleans up
# every process, mount namespace and temp dir it created, also on failure.
#
# AMPHORA_BENCH_BIN_DIR=DIR skips the release build and uses the amphora-agent in DIR instead (CI's
# smoke run reuses the debug build that the tests just made; its timings mean nothing anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run as root (both agents start root processes)"; exit 1; }

args=()
from_head=0
shown=()     # the command as the report names it (without --json, which only says where a copy goes)
for a in "$@"; do
  case "$a" in --json=*) ;; *) shown+=("$a") ;; esac
  case "$a" in
    --smoke) args+=(--smoke) ;;
    --json=*) args+=(--json "${a#--json=}") ;;
    --head) from_head=1 ;;
    *) echo "usage: bash bench/run.sh [--smoke] [--head] [--json=FILE]"
       echo "  --head  build a clean export of the last commit instead of the working tree"; exit 2 ;;
  esac
done

venv=${AMPHORA_BENCH_VENV:-/var/tmp/amphora-bench-venv}
# Everything the upstream agent needs from PyPI. The 19.0.0 wheel's metadata omits pyroute2, which
# the agent imports.
requirements="octavia==19.0.0 pyroute2"
python=/usr/bin/python3

# One benchmark at a time on this machine: both runs would share the upstream agent's mount points.
exec 9>"$venv.lock"
flock 9

t0=$(date +%s)
bash scripts/install-deps.sh >/dev/null

if [ -n "${AMPHORA_BENCH_BIN_DIR:-}" ]; then
  bin=$(cd "$AMPHORA_BENCH_BIN_DIR" && pwd)
  build=$(basename "$bin")
  echo "== using amphora-agent from $bin (no release build)"
  source="binaries in $bin"
else
  commit=$(git rev-parse --short HEAD)
  pkg=.
  if [ "$from_head" = 1 ]; then
    # A clean export of the last commit (others' uncommitted work stays out), built in the same
    # scratch folder so the compiled dependencies are reused.
    src=$(mktemp -d /tmp/amphora-bench-src.XXXXXX)
    trap 'rm -rf "$src"' EXIT
    git archive HEAD | tar -x -C "$src"
    [ -f Package.resolved ] && cp Package.resolved "$src/"
    pkg=$src
    source="commit $commit"
  elif [ -n "$(git status --porcelain --untracked-files=all -- Sources Package.swift)" ]; then
    source="commit $commit plus uncommitted changes in Sources/ (the working tree)"
  else
    source="commit $commit"
  fi
  echo "== building our agent (release, .build-release) from $source"
  tb=$(date +%s)
  source scripts/release-flags.sh
  prepare_release_scratch "$PWD/.build-release"
  release=(swift build -c release --package-path "$pkg" --scratch-path "$PWD/.build-release" "${release_flags[@]}")
  (cd "$pkg" && relink_if_layout_changed "$("${release[@]}" --show-bin-path)")
  if ! "${release[@]}" > .build-release/bench-build.log 2>&1; then
    tail -40 .build-release/bench-build.log; echo "bench/run.sh: the release build failed"; exit 1
  fi
  bin=$("${release[@]}" --show-bin-path)
  check_shipped_layout "$bin" || { echo "bench/run.sh: link it again without AMPHORA_RECORDING_LAYOUT"; exit 1; }
  build=release
  echo "   built in $(( $(date +%s) - tb )) s"
fi
[ -x "$bin/amphora-agent" ] || { echo "bench/run.sh: no $bin/amphora-agent"; exit 1; }

# The venv is complete only when its stamp names exactly these requirements.
if [ "$(cat "$venv/.bench-stamp" 2>/dev/null)" != "$requirements" ]; then
  echo "== installing the upstream agent into $venv ($requirements; takes a few minutes once)"
  tv=$(date +%s)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # shellcheck disable=SC2086
  if ! "$venv/bin/pip" install --quiet --no-cache-dir $requirements > "$venv/bench-pip.log" 2>&1; then
    tail -30 "$venv/bench-pip.log"; rm -rf "$venv"; echo "bench/run.sh: pip install failed"; exit 1
  fi
  echo "$requirements" > "$venv/.bench-stamp"
  echo "   installed in $(( $(date +%s) - tv )) s"
else
  echo "== upstream agent: cached venv $venv"
fi

echo "== benchmark$( [ ${#args[@]} -gt 0 ] && printf ' %s' "${args[@]}")"
# In the background so that a TERM/INT/HUP to this script reaches the driver, which then cleans up.
"$python" bench/benchmark.py --bin-dir "$bin" --build "$build" --source "$source" --command "bash bench/run.sh${shown[*]:+ ${shown[*]}}" --venv "$venv" "${args[@]}" &
driver=$!
trap 'kill -TERM "$driver" 2>/dev/null || true' TERM INT HUP
status=0
while kill -0 "$driver" 2>/dev/null; do
  wait "$driver" && status=0 || status=$?
done
echo "== bench/run.sh: $(( $(date +%s) - t0 )) s in all, exit $status"
exit "$status"
