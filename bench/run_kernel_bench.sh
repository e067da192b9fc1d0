#!/usr/bin/env bash
# Builds and runs bench_activations (bench/activations/kernel_bench.cpp) and prints the throughput table of
# docs/benchmarks.md: medians of 5 repetitions, all from one run.
#
#   bench/run_kernel_bench.sh                 # build dir ./build, JSON to build/kernel_bench.json
#   BUILD_DIR=build-rel JSON=/tmp/k.json bench/run_kernel_bench.sh
#
# Exits 1 if the build fails or any benchmark failed its verification (the failing element is printed).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
JSON=${JSON:-$BUILD_DIR/kernel_bench.json}

# The kernel is single-threaded; pin the BLAS/OpenMP pools anyway (../shared/STYLE.md §3).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DACTLAB_BENCH=ON > /dev/null
cmake --build "$BUILD_DIR" --target bench_activations

"$BUILD_DIR/bench/bench_activations" \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json > "$JSON"

/usr/bin/python3 - "$JSON" <<'EOF'
import json, sys

doc = json.load(open(sys.argv[1]))
errors = [b for b in doc["benchmarks"] if b.get("error_occurred")]
for b in errors:
    print(f"FAILED {b['name']}: {b.get('error_message', '')}", file=sys.stderr)
if errors:
    sys.exit(1)

median, cv, order = {}, {}, []
for b in doc["benchmarks"]:
    variant, _, fn = b["run_name"].partition("/")
    if fn not in order:
        order.append(fn)
    if b.get("aggregate_name") == "median":
        median[variant, fn] = b["items_per_second"] / 1e6
    elif b.get("aggregate_name") == "cv":
        cv[variant, fn] = b["items_per_second"]

def m(v, fn):
    return median.get((v, fn), float("nan"))

ctx = doc["context"]
print(f"<!-- {ctx['date']}, {ctx['executable']}, {ctx['num_cpus']} CPUs at {ctx['mhz_per_cpu']} MHz; "
      f"medians of 5 repetitions; largest coefficient of variation {max(cv.values()):.1%} -->")
print()
print("| function | hand-written f (M elem/s) | compiled f (M elem/s) | ratio | compiled f+f' (M elem/s) "
      "| hand f+f' (M elem/s) | ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for fn in order:
    hf, cf, cfd, hfd = m("hand_f", fn), m("compiled_f", fn), m("compiled_fdf", fn), m("hand_fdf", fn)
    print(f"| `{fn}` | {hf:,.0f} | {cf:,.0f} | {cf / hf:.2f} | {cfd:,.0f} | {hfd:,.0f} | {cfd / hfd:.2f} |")
print()
print("| function | Eigen one-liner f (M elem/s) | compiled f (M elem/s) | compiled / Eigen |")
print("|---|---:|---:|---:|")
for fn in order:
    ef, cf = m("eigen_f", fn), m("compiled_f", fn)
    print(f"| `{fn}` | {ef:,.0f} | {cf:,.0f} | {cf / ef:.2f} |")
EOF
