#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds without warnings in our own
# modules, then runs every unit and integration test (the integration tests start the real agent).
# Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (the tests start the root helper)"; exit 1; }
bash scripts/install-deps.sh

echo "== build"
swift build 2>&1 | tee /tmp/amphora-build.log | grep -E "error|warning: " | grep -v "unhandled" || true
if grep -E "^/.*/(Sources|Tests)/.*(error|warning):" /tmp/amphora-build.log | grep -q "$(pwd)"; then
  echo "test.sh: the build has errors or warnings in our sources"; exit 1
fi

echo "== tests"
swift test --no-parallel 2>&1 | tee /tmp/amphora-test.log | grep -vE "^\[[0-9]+/[0-9]+\]"
status=${PIPESTATUS[0]}
exit "$status"
