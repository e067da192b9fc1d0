#!/usr/bin/python3
"""Reference values of `actlab compare`'s statistics for tests/report/significance_test.cpp.

Run with the Debian interpreter (numpy, scipy):
    /usr/bin/python3 tools/gen_compare_golden.py > tests/golden/compare_stats.json

Written independently of src/report/significance.cpp:
- quantiles: numpy.percentile (method "linear", numpy's default);
- the paired permutation test: brute force over every sign pattern of the per-seed differences
  (itertools.product), two-sided, |sum| compared with numpy.isclose's tolerance; cross-checked against
  scipy.stats.permutation_test(permutation_type="samples"), which enumerates the same 2^n patterns;
- Holm's adjustment: the step-down definition, max over j <= i of min(1, (m - j + 1) p_(j));
- Spearman's rho: scipy.stats.spearmanr; its two-sided permutation p-value:
  scipy.stats.permutation_test(permutation_type="pairings"), exact (all n! pairings) for n <= 8 and with
  200000 random pairings above (the test allows for that Monte Carlo error);
- the bootstrap of the median: the exact bootstrap distribution (all n^n resamples, equally likely), whose
  quantiles bracket a Monte Carlo percentile interval.
"""
import itertools
import json

import numpy as np
import scipy.stats

VECTORS = [
    [0.95, 0.93, 0.97, 0.91, 0.96],
    [0.9, 0.8, 0.85, 0.88, 0.92, 0.87, 0.9],
    [1.0, 1.0, 0.9667, 0.9333, 1.0, 0.9667, 1.0, 0.9, 0.9667, 1.0],
    [3.0, -1.0, 2.5, 0.0, 7.25, 1.5],
    [0.5],
]

# (x, y) pairs of per-seed scores: x is an arm, y the first arm.
PAIRS = [
    ([0.95, 0.93, 0.97, 0.91, 0.96], [0.90, 0.91, 0.93, 0.92, 0.90]),
    ([0.9, 0.8, 0.85, 0.88, 0.92, 0.87, 0.9], [0.91, 0.83, 0.84, 0.9, 0.9, 0.86, 0.92]),
    ([1.0, 1.0, 0.9667, 0.9333, 1.0, 0.9667, 1.0, 0.9, 0.9667, 1.0],
     [0.9667, 0.9333, 0.9333, 0.9, 0.9667, 0.9667, 0.9333, 0.8667, 0.9, 0.9667]),
    ([0.5, 0.6, 0.7], [0.5, 0.6, 0.7]),
    ([0.0, 0.7, 0.8, 0.75], [0.8, 0.8, 0.82, 0.79]),
    ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2],
     [0.0, 0.25, 0.2, 0.45, 0.4, 0.55, 0.75, 0.7, 0.95, 0.9, 1.15, 1.1]),
]

# (x, y) pairs for Spearman's rho: theory verdicts (0/1/2, many ties) against accuracies, and others.
RANKS = [
    ([2, 2, 1, 0, 2, 0, 1], [0.95, 0.9, 0.7, 0.33, 0.97, 0.4, 0.9]),
    ([1, 2, 3, 4, 5, 6], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0]),
    ([0.3, 0.1, 0.2, 0.9, 0.5], [0.3, 0.3, 0.1, 0.2, 0.2]),
    ([2, 2, 2, 1, 1, 0, 0, 0, 2, 1, 2, 0], [0.9, 0.93, 0.88, 0.6, 0.91, 0.33, 0.35, 0.9, 0.94, 0.7, 0.2, 0.33]),
]

HOLM = [
    [0.01, 0.04, 0.03],
    [0.2, 0.01, 0.5, 0.04, 0.03],
    [0.0625, 0.0625, 1.0],
    [0.5],
    [0.001, 0.01, 0.02, 0.03, 0.04, 0.05],
]


def paired_p(x, y):
    d = np.asarray(x, float) - np.asarray(y, float)
    observed = abs(float(np.sum(d)))
    count = 0
    total = 0
    for signs in itertools.product((1.0, -1.0), repeat=len(d)):
        s = abs(float(np.sum(np.asarray(signs) * d)))
        if s > observed or np.isclose(s, observed):
            count += 1
        total += 1
    return count / total


def scipy_paired_p(x, y):
    d = np.asarray(x, float) - np.asarray(y, float)
    if np.all(d == 0):
        return 1.0
    r = scipy.stats.permutation_test((d,), lambda a: np.abs(np.sum(a)), permutation_type="samples",
                                     n_resamples=np.inf, alternative="greater")
    return float(r.pvalue)


def holm(p):
    p = np.asarray(p, float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    out = np.empty(m)
    running = 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * p[i]))
        out[i] = running
    return out.tolist()


def exact_bootstrap_median_quantiles(v, probs):
    v = np.asarray(v, float)
    n = len(v)
    medians = np.sort([float(np.median(v[list(idx)])) for idx in itertools.product(range(n), repeat=n)])
    # Inverse CDF of the exact bootstrap distribution: the smallest median m with P(median <= m) >= p.
    return [float(medians[int(np.ceil(p * len(medians))) - 1]) for p in probs]


out = {"quantiles": [], "paired": [], "holm": [], "bootstrap": []}
for v in VECTORS:
    out["quantiles"].append({"values": v, "median": float(np.median(v)),
                             "q25": float(np.percentile(v, 25)), "q75": float(np.percentile(v, 75)),
                             "q10": float(np.percentile(v, 10))})
for x, y in PAIRS:
    p = paired_p(x, y)
    q = scipy_paired_p(x, y)
    assert abs(p - q) < 1e-12, (x, y, p, q)
    out["paired"].append({"x": x, "y": y, "p": p})
for p in HOLM:
    out["holm"].append({"p": p, "adjusted": holm(p)})
for v in VECTORS[:2]:
    if len(v) > 7:
        continue
    lo_lo, lo_hi, hi_lo, hi_hi = exact_bootstrap_median_quantiles(v, [0.015, 0.035, 0.965, 0.985])
    out["bootstrap"].append({"values": v, "level": 0.95, "lo_range": [lo_lo, lo_hi], "hi_range": [hi_lo, hi_hi]})
out["spearman"] = []
for x, y in RANKS:
    rho = float(scipy.stats.spearmanr(x, y).statistic)
    exact = len(x) <= 8
    r = scipy.stats.permutation_test(
        (np.asarray(y, float),), lambda b: np.abs(scipy.stats.spearmanr(x, b).statistic),
        permutation_type="pairings", n_resamples=np.inf if exact else 200000, alternative="greater",
        random_state=np.random.default_rng(1))
    out["spearman"].append({"x": x, "y": y, "rho": rho, "p": float(r.pvalue), "exact": exact})
print(json.dumps(out, indent=1))
