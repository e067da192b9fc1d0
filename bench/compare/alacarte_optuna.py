#!/usr/bin/python3
"""Sipper's original a-la-carte objective with Optuna 3.1 + PyTorch 1.13: the counterpart of
`actlab study optimize --space alacarte` in bench/compare/run_search_compare.sh (docs/benchmarks.md, "Search").

Follows moshesipper/A-La-Carte-Activation-Functions@75de021 alacarte.py (spec §1.2-1.4): the 48-entry
ALAYERS menu, Linear(n_features, 64) -> act0, (L-2) x [Linear(64, 64) -> act_i], Linear(64, classes) -> act_{L-1},
CrossEntropyLoss on the last activation's output, full-batch Adam lr 1e-3, at most 300 epochs, stop after 10
epochs whose training-accuracy gain is < 0.001; the trial value is the final training accuracy (as in the
original), with TPESampler defaults. Data: scikit-learn's set, train_test_split(test_size=0.3), StandardScaler
fitted on the training part.
Check before timing: the standard network (ReLU x (L-1) + Softmax) learns: training accuracy above 1.5 / classes
(the early stop often ends it early, so it need not be high).
Prints one JSON line: trials, wall and CPU seconds of study.optimize, best value.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/compare/alacarte_optuna.py --data iris --layers 5 --trials 200
    (--sampler random: Optuna's RandomSampler, the like-for-like partner of actlab's random sampler)
"""
import argparse
import json
import time

import optuna
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def fn(f):
    class M(nn.Module):
        def forward(self, x):
            return f(x)
    M.__name__ = f.__name__ if hasattr(f, "__name__") else "Fn"
    return M


ALAYERS = [
    nn.ELU, nn.Hardshrink, nn.Hardtanh, nn.LeakyReLU, nn.LogSigmoid, nn.PReLU, nn.ReLU, nn.ReLU6, nn.RReLU,
    nn.SELU, nn.CELU, nn.GELU, nn.Sigmoid, nn.Softplus, nn.Softshrink, nn.Softsign, nn.Tanh, nn.Tanhshrink,
    lambda: nn.Softmin(dim=1), lambda: nn.Softmax(dim=1), lambda: nn.LogSoftmax(dim=1),
    fn(torch.abs), fn(torch.acos), fn(torch.angle), fn(torch.asin), fn(torch.atan), fn(torch.ceil), fn(torch.cos),
    fn(torch.cosh), fn(torch.digamma), fn(torch.erf), fn(torch.erfc), fn(torch.exp), fn(torch.floor),
    fn(torch.frac), fn(torch.log), fn(torch.log10), fn(torch.neg), fn(torch.round), fn(torch.sin), fn(torch.sinh),
    fn(torch.tan), fn(torch.trunc), fn(lambda x: F.gumbel_softmax(x)),
    fn(lambda x: x * torch.sigmoid(torch.exp(-x))),            # GeneralizedSwish
    fn(lambda x: torch.exp(-x) * torch.sigmoid(x) ** 2),       # SigmoidDerivative
    fn(lambda x: 1 - 2 * torch.exp(-0.7 * torch.exp(x))),      # CLogLogM
    fn(lambda x: x * torch.tanh(F.softplus(x))),               # Mish
]
assert len(ALAYERS) == 48
NAMES = [str(i) for i in range(48)]
STANDARD_RELU, STANDARD_SOFTMAX = 6, 19


class Model(nn.Module):
    def __init__(self, n_features, n_classes, acts):
        super().__init__()
        layers = [nn.Linear(n_features, 64), ALAYERS[acts[0]]()]
        for a in acts[1:-1]:
            layers += [nn.Linear(64, 64), ALAYERS[a]()]
        layers += [nn.Linear(64, n_classes), ALAYERS[acts[-1]]()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def network_train(model, X, y, epochs=300, stop=10):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    prev, count, acc = 0.0, 0, 0.0
    for _ in range(epochs):
        model.train()
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(X).argmax(dim=1) == y).float().mean().item()
        count = count + 1 if acc - prev < 0.001 else 0
        prev = acc
        if count == stop:
            break
    return acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="iris")
    ap.add_argument("--layers", type=int, default=5)
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sampler", choices=("tpe", "random"), default="tpe")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    load = {"iris": datasets.load_iris, "wine": datasets.load_wine, "breast-cancer": datasets.load_breast_cancer,
            "digits": datasets.load_digits}[a.data]
    X, y = load(return_X_y=True)
    Xtr, _, ytr, _ = train_test_split(X, y, test_size=0.3, random_state=a.seed)
    Xtr = torch.tensor(StandardScaler().fit_transform(Xtr), dtype=torch.float32)
    ytr = torch.tensor(ytr, dtype=torch.long)
    nf, nc = Xtr.shape[1], int(ytr.max()) + 1

    std = network_train(Model(nf, nc, [STANDARD_RELU] * (a.layers - 1) + [STANDARD_SOFTMAX]), Xtr, ytr)
    if std <= 1.5 / nc:
        raise SystemExit(f"check failed: the standard network reaches only {std} training accuracy")

    def objective(trial):
        acts = [int(trial.suggest_categorical(f"activation{i}", NAMES)) for i in range(a.layers)]
        return network_train(Model(nf, nc, acts), Xtr, ytr)

    sampler = (optuna.samplers.TPESampler if a.sampler == "tpe" else optuna.samplers.RandomSampler)(seed=a.seed)
    study = optuna.create_study(sampler=sampler, direction="maximize")
    t0, c0 = time.perf_counter(), time.process_time()
    study.optimize(objective, n_trials=a.trials, catch=(Exception,))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    states = [t.state.name for t in study.trials]
    print(json.dumps({"data": a.data, "layers": a.layers, "sampler": a.sampler, "trials": len(study.trials), "seconds": wall, "cpu_seconds": cpu,
                      "ms_per_trial": 1e3 * wall / len(study.trials), "best": study.best_value,
                      "standard_train_acc": std, "complete": states.count("COMPLETE"),
                      "fail": states.count("FAIL"), "torch": torch.__version__, "optuna": optuna.__version__}))


if __name__ == "__main__":
    main()
