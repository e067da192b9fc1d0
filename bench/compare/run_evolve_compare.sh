#!/usr/bin/env bash
# Side-by-side formula throughput of a GP population, actlab vs DEAP 1.3 + numpy, one thread each
# (docs/benchmarks.md, "Evolution: formula throughput vs DEAP 1.3"):
#   300 trees (Lapid & Sipper's 15 primitives, ramped half-and-half heights 1..4, fixed seed), each compiled,
#   then evaluated on the same 128 × 1000 float32 points, and on the first 128 × 64 of them. bench_evolve (bench/evolve/population_bench.cpp)
#   writes the trees and points; bench/compare/evolve_deap.py compiles the same trees with gp.compile and
#   evaluates them with numpy. Each side checks its values before timing (actlab against its tree
#   interpreter, DEAP against actlab's values).
# ROUNDS rounds (default 3), each running actlab, then DEAP with glibc's default malloc, then DEAP with the
# tuned malloc (MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4000000000, ../shared/specs/
# environment.md: numpy's 512 KB temporaries otherwise go back to the kernel and fault in again).
# Times are process CPU time, medians of 5 repetitions per side per round; the table is the median over rounds.
#
#   bench/compare/run_evolve_compare.sh
#   ROUNDS=5 BUILD_DIR=build-rel bench/compare/run_evolve_compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
ROUNDS=${ROUNDS:-3}
PY=/usr/bin/python3
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DACTLAB_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target bench_evolve >/dev/null

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  "$BUILD_DIR/bench/bench_evolve" --out="$dir" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_format=json >"$dir/actlab.$r.json"
  $PY bench/compare/evolve_deap.py "$dir" >"$dir/deap.$r.json"
  MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4000000000 \
    $PY bench/compare/evolve_deap.py "$dir" >"$dir/deap_tuned.$r.json"
  echo "round $r done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done

$PY - "$dir" "$ROUNDS" <<'PYEOF'
import json, statistics, sys

d, rounds = sys.argv[1], int(sys.argv[2])
SIZES = [128000, 8192]  # bench_evolve's eval_*/n and evolve_deap.py's --sizes
rows = []
for r in range(1, rounds + 1):
    doc = json.load(open(f"{d}/actlab.{r}.json"))
    bad = [b for b in doc["benchmarks"] if b.get("error_occurred")]
    if bad:
        sys.exit("actlab check failed: " + bad[0].get("error_message", ""))
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    a = {b["run_name"]: b["cpu_time"] * scale[b["time_unit"]] for b in doc["benchmarks"]
         if b.get("aggregate_name") == "median"}
    p = json.load(open(f"{d}/deap.{r}.json"))
    t = json.load(open(f"{d}/deap_tuned.{r}.json"))
    rows.append({
        "a_make": a["compile_make"], "a_cf": a["compile_f"],
        "d_c": p["compile_cpu_s"], "t_c": t["compile_cpu_s"],
        **{f"a_f{n}": a[f"eval_f/{n}"] for n in SIZES}, **{f"a_fdf{n}": a[f"eval_fdf/{n}"] for n in SIZES},
        **{f"d_e{n}": p["eval"][str(n)]["cpu_s"] for n in SIZES},
        **{f"t_e{n}": t["eval"][str(n)]["cpu_s"] for n in SIZES},
    })
    print(f"round {r} (ms per population): actlab make {a['compile_make']*1e3:.1f}, compile_f {a['compile_f']*1e3:.1f}, "
          + ", ".join(f"eval_f/{n} {a[f'eval_f/{n}']*1e3:.1f}, eval_fdf/{n} {a[f'eval_fdf/{n}']*1e3:.1f}" for n in SIZES)
          + f" | DEAP compile {p['compile_cpu_s']*1e3:.1f}, "
          + ", ".join(f"eval/{n} {p['eval'][str(n)]['cpu_s']*1e3:.1f}" for n in SIZES)
          + f" | DEAP tuned malloc compile {t['compile_cpu_s']*1e3:.1f}, "
          + ", ".join(f"eval/{n} {t['eval'][str(n)]['cpu_s']*1e3:.1f}" for n in SIZES))
med = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
n_trees = p["trees"]
sens = len(p["sensitive_points"])

def us(s):  # seconds per population -> µs per tree
    return f"{1e6 * s / n_trees:,.1f}"

def tps(s):
    return f"{n_trees / s:,.0f}"

print()
print(f"<!-- {n_trees} trees ({p['genes_per_tree']:.2f} nodes, {p['numpy_calls_per_tree']:.2f} numpy calls per tree), "
      f"DEAP {p['deap']}, numpy {p['numpy']}; process CPU time, medians of 5 repetitions per side, median over "
      f"{rounds} rounds; DEAP checked {p['checked_points']} points against actlab (max rel. error "
      f"{p['max_rel_err']:.1e}, {sens} rounding-sensitive point(s) skipped) -->")
print()
print("| work per tree | actlab (µs) | DEAP, default malloc (µs) | DEAP, tuned malloc (µs) | ratio (default) "
      "| ratio (tuned) |")
print("|---|---:|---:|---:|---:|---:|")
lines = [
    ("compile: `to_expr` + `Kernel<float>` of f / `gp.compile`", med["a_cf"], med["d_c"], med["t_c"]),
    ("compile: `Activation::make` (f, f', f'') / `gp.compile`", med["a_make"], med["d_c"], med["t_c"]),
]
for n in SIZES:
    lines += [
        (f"evaluate f, {n} points", med[f"a_f{n}"], med[f"d_e{n}"], med[f"t_e{n}"]),
        (f"compile f + evaluate f, {n} points", med["a_cf"] + med[f"a_f{n}"], med["d_c"] + med[f"d_e{n}"],
         med["t_c"] + med[f"t_e{n}"]),
        (f"`make` + evaluate f, {n} points", med["a_make"] + med[f"a_f{n}"], med["d_c"] + med[f"d_e{n}"],
         med["t_c"] + med[f"t_e{n}"]),
    ]
for label, a_, d_, t_ in lines:
    print(f"| {label} | {us(a_)} | {us(d_)} | {us(t_)} | {d_ / a_:.1f}× | {t_ / a_:.1f}× |")
for n in SIZES:
    print(f"| actlab only: evaluate f and f', {n} points (`kernel_f32`) | {us(med[f'a_fdf{n}'])} | — | — | — | — |")
print()
for n in SIZES:
    print(f"{n} points, trees/s: evaluation only actlab {tps(med[f'a_f{n}'])}, DEAP {tps(med[f'd_e{n}'])} "
          f"(tuned malloc {tps(med[f't_e{n}'])}); compile (compile_f) included actlab "
          f"{tps(med['a_cf'] + med[f'a_f{n}'])}, DEAP {tps(med['d_c'] + med[f'd_e{n}'])} "
          f"(tuned {tps(med['t_c'] + med[f't_e{n}'])}); goal >= 10x")
PYEOF
