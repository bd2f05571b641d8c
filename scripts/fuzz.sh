#!/usr/bin/env bash
# Fuzzes the parsers that read untrusted bytes (Sources/amphora-fuzz: one libFuzzer target per
# parser, each checking properties, not only "does not crash") and prints one line per target:
# executions, coverage, corpus size and findings.
#   bash scripts/fuzz.sh [--seconds N | --runs N | --build-only] [TARGET...]
# Default: every target for 20 seconds (the CI budget). The documented long run (docs/reliability.md)
# is `--runs 10000000`. Seeds: Fuzz/corpus/<target> (committed); the grown corpus and any finding
# stay under $AMPHORA_FUZZ_WORK (default /var/tmp/amphora-fuzz), never in the repository.
# A finding (a crash or a broken property) makes the script fail; its input is kept as
# findings/<target>-crash-*; replay it with `.build/debug/amphora-fuzz TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=(-max_total_time=20)
targets=()
build_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) budget=(-max_total_time="$2"); shift 2 ;;
    --runs) budget=(-runs="$2"); shift 2 ;;
    --build-only) build_only=1; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(json command frame ini haproxy keepalived lvs pem crtlist netlink stats route heartbeat)
work=${AMPHORA_FUZZ_WORK:-/var/tmp/amphora-fuzz}
scratch=${AMPHORA_FUZZ_SCRATCH:-$PWD/.build-fuzz}
mkdir -p "$work/findings"

echo "fuzz: building the targets with libFuzzer (release, $scratch)"
start=$SECONDS
swift build -c release --sanitize=fuzzer -Xswiftc -DFUZZING --product amphora-fuzz --scratch-path "$scratch" 2>&1 |
  grep -E "error|warning: |Compiling|Build complete" | grep -v "^\[" | tail -n 5 || true
binary=$scratch/release/amphora-fuzz
[ -x "$binary" ] || { echo "fuzz: the build failed"; exit 1; }
echo "fuzz: build took $((SECONDS - start)) s"
[ "$build_only" = 0 ] || exit 0

failed=0
printf '%-11s %12s %8s %8s %7s %s\n' target executions cov ft corpus findings
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  mkdir -p "$corpus"
  log=$work/$target.log
  rc=0
  # Swift's own backtracer would take the crash signal before libFuzzer saves the input.
  SWIFT_BACKTRACE=enable=no AMPHORA_FUZZ_TARGET=$target "$binary" "${budget[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/findings/$target-" "$corpus" "Fuzz/corpus/$target" >"$log" 2>&1 || rc=$?
  runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo 0)
  last=$(grep -E "^#[0-9]+" "$log" | tail -n 1)
  cov=$(grep -oE "cov: [0-9]+" <<<"$last" | grep -oE "[0-9]+" || echo -)
  ft=$(grep -oE "ft: [0-9]+" <<<"$last" | grep -oE "[0-9]+" || echo -)
  size=$(find "$corpus" -type f | wc -l)
  finding=none
  if [ "$rc" != 0 ]; then
    finding=$(grep -m1 -oE "(Fatal error|ERROR: libFuzzer|ERROR: AddressSanitizer)[^\n]*" "$log" || echo "exit $rc")
    failed=1
  fi
  printf '%-11s %12s %8s %8s %7s %s\n' "$target" "$runs" "$cov" "$ft" "$size" "$finding"
done
[ "$failed" = 0 ] || { echo "fuzz: findings above; logs and inputs in $work"; exit 1; }
