#!/usr/bin/env bash
# The main job for now: a short tour of the catalog and the formula language (make run).
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
