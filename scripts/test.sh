#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds without warnings in our own
# modules, then runs every unit and integration test (the integration tests start the real agent),
# the UDP listener suite on a kernel with IP_VS, and the benchmark's smoke run.
# Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (the tests start the root helper)"; exit 1; }
bash scripts/install-deps.sh

echo "== build"
swift build --build-tests 2>&1 | tee /tmp/amphora-build.log | grep -E "error|warning: " | grep -v "unhandled" || true
# Our files' diagnostics, and those in macro expansions (swift-testing's #expect in our tests).
if grep -E "^/.*/(Sources|Tests)/.*(error|warning):" /tmp/amphora-build.log | grep -q "$(pwd)" ||
   grep -qE "^macro expansion .*(error|warning):" /tmp/amphora-build.log; then
  echo "test.sh: the build has errors or warnings in our sources"; exit 1
fi

echo "== tests"
swift test --no-parallel 2>&1 | tee /tmp/amphora-test.log | grep -vE "^\[[0-9]+/[0-9]+\]"
status=${PIPESTATUS[0]}

# UDP listeners balance through the kernel's IP Virtual Server. Where the kernel has none (this
# machine's), LVSRunningTests skipped above and runs here inside a guest booted with Debian 12's
# kernel (scripts/with-ipvs-kernel.sh: KVM where it can boot a stock kernel, else emulated).
echo "== UDP listeners on a kernel with IP_VS"
if [ -e /proc/net/ip_vs ]; then
  echo "the host kernel has IP_VS: LVSRunningTests ran with the suite above"
else
  rc=0
  bash scripts/with-ipvs-kernel.sh --timeout 1200 -- "$(swift build --show-bin-path)/amphora-agentPackageTests.xctest" \
    --testing-library swift-testing --filter LVSRunningTests 2>&1 | tee /tmp/amphora-test-ipvs.log || rc=${PIPESTATUS[0]}
  if [ "$rc" = 77 ]; then
    echo "test.sh: SKIPPED LVSRunningTests: no way to boot a kernel with IP_VS here"
  elif [ "$rc" != 0 ]; then
    echo "test.sh: LVSRunningTests failed in the IP_VS guest (exit $rc)"
    [ "$status" != 0 ] || status=1
  fi
fi

# The benchmark's smoke mode: both agents start and answer over mutual TLS and the result is
# well-formed; timings are never judged. It reuses the debug build above (no release build); the
# first run on a machine also installs the upstream agent into its cached venv.
echo "== benchmark smoke (bench/run.sh --smoke)"
if ! AMPHORA_BENCH_BIN_DIR=.build/debug bash bench/run.sh --smoke; then
  echo "test.sh: the benchmark smoke run failed"
  [ "$status" != 0 ] || status=1
fi
exit "$status"
