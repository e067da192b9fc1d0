"""actlab: activation functions for deep networks, from Python (docs/python.md).

    >>> import actlab, numpy as np
    >>> a = actlab.Activation("swish")
    >>> a.f(np.array([-1.0, 0.0, 1.0]))
    array([-0.26894142,  0.        ,  0.73105858])
    >>> actlab.theory.init("tanh", depth=10)["sigma_w"]
    1.0

The values are the ones the `actlab` command prints: both call the same C++ library.
"""
from . import _actlab
from . import data, shallow, theory
from ._activation import Activation, catalog
from ._lab import lab
from ._train import Model, load_model, train
from .shallow import explain
from .study import (CategoricalDistribution, FloatDistribution, IntDistribution, Study, Trial, TrialPruned,
                    create_study, load_study)

__all__ = [
    "Activation", "catalog", "data", "theory", "lab", "train", "Model", "load_model", "explain", "shallow", "Study", "Trial", "TrialPruned", "FloatDistribution",
    "IntDistribution", "CategoricalDistribution", "create_study", "load_study"
]
__version__ = "0.1.0"
