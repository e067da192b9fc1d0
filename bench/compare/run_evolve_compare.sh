#!/usr/bin/env bash
# Side-by-side formula throughput of a GP population, actlab vs DEAP 1.3 + numpy, one thread each
# (docs/benchmarks.md, "Evolution: formula throughput vs DEAP 1.3"):
#   300 trees (Lapid & Sipper's 15 primitives, ramped half-and-half heights 1..4, fixed seed), each compiled,
#   then evaluated on the same 128 × 1000 float32 points. bench_evolve (bench/evolve/population_bench.cpp)
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
        "a_make": a["compile_make"], "a_cf": a["compile_f"], "a_f": a["eval_f"], "a_fdf": a["eval_fdf"],
        "d_c": p["compile_cpu_s"], "d_e": p["eval_cpu_s"], "t_c": t["compile_cpu_s"], "t_e": t["eval_cpu_s"],
    })
    print(f"round {r}: actlab make {a['compile_make']*1e3:.1f} ms, compile_f {a['compile_f']*1e3:.1f} ms, "
          f"eval_f {a['eval_f']*1e3:.1f} ms, eval_fdf {a['eval_fdf']*1e3:.1f} ms | DEAP compile "
          f"{p['compile_cpu_s']*1e3:.1f} ms, eval {p['eval_cpu_s']*1e3:.1f} ms | DEAP tuned malloc compile "
          f"{t['compile_cpu_s']*1e3:.1f} ms, eval {t['eval_cpu_s']*1e3:.1f} ms")
med = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
n, m = p["trees"], p["points"]
sens = len(p["sensitive_points"])

def us(s):  # seconds per population -> µs per tree
    return f"{1e6 * s / n:,.1f}"

def tps(s):
    return f"{n / s:,.0f}"

print()
print(f"<!-- {n} trees, {m} float32 points, DEAP {p['deap']}, numpy {p['numpy']}; process CPU time, medians of "
      f"5 repetitions per side, median over {rounds} rounds; DEAP checked {p['checked_points']} points against "
      f"actlab (max rel. error {p['max_rel_err']:.1e}, {sens} rounding-sensitive point(s) skipped) -->")
print()
print("| work per tree | actlab (µs) | DEAP, default malloc (µs) | DEAP, tuned malloc (µs) | ratio (default) "
      "| ratio (tuned) |")
print("|---|---:|---:|---:|---:|---:|")
for label, a, d, t in [
    ("compile: `to_expr` + `Kernel<float>` of f / `gp.compile`", med["a_cf"], med["d_c"], med["t_c"]),
    ("compile: `Activation::make` (f, f', f'') / `gp.compile`", med["a_make"], med["d_c"], med["t_c"]),
    ("evaluate f on 128k points", med["a_f"], med["d_e"], med["t_e"]),
    ("compile f + evaluate f", med["a_cf"] + med["a_f"], med["d_c"] + med["d_e"], med["t_c"] + med["t_e"]),
    ("`make` + evaluate f", med["a_make"] + med["a_f"], med["d_c"] + med["d_e"], med["t_c"] + med["t_e"]),
]:
    print(f"| {label} | {us(a)} | {us(d)} | {us(t)} | {d / a:.1f}× | {t / a:.1f}× |")
print(f"| actlab only: evaluate f and f' on 128k points (`kernel_f32`) | {us(med['a_fdf'])} | — | — | — | — |")
print(f"| actlab only: `make` + evaluate f and f' | {us(med['a_make'] + med['a_fdf'])} | — | — | — | — |")
print()
print(f"trees/s, evaluation only: actlab {tps(med['a_f'])}, DEAP {tps(med['d_e'])} (tuned malloc {tps(med['t_e'])}); "
      f"compile included (compile_f): actlab {tps(med['a_cf'] + med['a_f'])}, DEAP {tps(med['d_c'] + med['d_e'])} "
      f"(tuned {tps(med['t_c'] + med['t_e'])}); goal >= 10x")
PYEOF
