#!/usr/bin/python3
"""Optuna 3.1 TPE sampler time per trial over a 1000-trial study on 10 categorical parameters x 48 choices
(the counterpart of bench/search/tpe_bench.cpp; docs/benchmarks.md, "Search").

Objective (same formula as the C++ side): sum_i ((17 k_i + 5 i) mod 48) / 48, minimised.
Check before timing: TPE's best after 1000 trials is below the best of 1000 random trials.
Timed (process CPU time, so a busy machine does not inflate it): TPESampler.sample_independent (the sampler alone) and, separately, ask + 10 suggests + tell per trial
(sampler plus Optuna's in-memory storage). Prints one JSON line.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/compare/tpe_optuna.py [--trials 1000] [--repeats 1]
"""
import argparse
import json
import time

import optuna

P, C = 10, 48
CHOICES = [f"f{c}" for c in range(C)]


def run(sampler, trials):
    study = optuna.create_study(sampler=sampler, direction="minimize")
    best = float("inf")
    t0 = time.process_time()
    for _ in range(trials):
        t = study.ask()
        v = 0.0
        for i in range(P):
            k = CHOICES.index(t.suggest_categorical(f"c{i}", CHOICES))
            v += ((17 * k + 5 * i) % C) / 48.0
        study.tell(t, v)
        best = min(best, v)
    return best, time.process_time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=1)
    a = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    tpe_best, _ = run(optuna.samplers.TPESampler(seed=1), a.trials)
    random_best, _ = run(optuna.samplers.RandomSampler(seed=1), a.trials)
    if not tpe_best < random_best:
        raise SystemExit(f"check failed: TPE best {tpe_best} is not below random best {random_best}")
    sampler_s = total_s = 0.0
    for r in range(a.repeats):
        s = optuna.samplers.TPESampler(seed=2 + r)
        orig = s.sample_independent
        acc = [0.0]

        def timed(*args, _orig=orig, _acc=acc, **kw):
            t0 = time.process_time()
            out = _orig(*args, **kw)
            _acc[0] += time.process_time() - t0
            return out

        s.sample_independent = timed
        _, total = run(s, a.trials)
        sampler_s += acc[0]
        total_s += total
    n = a.repeats * a.trials
    print(json.dumps({"optuna": optuna.__version__, "trials": a.trials, "repeats": a.repeats,
                      "sampler_ms_per_trial": 1e3 * sampler_s / n, "ask_tell_ms_per_trial": 1e3 * total_s / n,
                      "tpe_best": tpe_best, "random_best": random_best}))


if __name__ == "__main__":
    main()
