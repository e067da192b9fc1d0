#!/usr/bin/env bash
# Runs every libFuzzer harness of tests/fuzz for a while (docs/fuzzing.md).
#   scripts/run_fuzz.sh BUILD_DIR SECONDS [NAME...]     e.g. scripts/run_fuzz.sh build-fuzz 20
# Each harness starts from a copy of its seed corpus (tests/fuzz/corpus/NAME; the committed one is not
# changed) and runs SECONDS with a 2 GB memory limit and 10 s per input. Prints one line per harness with the
# executions run; a crash, leak, sanitizer report, timeout or out-of-memory stops with exit 1 and leaves the
# input in BUILD_DIR/fuzz/crash-NAME-* (commit it as a regression test, tests/fuzz/regressions/NAME/).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build dir}
seconds=${2:?seconds}
shift 2
names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(formula csv idx rdata model catalog onnx storage_url)
work="$build/fuzz"
mkdir -p "$work"
status=0
for n in "${names[@]}"; do
  corpus="$work/corpus-$n"
  rm -rf "$corpus" && mkdir -p "$corpus"
  cp tests/fuzz/corpus/"$n"/* "$corpus"/
  # The committed crash inputs run first: each must pass.
  regress=()
  [[ -d tests/fuzz/regressions/$n ]] && regress=(tests/fuzz/regressions/"$n")
  log="$work/$n.log"
  if "$build/tests/fuzz/fuzz_$n" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$work/crash-$n-" "$corpus" "${regress[@]}" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || echo "?")
    printf 'fuzz %-12s %12s executions in %ss: clean\n' "$n" "$runs" "$seconds"
  else
    printf 'fuzz %-12s FAILED (see %s)\n' "$n" "$log"
    grep -m3 -E 'ERROR|SUMMARY|Test unit written' "$log" || true
    status=1
  fi
done
exit $status
