"""actlab.theory.eoc/propagate/kernel/classify against closed forms, against an independent numpy/scipy
computation of the mean-field recursions (scipy's adaptive quadrature and root finder; Gauss-Hermite for the
two-point expectation), and against
`actlab theory ... --json` for the same inputs (the same numbers)."""
import math

import numpy as np
import pytest

import actlab

integrate = pytest.importorskip("scipy.integrate")

# Probabilists' Gauss-Hermite rule: E g(Z), Z ~ N(0, 1) = sum(w * g(z)) / sqrt(2 pi). (It converges slowly
# for tanh at large q, whose complex poles near the real axis limit it, so the 1-D expectations use quad.)
_Z, _W = np.polynomial.hermite_e.hermegauss(120)
_W = _W / math.sqrt(2 * math.pi)


def gauss(g, q):
    """E g(sqrt(q) Z), Z ~ N(0, 1), by adaptive quadrature."""
    s = math.sqrt(q)
    f = lambda z: float(g(np.float64(s * z))) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    return integrate.quad(f, -np.inf, np.inf, epsabs=1e-14, epsrel=1e-13, limit=200)[0]


def gauss2(g, q, c):
    z1, z2 = np.meshgrid(_Z, _Z, indexing="ij")
    w = np.outer(_W, _W)
    u1 = math.sqrt(q) * z1
    u2 = math.sqrt(q) * (c * z1 + math.sqrt(max(0.0, 1 - c * c)) * z2)
    return float(np.sum(w * g(u1) * g(u2)))


def dtanh(u):
    return 1 - np.tanh(u) ** 2


def test_eoc_closed_forms():
    # ReLU: sigma_w = sqrt(2) at sigma_b = 0 (He et al. 2015), with every q a fixed point (q_free).
    p = actlab.theory.eoc("relu", 0.0).points[0]
    assert p["sigma_w"] == pytest.approx(math.sqrt(2), rel=1e-12) and p["q_free"]
    # tanh at sigma_b = 0: sigma_w = 1 = 1/tanh'(0), q* = 0 (Poole et al. 2016).
    p = actlab.theory.eoc("tanh", 0.0).points[0]
    assert p["sigma_w"] == pytest.approx(1.0, rel=1e-12) and p["q_star"] == 0.0 and p["marginal"]
    # ReLU has no EOC point with sigma_b > 0.
    assert actlab.theory.eoc("relu", [0.0, 0.5]).sigma_b_without_eoc == [0.5]


@pytest.mark.parametrize("sigma_b", [0.05, 0.3, 1.0])
def test_eoc_tanh_against_scipy(sigma_b):
    optimize = pytest.importorskip("scipy.optimize")

    # q* = sigma_b^2 + sigma_w^2 E tanh(sqrt(q*) Z)^2 and chi1 = sigma_w^2 E tanh'(sqrt(q*) Z)^2 = 1.
    def eqs(v):
        sw, q = v
        return [sigma_b ** 2 + sw ** 2 * gauss(lambda u: np.tanh(u) ** 2, q) - q,
                sw ** 2 * gauss(lambda u: dtanh(u) ** 2, q) - 1]

    sw, q = optimize.fsolve(eqs, [1.2 + 0.6 * sigma_b, 3 * sigma_b], xtol=1e-13)
    r = actlab.theory.eoc("tanh", sigma_b)
    assert len(r.points) == 1
    assert r.points[0]["sigma_w"] == pytest.approx(sw, rel=1e-7)
    assert r.points[0]["q_star"] == pytest.approx(q, rel=1e-6)
    assert r.table["sigma_w"].dtype == np.float64 and r.table["stable"].dtype == bool


def test_propagate_tanh_against_numpy():
    sw, sb, depth = 1.5, 0.1, 8
    r = actlab.theory.propagate("tanh", sigma_w=sw, sigma_b=sb, depth=depth, q0=1.0, c0=0.2)
    q, c = 1.0, 0.2
    for layer in r.layers:
        assert layer["q"] == pytest.approx(q, rel=1e-9)
        assert layer["c"] == pytest.approx(c, rel=1e-7, abs=1e-9)
        assert layer["chi1"] == pytest.approx(sw ** 2 * gauss(lambda u: dtanh(u) ** 2, q), rel=1e-9)
        q_next = sb ** 2 + sw ** 2 * gauss(lambda u: np.tanh(u) ** 2, q)
        c = (sb ** 2 + sw ** 2 * gauss2(np.tanh, q, c)) / q_next
        q = q_next
    assert r.phase == "chaotic" and r.chi1_star > 1  # sigma_w = 1.5 is above tanh's EOC at sigma_b = 0.1
    np.testing.assert_array_equal(r.table["l"], np.arange(depth + 1))


def test_kernel_against_numpy():
    cw, cb, k0, depth = 1.2, 0.05, 0.8, 10
    r = actlab.theory.kernel("gelu", cw=cw, cb=cb, k0=k0, depth=depth)
    k = k0

    def gelu(u):
        return u * 0.5 * (1 + math.erf(u / math.sqrt(2)))

    for layer in r.layers:
        assert layer["K"] == pytest.approx(k, rel=1e-9)
        k = cb + cw * gauss(lambda u: gelu(u) ** 2, k)
    assert len(r.table["K"]) == depth


def test_classify_closed_forms():
    t = actlab.theory.classify("tanh")
    assert t["class"] == "k0" and t.a1 == pytest.approx(-2.0) and t.critical["C_W"] == pytest.approx(1.0)
    r = actlab.theory.classify("relu")
    assert r["class"] == "scale_invariant" and r.critical["C_W"] == pytest.approx(2.0, rel=1e-12)
    # GELU's a1 = 6/pi and b1 = 8/pi follow from its Taylor series x/2 + x^2/sqrt(2 pi) - x^4/(6 sqrt(2 pi)).
    g = actlab.theory.classify("gelu")
    assert g["class"] == "half_stable"
    assert g.a1 == pytest.approx(6 / math.pi, rel=1e-9) and g.b1 == pytest.approx(8 / math.pi, rel=1e-9)
    # An Activation with parameters is the formula with those values, as --param binds them.
    b = actlab.Activation("x*sigmoid(b*x)", b=1.5)
    assert actlab.theory.classify(b)["critical"] == actlab.theory.classify("x*sigmoid(b*x)", b=1.5)["critical"]


def test_equals_the_cli(actlab_bin):
    py = actlab.theory.eoc("tanh", [0.0, 0.3, 1.0])
    assert dict(py) == actlab_bin.json("theory", "eoc", "tanh", "--sigma-b", "0,0.3,1", "--json")
    py = actlab.theory.propagate("swish", sigma_w=1.7, sigma_b=0.3, depth=6, q0=2.0, q0_second=0.5, c0=0.1)
    assert dict(py) == actlab_bin.json("theory", "propagate", "swish", "--sigma-w", "1.7", "--sigma-b", "0.3",
                                       "--depth", "6", "--q0", "2", "--q0-second", "0.5", "--c0", "0.1",
                                       "--json")
    py = actlab.theory.kernel("tanh", cw=1.0, cb=0.0, k0=1.0, depth=5, width=32, mc=20, seed=3)
    assert dict(py) == actlab_bin.json("theory", "kernel", "tanh", "--cw", "1", "--cb", "0", "--k0", "1",
                                       "--depth", "5", "--width", "32", "--mc", "20", "--seed", "3", "--json")
    py = actlab.theory.classify("leaky_relu", negative_slope=0.2)
    assert dict(py) == actlab_bin.json("theory", "classify", "leaky_relu", "--param", "negative_slope=0.2",
                                       "--json")


def test_errors_name_the_field():
    with pytest.raises(ValueError, match="^sigma_w: must be finite and > 0"):
        actlab.theory.propagate("tanh", sigma_w=-1, sigma_b=0.1, depth=3)
    with pytest.raises(ValueError, match="mc"):
        actlab.theory.kernel("tanh", cw=1, cb=0, k0=1, depth=3, width=8)
    with pytest.raises(ValueError, match=r"^1:7: expected '\)'"):
        actlab.theory.eoc("tanh(x", 0.0)
