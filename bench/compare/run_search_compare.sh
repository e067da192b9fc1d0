#!/usr/bin/env bash
# Side-by-side search speed, actlab vs Optuna 5 and 3.1 (+ PyTorch 1.13), one thread each (docs/benchmarks.md,
# "Search"):
#   sampler   TPE time per trial over a 1000-trial study on 10 categorical parameters × 48 choices and on
#             10 floats, independent and multivariate (bench_search BM_TpeSamplePerTrial vs
#             bench/compare/tpe_optuna.py with Optuna 5 from OPTUNA5_PATH and Debian's Optuna 3.1), and the
#             whole 1000-trial `actlab study optimize` in SQLite vs Optuna 5's study.optimize in memory;
#             ROUNDS rounds (default 2) interleaved; SKIP_OPTUNA3=1 leaves 3.1 out
#   read      `study show` and `study trials --csv` on a 100,000-trial study (STUDY_URL: SQLite by default)
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
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1
ACTLAB=$BUILD_DIR/actlab
[[ -x $ACTLAB && -x $BUILD_DIR/bench/bench_search ]] || { echo "build first: make build" >&2; exit 1; }
PY=/usr/bin/python3
dir=$(mktemp -d)
trap '[[ -n ${KEEP:-} ]] && echo "kept $dir" || rm -rf "$dir"' EXIT

for w in $WORKLOADS; do
  case $w in
    sampler)
      # actlab vs Optuna 5 (OPTUNA5_PATH, the anchor snapshot by default) and Optuna 3.1 (Debian's), ROUNDS
      # rounds interleaved A B A B so that other load on the machine hits both sides alike; each program checks
      # its result before timing (see the scripts), CPU time throughout.
      #   sampler: per-trial sampler time, 1000 trials, on the 10 x 48 categorical space and on 10 floats;
      #            actlab independent (tpe) and multivariate (tpe:multivariate); Optuna with TPESampler()'s
      #            defaults (3.1: independent; 5: multivariate with constant liar)
      #   study:   a whole 1000-trial `actlab study optimize` (synthetic objective, SQLite, the process timed
      #            as a whole: user + sys) vs Optuna's study.optimize with TPESampler() in memory
      o5=${OPTUNA5_PATH:-$(cd ../shared/anchors/optuna-5.0.0.dev 2>/dev/null && pwd || true)}
      [[ -n $o5 && -d $o5/optuna ]] || { echo "set OPTUNA5_PATH to an Optuna 5 source tree" >&2; exit 1; }
      echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs; $(date -u +%F); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
      for r in $(seq 1 "${ROUNDS:-2}"); do
        $BUILD_DIR/bench/bench_search --benchmark_filter=BM_TpeSamplePerTrial --benchmark_format=json \
          >"$dir/actlab_sampler_$r.json"
        for sp in categorical floats; do
          OPTUNA_PATH=$o5 $PY bench/compare/tpe_optuna.py --space $sp >"$dir/o5_${sp}_$r.json"
        done
        for f in 0 10; do  # the study: the categorical space (no float) and the 10-float space
          cat=$((f == 0 ? 10 : 0))
          name="s${r}_$f"
          $ACTLAB study create --storage "sqlite://$dir/t.db" --name "$name" --sampler tpe --objective synthetic \
            --categorical $cat --choices 48 --floats $f --seed 1 >/dev/null
          /usr/bin/time -f "%e %U %S" -o "$dir/study_time_${r}_$f.txt" \
            $ACTLAB study optimize --storage "sqlite://$dir/t.db" --name "$name" --trials 1000 --json >"$dir/study_${r}_$f.json"
        done
        for sp in categorical floats; do
          OPTUNA_PATH=$o5 $PY bench/compare/tpe_optuna.py --space $sp --what study >"$dir/o5study_${sp}_$r.json"
        done
        if [[ $r == 1 && -z ${SKIP_OPTUNA3:-} ]]; then  # 3.1 (40-50 ms a trial) in the first round only
          for sp in categorical floats; do
            $PY bench/compare/tpe_optuna.py --space $sp >"$dir/o3_${sp}_$r.json"
          done
        fi
      done
      echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
      # Checks of the whole actlab studies: every trial COMPLETE, the best below a 1000-trial random study's.
      for f in 0 10; do
        cat=$((f == 0 ? 10 : 0))
        $ACTLAB study create --storage "sqlite://$dir/t.db" --name "random_$f" --sampler random \
          --objective synthetic --categorical $cat --choices 48 --floats $f --seed 1 >/dev/null
        $ACTLAB study optimize --storage "sqlite://$dir/t.db" --name "random_$f" --trials 1000 --json >"$dir/random_$f.json"
      done
      $PY - "$dir" "${ROUNDS:-2}" <<'PYEOF'
import glob, json, os, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
med = statistics.median
def load(p):
    return json.load(open(p)) if os.path.exists(p) else None
A = {}  # (space, multivariate) -> per-trial ms, each round
for r in range(1, rounds + 1):
    for b in json.load(open(f"{d}/actlab_sampler_{r}.json"))["benchmarks"]:
        if b.get("error_occurred"):
            sys.exit("actlab check failed: " + b.get("error_message", ""))
        sp = "floats" if "floats:1" in b["name"] else "categorical"
        A.setdefault((sp, "multivariate:1" in b["name"]), []).append(b["per_trial_ms"])
for sp in ("categorical", "floats"):
    o5 = [load(f"{d}/o5_{sp}_{r}.json") for r in range(1, rounds + 1)]
    o3 = [x for x in (load(f"{d}/o3_{sp}_{r}.json") for r in range(1, rounds + 1)) if x]
    o5ms = med([x["sampler_ms_per_trial"] for x in o5])
    print(f"sampler, {sp}: Optuna {o5[0]['optuna']} TPESampler() (multivariate={o5[0]['multivariate']}) "
          f"{o5ms:.2f} ms/trial (rounds: {', '.join('%.2f' % x['sampler_ms_per_trial'] for x in o5)}; best "
          f"{o5[0]['tpe_best']:.4f} vs random {o5[0]['random_best']:.4f})")
    if o3:
        o3ms = med([x["sampler_ms_per_trial"] for x in o3])
        print(f"  Optuna {o3[0]['optuna']} TPESampler() (multivariate={o3[0]['multivariate']}) {o3ms:.2f} ms/trial")
    for mv in (False, True):
        a = med(A[(sp, mv)])
        line = (f"  actlab {'tpe:multivariate' if mv else 'tpe'} {a:.4f} ms/trial (rounds: "
                f"{', '.join('%.4f' % x for x in A[(sp, mv)])}) | vs Optuna 5: {o5ms / a:.0f}x")
        if o3:
            line += f" | vs Optuna 3.1: {o3ms / a:.0f}x"
        print(line)
for f, sp in ((0, "categorical"), (10, "floats")):
    rnd = json.load(open(f"{d}/random_{f}.json"))
    cpus = []
    for r in range(1, rounds + 1):
        st = json.load(open(f"{d}/study_{r}_{f}.json"))
        if st["states"]["COMPLETE"] != 1000 or not st["best"]["value"] < rnd["best"]["value"]:
            sys.exit(f"actlab check failed ({sp}): the TPE study's best does not beat the random study's")
        wall, user, sys_ = map(float, open(f"{d}/study_time_{r}_{f}.txt").read().split()[-3:])
        cpus.append(user + sys_)
    o = [json.load(open(f"{d}/o5study_{sp}_{r}.json")) for r in range(1, rounds + 1)]
    ocpu = med([x["study_cpu_s"] for x in o])
    a = med(cpus)
    print(f"study, {sp}: actlab study optimize 1000 TPE trials in SQLite {a:.3f} s CPU (rounds: "
          f"{', '.join('%.3f' % x for x in cpus)}; best {st['best']['value']:.4f} vs random "
          f"{rnd['best']['value']:.4f}) | Optuna {o[0]['optuna']} study.optimize in memory {ocpu:.2f} s CPU "
          f"(rounds: {', '.join('%.2f' % x['study_cpu_s'] for x in o)}) | ratio {ocpu / a:.1f}x")
PYEOF
      ;;
    read)
      # A 100,000-trial study (built by bench_search BM_Study100k with bulk inserts, which also times the
      # library calls), then the CLI as users run it: study show, study trials --csv. STUDY_URL: where
      # (default a SQLite file here; a postgresql:// URL, e.g. from scripts/pg-test-cluster.sh, for PostgreSQL).
      url=${STUDY_URL:-sqlite://$dir/big.db}
      name="big_$$"
      STUDY_URL=$url STUDY_NAME=$name $BUILD_DIR/bench/bench_search --benchmark_filter=BM_Study100k \
        --benchmark_format=json >"$dir/big.json"
      $PY - "$dir/big.json" <<'PYEOF'
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"][0]
if b.get("error_occurred"):
    sys.exit("check failed: " + b.get("error_message", ""))
print(f"100k-trial study (library): summary {b['show_s'] * 1e3:.1f} ms, every trial + CSV {b['trials_csv_s']:.3f} s "
      f"(built in {b['build_wall_s']:.1f} s wall)")
PYEOF
      for r in 1 2; do
        /usr/bin/time -f "study show: %e s wall, %U user %S sys" $ACTLAB study show --storage "$url" --name "$name" >/dev/null
        /usr/bin/time -f "study show --json: %e s wall, %U user %S sys" $ACTLAB study show --storage "$url" --name "$name" --json >/dev/null
        /usr/bin/time -f "study trials --csv: %e s wall, %U user %S sys" $ACTLAB study trials --storage "$url" --name "$name" --csv >"$dir/big.csv"
      done
      lines=$(wc -l <"$dir/big.csv")
      [[ $lines == 100001 ]] || { echo "check failed: the CSV has $lines lines" >&2; exit 1; }
      echo "study trials --csv: $lines lines (header + 100000 trials)"
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
