#!/usr/bin/python3
"""Export a PyTorch nn.Sequential to actlab's model file (docs/training.md, "The model file").

Usage as a script:  /usr/bin/python3 tools/export_torch_model.py model.pt INPUT_SHAPE out.json
    model.pt holds a whole nn.Sequential saved with torch.save(model, "model.pt"); INPUT_SHAPE is e.g. 784 or
    1,28,28.
Usage as a module:  from export_torch_model import export;  doc = export(seq, [784])

Supported layers: Linear, Conv2d (square kernel, int stride/padding, no dilation/groups), MaxPool2d(k),
Dropout, Flatten, and activations: every torch.nn activation module whose name matches an actlab catalog entry
(ReLU, Tanh, Sigmoid, PReLU (one parameter), ELU, SELU, CELU, GELU, SiLU, Mish, Softplus, LeakyReLU, Hardtanh,
ReLU6, Hardsigmoid, Hardswish, LogSigmoid, Softsign, Tanhshrink, Softshrink, Hardshrink, RReLU,
Softmax, Softmin, LogSoftmax) with their constructor arguments as parameters.
"""
import json
import sys

import torch
from torch import nn


def _activation(m):
    t = type(m).__name__
    simple = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "SELU": "selu", "SiLU": "silu", "Mish": "mish",
              "LogSigmoid": "logsigmoid", "Softsign": "softsign", "Tanhshrink": "tanhshrink", "ReLU6": "relu6",
              "Hardsigmoid": "hardsigmoid", "Hardswish": "hardswish", "Softmax": "softmax", "Softmin": "softmin",
              "LogSoftmax": "log_softmax"}
    if t in simple:
        return {"type": "activation", "name": simple[t]}
    if t == "GELU":
        return {"type": "activation", "name": "gelu" if m.approximate == "none" else "gelu_tanh"}
    params = {
        "PReLU": lambda: {"a": float(m.weight.detach().reshape(-1)[0])},
        "ELU": lambda: {"alpha": m.alpha},
        "CELU": lambda: {"alpha": m.alpha},
        "Softplus": lambda: {"beta": m.beta},  # torch switches to x above threshold·β: same to float eps
        "LeakyReLU": lambda: {"negative_slope": m.negative_slope},
        "Hardtanh": lambda: {"min_val": m.min_val, "max_val": m.max_val},
        "Softshrink": lambda: {"lambd": m.lambd},
        "Hardshrink": lambda: {"lambd": m.lambd},
        "RReLU": lambda: {"lower": m.lower, "upper": m.upper},
    }
    if t not in params:
        raise ValueError(f"no actlab counterpart for {t}")
    if t == "PReLU" and m.weight.numel() != 1:
        raise ValueError("PReLU with one parameter per channel is not supported (actlab uses one per layer)")
    return {"type": "activation", "name": t.lower() if t != "LeakyReLU" else "leaky_relu", "params": params[t]()}


def export(seq, input_shape):
    layers = []
    for m in seq:
        if isinstance(m, nn.Linear):
            layers.append({"type": "dense", "in": m.in_features, "out": m.out_features,
                           "weight": m.weight.detach().double().tolist(),
                           "bias": m.bias.detach().double().tolist()})
        elif isinstance(m, nn.Conv2d):
            k, s, p = m.kernel_size, m.stride, m.padding
            if k[0] != k[1] or s[0] != s[1] or p[0] != p[1] or m.groups != 1 or m.dilation != (1, 1):
                raise ValueError("only square kernels, equal strides/padding, no groups or dilation")
            layers.append({"type": "conv2d", "in_channels": m.in_channels, "out_channels": m.out_channels,
                           "kernel": k[0], "stride": s[0], "padding": p[0],
                           "weight": m.weight.detach().double().tolist(),
                           "bias": m.bias.detach().double().tolist()})
        elif isinstance(m, nn.MaxPool2d):
            layers.append({"type": "maxpool2d", "size": m.kernel_size})
        elif isinstance(m, nn.Dropout):
            layers.append({"type": "dropout", "p": m.p})
        elif isinstance(m, nn.Flatten):
            layers.append({"type": "flatten"})
        else:
            layers.append(_activation(m))
    return {"format": "actlab-model", "version": 1, "input_shape": list(input_shape), "layers": layers}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    seq = torch.load(sys.argv[1])
    shape = [int(v) for v in sys.argv[2].split(",")]
    with open(sys.argv[3], "w") as f:
        json.dump(export(seq, shape), f)
        f.write("\n")


if __name__ == "__main__":
    main()
