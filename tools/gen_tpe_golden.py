#!/usr/bin/python3
"""Reference values of Optuna's TPE Parzen estimator for tests/search/parzen_test.cpp.

Run with the Debian interpreter that sees python3-optuna 3.1:
    /usr/bin/python3 tools/gen_tpe_golden.py > tests/golden/tpe_parzen.json

Optuna 3.1's truncated-normal logpdf omits the -log(scale) term (optuna#5109, fixed by optuna PR #5110 in
3.5). actlab implements the corrected density, so this script applies the same one-line fix before computing
the densities. Everything else (weights ramp, kernel centres and widths, magic clip, categorical kernels,
discrete masses) is Optuna 3.1's own code.
"""
import json
import sys

import numpy as np
import optuna
from optuna import distributions as D
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe import parzen_estimator as pe
from optuna.samplers._tpe.sampler import default_gamma, default_weights

_orig_logpdf = _truncnorm.logpdf


def _fixed_logpdf(x, a, b, loc=0, scale=1):  # optuna PR #5110
    return _orig_logpdf(x, a, b, loc, scale) - np.log(scale)


_truncnorm.logpdf = _fixed_logpdf


def space_json(name, dist):
    if isinstance(dist, D.CategoricalDistribution):
        return {"name": name, "type": "categorical", "choices": [str(c) for c in dist.choices]}
    if isinstance(dist, D.IntDistribution):
        return {"name": name, "type": "int", "low": dist.low, "high": dist.high, "step": dist.step, "log": dist.log}
    return {"name": name, "type": "float", "low": dist.low, "high": dist.high, "step": dist.step or 0,
            "log": dist.log}


def case(label, space, obs, points, multivariate=False):
    params = pe._ParzenEstimatorParameters(
        consider_prior=True, prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False,
        weights=default_weights, multivariate=multivariate)
    names = list(space)
    est = pe._ParzenEstimator({k: np.asarray(obs[k], dtype=float) for k in names}, space, params)
    lp = est.log_pdf({k: np.asarray([p[i] for p in points], dtype=float if not isinstance(space[k], D.CategoricalDistribution) else int)
                      for i, k in enumerate(names)})
    out = {"label": label, "multivariate": multivariate,
           "space": {"params": [space_json(k, space[k]) for k in names]},
           "observations": [list(map(float, obs[k])) for k in names],
           "weights": est._weights.tolist(), "dims": [], "points": points, "log_pdf": lp.tolist()}
    for k in names:
        d = {}
        if est._mus[k] is not None:
            d["mus"] = est._mus[k].tolist()
            d["sigmas"] = est._sigmas[k].tolist()
        if est._categorical_weights[k] is not None:
            d["categorical"] = est._categorical_weights[k].tolist()
        out["dims"].append(d)
    return out


rng = np.random.RandomState(3)
ramp_obs = rng.uniform(-5, 5, size=30).tolist()
cases = [
    case("float", {"x": D.FloatDistribution(-5, 5)}, {"x": [1.0, -2.5, 3.7, 0.2]}, [[-5.0], [-1.0], [0.5], [4.9]]),
    case("float prior only", {"x": D.FloatDistribution(-5, 5)}, {"x": []}, [[0.0], [3.0]]),
    case("float one", {"x": D.FloatDistribution(0, 1)}, {"x": [0.9]}, [[0.1], [0.85]]),
    case("float log", {"x": D.FloatDistribution(1e-3, 10, log=True)}, {"x": [0.01, 0.5, 2.0]},
         [[0.002], [0.3], [9.0]]),
    case("float step", {"x": D.FloatDistribution(0, 1, step=0.1)}, {"x": [0.3, 0.7]}, [[0.0], [0.3], [1.0]]),
    case("int", {"n": D.IntDistribution(0, 20, step=2)}, {"n": [4, 10, 12]}, [[0], [4], [20]]),
    case("int log", {"n": D.IntDistribution(1, 1000, log=True)}, {"n": [3, 50, 700]}, [[1], [40], [999]]),
    case("categorical", {"c": D.CategoricalDistribution(["a", "b", "c", "d", "e"])}, {"c": [0, 2, 2, 4]},
         [[0], [1], [2], [4]]),
    case("ramp 30", {"x": D.FloatDistribution(-5, 5)}, {"x": ramp_obs}, [[-4.0], [0.0], [2.5]]),
    case("multivariate", {"x": D.FloatDistribution(-5, 5), "c": D.CategoricalDistribution(["a", "b", "c"])},
         {"x": [1.0, -2.0, 0.5, 3.0, -4.0, 2.2], "c": [0, 1, 1, 2, 0, 1]}, [[0.0, 1], [2.0, 0], [-4.5, 2]],
         multivariate=True),
]
out = {
    "generator": "/usr/bin/python3 tools/gen_tpe_golden.py > tests/golden/tpe_parzen.json",
    "optuna": optuna.__version__,
    "note": "truncnorm logpdf with the -log(scale) fix of optuna PR #5110",
    "gamma": {str(n): default_gamma(n) for n in [0, 1, 9, 10, 11, 100, 249, 250, 251, 1000]},
    "weights": {str(n): default_weights(n).tolist() for n in [0, 3, 25, 26, 30]},
    "cases": cases,
}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
