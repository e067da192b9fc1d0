#!/usr/bin/env bash
# Issue 4's Fashion-MNIST accuracy targets, actlab beside PyTorch 1.13 on the same protocol, over several seeds
# (docs/training.md, "Results"): test accuracy on t10k after the last epoch, per seed and the median.
#   mlp   784-256-256-10 ReLU, Adam 1e-3, batch 128, 5 epochs     (target ≥ 0.88)
#   cnn   the Lapid CNN, Adam 1e-3, batch 128, 3 epochs           (target ≥ 0.90: reached with
#         LR=2e-3 SCHEDULE=cosine, docs/training.md)
# STANDARDIZE: global (one mean/scale for all pixels) and/or pixel (per pixel, actlab's --standardize on).
# BATCH (default 128), LR (default 1e-3) and SCHEDULE (constant, or cosine: annealed to 0 over every step)
# replace the batch size, Adam's learning rate and the schedule of both protocols. THREADS (default 1): actlab's --threads and
# PyTorch's intra-op threads (OpenBLAS stays at one thread). Both sides use PyTorch's default initialisation
# (actlab --init torch). Time at one thread: one mlp run ~6 s (actlab) / ~60 s (PyTorch); one cnn run ~90 s /
# ~300 s.
#
#   bench/compare/run_fashion_accuracy.sh
#   LR=2e-3 SCHEDULE=cosine THREADS=2 MODELS=cnn STANDARDIZE=global SIDES=actlab bench/compare/run_fashion_accuracy.sh
#   MODELS=mlp STANDARDIZE="global pixel" SEEDS="1 2 3 4 5" SIDES="actlab torch" bench/compare/run_fashion_accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
MODELS=${MODELS:-"mlp cnn"}
STANDARDIZE=${STANDARDIZE:-"pixel"}
SEEDS=${SEEDS:-"1 2 3 4 5"}
SIDES=${SIDES:-"actlab torch"}
BATCH=${BATCH:-128}
LR=${LR:-1e-3}
SCHEDULE=${SCHEDULE:-constant}
THREADS=${THREADS:-1}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$THREADS
ACTLAB=$BUILD_DIR/actlab
[[ -x $ACTLAB ]] || { echo "build first: make build" >&2; exit 1; }

printf "%-5s %-8s %-7s %-s\n" model inputs side "test accuracy per seed -> median"
for model in $MODELS; do
  case $model in
    mlp) arch=mlp:784-256-256-10 epochs=5 ;;
    cnn) arch=cnn:lapid epochs=3 ;;
    *) echo "unknown model $model" >&2; exit 2 ;;
  esac
  for how in $STANDARDIZE; do
    case $how in global) flag=global ;; pixel) flag=on ;; *) echo "unknown STANDARDIZE $how" >&2; exit 2 ;; esac
    for side in $SIDES; do
      if [[ $side == actlab ]]; then
        accs=$(for s in $SEEDS; do
          $ACTLAB train --data fashion-mnist --model $arch --act relu --init torch --standardize $flag \
            --batch "$BATCH" --lr "$LR" --lr-schedule "$SCHEDULE" --threads "$THREADS" --epochs $epochs \
            --seed "$s" --json | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
if j["status"] != "completed":
    sys.exit("actlab run did not complete: " + j["status"])
print(j["test_acc"])'
        done)
      else
        accs=$(/usr/bin/python3 bench/compare/fashion_accuracy_torch.py $model $epochs $how "$BATCH" "$THREADS" "$LR" "$SCHEDULE" $SEEDS |
          /usr/bin/python3 -c 'import json, sys; [print(json.loads(l)["test_acc"][-1]) for l in sys.stdin]')
      fi
      /usr/bin/python3 - "$model" "$how" "$side" $accs <<'PYEOF'
import statistics, sys
model, how, side, accs = sys.argv[1], sys.argv[2], sys.argv[3], [float(a) for a in sys.argv[4:]]
print(f"{model:5} {how:8} {side:7} {' '.join(f'{a:.4f}' for a in accs)} -> {statistics.median(accs):.4f}")
PYEOF
    done
  done
done
