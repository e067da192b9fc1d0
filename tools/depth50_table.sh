#!/usr/bin/env bash
# Does theory predict trainability at depth 50? Trains mlp:64x51 (50 activation layers) on digits for each
# activation at the recommended initialisation (--init critical), an ordered one (sigma_w = 0.5) and a
# chaotic one (sigma_w = 4), three seeds each (Adam, lr 1e-4, 30 epochs, batch 64), and prints the test accuracies as a Markdown table
# (docs/theory.md, "One initialisation answer"). Chance is 0.1. About 3 minutes on one core.
#   tools/depth50_table.sh [build/actlab]
set -euo pipefail
actlab=${1:-build/actlab}
export OPENBLAS_NUM_THREADS=1
inits=("critical" "gaussian:sigma_w=0.5,sigma_b=0.1" "gaussian:sigma_w=4,sigma_b=0.1")
names=("critical" "ordered (sigma_w = 0.5)" "chaotic (sigma_w = 4)")
echo "| activation | ${names[0]} | ${names[1]} | ${names[2]} |"
echo "|---|---|---|---|"
for act in swish gelu mish tanh elu selu; do
  row="| $act |"
  for init in "${inits[@]}"; do
    accs=()
    for seed in 1 2 3; do
      acc=$("$actlab" train --data digits --model mlp:64x51 --act "$act" --init "$init" --opt adam --lr 1e-4 \
        --epochs 30 --batch 64 --seed "$seed" --json 2>/dev/null |
        /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print("%.2f" % j["test_acc"] if "test_acc" in j and j.get("status") != "diverged" else "div.")' ||
        echo "div.")
      accs+=("$acc")
    done
    row="$row ${accs[*]} |"
  done
  echo "$row"
done
