"""actlab.theory.init against `actlab init --json` (the same numbers), actlab.data.load against the CSV."""
import numpy as np
import pytest

import actlab


@pytest.mark.parametrize("act", ["relu", "tanh", "swish"])
def test_init_equals_the_cli(actlab_bin, act):
    r = actlab.theory.init(act, depth=10)
    cli = actlab_bin.json("init", act, "--depth", "10", "--json")["recommendations"][0]
    assert dict(r) == cli  # every field: sigma_w, sigma_b, input_scale, verdict, reasons, ...
    assert r.sigma_w == cli["sigma_w"] and r.verdict == cli["verdict"] and r.reasons == cli["reasons"]


def test_init_known_values():
    # ReLU: He's sigma_w = sqrt(2), sigma_b = 0 (scale-invariant class); tanh: sigma_w = 1 (K* = 0 class).
    assert actlab.theory.init("relu", 10).sigma_w == pytest.approx(2 ** 0.5, rel=1e-9)
    assert actlab.theory.init("tanh", 10).sigma_w == pytest.approx(1.0, rel=1e-9)
    assert actlab.theory.init(actlab.Activation("tanh"), 10) == actlab.theory.init("tanh", 10)


def test_init_errors_name_the_field():
    with pytest.raises(ValueError, match="depth"):
        actlab.theory.init("tanh", 0)
    with pytest.raises(ValueError, match="activations: 'nosuch'"):
        actlab.theory.init("nosuch", 10)


def test_torch_init_code_equals_the_cli(actlab_bin):
    assert actlab.theory.torch_init_code("tanh", 10) + "\n" == actlab_bin("init", "tanh", "--depth", "10",
                                                                             "--torch")


def test_iris():
    ds = actlab.data.load("iris")
    x, y, names = ds
    assert x.shape == (150, 4) and x.dtype == np.float32
    assert y.shape == (150,) and sorted(set(y.tolist())) == [0, 1, 2]
    assert len(names) == 4 and len(ds.classes) == 3 and ds.task == "classification"
    # scikit-learn's own copy of the file (python3-sklearn) gives the same numbers.
    sklearn = pytest.importorskip("sklearn.datasets")
    ref = sklearn.load_iris()
    np.testing.assert_allclose(x, ref.data.astype(np.float32))
    np.testing.assert_array_equal(y, ref.target)


def test_generator_and_bad_name():
    x, y, _ = actlab.data.load("spirals", rows=90, seed=3)
    assert x.shape[0] == 90
    x2, _, _ = actlab.data.load("spirals", rows=90, seed=3)
    np.testing.assert_array_equal(x, x2)
    with pytest.raises(ValueError, match="unknown data set 'irsi'; did you mean iris"):
        actlab.data.load("irsi")
