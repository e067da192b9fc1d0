#!/usr/bin/python3
"""PyTorch side of bench/compare/run_fashion_accuracy.sh: issue 4's Fashion-MNIST accuracy protocols, trained by
PyTorch 1.13 (Debian python3-torch) the way `actlab train` trains them, as a reference for actlab's numbers.

Usage: /usr/bin/python3 bench/compare/fashion_accuracy_torch.py mlp|cnn EPOCHS STANDARDIZE BATCH THREADS LR SCHEDULE
                                                               SEED [SEED ...]
  mlp          784-256-256-10 ReLU                                           (docs/training.md, "Results")
  cnn          the Lapid CNN: conv 32 (3x3) -> ReLU -> pool -> conv 64 -> ReLU -> pool -> dropout 0.5
               -> dense 1000 -> ReLU -> dense 10                             (specs/search-alacarte-evolution.md §2.7)
  STANDARDIZE  global (one mean and standard deviation over all training pixels; actlab's default for images)
               or pixel (each pixel's own mean and standard deviation over the training set, a constant pixel
               keeps scale 1: actlab's --standardize on, scikit-learn's StandardScaler)
Adam with learning rate LR, batches of BATCH rows, all 60 000 training images reshuffled every epoch, PyTorch's
default initialisation, THREADS intra-op threads; the test accuracy is on the 10 000 t10k images after the last
epoch. SCHEDULE: constant, or cosine (CosineAnnealingLR over all the run's steps, stepped after every batch:
actlab's --lr-schedule cosine).
Prints one JSON line per seed: {"model", "seed", "standardize", "epochs", "test_acc": [per epoch], "seconds"}.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from fashion_mnist import images


def load(how):
    (x, y), (xt, yt) = images("train"), images("t10k")
    if how == "global":
        mean, sd = x.mean(), x.std()
    else:
        mean, sd = x.mean(axis=0), x.std(axis=0)
        sd[sd <= 1e-12 * np.maximum(1.0, np.abs(mean))] = 1.0
    z = lambda a: torch.from_numpy(((a - mean) / sd).astype(np.float32))
    return z(x), torch.from_numpy(y), z(xt), torch.from_numpy(yt)


def model(kind):
    if kind == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5),
                         nn.Linear(1600, 1000), nn.ReLU(), nn.Linear(1000, 10))


def main():
    if len(sys.argv) < 9:
        sys.exit(__doc__)
    kind, epochs, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    batch, threads, lr, schedule = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
    seeds = [int(s) for s in sys.argv[8:]]
    if kind not in ("mlp", "cnn") or how not in ("global", "pixel") or schedule not in ("constant", "cosine"):
        sys.exit(__doc__)
    torch.set_num_threads(threads)
    x, y, xt, yt = load(how)
    for seed in seeds:
        torch.manual_seed(seed)
        net = model(kind)
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        steps = epochs * ((x.shape[0] + batch - 1) // batch)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps) if schedule == "cosine" else None
        crit = nn.CrossEntropyLoss()
        accs = []
        t0 = time.perf_counter()
        for _ in range(epochs):
            net.train()
            perm = torch.randperm(x.shape[0])
            for s in range(0, x.shape[0], batch):
                i = perm[s:s + batch]
                opt.zero_grad()
                crit(net(x[i]), y[i]).backward()
                opt.step()
                if sched:
                    sched.step()
            net.eval()
            with torch.no_grad():
                correct = sum(int((net(xt[s:s + 1000]).argmax(1) == yt[s:s + 1000]).sum())
                              for s in range(0, xt.shape[0], 1000))
            accs.append(correct / xt.shape[0])
        print(json.dumps({"model": kind, "seed": seed, "standardize": how, "batch": batch, "lr": lr,
                          "schedule": schedule, "epochs": epochs,
                          "test_acc": accs,
                          "seconds": time.perf_counter() - t0}), flush=True)


if __name__ == "__main__":
    main()
