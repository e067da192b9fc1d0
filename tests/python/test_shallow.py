"""actlab.explain and actlab.shallow.convert: SHAP efficiency, a brute-force Shapley value computed here in
Python from the network's own outputs, the CLI's `actlab explain --json`, and the shallow network against the
deep one; for actlab models, model files and torch.nn.Sequential."""
import itertools
import math

import numpy as np
import pytest

import actlab


def brute_shapley(f, x, background):
    """Interventional Shapley values by the definition: for every coalition S, v(S) = mean over background
    rows z of f(x_S, z_rest); phi_i = sum over S without i of |S|!(n-|S|-1)!/n! (v(S+i) - v(S))."""
    n = len(x)

    def v(s):
        rows = background.copy()
        rows[:, list(s)] = x[list(s)]
        return float(np.mean(f(rows)))

    phi = np.zeros(n)
    for i in range(n):
        others = [j for j in range(n) if j != i]
        for k in range(n):
            for s in itertools.combinations(others, k):
                w = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
                phi[i] += w * (v(s + (i,)) - v(s))
    return phi


def small_model(tmp_path, actlab_bin):
    path = tmp_path / "r.json"
    actlab_bin("model", "random", "--arch", "4-6-5-1", "--act", "relu", "--seed", "7", "--out", str(path))
    return actlab.Model.load(path), path


def test_exact_shap_equals_brute_force_and_the_cli(tmp_path, actlab_bin):
    m, path = small_model(tmp_path, actlab_bin)
    rng = np.random.default_rng(1)
    bg = rng.normal(size=(12, 4))
    x = rng.normal(size=4)
    r = actlab.explain(m, x, bg)
    f = lambda rows: m.predict(rows)[:, 0].astype(np.float64)
    # float32 network outputs in the brute force, double precision in actlab: agreement to float32's digits.
    np.testing.assert_allclose(r["phi"], brute_shapley(f, x, bg), rtol=1e-4, atol=1e-5)
    assert abs(r["phi"].sum() - (r["fx"] - r["base_value"])) < 1e-9  # efficiency
    assert r["base_value"] == pytest.approx(float(np.mean(f(bg))), rel=1e-5, abs=1e-6)
    # The file path gives the same values, and so does the CLI.
    np.testing.assert_array_equal(actlab.explain(str(path), x, bg)["phi"], r["phi"])
    np.savetxt(tmp_path / "bg.csv", bg, delimiter=",", fmt="%.17g")
    cli = actlab_bin.json("explain", "--model", str(path), "--x", ",".join(repr(float(v)) for v in x),
                          "--background", str(tmp_path / "bg.csv"), "--json")
    np.testing.assert_allclose(r["phi"], cli["phi"], rtol=1e-12, atol=1e-14)
    assert r["background_rows"] == cli["background_rows"] == 12


def test_torch_sequential_explains_and_converts():
    torch = pytest.importorskip("torch")
    import actlab.torch
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.LeakyReLU(0.1), torch.nn.Linear(5, 4),
                              torch.nn.ReLU(), torch.nn.Linear(4, 1))
    rng = np.random.default_rng(2)
    bg = rng.normal(size=(10, 3))
    x = rng.normal(size=3)
    f = lambda rows: net(torch.tensor(rows, dtype=torch.float32)).detach().numpy()[:, 0].astype(np.float64)
    r = actlab.explain(net, x, bg)
    np.testing.assert_allclose(r["phi"], brute_shapley(f, x, bg), rtol=1e-4, atol=1e-5)
    assert abs(r["phi"].sum() - (r["fx"] - r["base_value"])) < 1e-9
    s = actlab.shallow.convert(net)
    assert s.summary["regions"] >= 1 and s.summary["input_dim"] == 3
    for row in bg:
        e = s.evaluate(row)
        assert e["open_gates"] == 1 and not e["nan"]
        assert e["output"][0] == pytest.approx(f(row[None, :])[0], rel=1e-5, abs=1e-5)


def test_not_piecewise_linear_is_refused(tmp_path, actlab_bin):
    path = tmp_path / "t.json"
    actlab_bin("model", "random", "--arch", "2-3-1", "--act", "tanh", "--seed", "1", "--out", str(path))
    with pytest.raises(ValueError, match="not piecewise linear"):
        actlab.explain(str(path), [0.0, 0.0], np.zeros((2, 2)))
