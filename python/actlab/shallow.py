"""actlab.explain and actlab.shallow.convert: exact SHAP values and the exact shallow network of a
piecewise-linear network (docs/shallow.md), for an actlab Model, a model file (.json or .onnx) or a
torch.nn.Sequential of Linear layers and piecewise-linear activations (ReLU, LeakyReLU, Hardtanh, ReLU6, ...).
"""
import os

import numpy as np

from . import _actlab
from ._train import Model


def _model_arg(model):
    """A Model's core, or a file path, for the binding; a torch module goes through actlab.torch.to_actlab."""
    if isinstance(model, Model):
        return model._core
    if isinstance(model, (str, os.PathLike)):
        return os.fspath(model)
    if type(model).__module__.startswith("torch"):
        from . import torch as _torch  # imported only when a torch module is given
        return _torch.to_actlab(model)._core
    raise TypeError("model: expected an actlab.Model, a model file (.json or .onnx) or a torch.nn.Sequential")


def explain(model, x, background, output=0, method="exact", samples=200, seed=0):
    """Interventional SHAP values of one input x against the rows of `background`, exact for a
    piecewise-linear network (Lundberg & Lee 2017; docs/shallow.md), as `actlab explain --json`:
    {"phi": array, "base_value", "fx", "efficiency_error", "method", "background_rows", "box_shortcuts",
    "evaluations"}; sum(phi) = fx - base_value, base_value the mean output over the background.
    method="sampling" gives the permutation estimate (samples permutations, seed) for any network."""
    return _actlab.explain(_model_arg(model), np.asarray(x, dtype=np.float64).ravel(),
                           np.atleast_2d(np.asarray(background, dtype=np.float64)), int(output), method,
                           int(samples), int(seed))


class ShallowNet:
    """The exact 3-hidden-layer network of a deep piecewise-linear one (Villani & Schoots, arXiv:2306.11827):
    evaluate(x) → {"output": array, "open_gates", "nan"} as `actlab shallow eval --json`; save(path) writes
    the file `actlab shallow convert --out` writes; summary: arch, hidden_neurons, regions, rows, lps, ..."""

    def __init__(self, core):
        self._core = core
        self.summary = core.summary_json

    def evaluate(self, x):
        return self._core.evaluate(np.asarray(x, dtype=np.float64).ravel())

    def __call__(self, x):
        return self.evaluate(x)["output"]

    def save(self, path):
        self._core.save(os.fspath(path))

    def to_json(self):
        return self._core.to_json()

    def __repr__(self):
        s = self.summary
        return f"<actlab.shallow.ShallowNet of {s['arch']}: {s['regions']} regions, {s['rows']} rows>"


def convert(model, threads=None, max_regions=1_000_000, box=None):
    """The exact shallow network of `model` (its activation regions enumerated, as `actlab shallow
    convert`); box=(lo, hi) restricts it to [lo, hi]^n (exact inside only)."""
    return ShallowNet(_actlab.convert(_model_arg(model), threads, int(max_regions),
                                      None if box is None else (float(box[0]), float(box[1]))))
