#!/usr/bin/python3
"""Optuna's TPE over a 1000-trial study, the counterpart of bench/search/tpe_bench.cpp (docs/benchmarks.md,
"Search"). Which Optuna: the one on sys.path, or the source tree named by the OPTUNA_PATH environment variable
(e.g. an Optuna 5 checkout; Debian 12's python3-optuna is 3.1); the version that ran is in the output.

Spaces (the same formulas as the C++ side):
  categorical  10 parameters c_i x 48 choices; value = sum_i ((17 k_i + 5 i) mod 48) / 48
  floats       10 parameters x_j: even j linear on [-5, 5], value term ((x - t_j)/5)^2 with t_j = -4 + 0.8 j;
               odd j log on [1e-3, 10], term (log10(x / t_j)/2)^2 with t_j = 10^(-2.5 + 0.3 j)
Both minimised. The sampler is TPESampler(seed=...) with the release's defaults, as its users run it (Optuna 3.1:
independent; Optuna >= 4: multivariate with constant liar). Check before timing: TPE's best after the trials
is below the best of as many random trials.

Timed (process CPU time, so a busy machine does not inflate it):
  sampler_ms_per_trial   the sampler's own methods (infer_relative_search_space, sample_relative,
                         sample_independent, before_trial, after_trial), summed
  ask_tell_ms_per_trial  ask + suggests + tell per trial (sampler plus the in-memory storage)
  study_cpu_s            study.optimize(objective, n_trials) as a whole, in-memory storage
Prints one JSON line.

    OPTUNA_PATH=/path/to/optuna-5 OMP_NUM_THREADS=1 /usr/bin/python3 bench/compare/tpe_optuna.py --space floats
"""
import argparse
import json
import math
import os
import sys
import time

if os.environ.get("OPTUNA_PATH"):
    sys.path.insert(0, os.environ["OPTUNA_PATH"])

import optuna  # noqa: E402

P, C = 10, 48
CHOICES = [f"f{c}" for c in range(C)]
TARGETS = [-4 + 0.8 * j if j % 2 == 0 else 10 ** (-2.5 + 0.3 * j) for j in range(P)]


def objective_for(space):
    def categorical(t):
        v = 0.0
        for i in range(P):
            k = CHOICES.index(t.suggest_categorical(f"c{i}", CHOICES))
            v += ((17 * k + 5 * i) % C) / 48.0
        return v

    def floats(t):
        v = 0.0
        for j in range(P):
            if j % 2 == 0:
                x = t.suggest_float(f"x{j}", -5, 5)
                v += ((x - TARGETS[j]) / 5) ** 2
            else:
                x = t.suggest_float(f"x{j}", 1e-3, 10, log=True)
                v += (math.log10(x / TARGETS[j]) / 2) ** 2
        return v

    return categorical if space == "categorical" else floats


def run(sampler, trials, objective):
    study = optuna.create_study(sampler=sampler, direction="minimize")
    best = float("inf")
    t0 = time.process_time()
    for _ in range(trials):
        t = study.ask()
        v = objective(t)
        study.tell(t, v)
        best = min(best, v)
    return best, time.process_time() - t0


SAMPLER_METHODS = ("infer_relative_search_space", "sample_relative", "sample_independent", "before_trial",
                   "after_trial")


def timed_sampler(seed, acc):
    s = optuna.samplers.TPESampler(seed=seed)
    for name in SAMPLER_METHODS:
        orig = getattr(s, name, None)
        if orig is None:  # (Optuna 3.1 has no before_trial)
            continue

        def timed(*args, _orig=orig, **kw):
            t0 = time.process_time()
            out = _orig(*args, **kw)
            acc[0] += time.process_time() - t0
            return out

        setattr(s, name, timed)
    return s


def multivariate_default():
    """Whether TPESampler() is multivariate on a single-objective study (Optuna 3.1: False; >= 4: True)."""
    s = optuna.samplers.TPESampler()
    study = optuna.create_study()
    return bool(s._is_multivariate(study)) if hasattr(s, "_is_multivariate") else bool(s._multivariate)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--space", choices=("categorical", "floats"), default="categorical")
    ap.add_argument("--what", choices=("sampler", "study"), default="sampler")
    a = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    objective = objective_for(a.space)
    tpe_best, _ = run(optuna.samplers.TPESampler(seed=1), a.trials, objective)
    random_best, _ = run(optuna.samplers.RandomSampler(seed=1), a.trials, objective)
    if not tpe_best < random_best:
        raise SystemExit(f"check failed: TPE best {tpe_best} is not below random best {random_best}")
    out = {"optuna": optuna.__version__, "optuna_file": optuna.__file__, "space": a.space, "trials": a.trials,
           "repeats": a.repeats, "tpe_best": tpe_best, "random_best": random_best,
           "multivariate": multivariate_default()}
    if a.what == "sampler":
        sampler_s = total_s = 0.0
        for r in range(a.repeats):
            acc = [0.0]
            _, total = run(timed_sampler(2 + r, acc), a.trials, objective)
            sampler_s += acc[0]
            total_s += total
        n = a.repeats * a.trials
        out.update(sampler_ms_per_trial=1e3 * sampler_s / n, ask_tell_ms_per_trial=1e3 * total_s / n)
    else:
        cpu = []
        for r in range(a.repeats):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=2 + r), direction="minimize")
            t0 = time.process_time()
            study.optimize(objective, n_trials=a.trials)
            cpu.append(time.process_time() - t0)
            if not study.best_value < random_best:
                raise SystemExit(f"check failed: study best {study.best_value} not below random {random_best}")
        out.update(study_cpu_s=min(cpu), study_cpu_s_all=cpu)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
