#!/usr/bin/python3
"""Golden training runs from PyTorch, for tests/nn/torch_training_test.cpp.

Usage: /usr/bin/python3 tools/gen_torch_train_golden.py tests/golden/torch_training.json

Each case: a small nn.Sequential with torch's default initialisation (fixed manual_seed), exported with
tools/export_torch_model.py, fixed float32 data, and a few full-batch steps of an optimiser. Recorded: the
initial model file, the data, the loss before every step (what actlab's trainer reports as train_loss for
a full-batch epoch) and the final weights of the first layer.
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torch_model import export  # noqa: E402

STEPS = 6


def case(name, seq, input_shape, x, target, loss, opt_name, opt_kwargs, schedule=None):
    """schedule: (actlab spec, function opt -> torch scheduler), stepped after every (full-batch) step."""
    doc_model = export(seq, input_shape)
    opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop}[opt_name](seq.parameters(), **opt_kwargs)
    sched = schedule[1](opt) if schedule else None
    crit = nn.CrossEntropyLoss() if loss == "cross_entropy" else nn.MSELoss()
    seq.train()
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        out = seq(x.reshape([x.shape[0]] + list(input_shape)))
        l_ = crit(out, target)
        losses.append(float(l_))
        l_.backward()
        opt.step()
        if sched:
            sched.step()
    first = next(m for m in seq if hasattr(m, "weight"))
    o = dict(opt_kwargs)
    if "betas" in o:
        o["beta1"], o["beta2"] = o.pop("betas")
    extra = {"schedule": schedule[0]} if schedule else {}
    return {**extra, "name": name, "model": doc_model, "x": x.double().tolist(),
            "target": target.tolist() if loss == "cross_entropy" else target.double().tolist(),
            "loss": loss, "optimizer": opt_name, "options": o, "losses": losses,
            "first_weight_after": first.weight.detach().double().reshape(first.weight.shape[0], -1).tolist()}


def main():
    torch.manual_seed(20261122)
    cases = []
    x = torch.randn(16, 4)
    y = torch.randint(0, 3, (16,))
    mlp = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))
    cases.append(case("mlp_adam", mlp, [4], x, y, "cross_entropy", "adam", {"lr": 0.01}))
    mlp = nn.Sequential(nn.Linear(4, 8), nn.ELU(), nn.Linear(8, 3))
    cases.append(case("mlp_sgd_nesterov", mlp, [4], x, y, "cross_entropy", "sgd",
                      {"lr": 0.1, "momentum": 0.9, "nesterov": True}))
    # The à-la-carte shape: an output softmax under CrossEntropyLoss, and a learnable PReLU.
    mlp = nn.Sequential(nn.Linear(4, 6), nn.PReLU(), nn.Linear(6, 3), nn.Softmax(dim=1))
    cases.append(case("alacarte_softmax_prelu", mlp, [4], x, y, "cross_entropy", "adam", {"lr": 0.05}))
    reg_x = torch.randn(12, 3)
    reg_y = torch.randn(12, 2)
    mlp = nn.Sequential(nn.Linear(3, 5), nn.SiLU(), nn.Linear(5, 2))
    cases.append(case("regression_rmsprop", mlp, [3], reg_x, reg_y, "mse", "rmsprop", {"lr": 0.01}))
    img = torch.randn(10, 1 * 8 * 8)
    img_y = torch.randint(0, 3, (10,))
    cnn = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 4, 2, padding=1), nn.Tanh(),
                        nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
    cases.append(case("cnn_adamw", cnn, [1, 8, 8], img, img_y, "cross_entropy", "adamw",
                      {"lr": 0.01, "weight_decay": 0.01}))
    # Learning-rate schedules (one full-batch step per epoch, so per-step and per-epoch stepping agree).
    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    cases.append(case("schedule_cosine_adam", mlp, [4], x, y, "cross_entropy", "adam", {"lr": 0.05},
                      ("cosine:min=0.005",
                       lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=STEPS, eta_min=0.005))))
    mlp = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    cases.append(case("schedule_step_sgd", mlp, [4], x, y, "cross_entropy", "sgd", {"lr": 0.5, "momentum": 0.9},
                      ("step:every=2,gamma=0.5",
                       lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5))))
    mlp = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    cases.append(case("schedule_exp_rmsprop", mlp, [3], reg_x, reg_y, "mse", "rmsprop", {"lr": 0.02},
                      ("exp:gamma=0.7", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.7))))
    doc = {"generator": "tools/gen_torch_train_golden.py", "torch": torch.__version__, "steps": STEPS,
           "cases": cases}
    with open(sys.argv[1], "w") as f:
        json.dump(doc, f)
        f.write("\n")


if __name__ == "__main__":
    main()
