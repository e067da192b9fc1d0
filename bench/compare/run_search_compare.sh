#!/usr/bin/env bash
# Side-by-side search speed, actlab vs Optuna 3.1 (+ PyTorch 1.13), one thread each (docs/benchmarks.md,
# "Search"):
#   sampler   TPE time per trial over a 1000-trial study, 10 categorical parameters × 48 choices
#             (bench_search BM_TpeSamplePerTrial vs bench/compare/tpe_optuna.py), and the whole
#             `actlab study optimize` per trial on that space (synthetic objective, SQLite)
#   alacarte  wall time of an à-la-carte study (iris, 5 layers) vs Optuna + PyTorch running Sipper's original
#             objective (bench/compare/alacarte_optuna.py); TRIALS trials on both sides (default 200: the
#             PyTorch side needs ~0.1-0.7 s per trial here); actlab with TPE (FAIL trials ignored, as
#             Optuna), tpe:fail-worst and random; Optuna with TPE and random
# Each side checks its result before timing (see the scripts).
#
#   bench/compare/run_search_compare.sh
#   TRIALS=1000 WORKLOADS=alacarte bench/compare/run_search_compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
TRIALS=${TRIALS:-200}
WORKLOADS=${WORKLOADS:-"sampler alacarte"}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
ACTLAB=$BUILD_DIR/actlab
[[ -x $ACTLAB && -x $BUILD_DIR/bench/bench_search ]] || { echo "build first: make build" >&2; exit 1; }
PY=/usr/bin/python3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for w in $WORKLOADS; do
  case $w in
    sampler)
      cpp=$($BUILD_DIR/bench/bench_search --benchmark_filter=BM_TpeSamplePerTrial --benchmark_format=json)
      # The whole study path too: `actlab study optimize`, 1000 TPE trials of the built-in synthetic objective
      # on the same 10 x 48 categorical space (its own cost table), SQLite, the process timed as a whole.
      # Check: its best beats a 1000-trial random-sampler study of the same objective.
      for s in tpe random; do
        $ACTLAB study create --storage "sqlite://$dir/t.db" --name "$s" --sampler "$s" --objective synthetic \
          --categorical 10 --choices 48 --floats 0 --seed 1 >/dev/null
      done
      $ACTLAB study optimize --storage "sqlite://$dir/t.db" --name random --trials 1000 --json >"$dir/random.json"
      /usr/bin/time -f "%e %U %S" -o "$dir/tpe_time.txt" \
        $ACTLAB study optimize --storage "sqlite://$dir/t.db" --name tpe --trials 1000 --json >"$dir/tpe.json"
      opt=$($PY bench/compare/tpe_optuna.py --trials 1000)
      $PY - "$cpp" "$opt" "$dir/tpe.json" "$dir/random.json" "$dir/tpe_time.txt" <<'PYEOF'
import json, sys
c = json.loads(sys.argv[1])["benchmarks"][0]
if c.get("error_occurred"):
    sys.exit("actlab check failed: " + c.get("error_message", ""))
o = json.loads(sys.argv[2])
st, rnd = json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
if st["states"]["COMPLETE"] != 1000 or not st["best"]["value"] < rnd["best"]["value"]:
    sys.exit("actlab check failed: the TPE study's best does not beat the random study's")
wall, user, sys_ = map(float, open(sys.argv[5]).read().split()[-3:])
s_ms = 1e3 * (user + sys_) / 1000
a = c["per_trial_ms"]
print(f"sampler (CPU time) actlab TPE {a:.3f} ms/trial (best {c['tpe_best']:.4f}, random {c['random_best']:.4f}) | "
      f"Optuna {o['optuna']} TPE sample_independent {o['sampler_ms_per_trial']:.2f} ms/trial, ask+suggest+tell "
      f"{o['ask_tell_ms_per_trial']:.2f} ms/trial (best {o['tpe_best']:.4f}, random {o['random_best']:.4f}) | "
      f"ratio {o['sampler_ms_per_trial'] / a:.0f}x (sampler), {o['ask_tell_ms_per_trial'] / a:.0f}x (ask/tell)")
print(f"study (CPU time) actlab study optimize, 1000 TPE trials, SQLite: {s_ms:.3f} ms/trial CPU "
      f"({user:.2f} s user + {sys_:.2f} s sys, {wall:.2f} s wall; best {st['best']['value']:.4f}, random study "
      f"{rnd['best']['value']:.4f}) | ratio {o['ask_tell_ms_per_trial'] / s_ms:.0f}x vs Optuna ask+suggest+tell "
      f"(in-memory storage)")
PYEOF
      ;;
    alacarte)
      # Check: the standard network learns iris in actlab too.
      $ACTLAB train --data iris --model mlp:64x5 --act relu,relu,relu,relu,softmax --init torch --batch full \
        --epochs 300 --early-stop train-acc --seed 1 --json >"$dir/std.json"
      # Three actlab studies: TPE as Optuna (FAIL trials ignored by the sampler), tpe:fail-worst (FAIL trials
      # count as the worst values, `actlab alacarte`'s default) and random; two Optuna+PyTorch studies: TPE and
      # random. The PyTorch side never FAILs: a NaN network trains on until the early stop (its training
      # accuracy no longer moves) and is scored through argmax, and that low score teaches its TPE as
      # fail-worst teaches actlab's. Random vs random is the like-for-like pair: the same distribution of
      # networks on both sides, whatever the samplers learn.
      for s in tpe tpe:fail-worst random; do
        $ACTLAB study create --storage "sqlite://$dir/s.db" --name "$s" --space alacarte --data iris --layers 5 \
          --sampler "$s" --seed 1 >/dev/null
        /usr/bin/time -f "%e %U %S" -o "$dir/time_$s.txt" \
          $ACTLAB study optimize --storage "sqlite://$dir/s.db" --name "$s" --trials "$TRIALS" --json >"$dir/opt_$s.json"
      done
      opt_tpe=$($PY bench/compare/alacarte_optuna.py --data iris --layers 5 --trials "$TRIALS")
      opt_random=$($PY bench/compare/alacarte_optuna.py --data iris --layers 5 --trials "$TRIALS" --sampler random)
      $PY - "$dir" "$opt_tpe" "$opt_random" <<'PYEOF'
import json, sys
d = sys.argv[1]
std = json.load(open(f"{d}/std.json"))
if std["status"] == "diverged" or std["epochs"][-1]["train_acc"] <= 0.5:
    sys.exit("actlab check failed: the standard network did not learn iris")
optuna = {"tpe": json.loads(sys.argv[2]), "random": json.loads(sys.argv[3])}
for name, o in optuna.items():
    print(f"alacarte Optuna+PyTorch {name}, {o['trials']} trials: wall {o['seconds']:.2f} s, CPU "
          f"{o['cpu_seconds']:.2f} s ({1e3 * o['cpu_seconds'] / o['trials']:.1f} ms/trial CPU, {o['fail']} fail, "
          f"best train acc {o['best']:.4f})")
for name, partner in (("tpe", "tpe"), ("tpe:fail-worst", "tpe"), ("random", "random")):
    j = json.load(open(f"{d}/opt_{name}.json"))
    if j["states"]["COMPLETE"] == 0 or j["best"] is None:
        sys.exit(f"actlab check failed ({name}): no complete trial")
    wall, user, sys_ = map(float, open(f"{d}/time_{name}.txt").read().split()[-3:])
    cpu, o = user + sys_, optuna[partner]
    n = j["n_trials"]
    print(f"alacarte actlab --sampler {name}, {n} trials: wall {wall:.2f} s, CPU {cpu:.2f} s "
          f"({1e3 * cpu / n:.1f} ms/trial CPU, {j['states']['COMPLETE']} complete, {j['states']['FAIL']} fail, "
          f"best val acc {j['best']['value']:.4f}; the whole process: data, SQLite, training) | vs Optuna "
          f"{partner}: {o['seconds'] / wall:.1f}x wall, {o['cpu_seconds'] / cpu:.1f}x CPU")
PYEOF
      ;;
    *) echo "unknown workload $w" >&2; exit 2 ;;
  esac
done
