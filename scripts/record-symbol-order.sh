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
for step in record link; do
  relink_if_layout_changed "$bin"
  if [ $step = record ]; then layout=1; else layout=0; fi
  AMPHORA_RECORDING_LAYOUT=$layout "${build[@]}" 2>&1 | grep -E "error|Build complete" || true
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "record-symbol-order: the release build failed"; exit 1; }
  [ $step = link ] || python3 scripts/record-symbol-order.py "$@" "$bin"
done
