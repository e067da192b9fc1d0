"""actlab.torch: actlab's activations and initialisation in PyTorch (imported only when torch is).

    import torch, actlab.torch
    act = actlab.torch.Activation("x*tanh(softplus(x))")      # mish, from the formula
    net = torch.nn.Sequential(torch.nn.Linear(8, 64), act, torch.nn.Linear(64, 1))
    actlab.torch.critical_init_(net)                          # sigma_w, sigma_b from actlab's theory

Activation rebuilds the formula's expression tree from torch operations, so autograd, every dtype and every
device torch offers work as for a hand-written module, and the formula's parameters can be learnable
nn.Parameters. backend="kernel" runs actlab's compiled f and exact symbolic f' instead (CPU; tensors on another
device are copied to the CPU and back).
"""
import functools
import json
import math
import os
import tempfile

import numpy as np
import torch

from . import theory as _theory
from ._activation import Activation as _Activation


class _Apply(torch.autograd.Function):

    @staticmethod
    def forward(ctx, x, act):
        ctx.save_for_backward(x)
        ctx.act = act
        return _call(act.f, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * _call(ctx.act.df, x), None


def _call(fn, x):
    xc = x.detach()
    dtype = xc.dtype if xc.dtype in (torch.float32, torch.float64) else torch.float32
    a = xc.to(device="cpu", dtype=dtype).contiguous().numpy()  # a view of a contiguous CPU tensor
    y = torch.from_numpy(np.asarray(fn(a)))
    return y.to(device=x.device, dtype=x.dtype)


def _cmp(fn):
    return lambda a, b: fn(a, b).to(a.dtype if torch.is_tensor(a) else b.dtype)


# The formula language's operations (actlab's Op names, python/src/activations.cpp's tree_of) as torch ones.
_OPS = {
    "neg": torch.neg, "abs": torch.abs, "sign": torch.sign, "exp": torch.exp, "expm1": torch.expm1,
    "log": torch.log, "log1p": torch.log1p, "log10": torch.log10, "sqrt": torch.sqrt, "sin": torch.sin,
    "cos": torch.cos, "tan": torch.tan, "asin": torch.asin, "acos": torch.acos, "atan": torch.atan,
    "sinh": torch.sinh, "cosh": torch.cosh, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus, "erf": torch.erf, "erfc": torch.erfc, "floor": torch.floor,
    "ceil": torch.ceil, "round": torch.round, "trunc": torch.trunc,
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
    "max": torch.maximum, "min": torch.minimum,
    "gt": _cmp(torch.gt), "ge": _cmp(torch.ge), "lt": _cmp(torch.lt), "le": _cmp(torch.le),
    "eq": _cmp(torch.eq), "ne": _cmp(torch.ne),
    "where": lambda c, a, b: torch.where(c != 0, a, b),
}


def _build(node, env, like):
    """The torch value of an expression tree (tree_of's tuples); leaves become tensors like `like`."""
    kind = node[0]
    if kind == "const":
        return torch.tensor(node[1], dtype=like.dtype, device=like.device)
    if kind == "var":
        v = env[node[1]]
        return v if torch.is_tensor(v) else torch.tensor(v, dtype=like.dtype, device=like.device)
    _, order, args = node
    vals = [_build(a, env, like) for a in args]
    if kind == "polygamma":
        return torch.polygamma(order, vals[0])
    fn = _OPS.get(kind)
    if fn is None:
        raise ValueError(f"actlab.torch: the formula's operation '{kind}' has no torch counterpart "
                         "(use backend='kernel')")
    if kind in ("max", "min", "pow", "where"):
        vals = [v.to(like.dtype) if v.dtype != like.dtype and v.is_floating_point() else v for v in vals]
    return fn(*vals)


def _learnable_names(act):
    for e in _catalog():
        if e["name"] == act.name:
            return [k for k in act.params if k in (e.get("learnable") or [])]
    return list(act.params)  # a formula: every free name is a parameter to learn


@functools.lru_cache(maxsize=1)
def _catalog():
    from ._activation import catalog
    return tuple(catalog())


class Activation(torch.nn.Module):
    """An nn.Module computing an actlab activation: a catalog name or a formula, keyword parameters bound by
    name. The formula's expression tree is rebuilt from torch operations (autograd, every dtype and device).

    learnable: the parameters that become nn.Parameters (initialised at their values): None means every free
    name of a formula (Activation("x*sigmoid(b*x)", b=1.0) trains b) and the catalog's learnable ones for a
    catalog entry (prelu's a); False or [] none; a list names them. backend="kernel" computes with actlab's
    compiled f and exact f' instead (CPU, no learnable parameters)."""

    def __init__(self, formula, learnable=None, backend="torch", **params):
        super().__init__()
        self.act = _Activation(formula, **params)
        if self.act.row_wise:
            raise ValueError(f"{self.act.name} is row-wise: actlab.torch.Activation takes element-wise ones")
        if backend not in ("torch", "kernel"):
            raise ValueError(f"backend: expected torch or kernel, got {backend!r}")
        self.backend = backend
        if backend == "kernel":
            if learnable:
                raise ValueError("learnable: the kernel backend has no learnable parameters")
            return
        self._tree = self.act._core.tree()
        if learnable is None:
            names = _learnable_names(self.act)
        elif learnable is False:
            names = []
        else:
            names = list(learnable)
        unknown = [n for n in names if n not in self.act.params]
        if unknown:
            raise ValueError(f"learnable: {unknown[0]!r} is not a parameter of {self.act.name}")
        self._fixed = {k: v for k, v in self.act.params.items() if k not in names}
        self.params = torch.nn.ParameterDict(
            {k: torch.nn.Parameter(torch.tensor(float(self.act.params[k]), dtype=torch.get_default_dtype()))
             for k in names})
        _build(self._tree, dict(self._fixed, x=torch.zeros(1), **dict(self.params)), torch.zeros(1))  # checks ops

    def forward(self, x):
        if self.backend == "kernel":
            return _Apply.apply(x, self.act)
        env = dict(self._fixed, x=x)
        env.update({k: p.to(x.dtype) for k, p in self.params.items()})
        return _build(self._tree, env, x)

    def _build_with(self, x, **values):
        """forward with parameter values given as tensors (torch.autograd.gradcheck over them)."""
        env = dict(self._fixed, x=x)
        env.update({k: p.to(x.dtype) for k, p in self.params.items()})
        env.update(values)
        return _build(self._tree, env, x)

    def current(self):
        """The actlab.Activation at the parameters' current values."""
        values = dict(self.act.params)
        if self.backend == "torch":
            values.update({k: float(p) for k, p in self.params.items()})
        return _Activation(self.act.spec, **values)

    def extra_repr(self):
        p = "".join(f", {k}={v!r}" for k, v in self.current().params.items())
        return f"{self.act.name!r}{p}"


# torch.nn modules → catalog names; their numeric attributes of the same name as a catalog parameter
# (negative_slope, alpha, beta, ...) become its parameters.
_TORCH_NAMES = {
    "ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "SiLU": "swish", "GELU": "gelu", "ELU": "elu",
    "SELU": "selu", "CELU": "celu", "LeakyReLU": "leaky_relu", "Softplus": "softplus", "Mish": "mish",
    "Hardtanh": "hardtanh", "ReLU6": "relu6", "Hardswish": "hardswish", "Hardsigmoid": "hardsigmoid",
    "Softsign": "softsign", "Tanhshrink": "tanhshrink", "LogSigmoid": "logsigmoid", "Identity": "identity",
}


def _actlab_of(module):
    """The actlab.Activation of a torch module, or None when it is not an activation."""
    if isinstance(module, Activation):
        return module.current()
    name = _TORCH_NAMES.get(type(module).__name__)
    if name is None:
        return None
    entry = _Activation(name)
    params = {}
    for p in entry.params:
        v = getattr(module, p, None)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            params[p] = float(v)
    return _Activation(name, **params)


def _spec(module):
    """The activation of a torch module as the text actlab's theory reads, or None."""
    a = _actlab_of(module)
    return None if a is None else a.theory_spec()


@functools.lru_cache(maxsize=256)
def _init_answer(spec, depth, input_var):
    # theory.init is deterministic: one answer per (activation, depth, input_var) serves every model.
    return _theory.init(spec, depth, input_var=input_var)


_LAYERS = (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)


def critical_init_(model, depth=None, input_var=1.0):
    """Initialises the Linear and Conv layers of a torch.nn.Sequential (or any module, in modules() order;
    a Conv layer's fan-in is in_channels/groups · kh · kw) with
    actlab's critical initialisation, as `actlab train --init critical` does: each layer takes (sigma_w,
    sigma_b) from the activation whose output it reads (the first layer from the activation after it), weights
    ~ N(0, sigma_w² / fan_in), biases ~ N(0, sigma_b²), and the first layer's weights are also multiplied by
    the recommendation's input_scale (inputs of mean square input_var). depth defaults to the number of Linear
    layers minus one. Returns the model; the answers used are in model.actlab_init."""
    mods = list(model) if isinstance(model, torch.nn.Sequential) else list(model.modules())
    linears = [i for i, m in enumerate(mods) if isinstance(m, _LAYERS)]
    if not linears:
        raise ValueError("critical_init_: the model has no torch.nn.Linear or Conv layer")
    specs = [_spec(m) for m in mods]
    if depth is None:
        depth = max(1, len(linears) - 1)
    answers, plan = {}, []
    for k, i in enumerate(linears):
        if k == 0:
            feeding = next((specs[j] for j in range(i + 1, len(mods)) if specs[j]), None)
        else:
            feeding = next((specs[j] for j in range(i - 1, linears[k - 1], -1) if specs[j]), None)
        if feeding is None:
            raise ValueError(f"critical_init_: no activation decides Linear layer {k} (module {i})")
        if feeding not in answers:
            answers[feeding] = _init_answer(feeding, depth, float(input_var))
        plan.append((mods[i], answers[feeding]))
    with torch.no_grad():
        for k, (m, r) in enumerate(plan):
            fan_in = m.weight[0].numel()
            scale = plan[0][1]["input_scale"] if k == 0 else 1.0
            torch.nn.init.normal_(m.weight, 0.0, r["sigma_w"] / math.sqrt(fan_in) * scale)
            if m.bias is not None:
                if r["sigma_b"] > 0:
                    torch.nn.init.normal_(m.bias, 0.0, r["sigma_b"])
                else:
                    torch.nn.init.zeros_(m.bias)
    model.actlab_init = [dict(r) for _, r in plan]
    return model


def to_actlab(model):
    """An actlab.Model from a torch.nn.Sequential of Linear layers, Flatten, Dropout and activations
    (torch's own or actlab.torch.Activation, at their current parameter values): the same network, for
    actlab's predict / evaluate / explain / shallow.convert and `actlab` model files (Model.save)."""
    from ._train import Model
    mods = list(model) if isinstance(model, torch.nn.Sequential) else [model]
    layers, width, first = [], None, None
    for i, m in enumerate(mods):
        if isinstance(m, torch.nn.Linear):
            w = m.weight.detach().to("cpu", torch.float64).numpy()
            b = (m.bias.detach().to("cpu", torch.float64).numpy() if m.bias is not None
                 else np.zeros(w.shape[0]))
            if width is not None and width != w.shape[1]:
                raise ValueError(f"to_actlab: module {i} (Linear) takes {w.shape[1]} inputs, gets {width}")
            first = w.shape[1] if first is None else first
            layers.append({"type": "dense", "in": int(w.shape[1]), "out": int(w.shape[0]), "weight": w.tolist(),
                           "bias": b.tolist()})
            width = w.shape[0]
        elif isinstance(m, (torch.nn.Flatten, torch.nn.Dropout)):
            continue  # rows are already flat; dropout is the identity at evaluation
        else:
            a = _actlab_of(m)
            if a is None:
                raise ValueError(f"to_actlab: module {i} ({type(m).__name__}) is not a Linear, Flatten, Dropout "
                                 "or activation layer")
            if first is None:
                raise ValueError("to_actlab: the first layer must be a Linear layer")
            layer = {"type": "activation", "name": a.spec if a.source == "formula" else a.name}
            if a.params:
                layer["params"] = dict(a.params)
            layers.append(layer)
    if first is None:
        raise ValueError("to_actlab: the model has no torch.nn.Linear layer")
    doc = {"format": "actlab-model", "version": 1, "input_shape": [int(first)], "layers": layers}
    fd, path = tempfile.mkstemp(suffix=".json")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f)
        m = Model.load(path)
    finally:
        os.unlink(path)
    m.path = None
    return m


def from_actlab(path):
    """A torch.nn.Sequential from an actlab model file of dense, flatten, dropout and activation layers (the
    activations as actlab.torch.Activation); the file's input standardisation, when it has one, is folded
    into the first Linear layer, so the module reads raw inputs as `actlab predict` does."""
    with open(path) as f:
        doc = json.load(f)
    mods = []
    for i, layer in enumerate(doc["layers"]):
        t = layer["type"]
        if t == "dense":
            lin = torch.nn.Linear(layer["in"], layer["out"])
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(layer["weight"], dtype=lin.weight.dtype).reshape(layer["out"], -1))
                lin.bias.copy_(torch.tensor(layer["bias"], dtype=lin.bias.dtype).reshape(-1))
            mods.append(lin)
        elif t == "activation":
            mods.append(Activation(layer["name"], learnable=False, **(layer.get("params") or {})))
        elif t == "dropout":
            mods.append(torch.nn.Dropout(layer.get("p", 0.5)))
        elif t == "flatten":
            mods.append(torch.nn.Flatten())
        else:
            raise ValueError(f"{path}: layers[{i}] ({t}) has no torch counterpart here")
    z = doc.get("standardize")
    if z is not None:
        first = next(m for m in mods if isinstance(m, torch.nn.Linear))
        mean = torch.tensor(z["mean"], dtype=first.weight.dtype)
        scale = torch.tensor(z["scale"], dtype=first.weight.dtype)
        with torch.no_grad():  # W((x - mean)/scale) + b = (W/scale) x + (b - W (mean/scale))
            first.bias.sub_(first.weight @ (mean / scale))
            first.weight.div_(scale)
    return torch.nn.Sequential(*mods)
