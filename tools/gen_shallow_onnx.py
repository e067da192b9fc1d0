#!/usr/bin/python3
"""Test ONNX graphs for src/shallow/onnx.cpp, written by torch.onnx.export (python3-torch; the `onnx` Python
package is not needed and not installed).

Usage:  /usr/bin/python3 tools/gen_shallow_onnx.py tests/golden/shallow

Writes, with torch.manual_seed(0):
  mlp_gemm.onnx     nn.Sequential(Flatten, Linear(2,8), ReLU, Linear(8,8), ReLU, Linear(8,1))  -> Gemm nodes
  mlp_matmul.onnx   x @ W1 + b1, relu, x @ W2 + b2 (two outputs)                               -> MatMul + Add
  mlp_tanh.onnx     Linear(2,4), Tanh, Linear(4,1)                                             -> unsupported op
  onnx_reference.json  inputs and PyTorch outputs of the first two graphs, and this command
"""
import json
import os
import sys

import torch
from torch import nn


class MatMulNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(3, 6))
        self.b1 = nn.Parameter(torch.randn(6) * 0.5)
        self.w2 = nn.Parameter(torch.randn(6, 2))
        self.b2 = nn.Parameter(torch.randn(2) * 0.5)

    def forward(self, x):
        return torch.relu(x @ self.w1 + self.b1) @ self.w2 + self.b2


def export(model, n, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, n), path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    gemm = nn.Sequential(nn.Flatten(), nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
    mm = MatMulNet()
    tanh = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    export(gemm, 2, os.path.join(out, "mlp_gemm.onnx"))
    export(mm, 3, os.path.join(out, "mlp_matmul.onnx"))
    export(tanh, 2, os.path.join(out, "mlp_tanh.onnx"))
    ref = {"command": "/usr/bin/python3 tools/gen_shallow_onnx.py " + out, "torch": torch.__version__, "cases": []}
    for name, model, n in (("mlp_gemm.onnx", gemm, 2), ("mlp_matmul.onnx", mm, 3)):
        x = torch.randn(5, n, dtype=torch.float64)
        with torch.no_grad():
            y = model.double()(x)
        ref["cases"].append({"file": name, "x": x.tolist(), "y": y.tolist()})
    with open(os.path.join(out, "onnx_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/golden/shallow")
