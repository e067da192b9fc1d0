#!/usr/bin/python3
"""DEAP 1.3 side of the population-throughput comparison (docs/benchmarks.md, "Evolution: formula throughput
vs DEAP 1.3"; driver: bench/compare/run_evolve_compare.sh).

Reads what `bench_evolve --out=DIR` wrote (population.txt: DEAP prefix form <TAB> actlab formula; x.f32: the
float32 inputs; check.txt: actlab's forward values at a few points per tree), builds DEAP's PrimitiveSet over
Lapid & Sipper's 15 primitives written with numpy on float32 arrays, turns each line into a PrimitiveTree
(PrimitiveTree.from_string, not timed), and times separately
  compile   gp.compile(tree, pset) for every tree (str(tree) -> "lambda x: ..." -> eval)
  evaluate  every compiled function on the first n points of the float32 array, for each n of --sizes
            (default 128000 and 8192, as bench_evolve's eval_f/n)
Each is the median of --repeats passes over the whole population, after one untimed pass; process CPU time
and wall time are both recorded. Before timing, every function's output is checked against check.txt
(|got - want| <= 1e-4 * max(1, |want|)); a mismatch exits 1, except at points where DEAP's own float32 and
float64 values disagree as well (a discontinuity within float32 rounding), which are listed in the output and
may be at most 1% of the points.

The primitives follow PyTorch's definitions at default parameters, as actlab's catalog does: leaky_relu slope
0.01, elu and celu alpha 1, hardshrink/softshrink lambda 0.5, hardtanh [-1, 1], hardswish x*relu6(x+3)/6,
rrelu in evaluation mode (leaky with slope (1/8 + 1/3)/2). Overflow in np.where's unused branch (expm1 of a
large argument) is expected, so numpy's floating-point warnings are off.

    /usr/bin/python3 bench/compare/evolve_deap.py DIR [--repeats 5] [--sizes 128000,8192]   # prints JSON
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
from deap import __version__ as deap_version
from deap import gp

F32 = np.float32
ZERO, HALF, ONE, THREE, SIX = F32(0), F32(0.5), F32(1), F32(3), F32(6)
LEAKY = F32(0.01)
RRELU = F32((1.0 / 8.0 + 1.0 / 3.0) / 2.0)


def relu(x):
    return np.maximum(x, ZERO)


def leaky_relu(x):
    return np.where(x > ZERO, x, LEAKY * x)


def elu(x):
    return np.where(x > ZERO, x, np.expm1(x))


def hardshrink(x):
    return np.where(np.abs(x) > HALF, x, ZERO)


def celu(x):  # max(0, x) + min(0, alpha*(exp(x/alpha) - 1)), alpha = 1
    return np.maximum(x, ZERO) + np.minimum(ZERO, np.expm1(x))


def hardtanh(x):
    return np.clip(x, -ONE, ONE)


def hardswish(x):
    return x * np.clip(x + THREE, ZERO, SIX) / SIX


def softshrink(x):
    return np.where(x > HALF, x - HALF, np.where(x < -HALF, x + HALF, ZERO))


def rrelu(x):
    return np.where(x >= ZERO, x, RRELU * x)


# numpy calls (one full-array pass and one temporary each) per primitive, as written above.
NUMPY_CALLS = {"max": 1, "min": 1, "add": 1, "sub": 1, "mul": 1, "tanh": 1, "relu": 1, "leaky_relu": 3,
               "elu": 3, "hardshrink": 3, "celu": 4, "hardtanh": 1, "hardswish": 4, "softshrink": 6, "rrelu": 3}


def make_pset():
    pset = gp.PrimitiveSet("main", 1)
    pset.renameArguments(ARG0="x")
    for name, fn in [("max", np.maximum), ("min", np.minimum), ("add", np.add), ("sub", np.subtract),
                     ("mul", np.multiply)]:
        pset.addPrimitive(fn, 2, name=name)
    for fn in [np.tanh, relu, leaky_relu, elu, hardshrink, celu, hardtanh, hardswish, softshrink, rrelu]:
        pset.addPrimitive(fn, 1, name="tanh" if fn is np.tanh else fn.__name__)
    return pset


def timed(fn, repeats):
    """Median process-CPU and wall seconds of fn() over `repeats` calls, after one untimed call."""
    fn()
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), cpu, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sizes", default="128000,8192")
    args = ap.parse_args()
    np.seterr(all="ignore")

    pset = make_pset()
    with open(os.path.join(args.dir, "population.txt")) as f:
        lines = [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
    trees = [gp.PrimitiveTree.from_string(prefix, pset) for prefix, _ in lines]
    x = np.fromfile(os.path.join(args.dir, "x.f32"), dtype=F32)

    # Check before timing: every tree against actlab's compiled kernel at the points it wrote.
    funcs = [gp.compile(t, pset) for t in trees]
    want = {}
    with open(os.path.join(args.dir, "check.txt")) as f:
        for ln in f:
            i, j, v = ln.split()
            want.setdefault(int(i), []).append((int(j), float(v)))
    if sorted(want) != list(range(len(trees))):
        sys.exit(f"check.txt covers {len(want)} trees, population.txt has {len(trees)}")
    # No array larger than the timed ones may be allocated before timing: glibc raises its mmap threshold to the
    # size of the largest mmapped block freed, so a single freed 1 MB float64 temporary would quietly move
    # every later 512 KB numpy temporary off mmap and "tune" the default-malloc run.
    worst, checked, sensitive = 0.0, 0, []
    for i, fn in enumerate(funcs):
        y = np.broadcast_to(fn(x), x.shape)  # a tree without x-dependence would still be an array here
        if y.dtype != F32:
            sys.exit(f"tree {i} {lines[i][0]}: result dtype {y.dtype}, expected float32")
        for j, v in want[i]:
            err = abs(float(y[j]) - v) / max(1.0, abs(v))
            if err > 1e-4:
                # A discontinuity within float32 rounding (hardshrink(x - softshrink(x)) = hardshrink(0.5 ± ulp)
                # for x > 3): DEAP's own float32 and float64 values disagree there too. Counted, not compared.
                y64 = float(np.broadcast_to(fn(np.array([x[j]], dtype=np.float64)), (1,))[0])
                if abs(float(y[j]) - y64) / max(1.0, abs(y64)) > 1e-4:
                    sensitive.append(f"{lines[i][0]} at x={float(x[j])!r}: DEAP {float(y[j])!r}, actlab {v!r}")
                    continue
                sys.exit(f"tree {i} {lines[i][0]} (actlab {lines[i][1]}) at x={x[j]!r}: DEAP {y[j]!r}, actlab {v!r}")
            worst = max(worst, err)
            checked += 1
    if len(sensitive) > checked // 100:
        sys.exit(f"{len(sensitive)} rounding-sensitive check points out of {checked + len(sensitive)}: "
                 + "; ".join(sensitive[:5]))

    def compile_all():
        return [gp.compile(t, pset) for t in trees]

    def eval_all(xs):
        for fn in funcs:
            fn(xs)

    c_cpu, c_wall, c_cpus, c_walls = timed(compile_all, args.repeats)
    evals = {}
    for n in (int(s) for s in args.sizes.split(",")):
        xs = np.ascontiguousarray(x[:n])
        e_cpu, e_wall, e_cpus, e_walls = timed(lambda: eval_all(xs), args.repeats)
        evals[str(n)] = {"cpu_s": e_cpu, "wall_s": e_wall, "cpu_all": e_cpus, "wall_all": e_walls}
    print(json.dumps({
        "deap": deap_version, "numpy": np.__version__, "trees": len(trees), "points": int(x.size),
        "genes_per_tree": sum(len(t) for t in trees) / len(trees),
        "numpy_calls_per_tree": sum(NUMPY_CALLS.get(node.name, 0) for t in trees for node in t) / len(trees),
        "repeats": args.repeats, "checked_points": checked, "max_rel_err": worst,
        "sensitive_points": sensitive,
        "malloc_tuned": "MALLOC_MMAP_THRESHOLD_" in os.environ,
        "compile_cpu_s": c_cpu, "compile_wall_s": c_wall, "compile_cpu_all": c_cpus, "compile_wall_all": c_walls,
        "eval": evals,
    }))


if __name__ == "__main__":
    main()
