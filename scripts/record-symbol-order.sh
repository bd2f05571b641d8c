#!/usr/bin/env bash
# Records linker/<executable>.order from the release build (linker/README.md). Run as root:
#
#   bash scripts/record-symbol-order.sh
#
# Builds in .build-release as bench/run.sh does, links it in the recording layout (every function
# on pages of its own: AMPHORA_RECORDING_LAYOUT=1), records, and links again with the new order.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "record-symbol-order: run as root (it starts the agent)"; exit 1; }
source scripts/release-flags.sh
prepare_release_scratch "$PWD/.build-release"
build=(swift build -c release --scratch-path "$PWD/.build-release" "${release_flags[@]}")
bin=$("${build[@]}" --show-bin-path)
[ $# = 0 ] || { echo "usage: bash scripts/record-symbol-order.sh (no arguments)"; exit 2; }

link() {  # 1: the recording layout, 0: the shipped one
  local out rc=0
  relink_if_layout_changed "$bin"
  out=$(AMPHORA_RECORDING_LAYOUT=$1 "${build[@]}" 2>&1) || rc=$?
  grep -E "error|Build complete" <<<"$out" || true
  [ $rc = 0 ] || echo "record-symbol-order: the release build failed"
  return $rc
}
# Whatever happens, the release build is left in the shipped layout.
trap 'link 0 >/dev/null 2>&1 || echo "record-symbol-order: could not link .build-release in the shipped layout again"' EXIT
# A signal ends the script through that EXIT trap too (bash skips it when a signal kills it).
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
link 1
python3 scripts/record-symbol-order.py "$bin"
link 0
check_shipped_layout "$bin"
trap - EXIT
