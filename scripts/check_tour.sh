#!/usr/bin/env bash
# Runs the tour of docs/tour.md (scripts/tour.sh) and compares what it prints with the recorded transcript
# tests/golden/tour.txt, ignoring wall-clock times. The transcript was recorded before the lab/ layer took over
# the recipes (docs/design.md), so a difference means a command now prints other numbers.
#   scripts/check_tour.sh [BINARY]          # compare (exit 1 and a diff on a difference)
#   scripts/check_tour.sh --record [BINARY] # write the transcript anew
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
if [[ "${1:-}" == "--record" ]]; then
  record=1
  shift
fi
bin=$(realpath "${1:-build/actlab}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Times differ from run to run: "in 0.05s" and version lines are masked, and the progress lines a redirected
# run streams to stderr ("epoch 3/100 0.1s ...", docs/cli.md) are left out: they repeat the final table.
normalise() { sed -E -e '/^epoch [0-9]+\/[0-9]+ /d' -e 's/ in [0-9]+\.[0-9]+s/ in <t>s/g' -e 's/loaded in +[0-9.]+ s/loaded in <t> s/' -e 's/^actlab [0-9.]+$/actlab <version>/'; }
(cd "$out" && mkdir -p build && ACTLAB="$bin" OPENBLAS_NUM_THREADS=1 "$OLDPWD/scripts/tour.sh" 2>&1) | normalise >"$out/tour.txt"
if [[ $record -eq 1 ]]; then
  cp "$out/tour.txt" tests/golden/tour.txt
  echo "tour: recorded tests/golden/tour.txt ($(wc -l <tests/golden/tour.txt) lines)"
  exit 0
fi
if diff -u tests/golden/tour.txt "$out/tour.txt"; then
  echo "tour: the same output as tests/golden/tour.txt"
else
  echo "tour: the output differs from tests/golden/tour.txt (above)" >&2
  exit 1
fi
