#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds without warnings in our own
# modules, then runs every unit and integration test (the integration tests start the real agent) in
# two lanes side by side, the UDP listener suite on a kernel with IP_VS (a QEMU guest), the
# benchmark's smoke run, the two suites that must run alone, and a 60-second soak; meanwhile, in the
# background, the production path (Debian package, amphora image, boot test under QEMU) and a short
# fuzzing run.
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

# Stages that need no CPU of their own for long stretches run in the background while the tests
# run, at a lower priority: the production path's Debian package (a release build of its own,
# ~15 min from scratch), then side by side its Debian 12 image and the boot test under QEMU, and the
# fuzzing run (its own release build, then every target for a fixed time). Their results are
# printed at the end.
# AMPHORA_SKIP_BOOT_TEST=1 leaves the production path out (fuzzing then runs after the suite).
rm -f /tmp/amphora-test.log /tmp/amphora-test-lane2.log /tmp/amphora-test-alone.log \
  /tmp/amphora-deb.log /tmp/amphora-image.log /tmp/amphora-boot-test.log /tmp/amphora-test-ipvs.log \
  /tmp/amphora-production.rc /tmp/amphora-ipvs.rc /tmp/amphora-fuzz.log /tmp/amphora-fuzz.rc
# Decided once: the suite skips LVSRunningTests without IP_VS, and the guest then runs them (a module
# loaded meanwhile must not make the report look for them in the suite).
host_ipvs=; [ -e /proc/net/ip_vs ] && host_ipvs=1
background_stages() {
  if [ -n "${AMPHORA_SKIP_BOOT_TEST:-}" ]; then return; fi
  local fuzz_pid
  # build-deb.sh writes a header into Sources/CBuildInfo while it builds: fuzzing starts after it.
  production_package || { fuzzing; return; }
  fuzzing & fuzz_pid=$!
  production_image_and_boot
  wait "$fuzz_pid"
}
# Fuzzing (docs/reliability.md): every libFuzzer target for a short fixed budget (a time, not a
# number of runs: the lowest priority, beside the suite and the boot test's guest, costs executions,
# not time). The seeds and every finding's reproducer are also replayed by the suite
# (FuzzCorpusReplayTests).
fuzzing() {
  local t=$SECONDS rc=0
  nice -n 19 bash scripts/fuzz.sh --seconds 10 >/tmp/amphora-fuzz.log 2>&1 || rc=$?
  echo "$rc" >/tmp/amphora-fuzz.rc
  echo "stage: fuzzing $((SECONDS - t)) s" >>/tmp/amphora-fuzz.log
}
production_package() {
  local t=$SECONDS
  if ! deb=$(nice -n 10 bash scripts/build-deb.sh 2>&1 | tee /tmp/amphora-deb.log | tail -n1) || [ ! -f "$deb" ]; then
    echo deb >/tmp/amphora-production.rc; return 1
  fi
  echo "stage: package $((SECONDS - t)) s (in the background)" >>/tmp/amphora-deb.log
}
production_image_and_boot() {
  local t=$SECONDS rc=0
  if ! nice -n 10 bash scripts/build-image.sh --test-console --deb "$deb" debian12 >/tmp/amphora-image.log 2>&1; then
    echo image >/tmp/amphora-production.rc; return
  fi
  echo "stage: image $((SECONDS - t)) s (in the background)" >>/tmp/amphora-image.log; t=$SECONDS
  nice -n 10 bash scripts/boot-test.sh --image dist/image-debian12 --timeout 2400 >/tmp/amphora-boot-test.log 2>&1 || rc=$?
  echo "boot $rc" >/tmp/amphora-production.rc
  echo "stage: boot test $((SECONDS - t)) s (in the background)" >>/tmp/amphora-boot-test.log
}
echo "== in the background: the production path (package, Debian 12 image, boot test) and fuzzing"
test_bin_dir=$(swift build --show-bin-path)
# In a process group of its own (job control on for this one job), so that an interrupted run stops
# the package build and the QEMU guests too.
set -m
background_stages </dev/null >/dev/null 2>&1 &
background_pid=$!
set +m
second_lane_pid=
# The process groups still running when the script ends (the pids are cleared once waited for).
trap '[ -z "$background_pid" ] || kill -- -"$background_pid" 2>/dev/null || true
      [ -z "$second_lane_pid" ] || kill -- -"$second_lane_pid" 2>/dev/null || true' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

echo "== tests"
# Two lanes of the one test binary, each running its suites one after the other: the long load,
# crash and differential suites (the second lane) beside all the others. Each suite starts its own
# agents in its own directories and namespaces, on ports from its lane's own range (AgentHarness).
# Two suites read or change what the whole machine sees and run alone later, on a quiet machine:
# the clock-jump suite steps the wall clock (which libFuzzer's timeouts follow too), and the details
# suite compares its answers with /proc/meminfo.
second_lane='IntegrationTests\.(ExhaustionTests|CrashConsistencyTests|HAProxyPolicyDifferentialTests)'
alone='IntegrationTests\.(ClockJumpTests|DetailsTests)'
# A failing test must not end the script here (errexit with pipefail): every later stage still runs.
set +e
set -m  # a process group of its own, stopped on exit
AMPHORA_TEST_LANE=2 "$test_bin_dir/amphora-agentPackageTests.xctest" --testing-library swift-testing --no-parallel \
  --filter "$second_lane" </dev/null >/tmp/amphora-test-lane2.log 2>&1 &
second_lane_pid=$!
set +m
swift test --skip-build --no-parallel --skip "$second_lane" --skip "$alone" 2>&1 | tee /tmp/amphora-test.log
status=${PIPESTATUS[0]}
wait "$second_lane_pid"
second_lane_status=$?
second_lane_pid=
echo "== tests, the second lane (ran beside the first): $second_lane"
cat /tmp/amphora-test-lane2.log
[ "$second_lane_status" = 0 ] || [ "$status" != 0 ] || status=1
set -e

# UDP listeners balance through the kernel's IP Virtual Server. Where the kernel has none (this
# machine's), LVSRunningTests skipped in the suite and run here inside a guest booted with Debian 12's
# kernel (scripts/with-ipvs-kernel.sh: KVM where it can boot a stock kernel, else emulated). Not in
# the background: beside the suite, the emulated guest's agent once took over 60 s to start.
echo "== UDP listeners on a kernel with IP_VS"
if [ -z "$host_ipvs" ]; then
  t=$SECONDS rc=0
  bash scripts/with-ipvs-kernel.sh --timeout 1200 -- "$test_bin_dir/amphora-agentPackageTests.xctest" \
    --testing-library swift-testing --filter LVSRunningTests >/tmp/amphora-test-ipvs.log 2>&1 || rc=$?
  echo "$rc" >/tmp/amphora-ipvs.rc
  echo "stage: UDP listeners on a kernel with IP_VS $((SECONDS - t)) s" >>/tmp/amphora-test-ipvs.log
fi

# The benchmark's smoke mode: both agents start and answer over mutual TLS and the result is
# well-formed; timings are never judged. It reuses the debug build above (no release build); the
# first run on a machine also installs the upstream agent into its cached venv.
echo "== benchmark smoke (bench/run.sh --smoke)"
if ! AMPHORA_BENCH_BIN_DIR=.build/debug bash bench/run.sh --smoke; then
  echo "test.sh: the benchmark smoke run failed"
  [ "$status" != 0 ] || status=1
fi

# The background stages: the production path (docs/production.md: the Debian package with lintian,
# a Debian 12 amphora image with it, booted under QEMU with real systemd and driven by Octavia's
# client); then the IP_VS guest's output. Logs and stage times are printed.
echo "== background stages: production path, fuzzing"
t=$SECONDS
wait "$background_pid" || true
background_pid=
echo "waited $((SECONDS - t)) s for the background stages"
if [ -n "${AMPHORA_SKIP_BOOT_TEST:-}" ]; then fuzzing; fi  # not in the background then

echo "== tests, alone: $alone"
set +e
swift test --skip-build --no-parallel --filter "$alone" 2>&1 | tee /tmp/amphora-test-alone.log
alone_status=${PIPESTATUS[0]}
set -e
[ "$alone_status" = 0 ] || [ "$status" != 0 ] || status=1

# The soak's CI size (docs/reliability.md, "Exhaustion and soak"): 60 s of 128 concurrent mutual-TLS
# keep-alive connections with a mixed read/write workload against the debug build; any failed
# request fails the run. It runs after the background stages, on an otherwise quiet machine. The
# memory curve is printed (the 10-minute run is `bash scripts/soak.sh`).
echo "== soak, 60 s (scripts/soak.sh --seconds 60)"
if ! bash scripts/soak.sh --seconds 60 --connections 128; then
  echo "test.sh: the soak run had failed requests"
  [ "$status" != 0 ] || status=1
fi

echo "== production path: package, Debian 12 image, boot test"
if [ -n "${AMPHORA_SKIP_BOOT_TEST:-}" ]; then
  echo "test.sh: SKIPPED the production path (AMPHORA_SKIP_BOOT_TEST is set)"
else
  result=$(cat /tmp/amphora-production.rc 2>/dev/null || echo missing)
  grep -E "^(build-deb:|stage:)" /tmp/amphora-deb.log 2>/dev/null || true
  grep -E "^stage:" /tmp/amphora-image.log 2>/dev/null || true
  if [ "$result" = deb ] || [ "$result" = missing ]; then
    cat /tmp/amphora-deb.log 2>/dev/null || true; echo "test.sh: building the Debian package failed"; [ "$status" != 0 ] || status=1
  elif [ "$result" = image ]; then
    tail -n 50 /tmp/amphora-image.log 2>/dev/null || true; echo "test.sh: building the Debian 12 image failed"; [ "$status" != 0 ] || status=1
  else
    cat /tmp/amphora-boot-test.log 2>/dev/null || true
    rc=${result#boot }
    if [ "$rc" != 0 ]; then echo "test.sh: the boot test failed (exit $rc)"; [ "$status" != 0 ] || status=1; fi
  fi
fi
echo "== fuzzing (scripts/fuzz.sh --seconds 10)"
cat /tmp/amphora-fuzz.log 2>/dev/null || true
if [ "$(cat /tmp/amphora-fuzz.rc 2>/dev/null)" != 0 ]; then
  echo "test.sh: fuzzing found a crash or a broken property, or could not build"
  [ "$status" != 0 ] || status=1
fi
echo "== UDP listeners on a kernel with IP_VS"
if [ -n "$host_ipvs" ]; then
  echo "the host kernel has IP_VS: LVSRunningTests ran with the suite above"
else
  cat /tmp/amphora-test-ipvs.log 2>/dev/null || true
  rc=$(cat /tmp/amphora-ipvs.rc 2>/dev/null || echo missing)
  if [ "$rc" = 77 ]; then
    echo "test.sh: SKIPPED LVSRunningTests: no way to boot a kernel with IP_VS here"
  elif [ "$rc" != 0 ]; then
    echo "test.sh: LVSRunningTests failed in the IP_VS guest (exit $rc)"
    [ "$status" != 0 ] || status=1
  fi
fi
exit "$status"
