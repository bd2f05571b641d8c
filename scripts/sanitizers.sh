#!/usr/bin/env bash
# Runs the unit and integration suites under AddressSanitizer and ThreadSanitizer, each in its own
# build directory (a full debug build per sanitizer: plan for 15-30 minutes each on 2 cores). Not
# part of every CI run; docs/reliability.md says when it last passed.
#   bash scripts/sanitizers.sh [address|thread]... [-- SWIFT-TEST-ARGS...]
# Example: bash scripts/sanitizers.sh thread -- --filter 'HelperTests|FrontAPITests'
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizers=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do sanitizers+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
status=0
for sanitizer in "${sanitizers[@]}"; do
  scratch=$PWD/.build-$sanitizer
  log=/tmp/amphora-sanitizer-$sanitizer.log
  echo "== $sanitizer sanitizer ($scratch, log $log)"
  start=$SECONDS
  # The integration tests start the agent from this build's binaries, sanitized as well.
  # Leaks traced to dependencies and left (each explained in the file) do not fail the run.
  # AMPHORA_SANITIZER tells the tests which one runs (memory bounds allow for its overhead).
  if LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=1" \
    AMPHORA_SANITIZER=$sanitizer AMPHORA_BIN_DIR=$scratch/debug swift test --no-parallel --sanitize="$sanitizer" --scratch-path "$scratch" "$@" >"$log" 2>&1; then
    echo "$sanitizer: passed in $((SECONDS - start)) s: $(grep -E "^. Test run with" "$log" | tail -n 1)"
  else
    status=1
    echo "$sanitizer: FAILED after $((SECONDS - start)) s"
    grep -E "ERROR: (Address|Thread)Sanitizer|WARNING: ThreadSanitizer|SUMMARY:|✘" "$log" | head -n 20
  fi
done
exit "$status"
