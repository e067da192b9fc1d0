# Per-trial overhead of actlab.Study.optimize with a trivial Python objective (docs/python.md, "Speed"):
#   PYTHONPATH=build/python /usr/bin/python3 bench/python_study.py [trials]
# The objective returns at once, so the time per trial is actlab's: sampling, the storage's writes, the
# binding's calls. SQLite in a fresh temporary folder, one worker; random and TPE samplers.
import os, sys, tempfile, time
import actlab

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
space = {"x": actlab.FloatDistribution(-10, 10)}
for sampler in ("random", "tpe"):
    with tempfile.TemporaryDirectory() as d:
        s = actlab.Study.create(f"sqlite:///{d}/s.db", "bench", space=space, sampler=sampler, seed=1)
        t0 = time.perf_counter()
        s.optimize(lambda t: t.suggest_float("x", -10, 10) ** 2, n_trials=n)
        dt = time.perf_counter() - t0
    print(f"{sampler:6s} {n} trials: {dt:.3f} s, {dt / n * 1e3:.3f} ms per trial")
