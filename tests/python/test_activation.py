"""actlab.Activation against PyTorch's own functions (torch 1.13, Debian python3-torch), in float32 and
float64; the text and properties as `actlab act show --json` prints them."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import actlab

# (actlab spec, params, torch function): f from torch, f' and f'' by torch.autograd.
CASES = [
    ("tanh", {}, torch.tanh),
    ("swish", {}, F.silu),
    ("silu", {}, F.silu),
    ("mish", {}, F.mish),
    ("gelu", {}, F.gelu),
    ("softplus", {}, F.softplus),
    ("elu", {"alpha": 0.7}, lambda x: F.elu(x, alpha=0.7)),
    ("x*tanh(softplus(x))", {}, F.mish),
    ("x*sigmoid(b*x)", {"b": 1.5}, lambda x: x * torch.sigmoid(1.5 * x)),
]

# Points away from kinks, so torch's one-sided derivatives equal the two-sided ones.
X = np.concatenate([np.linspace(-6, 6, 241) + 0.013, [-30.0, -0.5, 0.25, 17.0]])


def torch_derivatives(fn, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t)
    (d1,) = torch.autograd.grad(y.sum(), t, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), t)
    return y.detach().numpy(), d1.detach().numpy(), d2.numpy()


@pytest.mark.parametrize("spec,params,fn", CASES, ids=[c[0] for c in CASES])
def test_float64_matches_torch(spec, params, fn):
    a = actlab.Activation(spec, **params)
    f, d1, d2 = torch_derivatives(fn, X)
    x = X.astype(np.float64)
    for got, want in ((a.f(x), f), (a.df(x), d1), (a.d2f(x), d2)):
        assert got.dtype == np.float64 and got.shape == x.shape
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("spec,params,fn", CASES, ids=[c[0] for c in CASES])
def test_float32_matches_torch(spec, params, fn):
    a = actlab.Activation(spec, **params)
    x32 = X.astype(np.float32)
    t = torch.tensor(x32, requires_grad=True)
    y = fn(t)
    (d1,) = torch.autograd.grad(y.sum(), t)
    fy, dy = a.f(x32), a.df(x32)
    assert fy.dtype == np.float32 and dy.dtype == np.float32
    np.testing.assert_allclose(fy, y.detach().numpy(), rtol=2e-6, atol=2e-6)
    np.testing.assert_allclose(dy, d1.numpy(), rtol=2e-5, atol=2e-6)


def test_shapes_scalars_and_dtypes():
    a = actlab.Activation("relu")
    x = np.arange(-3, 3, dtype=np.float32).reshape(2, 3)
    assert a.f(x).shape == (2, 3) and a.f(x).dtype == np.float32
    assert a.f(np.arange(-3, 3)).dtype == np.float64  # ints are computed in float64
    assert a.f(-2.0) == 0.0 and a.f(3) == 3.0 and isinstance(a.f(3), float)
    assert a.df([-1.0, 2.0]).tolist() == [0.0, 1.0]
    # A strided view is computed too (through a contiguous copy).
    y = np.linspace(-2, 2, 10)[::2]
    np.testing.assert_array_equal(a.f(y), np.maximum(y, 0))


def test_text_and_properties_match_the_cli(actlab_bin):
    for spec in ("swish", "relu", "x*tanh(softplus(x))", "hardtanh"):
        a = actlab.Activation(spec)
        j = actlab_bin.json("act", "show", spec, "--json")
        assert a.formula == j["formula"]
        assert a.derivative == j["derivative"]
        assert a.second_derivative == j["second_derivative"]
        lo, hi = j["range"]  # null: unbounded
        assert a.range == (-math.inf if lo is None else float(lo), math.inf if hi is None else float(hi))
        assert a.kinks == (j["kink_pattern"] or j["kinks"])
        assert a.range_declared == (j["range_source"] == "declared")
        assert a.smoothness == j["smooth"]
        assert a.monotone == j["monotone"]


def test_theory_class():
    assert actlab.Activation("relu").theory_class == "scale_invariant"
    assert actlab.Activation("tanh").theory_class == actlab.theory.classify("tanh")["class"]


def test_catalog_records():
    cat = actlab.catalog()
    names = [e["name"] for e in cat]
    assert len(cat) >= 48 and len(set(names)) == len(names)
    assert sum(e["menu"] for e in cat) == 48  # the à-la-carte menu
    swish = next(e for e in cat if e["name"] == "swish")
    assert swish["formula"] == "x*sigmoid(x)" and "silu" in swish["aliases"]
    pandas = pytest.importorskip("pandas")
    assert len(pandas.DataFrame(cat)) == len(cat)


def test_catalog_length_equals_the_cli(actlab_bin):
    cli = actlab_bin.json("act", "list", "--json")
    assert len(actlab.catalog()) == cli["count"] == len(cli["activations"])
    assert [e["name"] for e in actlab.catalog()] == [e["name"] for e in cli["activations"]]


def test_bad_formula_is_a_value_error_with_its_location():
    with pytest.raises(ValueError) as e:
        actlab.Activation("x*sigmoid(x")
    assert str(e.value).startswith("1:12: expected ')'")
    with pytest.raises(ValueError, match="softmax is row-wise"):
        actlab.Activation("softmax").f(np.zeros(3))


def test_error_messages_are_the_clis(actlab_bin):
    # The CLI prints "actlab: error: <message>" (exit 2); Python raises ValueError(<message>), the field named
    # as the keyword ("storage: ...") where the CLI names the flag ("--storage: ...").
    import subprocess
    import os

    def cli_error(*args):
        p = subprocess.run([os.environ["ACTLAB_BIN"], *args], capture_output=True, text=True)
        assert p.returncode == 2
        return p.stderr.strip().removeprefix("actlab: error: ")

    with pytest.raises(ValueError) as e:
        actlab.Activation("x*sigmoid(1.5*x")
    assert str(e.value) == cli_error("act", "show", "x*sigmoid(1.5*x") == (
        "1:16: expected ')' after argument, found the end of the formula")
    with pytest.raises(ValueError) as e:
        actlab.Study.load("mysql://h/db", "x")
    assert "--" + str(e.value) == cli_error("study", "show", "--storage", "mysql://h/db", "--name", "x")


def test_out_writes_in_place_and_checks_it():
    a = actlab.Activation("tanh")
    x = np.linspace(-2, 2, 7, dtype=np.float32)
    y = np.empty_like(x)
    assert a.f(x, out=y) is not None and np.shares_memory(a.f(x, out=y), y)
    np.testing.assert_allclose(y, np.tanh(x), rtol=1e-6)
    with pytest.raises(ValueError, match="out: expected a float32"):
        a.f(x, out=np.empty(7))
    with pytest.raises(ValueError, match="input's shape"):
        a.f(x, out=np.empty(6, dtype=np.float32))


def test_data_arrays_share_the_loaded_memory():
    x, y, _ = actlab.data.load("iris")
    assert not x.flags.owndata and x.base is not None  # a view into the C++ data set, not a copy
