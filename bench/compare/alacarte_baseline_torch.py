#!/usr/bin/python3
"""PyTorch side of bench/compare/alacarte_baseline.sh: the à-la-carte standard network (10 x Linear(64), ReLU,
softmax output, CrossEntropyLoss on the softmax, full-batch Adam 1e-3, 300 epochs, torch default init,
StandardScaler fitted on the training part) on a random 70/30 split, for seeds 1..R; prints the test accuracies.

Usage: /usr/bin/python3 bench/compare/alacarte_baseline_torch.py iris|breast-cancer|wine|digits R
"""
import json
import sys

import numpy as np
import torch
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn


def main():
    name, reps = sys.argv[1], int(sys.argv[2])
    loader = {"iris": load_iris, "breast-cancer": load_breast_cancer, "wine": load_wine, "digits": load_digits}[name]
    torch.set_num_threads(1)
    accs = []
    for seed in range(1, reps + 1):
        x, y = loader(return_X_y=True)
        xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, random_state=seed, stratify=y)
        sc = StandardScaler().fit(xtr)
        xtr = torch.tensor(sc.transform(xtr), dtype=torch.float32)
        xte = torch.tensor(sc.transform(xte), dtype=torch.float32)
        ytr, yte = torch.tensor(ytr), torch.tensor(yte)
        torch.manual_seed(seed)
        layers = [nn.Linear(x.shape[1], 64), nn.ReLU()]
        for _ in range(8):
            layers += [nn.Linear(64, 64), nn.ReLU()]
        layers += [nn.Linear(64, int(y.max()) + 1), nn.Softmax(dim=1)]
        net = nn.Sequential(*layers)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        crit = nn.CrossEntropyLoss()
        for _ in range(300):
            opt.zero_grad()
            crit(net(xtr), ytr).backward()
            opt.step()
        with torch.no_grad():
            accs.append(float((net(xte).argmax(1) == yte).float().mean()))
    print(json.dumps({"data": name, "test_acc": accs, "median": float(np.median(accs))}))


if __name__ == "__main__":
    main()
