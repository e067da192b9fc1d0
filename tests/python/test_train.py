"""actlab.train / actlab.Model against `actlab train|eval|predict --json` for the same plan and seed (the same
numbers), numpy arrays against a CSV file of the same values, and ONNX files against PyTorch's outputs."""
import json
import os

import numpy as np
import pytest

import actlab

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "shallow")


def _without_times(j):
    """A train summary without its wall times (the only fields that differ from run to run)."""
    j = json.loads(json.dumps(j))
    j.pop("seconds")
    for e in j["epochs"]:
        e.pop("seconds")
    return j


def test_train_equals_the_cli(actlab_bin, tmp_path):
    m = actlab.train("iris", model="mlp:8x2", act="tanh", init="critical", epochs=6, lr=0.02, val=0.2, seed=3)
    cli = actlab_bin.json("train", "--data", "iris", "--model", "mlp:8x2", "--act", "tanh", "--init", "critical",
                          "--epochs", "6", "--lr", "0.02", "--val", "0.2", "--seed", "3", "--json", "--out",
                          str(tmp_path / "cli.json"))
    assert _without_times(m.summary) == _without_times(cli)
    # The model file is the one `--out` writes, and the CLI's predict/eval read ours as theirs.
    m.save(tmp_path / "py.json")
    assert json.load(open(tmp_path / "py.json")) == json.load(open(tmp_path / "cli.json"))
    x, y, _ = actlab.data.load("iris")
    out = actlab_bin.json("predict", "--model", str(tmp_path / "py.json"), "--x", ",".join(map(str, x[7])),
                          "--json")
    np.testing.assert_allclose(m.predict(x[7])[0], out["output"], rtol=1e-6)
    assert int(np.argmax(m.predict(x[7]))) == out["argmax"]
    ev = actlab_bin.json("eval", "--model", str(tmp_path / "py.json"), "--data", "iris", "--json")
    ev.pop("model")
    assert m.evaluate("iris") == ev
    assert m.evaluate(x, y) == dict(ev, data="arrays")
    # Loaded back, the same network.
    again = actlab.Model.load(tmp_path / "py.json")
    np.testing.assert_array_equal(again.predict(x), m.predict(x))
    assert again.summary is None and again.parameters == m.parameters == m.summary["parameters"]


def test_numpy_arrays_train_as_the_same_csv(actlab_bin, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 3)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(np.int64)
    csv = tmp_path / "d.csv"
    with open(csv, "w") as f:
        f.write("a,b,c,label\n")
        for row, label in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + f",{label}\n")
    m = actlab.train(x, y, model="mlp:16x2", epochs=8, lr=0.05, seed=5, name="d")
    cli = actlab_bin.json("train", "--data", str(csv), "--model", "mlp:16x2", "--epochs", "8", "--lr", "0.05",
                          "--seed", "5", "--json")
    a, b = _without_times(m.summary), _without_times(cli)
    assert a["epochs"] == b["epochs"] and a["test_acc"] == b["test_acc"] and a["test_loss"] == b["test_loss"]
    assert a["rows"] == b["rows"] and a["parameters"] == b["parameters"]
    # Regression: float targets, one output per column.
    r = actlab.train(x, x[:, :1] * 2.0, model="mlp:8x2", epochs=3, seed=1)
    assert r.summary["rows"]["train"] == 84 and "test_acc" not in r.summary
    assert r.predict(x[:4]).shape == (4, 1)


def test_on_epoch_stops_and_errors_name_the_keyword():
    seen = []
    m = actlab.train("iris", model="mlp:4x2", epochs=50, on_epoch=lambda e, tl, vl: seen.append(e) or e < 3)
    assert seen == [1, 2, 3] and len(m.summary["epochs"]) == 3
    with pytest.raises(ValueError, match="^opt: "):
        actlab.train("iris", opt="sgdd")
    with pytest.raises(ValueError, match="^epochs: must be >= 1"):
        actlab.train("iris", epochs=0)
    with pytest.raises(ValueError, match="irsi"):
        actlab.train("irsi")
    m = actlab.train("iris", model="mlp:4x2", epochs=1)
    with pytest.raises(ValueError, match="^x: the model takes 4 values per row, got 3"):
        m.predict(np.zeros((2, 3)))


def test_onnx_file_predicts_pytorchs_outputs():
    ref = json.load(open(os.path.join(GOLDEN, "onnx_reference.json")))
    for case in ref["cases"]:
        m = actlab.Model.load(os.path.join(GOLDEN, case["file"]))
        np.testing.assert_allclose(m.predict(np.array(case["x"])), np.array(case["y"]), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="not supported"):
        actlab.Model.load(os.path.join(GOLDEN, "mlp_tanh.onnx"))
