#!/usr/bin/python3
"""PyTorch side of bench/compare/run_train_speed.sh: the same three training workloads as actlab, timed.

Usage: /usr/bin/python3 bench/compare/train_speed_torch.py WORKLOAD THREADS
  alacarte   10 x Linear(64) ReLU net + softmax output, full-batch Adam 1e-3, 1000 rows x 16 features, 3 classes,
             300 epochs (specs/search-alacarte-evolution.md §1.2-1.3)
  mlp        784-256-256-10 ReLU, Adam 1e-3, batch 128, one Fashion-MNIST epoch (60000 rows)
  cnn        the Lapid CNN (conv32-pool-conv64-pool-dropout-1000-10, ReLU), Adam 1e-3, batch 128, one epoch
Prints one JSON line: {"workload", "seconds" (training loop only), "final_loss", "threads"}.
Before timing it checks that the loss went down (a broken run is not a timing).
"""
import json
import sys
import time

import torch
from torch import nn

from fashion_mnist import images


def fashion():
    x, y = images("train")
    return torch.from_numpy(x.astype("float32")), torch.from_numpy(y)


def run(workload):
    torch.manual_seed(1)
    if workload == "alacarte":
        g = torch.Generator().manual_seed(3)
        x = torch.randn(1000, 16, generator=g)
        y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
        layers = [nn.Linear(16, 64), nn.ReLU()]
        for _ in range(8):
            layers += [nn.Linear(64, 64), nn.ReLU()]
        layers += [nn.Linear(64, 3), nn.Softmax(dim=1)]
        net = nn.Sequential(*layers)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        crit = nn.CrossEntropyLoss()
        first = None
        t0 = time.perf_counter()
        for _ in range(300):
            opt.zero_grad()
            loss = crit(net(x), y)
            loss.backward()
            opt.step()
            first = first if first is not None else float(loss)
        return time.perf_counter() - t0, first, float(loss)
    x, y = fashion()
    if workload == "mlp":
        net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
        x = x.reshape(-1, 784)
    else:
        net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                            nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 1000), nn.ReLU(),
                            nn.Linear(1000, 10))
        x = x.reshape(-1, 1, 28, 28)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    perm = torch.randperm(x.shape[0])
    first = None
    t0 = time.perf_counter()
    for s in range(0, x.shape[0], 128):
        i = perm[s:s + 128]
        opt.zero_grad()
        loss = crit(net(x[i]), y[i])
        loss.backward()
        opt.step()
        first = first if first is not None else float(loss)
    return time.perf_counter() - t0, first, float(loss)


def main():
    workload, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    seconds, first, last = run(workload)
    if not (last < first):
        sys.exit(f"{workload}: loss did not go down ({first} -> {last}); not a valid timing")
    print(json.dumps({"workload": workload, "seconds": seconds, "final_loss": last, "threads": threads}))


if __name__ == "__main__":
    main()
