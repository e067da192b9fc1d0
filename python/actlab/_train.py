"""actlab.train and actlab.Model: `actlab train` from Python (docs/training.md), on a data set name or numpy
arrays; model files (actlab .json, or ONNX) for predict / evaluate / explain."""
import os

from . import _actlab
from ._activation import Activation


def _act_text(act):
    if isinstance(act, Activation):
        return act.theory_spec()
    if isinstance(act, (list, tuple)):
        return ",".join(_act_text(a) for a in act)
    return str(act)


def train(data, y=None, *, model="mlp:64x10", act="relu", init="he", epochs=10, lr=1e-3, opt="adam",
          batch="full", val=0.0, test=0.3, seed=0, threads=1, loss=None, lr_schedule="constant",
          momentum=0.0, nesterov=False, weight_decay=0.0, clip=0.0, early_stop="none", patience=10,
          standardize="auto", input_scale=None, target="", rows=0, data_seed=-1, classes=None, name="arrays",
          on_epoch=None):
    """Trains a network as `actlab train` does and returns the trained Model (its run summary in
    model.summary, the value `actlab train --json` prints).

    data: a data set `actlab train --data` takes (a built-in name such as "iris", a generator spec, a CSV
    path), or a numpy array x (rows x features) with y: integer labels 0..k-1 (classification; `classes`
    names them) or float targets (regression, one column per output). The keywords are `actlab train`'s flags
    with _ for - and the same defaults (model="mlp:64x10", act="relu", init="he", opt="adam", lr=1e-3,
    epochs=10, batch="full", test=0.3, seed=0, threads=1, ...); `act` may also be an actlab.Activation or a
    list, one per hidden layer. on_epoch(epoch, train_loss, val_loss) is called after every epoch; returning
    False stops training.

    The same plan and seed give the same numbers as the CLI: numpy arrays train exactly as a CSV file of
    the same values would.
    """
    opts = dict(data="" if y is not None or not isinstance(data, (str, os.PathLike)) else os.fspath(data),
                target=target, rows=int(rows), data_seed=int(data_seed), seed=int(seed), val=float(val),
                test=float(test), standardize=standardize, input_scale=input_scale, model=str(model),
                act=_act_text(act), init=str(init), epochs=int(epochs), batch=batch, loss=loss, opt=opt,
                lr=float(lr), momentum=float(momentum), nesterov=bool(nesterov),
                weight_decay=float(weight_decay), lr_schedule=lr_schedule, clip=float(clip),
                threads=int(threads), early_stop=early_stop, patience=int(patience))
    if opts["data"]:
        core = _actlab.train(None, None, opts, on_epoch=_epoch_callback(on_epoch))
    else:
        if y is None:
            raise ValueError("y: required with an array x (labels or targets)")
        opts["data"] = name
        core = _actlab.train(data, y, opts, name=name, classes=list(classes or []),
                             on_epoch=_epoch_callback(on_epoch))
    return Model(core)


def _epoch_callback(on_epoch):
    if on_epoch is None:
        return None
    return lambda e, train_loss, val_loss: on_epoch(e, train_loss, val_loss) is not False


class Model:
    """A trained network, or a model file: Model.load("m.json") / Model.load("mlp.onnx").

    predict(x) gives the outputs (float32, rows x outputs) on raw inputs (the model's input standardisation is
    applied, as `actlab predict` does); evaluate(x, y) or evaluate("iris") gives {"data", "rows", "loss",
    "accuracy"} as `actlab eval --json`; save(path) writes the model file `actlab train --out` writes."""

    def __init__(self, core, path=None):
        self._core = core
        self.path = path

    @staticmethod
    def load(path):
        """An actlab model file (.json) or an ONNX file of an MLP (.onnx: affine layers with ReLU)."""
        return Model(_actlab.load_model(os.fspath(path)), os.fspath(path))

    def predict(self, x):
        return self._core.predict(x)

    __call__ = predict

    def evaluate(self, x, y=None, classes=None):
        return self._core.evaluate(x, y, list(classes or []))

    def save(self, path):
        self._core.save(os.fspath(path))
        self.path = os.fspath(path)

    summary = property(lambda self: self._core.summary,
                       doc="the run summary (`actlab train --json`), None for a loaded file")
    input_shape = property(lambda self: self._core.input_shape)
    output_shape = property(lambda self: self._core.output_shape)
    parameters = property(lambda self: self._core.parameters, doc="number of parameters")

    def to_json(self):
        """The model file's content, as a dict."""
        return self._core.file_json()

    def __repr__(self):
        where = f" from {self.path!r}" if self.path else ""
        return f"<actlab.Model {self.input_shape} -> {self.output_shape}, {self.parameters} parameters{where}>"


def load_model(path):
    """Model.load(path)."""
    return Model.load(path)
