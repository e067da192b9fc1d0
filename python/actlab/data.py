"""actlab.data: the data sets actlab knows (docs/data.md) as numpy arrays."""
from collections import namedtuple

from . import _actlab


class Dataset(namedtuple("Dataset", ["x", "y", "names"])):
    """(x, y, names): x float32 (rows × features), y int32 class labels or float32 (rows × outputs) regression
    targets, names the feature names. Also .classes, .task, .name, .source, .input_shape, .test_start."""

    def __new__(cls, d):
        self = super().__new__(cls, d["x"], d["y"], d["names"])
        self._meta = d
        return self

    def __getattr__(self, key):
        meta = self.__dict__.get("_meta", {})
        if key in meta:
            return meta[key]
        raise AttributeError(key)


def load(name, rows=0, seed=0, target=""):
    """A data set by name as `actlab data show` knows it: a built-in ("iris", "wine", "fashion-mnist", ...), a
    generator spec ("spirals:turns=2", with rows and seed), or a CSV/IDX/R file (target: the CSV's target
    column). The arrays share memory with the loaded data (no copy)."""
    return Dataset(_actlab.load_data(str(name), int(rows), int(seed), str(target)))
