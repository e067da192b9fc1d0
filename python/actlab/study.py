"""actlab.Study: Optuna's study API over actlab's TPE and storage (SQLite or PostgreSQL, shared with the CLI's
workers; docs/search.md).

One difference from Optuna, and why: actlab stores the search space with the study, so that every worker (a
Python process, `actlab study optimize` on another machine) samples the same space and a trial's parameters
exist before its objective runs. So the space is declared when the study is created, with Optuna's
distribution names; the objective's trial.suggest_*() calls read the sampled values, and a suggest_* that
asks for a parameter the space lacks, or with other bounds or choices, raises ValueError.

    space = {"x": actlab.FloatDistribution(-10, 10), "act": actlab.CategoricalDistribution(["relu", "tanh"])}
    study = actlab.Study.create("sqlite:///runs/s.db", "demo", space=space, direction="minimize", seed=1)
    study.optimize(lambda t: (t.suggest_float("x", -10, 10) - 2) ** 2, n_trials=100, n_workers=2)
    study.best_value, study.best_params, study.trials_dataframe()

Optuna's own distribution objects (optuna.distributions.FloatDistribution, ...) work as well.

Define-by-run, for scripts ported from Optuna: without space=, the study is created by the first optimize()
call. Its first trial runs the objective with a recording trial that draws each suggest_*'s value uniformly
(as the sampler's random start-up trials do) and notes its distribution; that becomes the study's space, and
the first trial is stored with its value. So `actlab.create_study(storage=..., direction=...)` and
`study.optimize(objective, n_trials=100)` work unchanged, as long as every trial suggests the same parameters
(a conditional space must be declared up front, with every parameter).
"""
import datetime
import json
import math
import random
import uuid

from . import _actlab


class FloatDistribution:
    """A float in [low, high]; log: log-uniform; step: on a grid (as optuna.distributions.FloatDistribution)."""

    def __init__(self, low, high, log=False, step=None):
        self.low, self.high, self.log, self.step = float(low), float(high), bool(log), step

    def __repr__(self):
        return f"FloatDistribution(low={self.low}, high={self.high}, log={self.log}, step={self.step})"


class IntDistribution:
    """An int in [low, high] on a step (as optuna.distributions.IntDistribution)."""

    def __init__(self, low, high, log=False, step=1):
        self.low, self.high, self.log, self.step = int(low), int(high), bool(log), int(step)

    def __repr__(self):
        return f"IntDistribution(low={self.low}, high={self.high}, log={self.log}, step={self.step})"


class CategoricalDistribution:
    """One of choices (stored by their str(); the objects themselves come back in this process)."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __repr__(self):
        return f"CategoricalDistribution(choices={self.choices})"


class TrialPruned(Exception):
    """Raise it in an objective to prune the trial (as optuna.TrialPruned)."""


def _kind(d):
    if isinstance(d, (list, tuple)):
        return "categorical"
    if hasattr(d, "choices"):
        return "categorical"
    if type(d).__name__.startswith("Int"):
        return "int"
    if hasattr(d, "low") and hasattr(d, "high"):
        return "float"
    raise ValueError(f"space: {d!r} is not a distribution (FloatDistribution, IntDistribution, "
                     "CategoricalDistribution, or a list of choices)")


def _normalise(space):
    if not isinstance(space, dict) or not space:
        raise ValueError("space: give a dict of parameter name → distribution, with at least one parameter")
    out = {}
    for name, d in space.items():
        kind = _kind(d)
        if kind == "categorical":
            out[name] = CategoricalDistribution(d if isinstance(d, (list, tuple)) else d.choices)
        elif kind == "int":
            out[name] = IntDistribution(d.low, d.high, getattr(d, "log", False), getattr(d, "step", 1) or 1)
        else:
            out[name] = FloatDistribution(d.low, d.high, getattr(d, "log", False), getattr(d, "step", None))
    return out


def _space_json(dists):
    params = []
    for name, d in dists.items():
        if isinstance(d, CategoricalDistribution):
            params.append({"name": name, "type": "categorical", "choices": [str(c) for c in d.choices]})
        elif isinstance(d, IntDistribution):
            params.append({"name": name, "type": "int", "low": d.low, "high": d.high, "log": d.log,
                           "step": d.step})
        else:
            params.append({"name": name, "type": "float", "low": d.low, "high": d.high, "log": d.log,
                           "step": float(d.step or 0)})
    return {"params": params}


def _dists_from_json(space):
    out = {}
    for p in space["params"]:
        if p["type"] == "categorical":
            out[p["name"]] = CategoricalDistribution(p["choices"])
        elif p["type"] == "int":
            out[p["name"]] = IntDistribution(p["low"], p["high"], p.get("log", False), p.get("step", 1))
        else:
            step = p.get("step", 0)
            out[p["name"]] = FloatDistribution(p["low"], p["high"], p.get("log", False), step or None)
    return out


def _external(dists, params):
    out = {}
    for name, v in (params or {}).items():
        d = dists.get(name)
        if isinstance(d, CategoricalDistribution):
            names = [str(c) for c in d.choices]
            out[name] = d.choices[names.index(v)] if v in names else v
        else:
            out[name] = v
    return out


class Trial:
    """What an objective gets: Optuna's suggest_* reading the parameters actlab's sampler chose for this
    trial, report() and should_prune()."""

    def __init__(self, ctx, dists):
        self._ctx = ctx
        self._dists = dists
        self.number = ctx.number
        self.params = _external(dists, ctx.params)

    def _declared(self, name, kind):
        d = self._dists.get(name)
        if d is None:
            raise ValueError(f"suggest: parameter '{name}' is not in the study's space "
                             f"(declared: {', '.join(self._dists)}); declare it in Study.create(space=...)")
        if _kind(d) != kind:
            raise ValueError(f"suggest_{kind}: parameter '{name}' is declared as {d!r}")
        return d

    def suggest_float(self, name, low, high, *, step=None, log=False):
        d = self._declared(name, "float")
        if (float(low), float(high), bool(log), float(step or 0)) != (d.low, d.high, d.log, float(d.step or 0)):
            raise ValueError(f"suggest_float('{name}', {low}, {high}, step={step}, log={log}): the study "
                             f"declares {d!r}")
        return float(self.params[name])

    def suggest_int(self, name, low, high, step=1, log=False):
        d = self._declared(name, "int")
        if (int(low), int(high), bool(log), int(step)) != (d.low, d.high, d.log, d.step):
            raise ValueError(f"suggest_int('{name}', {low}, {high}, step={step}, log={log}): the study "
                             f"declares {d!r}")
        return int(self.params[name])

    def suggest_categorical(self, name, choices):
        d = self._declared(name, "categorical")
        if [str(c) for c in choices] != [str(c) for c in d.choices]:
            raise ValueError(f"suggest_categorical('{name}', {list(choices)!r}): the study declares {d!r}")
        v = self.params[name]
        names = [str(c) for c in d.choices]
        return choices[names.index(str(v))]

    def report(self, value, step):
        """Records an intermediate value (Optuna's argument order)."""
        self._ctx.report(int(step), float(value))

    def should_prune(self):
        return self._ctx.should_prune()


class _RecordingTrial:
    """The define-by-run first trial: each suggest_* declares its distribution and draws a value uniformly."""

    number = 0

    def __init__(self, seed):
        self._rng = random.Random(f"actlab-first-trial-{seed}")
        self.dists, self.params, self._stored = {}, {}, {}

    def _take(self, name, dist, value, stored):
        if name in self.dists:
            return self.params[name]
        self.dists[name], self.params[name], self._stored[name] = dist, value, stored
        return value

    def suggest_float(self, name, low, high, *, step=None, log=False):
        d = FloatDistribution(low, high, log, step)
        if log:
            v = math.exp(self._rng.uniform(math.log(d.low), math.log(d.high)))
        elif step:
            v = d.low + self._rng.randint(0, int(round((d.high - d.low) / step))) * step
        else:
            v = self._rng.uniform(d.low, d.high)
        v = min(max(v, d.low), d.high)
        return self._take(name, d, v, v)

    def suggest_int(self, name, low, high, step=1, log=False):
        d = IntDistribution(low, high, log, step)
        v = d.low + self._rng.randint(0, (d.high - d.low) // d.step) * d.step
        return self._take(name, d, v, v)

    def suggest_categorical(self, name, choices):
        d = CategoricalDistribution(choices)
        i = self._rng.randrange(len(d.choices))
        return self._take(name, d, d.choices[i], str(d.choices[i]))

    def report(self, value, step):
        pass

    def should_prune(self):
        return False


def _outcome(objective, trial, catch, errors):
    """(state, value, reason, stop) for the C++ side; exceptions not in catch go to errors."""
    try:
        value = objective(trial)
    except TrialPruned as e:
        return ("PRUNED", math.nan, str(e) or "pruned", False)
    except catch as e:
        return ("FAIL", 0.0, f"{type(e).__name__}: {e}", False)
    except BaseException as e:  # re-raised by optimize() once the FAIL is recorded
        errors.append(e)
        return ("FAIL", 0.0, f"{type(e).__name__}: {e}", True)
    try:
        return ("COMPLETE", float(value), "", False)
    except (TypeError, ValueError):
        errors.append(TypeError(f"the objective returned {value!r}, not a number"))
        return ("FAIL", 0.0, f"the objective returned {value!r}", True)


class Study:
    """A study in a storage: create() or load(), then optimize(); best_value, best_params, trials_dataframe()."""

    def __init__(self, core, dists=None, pending=None):
        self._core = core
        self._pending = pending  # define-by-run: what create() was given, until the first optimize()
        self._dists = dists if dists is not None else (_dists_from_json(core.space) if core else {})

    @classmethod
    def create(cls, storage, name, space=None, direction="minimize", seed=0, sampler="tpe"):
        """A new study `name` in `storage` ("sqlite:///abs/path.db", "sqlite:rel.db",
        "postgresql://user@host:5432/db"); fails (ValueError) if one of that name exists. Without space, the
        first optimize() creates it from the first trial's suggest_* calls (define-by-run, above)."""
        if space is None:
            try:
                _actlab.Study.open(storage, name)
            except ValueError:
                pass
            else:
                raise ValueError(f"name: a study named '{name}' already exists in {storage}")
            pending = {"storage": storage, "name": name, "direction": direction, "seed": int(seed),
                       "sampler": sampler}
            return cls(None, {}, pending)
        return cls._create(storage, name, _normalise(space), direction, seed, sampler)

    @classmethod
    def _create(cls, storage, name, dists, direction, seed, sampler):
        objective = {"name": "python", "description": "an objective written in Python (actlab.Study)"}
        _actlab.Study.create(storage, name, json.dumps(_space_json(dists)), direction, sampler, int(seed),
                             json.dumps(objective))
        return cls(_actlab.Study.open(storage, name), dists)

    @classmethod
    def load(cls, storage, name):
        """An existing study (made by Python or by `actlab study create`)."""
        return cls(_actlab.Study.open(storage, name))

    def _get(self, key):
        return getattr(self._core, key) if self._core is not None else self._pending[key]

    name = property(lambda self: self._get("name"))
    direction = property(lambda self: self._get("direction"))
    sampler = property(lambda self: self._get("sampler"))
    seed = property(lambda self: self._get("seed"))
    distributions = property(lambda self: dict(self._dists))

    def optimize(self, objective, n_trials=None, n_workers=1, timeout=None, catch=()):
        """Runs objective(trial) until the study has n_trials trials (its total budget, shared with every
        worker on the study: running it again resumes rather than adds), in n_workers threads (each takes the
        GIL only while the objective runs). An exception in the objective fails the trial and is re-raised
        after it is recorded, unless its type is in `catch`; raise TrialPruned to prune. Returns a summary
        dict (complete, pruned, failed, ..., wall_s)."""
        errors = []
        catch = tuple(catch)
        if self._core is None:
            self._first_trial(objective, catch)

        def run(ctx):
            return _outcome(objective, Trial(ctx, self._dists), catch, errors)

        summary = self._core.optimize(run, -1 if n_trials is None else int(n_trials), int(n_workers),
                                      float(timeout or 0))
        if errors:
            raise errors[0]
        return summary

    def _first_trial(self, objective, catch):
        p = self._pending
        rec = _RecordingTrial(p["seed"])
        errors = []
        state, value, reason, _ = _outcome(objective, rec, catch, errors)
        if errors:  # nothing is created: the space is not known yet
            raise errors[0]
        if not rec.dists:
            raise ValueError("the objective suggested no parameter: a study needs at least one")
        made = Study._create(p["storage"], p["name"], rec.dists, p["direction"], p["seed"], p["sampler"])
        self._core, self._dists, self._pending = made._core, made._dists, None
        self._core.enqueue_finished(json.dumps(rec._stored), state, value, reason)

    @property
    def trials(self):
        """Every trial as a dict: number, state, value, params, reason, worker, started, finished, ..."""
        out = self._core.trials() if self._core is not None else []
        for t in out:
            t["params"] = _external(self._dists, t["params"])
        return out

    @property
    def best_trial(self):
        b = self._core.best() if self._core is not None else None
        if b is None:
            raise ValueError(f"study '{self.name}' has no complete trial yet")
        b["params"] = _external(self._dists, b["params"])
        return b

    @property
    def best_value(self):
        return self.best_trial["value"]

    @property
    def best_params(self):
        return self.best_trial["params"]

    def trials_dataframe(self):
        """Optuna's columns: number, value, datetime_start, datetime_complete, duration, params_<name>...,
        state; a pandas DataFrame when pandas is importable, else a list of dicts."""
        rows = []
        for t in self.trials:
            start = datetime.datetime.fromtimestamp(t["started"]) if t["started"] is not None else None
            end = datetime.datetime.fromtimestamp(t["finished"]) if t["finished"] is not None else None
            row = {"number": t["number"], "value": t["value"], "datetime_start": start,
                   "datetime_complete": end, "duration": (end - start) if start and end else None}
            for name in self._dists:
                row["params_" + name] = t["params"].get(name) if t["params"] else None
            row["state"] = t["state"]
            rows.append(row)
        try:
            import pandas
        except ImportError:
            return rows
        return pandas.DataFrame(rows, columns=["number", "value", "datetime_start", "datetime_complete",
                                               "duration"] + ["params_" + n for n in self._dists] + ["state"])

    def __repr__(self):
        return f"actlab.Study({self.name!r}, direction={self.direction!r}, sampler={self.sampler!r})"


def create_study(storage=None, sampler=None, direction="minimize", study_name=None, load_if_exists=False,
                 seed=0, space=None):
    """Optuna's optuna.create_study, over actlab's storage: storage is required (a URL, as Optuna's), sampler
    is "tpe" (default), "random" or "grid"; without space the study is define-by-run (above)."""
    if storage is None:
        raise ValueError("storage: actlab keeps every study in a database; give storage='sqlite:///path.db' "
                         "(or a postgresql:// URL)")
    name = study_name or f"no-name-{uuid.uuid4()}"
    if load_if_exists:
        try:
            return Study.load(storage, name)
        except ValueError:
            pass
    if sampler is not None and not isinstance(sampler, str):
        raise ValueError("sampler: give actlab's sampler by name: 'tpe', 'random' or 'grid'")
    return Study.create(storage, name, space=space, direction=direction, seed=seed, sampler=sampler or "tpe")


def load_study(study_name, storage):
    """Optuna's optuna.load_study."""
    return Study.load(storage, study_name)
