"""actlab.torch: actlab's activations and initialisation in PyTorch (imported only when torch is).

    import torch, actlab.torch
    act = actlab.torch.Activation("x*tanh(softplus(x))")      # mish, from the formula
    net = torch.nn.Sequential(torch.nn.Linear(8, 64), act, torch.nn.Linear(64, 1))
    actlab.torch.critical_init_(net)                          # sigma_w, sigma_b from actlab's theory

Activation runs actlab's compiled f in the forward pass and its exact symbolic f' in the backward pass
(torch.autograd.Function), on CPU: tensors on another device are copied to the CPU and back.
"""
import functools
import math

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


class Activation(torch.nn.Module):
    """An nn.Module computing an actlab activation (catalog name or formula; keyword parameters bind by name)
    with actlab's exact f and f'."""

    def __init__(self, formula, **params):
        super().__init__()
        self.act = _Activation(formula, **params)
        if self.act.row_wise:
            raise ValueError(f"{self.act.name} is row-wise: actlab.torch.Activation takes element-wise ones")

    def forward(self, x):
        return _Apply.apply(x, self.act)

    def extra_repr(self):
        p = "".join(f", {k}={v!r}" for k, v in self.act.params.items())
        return f"{self.act.name!r}{p}"


# torch.nn modules → catalog names; their numeric attributes of the same name as a catalog parameter
# (negative_slope, alpha, beta, ...) become its parameters.
_TORCH_NAMES = {
    "ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "SiLU": "swish", "GELU": "gelu", "ELU": "elu",
    "SELU": "selu", "CELU": "celu", "LeakyReLU": "leaky_relu", "Softplus": "softplus", "Mish": "mish",
    "Hardtanh": "hardtanh", "ReLU6": "relu6", "Hardswish": "hardswish", "Hardsigmoid": "hardsigmoid",
    "Softsign": "softsign", "Tanhshrink": "tanhshrink", "LogSigmoid": "logsigmoid", "Identity": "identity",
}


def _spec(module):
    """The actlab activation of a torch module, or None when it is not an activation."""
    if isinstance(module, Activation):
        return module.act.theory_spec()
    name = _TORCH_NAMES.get(type(module).__name__)
    if name is None:
        return None
    entry = _Activation(name)
    params = {}
    for p in entry.params:
        v = getattr(module, p, None)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            params[p] = float(v)
    return _Activation(name, **params).theory_spec()


@functools.lru_cache(maxsize=256)
def _init_answer(spec, depth, input_var):
    # theory.init is deterministic: one answer per (activation, depth, input_var) serves every model.
    return _theory.init(spec, depth, input_var=input_var)


def critical_init_(model, depth=None, input_var=1.0):
    """Initialises the Linear layers of a torch.nn.Sequential (or any module, in modules() order) with
    actlab's critical initialisation, as `actlab train --init critical` does: each layer takes (sigma_w,
    sigma_b) from the activation whose output it reads (the first layer from the activation after it), weights
    ~ N(0, sigma_w² / fan_in), biases ~ N(0, sigma_b²), and the first layer's weights are also multiplied by
    the recommendation's input_scale (inputs of mean square input_var). depth defaults to the number of Linear
    layers minus one. Returns the model; the answers used are in model.actlab_init."""
    mods = list(model) if isinstance(model, torch.nn.Sequential) else list(model.modules())
    linears = [i for i, m in enumerate(mods) if isinstance(m, torch.nn.Linear)]
    if not linears:
        raise ValueError("critical_init_: the model has no torch.nn.Linear layer")
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
