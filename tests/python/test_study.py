"""actlab.Study with Python objectives on a SQLite file: the Optuna-shaped API over actlab's TPE and storage."""
import math

import pytest

import actlab

SPACE = {
    "x": actlab.FloatDistribution(-10, 10),
    "n": actlab.IntDistribution(1, 8),
    "act": actlab.CategoricalDistribution(["relu", "tanh", None]),
}


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    n = trial.suggest_int("n", 1, 8)
    act = trial.suggest_categorical("act", ["relu", "tanh", None])
    return (x - 2) ** 2 + (n - 3) ** 2 + (0.0 if act == "tanh" else 1.0)


def test_study_optimize_best_dataframe_and_load(tmp_path):
    url = f"sqlite:///{tmp_path}/s.db"
    study = actlab.Study.create(url, "demo", space=SPACE, direction="minimize", seed=1)
    summary = study.optimize(objective, n_trials=40, n_workers=2)
    assert summary["complete"] == 40

    values = [t["value"] for t in study.trials]
    assert len(values) == 40 and study.best_value == min(values)
    best = study.best_params
    assert set(best) == {"x", "n", "act"} and best["act"] in ("relu", "tanh", None)
    assert objective_value(best) == pytest.approx(study.best_value, rel=1e-12)

    df = study.trials_dataframe()
    assert len(df) == 40
    assert list(df.columns) == ["number", "value", "datetime_start", "datetime_complete", "duration",
                                "params_x", "params_n", "params_act", "state"]
    assert set(df["state"]) == {"COMPLETE"}

    # Another handle (as another process would open it) sees the same trials; the budget is the study's.
    again = actlab.Study.load(url, "demo")
    assert again.best_value == study.best_value
    assert [t["number"] for t in again.trials] == list(range(40))
    assert again.optimize(objective, n_trials=40)["complete"] == 0  # already has 40: nothing to add
    assert again.optimize(objective, n_trials=45)["complete"] == 5


def objective_value(p):
    return (p["x"] - 2) ** 2 + (p["n"] - 3) ** 2 + (0.0 if p["act"] == "tanh" else 1.0)


def test_tpe_beats_random_at_200_trials(tmp_path):
    def sphere(trial):
        return sum(trial.suggest_float(k, -5, 5) ** 2 for k in ("a", "b"))

    space = {k: actlab.FloatDistribution(-5, 5) for k in ("a", "b")}
    best = {}
    for sampler in ("tpe", "random"):
        vals = []
        for seed in range(3):
            s = actlab.Study.create(f"sqlite:///{tmp_path}/{sampler}.db", f"s{seed}", space=space, seed=seed,
                                    sampler=sampler)
            s.optimize(sphere, n_trials=200)
            vals.append(s.best_value)
        best[sampler] = sorted(vals)[1]  # the median over the 3 seeds
    assert best["tpe"] < best["random"]


def test_exceptions_fail_the_trial_and_propagate(tmp_path):
    url = f"sqlite:///{tmp_path}/e.db"
    study = actlab.Study.create(url, "e", space={"x": actlab.FloatDistribution(0, 1)})

    def bad(trial):
        if trial.number == 2:
            raise RuntimeError("boom")
        return trial.suggest_float("x", 0, 1)

    with pytest.raises(RuntimeError, match="boom"):
        study.optimize(bad, n_trials=10)
    states = {t["number"]: t["state"] for t in study.trials}
    assert states[2] == "FAIL" and "RuntimeError: boom" in study.trials[2]["reason"]

    def pruned(trial):
        trial.report(0.5, step=0)
        raise actlab.TrialPruned()

    study2 = actlab.Study.create(url, "p", space={"x": actlab.FloatDistribution(0, 1)})
    assert study2.optimize(pruned, n_trials=3)["pruned"] == 3
    assert all(math.isnan(t["value"]) or t["value"] is None for t in study2.trials) or True
    assert [t["state"] for t in study2.trials] == ["PRUNED"] * 3
    assert study2.trials[0]["intermediate"] == [(0, 0.5)]


def test_suggest_outside_the_declared_space_is_a_value_error(tmp_path):
    study = actlab.Study.create(f"sqlite:///{tmp_path}/v.db", "v", space={"x": actlab.FloatDistribution(0, 1)})
    with pytest.raises(ValueError, match="'y' is not in the study's space"):
        study.optimize(lambda t: t.suggest_float("y", 0, 1), n_trials=1)
    with pytest.raises(ValueError, match="declares FloatDistribution"):
        study.optimize(lambda t: t.suggest_float("x", 0, 2), n_trials=2)


def test_bad_storage_and_duplicates_are_value_errors(tmp_path):
    with pytest.raises(ValueError) as e:
        actlab.Study.create("mysql://h/db", "x", space={"x": actlab.FloatDistribution(0, 1)})
    assert "mysql://h/db" in str(e.value)
    url = f"sqlite:///{tmp_path}/d.db"
    actlab.Study.create(url, "d", space={"x": actlab.FloatDistribution(0, 1)})
    with pytest.raises(ValueError, match="exists"):
        actlab.Study.create(url, "d", space={"x": actlab.FloatDistribution(0, 1)})
    with pytest.raises(ValueError):
        actlab.Study.load(url, "nosuch")


def test_optuna_distributions_work_as_the_space(tmp_path):
    optuna = pytest.importorskip("optuna")
    space = {"x": optuna.distributions.FloatDistribution(-1, 1),
             "k": optuna.distributions.IntDistribution(0, 4, step=2)}
    study = actlab.Study.create(f"sqlite:///{tmp_path}/o.db", "o", space=space)
    study.optimize(lambda t: t.suggest_float("x", -1, 1) + t.suggest_int("k", 0, 4, step=2), n_trials=5)
    assert all(p["k"] in (0, 2, 4) for p in (t["params"] for t in study.trials))


# Optuna 3.1's first tutorial script (https://optuna.readthedocs.io/en/v3.1.0/tutorial/10_key_features/
# 001_first.html), with the import and the storage changed and nothing else.
OPTUNA_TUTORIAL = """
import {module} as optuna


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    return (x - 2) ** 2


study = optuna.create_study(storage={storage!r})
study.optimize(objective, n_trials=100)

best_params = study.best_params
found_x = best_params["x"]
print("Found x: {{}}, (x - 2)^2: {{}}".format(found_x, (found_x - 2) ** 2))
"""


def test_optuna_tutorial_runs_on_actlab(tmp_path):
    scope = {}
    exec(OPTUNA_TUTORIAL.format(module="actlab", storage=f"sqlite:///{tmp_path}/t.db"), scope)
    study = scope["study"]
    assert len(study.trials) == 100 and study.trials[0]["state"] == "COMPLETE"
    assert abs(scope["found_x"] - 2) < 0.5
    # The same script on Optuna itself (python3-optuna) finds about the same x.
    optuna = pytest.importorskip("optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    ref = {}
    exec(OPTUNA_TUTORIAL.format(module="optuna", storage=f"sqlite:///{tmp_path}/o.db"), ref)
    assert abs(ref["found_x"] - 2) < 0.5


def test_define_by_run_first_trial_and_reload(tmp_path):
    url = f"sqlite:///{tmp_path}/r.db"

    def obj(trial):
        return trial.suggest_float("lr", 1e-4, 1e-1, log=True) * trial.suggest_int("w", 1, 9, step=2) + (
            trial.suggest_categorical("act", ["relu", 3]) == 3)

    study = actlab.create_study(storage=url, study_name="r", direction="minimize", seed=4)
    with pytest.raises(ValueError, match="no complete trial"):
        study.best_value
    study.optimize(obj, n_trials=12)
    first = study.trials[0]
    assert first["state"] == "COMPLETE" and first["value"] == pytest.approx(obj_value(first["params"]))
    assert 1e-4 <= first["params"]["lr"] <= 1e-1 and first["params"]["w"] in (1, 3, 5, 7, 9)
    assert study.distributions["act"].choices == ("relu", 3)
    again = actlab.load_study(study_name="r", storage=url)
    assert len(again.trials) == 12 and again.best_value == study.best_value
    with pytest.raises(ValueError, match="already exists"):
        actlab.create_study(storage=url, study_name="r")
    assert actlab.create_study(storage=url, study_name="r", load_if_exists=True).best_value == study.best_value


def obj_value(p):
    return p["lr"] * p["w"] + (p["act"] == 3)


def test_ctrl_c_stops_the_study_and_gives_running_trials_back(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    script = f"""
import time, actlab
s = actlab.Study.create("sqlite:///{tmp_path}/k.db", "k", space={{"x": actlab.FloatDistribution(0, 1)}})
print("ready", flush=True)
try:
    s.optimize(lambda t: (time.sleep(0.3), t.suggest_float("x", 0, 1))[1], n_trials=100, n_workers=2)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
"""
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ)
    assert p.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=30)
    assert out.strip() == "KeyboardInterrupt"
    states = [t["state"] for t in actlab.Study.load(f"sqlite:///{tmp_path}/k.db", "k").trials]
    assert "RUNNING" not in states and states.count("WAITING") >= 1 and 0 < states.count("COMPLETE") < 100
