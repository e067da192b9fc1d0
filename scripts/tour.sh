#!/usr/bin/env bash
# A short tour of the catalog, the formula language, theory, data and training (make tour; docs/tour.md).
set -euo pipefail
bin=${ACTLAB:-build/actlab}
run() { printf '\n$ actlab %s\n' "$*"; "$bin" "$@"; }
run --version
run act list --menu alacarte
run act show swish --at -1,0,1
run act show 'x*sigmoid(1.5*x)' --at -1,0,1
run act show repu --param p=3 --at -1,0,1,2
run act show mrepu --param p=2 --at -1,-0.5,0,1
run act plot relu swish gelu mish --derivative --range -4:4 --out build/tour.svg
run theory eoc tanh --sigma-b 0:1:5
run theory propagate tanh --sigma-w 1.3041458 --sigma-b 0.2 --depth 10 --c0 0.5
run data list
run data show iris
run train --data iris --model mlp:64x10 --act relu --init critical --epochs 100 --lr 0.01 --seed 1
run train --data spirals --model mlp:32x4 --act 'x*sigmoid(1.5*x)' --epochs 200 --lr 0.01 --seed 1 --out build/tour_model.json
run eval --model build/tour_model.json --data spirals
