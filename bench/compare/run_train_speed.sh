#!/usr/bin/env bash
# Side-by-side training speed, actlab vs PyTorch 1.13 (Debian python3-torch), same thread count, same workloads
# (docs/benchmarks.md, "Training"):
#   alacarte  10 × Linear(64) ReLU + softmax, full-batch Adam, 1000 rows × 16 features, 300 epochs
#   mlp       784-256-256-10 ReLU, Adam 1e-3, batch 128, one Fashion-MNIST epoch
#   cnn       the Lapid CNN, Adam 1e-3, batch 128, one Fashion-MNIST epoch
# Both sides time the training loop only (not data loading) and check that the loss went down.
# actlab runs `train --threads THREADS` (data-parallel). PyTorch gets its best of three ways to use THREADS
# threads, each printed on stderr: intra-op threads with single-threaded OpenBLAS (environment.md's
# recommendation), one intra-op thread with a THREADS-thread OpenBLAS, and both at THREADS (oversubscribed).
#
# Each side's time is the best of REPEAT runs (default 3; the machine is shared and noisy).
#
#   bench/compare/run_train_speed.sh            # 1 thread each, all workloads
#   THREADS=2 WORKLOADS="mlp" bench/compare/run_train_speed.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
THREADS=${THREADS:-1}
WORKLOADS=${WORKLOADS:-"alacarte mlp cnn"}
REPEAT=${REPEAT:-3}
# actlab's training does not call BLAS; one OpenBLAS thread keeps its idle pool from spinning on a core.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
ACTLAB=$BUILD_DIR/actlab
[[ -x $ACTLAB ]] || { echo "build first: make build" >&2; exit 1; }

actlab_seconds() {
  local json
  case $1 in
    alacarte) json=$($ACTLAB train --data blobs:k=3,d=16 --rows 1000 --test 0 --model mlp:64x10 \
                --act relu,relu,relu,relu,relu,relu,relu,relu,relu,softmax --init torch --batch full --epochs 300 \
                --seed 1 --threads "$THREADS" --json) ;;
    mlp) json=$($ACTLAB train --data fashion-mnist --model mlp:784-256-256-10 --act relu --init torch --batch 128 \
                --epochs 1 --seed 1 --threads "$THREADS" --json) ;;
    cnn) json=$($ACTLAB train --data fashion-mnist --model cnn:lapid --act relu --init torch --batch 128 \
                --epochs 1 --seed 1 --threads "$THREADS" --json) ;;
  esac
  /usr/bin/python3 -c '
import json, sys
j = json.loads(sys.argv[1])
e = j["epochs"]
if j["status"] == "diverged" or e[-1]["train_acc"] < 0.5 or (len(e) > 1 and e[-1]["train_loss"] >= e[0]["train_loss"]):
    sys.exit("actlab run did not train: " + j["status"])
print(j["seconds"])' "$json"
}

printf "%-10s %8s %12s %12s %8s\n" workload threads "actlab s" "pytorch s" speedup
for w in $WORKLOADS; do
  a=
  for ((i = 0; i < REPEAT; i++)); do
    s=$(actlab_seconds "$w")
    echo "  actlab $w: $s s" >&2
    if [[ -z $a ]] || (($(echo "$s < $a" | bc -l))); then a=$s; fi
  done
  t=
  configs="$THREADS:1"
  ((THREADS > 1)) && configs="$THREADS:1 1:$THREADS $THREADS:$THREADS"
  for c in $configs; do  # torch intra-op threads : OpenBLAS threads
    for ((i = 0; i < REPEAT; i++)); do
      s=$(OMP_NUM_THREADS=${c%%:*} OPENBLAS_NUM_THREADS=${c##*:} /usr/bin/python3 bench/compare/train_speed_torch.py \
            "$w" "${c%%:*}" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
      echo "  pytorch $w: torch threads ${c%%:*}, OpenBLAS threads ${c##*:}: $s s" >&2
      if [[ -z $t ]] || (($(echo "$s < $t" | bc -l))); then t=$s; fi
    done
  done
  printf "%-10s %8d %12.3f %12.3f %7.2fx\n" "$w" "$THREADS" "$a" "$t" "$(echo "$t / $a" | bc -l)"
done
