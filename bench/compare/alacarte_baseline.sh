#!/usr/bin/env bash
# The à-la-carte standard network (specs/search-alacarte-evolution.md §1.2–1.3: 10 × Linear(64) ReLU + softmax
# output, CE on the softmax, full-batch Adam 1e-3, 300 epochs, torch's default init, standardised features) on
# R stratified 70/30 splits, actlab beside PyTorch: median test accuracy per data set (docs/training.md).
#
#   bench/compare/alacarte_baseline.sh               # iris and breast-cancer, 11 replicates
#   DATASETS="wine digits" REPS=5 bench/compare/alacarte_baseline.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ACTLAB=${BUILD_DIR:-build}/actlab
DATASETS=${DATASETS:-"iris breast-cancer"}
REPS=${REPS:-11}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
ACTS=relu,relu,relu,relu,relu,relu,relu,relu,relu,softmax
printf "%-14s %5s %14s %14s\n" data reps "actlab median" "torch median"
for d in $DATASETS; do
  accs=()
  for s in $(seq 1 "$REPS"); do
    accs+=("$($ACTLAB train --data "$d" --model mlp:64x10 --act $ACTS --init torch --batch full --epochs 300 \
      --test 0.3 --seed "$s" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["test_acc"])')")
  done
  ours=$(printf "%s\n" "${accs[@]}" | /usr/bin/python3 -c 'import sys, statistics; print(statistics.median(float(v) for v in sys.stdin))')
  theirs=$(/usr/bin/python3 bench/compare/alacarte_baseline_torch.py "$d" "$REPS" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["median"])')
  printf "%-14s %5d %14.4f %14.4f\n" "$d" "$REPS" "$ours" "$theirs"
done
