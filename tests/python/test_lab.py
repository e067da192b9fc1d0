"""actlab.lab: the same results as `actlab lab --json` for the same plan."""
import math

import pytest

import actlab

PLAN = dict(depth=2, width=8, candidates="relu,tanh,swish", epochs=5, screen_seeds=1, screen_epochs=5, trials=3,
            seeds=2, explain_points=1, threads=1)
# Fields that name where or when it ran, not what it found.
WHERE = {"/settings/command", "/settings/out", "/search/storage", "/seconds", "/confirm/seconds", "/command",
         "/actlab_version"}


def differences(py, cli, path=""):
    """Paths where the two differ; non-finite numbers in Python are null in the CLI's JSON."""
    if isinstance(py, dict) and isinstance(cli, dict):
        return [d for k in set(py) | set(cli) for d in differences(py.get(k), cli.get(k), f"{path}/{k}")]
    if isinstance(py, list) and isinstance(cli, list) and len(py) == len(cli):
        return [d for i, (u, v) in enumerate(zip(py, cli)) for d in differences(u, v, f"{path}[{i}]")]
    if isinstance(py, float) and not math.isfinite(py) and cli is None:
        return []
    return [] if py == cli or path in WHERE else [path]


def test_lab_equals_the_cli(actlab_bin, tmp_path):
    events = []
    r = actlab.lab("iris", tmp_path / "py", progress=lambda *e: events.append(e), **PLAN)
    flags = [a for k, v in PLAN.items() for a in (f"--{k.replace('_', '-')}", str(v))]
    cli = actlab_bin.json("lab", "--data", "iris", "--out", str(tmp_path / "cli"), "--json", *flags)
    assert differences({k: v for k, v in r.items() if k not in ("winner", "summary_text")}, cli) == []
    assert r["winner"] and r["summary_text"].startswith("Recommendation for iris")
    assert [e[1] for e in events if e[2] == 0] == ["theory", "screen", "search", "confirm", "explain"]
    assert (tmp_path / "py" / "runs.jsonl").exists()  # resumable state; the reports are the CLI's (below)


def test_lab_errors_name_the_keyword(tmp_path):
    with pytest.raises(ValueError, match="^depth: "):
        actlab.lab("iris", tmp_path, depth=0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'dpeth'"):
        actlab.lab("iris", tmp_path, dpeth=3)
