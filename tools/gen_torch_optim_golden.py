#!/usr/bin/python3
"""Golden trajectories of torch.optim on a fixed quadratic, for tests/optim/*_test.cpp.

Usage: /usr/bin/python3 tools/gen_torch_optim_golden.py tests/golden/torch_optim.json

Each case runs 12 steps on w (6 float32 values) with the gradient g = a*w + b (elementwise, fixed a and b),
recording w after every step. The C++ tests rebuild the same gradients and compare trajectories.
"""
import json
import sys

import torch

W0 = [0.5, -1.25, 2.0, 0.0, -0.3, 3.5]
A = [1.0, 0.5, 2.0, 0.1, 4.0, 0.25]
B = [0.3, -0.2, 0.0, 1.0, -2.0, 0.05]
STEPS = 12

CASES = [
    ("sgd", dict(lr=0.1)),
    ("sgd", dict(lr=0.05, momentum=0.9)),
    ("sgd", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("sgd", dict(lr=0.05, momentum=0.8, nesterov=True)),
    ("adam", dict(lr=0.01)),
    ("adam", dict(lr=0.1, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)),
    ("adam", dict(lr=0.05, amsgrad=True)),
    ("adamw", dict(lr=0.05, weight_decay=0.1)),
    ("rmsprop", dict(lr=0.01)),
    ("rmsprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.05)),
]


def run(kind, opts):
    w = torch.tensor(W0, dtype=torch.float32, requires_grad=True)
    a = torch.tensor(A, dtype=torch.float32)
    b = torch.tensor(B, dtype=torch.float32)
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop}[kind]
    opt = cls([w], **opts)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        w.grad = (a * w + b).detach()
        opt.step()
        out.append([float(v) for v in w.detach()])
    return out


def main():
    cases = []
    for kind, opts in CASES:
        o = dict(opts)
        if "betas" in o:
            o["beta1"], o["beta2"] = o.pop("betas")
        cases.append({"optimizer": kind, "options": o, "trajectory": run(kind, opts)})
    doc = {"generator": "tools/gen_torch_optim_golden.py", "torch": torch.__version__, "w0": W0, "a": A, "b": B,
           "cases": cases}
    with open(sys.argv[1], "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
