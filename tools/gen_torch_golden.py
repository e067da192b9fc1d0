#!/usr/bin/python3
"""Generate PyTorch golden values for actlab's activation functions.

Usage:
    /usr/bin/python3 tools/gen_torch_golden.py [OUTPUT.json]

Writes JSON to OUTPUT.json, or to stdout when no path is given.  Needs
PyTorch (Debian's python3-torch 1.13.1 under /usr/bin/python3 was used for
tests/golden/torch_activations.json).  The output is deterministic: the grid
is fixed, every computation runs on the CPU with one thread, and the only
random part (the Gumbel-softmax Monte Carlo) is seeded with
torch.manual_seed(0).

Contents (see also the "note" fields of the file itself):
  * "elementwise": for each function, the grid "x" (float64), and
      f64: f, df, d2f computed in float64 with autograd
           (df = grad(y.sum(), x, create_graph=True),
            d2f = grad(df.sum(), x, allow_unused=True); if PyTorch gives no
            second derivative, d2f is zeros and "d2f_note" says why);
      f32: f, df computed the same way in float32 (values are the exact
           float32 results, widened to double).
    "kinks": points where f or f' is not smooth (finite there);
    "singular": poles / domain edges where f or f' is infinite or NaN.
  * "rowwise": softmax, softmin, log_softmax (dim=1) on rows of a few lengths,
    with weights w and grad = d/dx sum(w * f(x)), all float64.
  * "gumbel_softmax": Monte Carlo mean/std of F.gumbel_softmax(row, tau=1,
    hard=False) over many draws.

Non-finite numbers are written as the strings "nan", "inf", "-inf".
"""

import json
import math
import subprocess
import sys

try:
    import torch
except ImportError:  # the first python3 on PATH may not see Debian's python3-torch
    sys.exit("gen_torch_golden.py: cannot import torch; run it with /usr/bin/python3 "
             "(Debian's python3-torch)")
import torch.nn as nn
import torch.nn.functional as F

COMMAND = "/usr/bin/python3 tools/gen_torch_golden.py tests/golden/torch_activations.json"

# --------------------------------------------------------------------------
# Grid
# --------------------------------------------------------------------------

EPS = 1e-3


def common_grid():
    pos = [
        EPS, 0.1, 0.3,
        0.5 - EPS, 0.5, 0.5 + EPS,          # hardshrink/softshrink kinks, round half
        0.7,
        1.0 - EPS, 1.0, 1.0 + EPS,          # hardtanh, acos/asin edge, digamma pole -1
        1.3, 1.5,
        2.0 - EPS, 2.0, 2.0 + EPS,          # digamma pole -2
        2.2, 2.5,
        3.0 - EPS, 3.0, 3.0 + EPS,          # hardswish / hard_sigmoid kinks
        4.1, 5.0,
        6.0 - EPS, 6.0, 6.0 + EPS,          # relu6 kink
        10.0, 20.0, 30.0, 50.0, 100.0,      # large |x|
    ]
    pts = set(pos) | {-p for p in pos} | {0.0}
    return sorted(pts)


GRID = common_grid()

# Extra per-function points (merged into that function's x, sorted).
EXTRA = {
    # Softplus switches to the identity for x > threshold=20.
    "softplus": [20.0 - EPS, 20.0 + EPS],
}

# --------------------------------------------------------------------------
# Element-wise functions
# --------------------------------------------------------------------------


def _mod(m):
    """Wrap a module (eval mode) so that it is cast to the input's dtype."""
    m = m.eval()

    def f(x):
        return m.to(x.dtype)(x)

    return f


def _integers_on(xs, include_zero=True):
    return [v for v in xs if v == math.floor(v) and (include_zero or v != 0.0)]


def _half_integers_on(xs):
    return [v for v in xs if v - math.floor(v) == 0.5]


def _tan_poles(lo, hi):
    k0 = math.ceil(lo / math.pi - 0.5)
    k1 = math.floor(hi / math.pi - 0.5)
    return [(k + 0.5) * math.pi for k in range(k0, k1 + 1)]


# name -> (torch expression as text, callable, kinks-fn, singular-fn, note)
# kinks-fn / singular-fn take the function's grid and return a list.
def _const(lst):
    return lambda xs: list(lst)


NONE = _const([])

ELEMENTWISE = [
    # ---- torch.nn modules of the menu
    ("elu", "torch.nn.ELU()", _mod(nn.ELU()), _const([0.0]), NONE, None),
    ("hardshrink", "torch.nn.Hardshrink()", _mod(nn.Hardshrink()), _const([-0.5, 0.5]), NONE, None),
    ("hardtanh", "torch.nn.Hardtanh()", _mod(nn.Hardtanh()), _const([-1.0, 1.0]), NONE, None),
    ("leaky_relu", "torch.nn.LeakyReLU()", _mod(nn.LeakyReLU()), _const([0.0]), NONE, None),
    ("logsigmoid", "torch.nn.LogSigmoid()", _mod(nn.LogSigmoid()), NONE, NONE, None),
    ("prelu", "torch.nn.PReLU()  # weight 0.25", _mod(nn.PReLU()), _const([0.0]), NONE,
     "single learnable slope a, initial value 0.25 (used here); gradient is w.r.t. x only"),
    ("relu", "torch.nn.ReLU()", _mod(nn.ReLU()), _const([0.0]), NONE, None),
    ("relu6", "torch.nn.ReLU6()", _mod(nn.ReLU6()), _const([0.0, 6.0]), NONE, None),
    ("rrelu", "torch.nn.functional.rrelu(x, training=False)",
     lambda x: F.rrelu(x, training=False), _const([0.0]), NONE,
     "eval mode: leaky ReLU with slope (1/8+1/3)/2 = 11/48"),
    ("selu", "torch.nn.SELU()", _mod(nn.SELU()), _const([0.0]), NONE, None),
    ("celu", "torch.nn.CELU()", _mod(nn.CELU()), _const([0.0]), NONE,
     "alpha=1: f is C1 at 0 but f'' jumps there"),
    ("gelu", "torch.nn.GELU()", _mod(nn.GELU()), NONE, NONE, "exact erf form x*Phi(x)"),
    ("sigmoid", "torch.nn.Sigmoid()", _mod(nn.Sigmoid()), NONE, NONE, None),
    ("softplus", "torch.nn.Softplus()", _mod(nn.Softplus()), _const([20.0]), NONE,
     "beta=1, threshold=20: PyTorch returns x itself for x > 20 (tiny jump of ~2e-9 at 20), "
     "so 20 is listed as a kink"),
    ("softshrink", "torch.nn.Softshrink()", _mod(nn.Softshrink()), _const([-0.5, 0.5]), NONE, None),
    ("softsign", "torch.nn.Softsign()", _mod(nn.Softsign()), _const([0.0]), NONE,
     "f'' jumps at 0"),
    ("tanh", "torch.nn.Tanh()", _mod(nn.Tanh()), NONE, NONE, None),
    ("tanhshrink", "torch.nn.Tanhshrink()", _mod(nn.Tanhshrink()), NONE, NONE, None),
    # ---- torch.* functions of the menu
    ("abs", "torch.abs", torch.abs, _const([0.0]), NONE, None),
    ("acos", "torch.acos", torch.acos, NONE, _const([-1.0, 1.0]),
     "NaN outside [-1,1]; derivative infinite at +-1"),
    ("angle", "torch.angle", torch.angle, _const([0.0]), NONE,
     "real input: 0 for x>=0, pi for x<0; jump at 0"),
    ("asin", "torch.asin", torch.asin, NONE, _const([-1.0, 1.0]),
     "NaN outside [-1,1]; derivative infinite at +-1"),
    ("atan", "torch.atan", torch.atan, NONE, NONE, None),
    ("ceil", "torch.ceil", torch.ceil, lambda xs: _integers_on(xs), NONE,
     "kinks: the integer jump points on the grid"),
    ("cos", "torch.cos", torch.cos, NONE, NONE, None),
    ("cosh", "torch.cosh", torch.cosh, NONE, NONE, None),
    ("digamma", "torch.digamma", torch.digamma, NONE,
     lambda xs: [v for v in _integers_on(xs) if v <= 0.0],
     "poles at non-positive integers; singular lists those on the grid"),
    ("erf", "torch.erf", torch.erf, NONE, NONE, None),
    ("erfc", "torch.erfc", torch.erfc, NONE, NONE, None),
    ("exp", "torch.exp", torch.exp, NONE, NONE, None),
    ("floor", "torch.floor", torch.floor, lambda xs: _integers_on(xs), NONE,
     "kinks: the integer jump points on the grid"),
    ("frac", "torch.frac", torch.frac, lambda xs: _integers_on(xs, include_zero=False), NONE,
     "x - trunc(x); kinks: the non-zero integer jump points on the grid (continuous at 0)"),
    ("log", "torch.log", torch.log, NONE, _const([0.0]), "NaN for x<0, -inf at 0"),
    ("log10", "torch.log10", torch.log10, NONE, _const([0.0]), "NaN for x<0, -inf at 0"),
    ("neg", "torch.neg", torch.neg, NONE, NONE, None),
    ("round", "torch.round", torch.round, lambda xs: _half_integers_on(xs), NONE,
     "round half to even; kinks: the half-integer jump points on the grid"),
    ("sin", "torch.sin", torch.sin, NONE, NONE, None),
    ("sinh", "torch.sinh", torch.sinh, NONE, NONE, None),
    ("tan", "torch.tan", torch.tan, NONE, lambda xs: _tan_poles(xs[0], xs[-1]),
     "singular: the poles (k+1/2)*pi inside the grid's range (none is a grid point)"),
    ("trunc", "torch.trunc", torch.trunc, lambda xs: _integers_on(xs, include_zero=False), NONE,
     "kinks: the non-zero integer jump points on the grid (continuous at 0)"),
    # ---- the four novel functions, exactly as the spec writes them
    ("generalized_swish", "x * torch.sigmoid(torch.exp(-x))",
     lambda x: x * torch.sigmoid(torch.exp(-x)), NONE, NONE, None),
    ("sigmoid_derivative", "torch.exp(-x) * torch.sigmoid(x) ** 2",
     lambda x: torch.exp(-x) * torch.sigmoid(x) ** 2, NONE, NONE,
     "literal formula; overflows exp(-x)*0 -> NaN for very negative x (see values)"),
    ("cloglogm", "1 - 2 * torch.exp(-0.7 * torch.exp(x))",
     lambda x: 1 - 2 * torch.exp(-0.7 * torch.exp(x)), NONE, NONE, None),
    ("mish", "torch.nn.Mish()", _mod(nn.Mish()), NONE, NONE, "x*tanh(softplus(x))"),
    # ---- non-menu functions PyTorch also defines
    ("swish", "torch.nn.SiLU()", _mod(nn.SiLU()), NONE, NONE, "x*sigmoid(x)"),
    ("hardswish", "torch.nn.Hardswish()", _mod(nn.Hardswish()), _const([-3.0, 3.0]), NONE,
     "x*relu6(x+3)/6"),
    ("hard_sigmoid", "torch.nn.Hardsigmoid()", _mod(nn.Hardsigmoid()), _const([-3.0, 3.0]), NONE,
     "relu6(x+3)/6"),
    ("gelu_tanh", "torch.nn.GELU(approximate='tanh')", _mod(nn.GELU(approximate="tanh")),
     NONE, NONE, "0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)))"),
]

# --------------------------------------------------------------------------
# Number encoding
# --------------------------------------------------------------------------


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc_list(t):
    if isinstance(t, torch.Tensor):
        t = t.detach().tolist()
    if isinstance(t, list):
        return [enc_list(v) for v in t]
    return enc(t)


# --------------------------------------------------------------------------
# Computations
# --------------------------------------------------------------------------


def eval_derivs(fn, xs, dtype, second):
    x = torch.tensor(xs, dtype=dtype, requires_grad=True)
    y = fn(x)
    (df,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    out = {"f": enc_list(y), "df": enc_list(df)}
    note = None
    if second:
        d2f = None
        if not df.requires_grad:
            note = ("df has no grad_fn (PyTorch's df is a constant or a zero-gradient op, "
                    "not a function of x in the graph); d2f set to zeros")
        else:
            try:
                (d2f,) = torch.autograd.grad(df.sum(), x, allow_unused=True)
            except RuntimeError as e:  # pragma: no cover - depends on torch version
                note = "torch.autograd.grad raised %r; d2f set to zeros" % (str(e).splitlines()[0],)
            else:
                if d2f is None:
                    note = "torch.autograd.grad returned None (df does not depend on x); d2f set to zeros"
                elif d2f._is_zerotensor():
                    # PyTorch's backward formula returned an efficient ZeroTensor
                    # (no storage); materialise it.
                    note = ("torch.autograd.grad returned a ZeroTensor (the backward formula "
                            "defines the derivative as identically zero); written as zeros")
                    d2f = torch.zeros_like(x)
        if d2f is None:
            d2f = torch.zeros_like(x)
        out["d2f"] = enc_list(d2f)
    return out, note


def elementwise_entries():
    entries = []
    for name, expr, fn, kinks_fn, sing_fn, note in ELEMENTWISE:
        xs = sorted(set(GRID) | set(EXTRA.get(name, [])))
        f64, d2note = eval_derivs(fn, xs, torch.float64, True)
        f32, _ = eval_derivs(fn, xs, torch.float32, False)
        e = {"name": name, "torch": expr, "kinks": [float(v) for v in kinks_fn(xs)]}
        sing = sing_fn(xs)
        if sing:
            e["singular"] = [float(v) for v in sing]
        if note:
            e["note"] = note
        if d2note:
            e["d2f_note"] = d2note
        e["x"] = enc_list(xs)
        e["f64"] = f64
        e["f32"] = f32
        entries.append(e)
    return entries


ROWS = [
    [0.3, -0.7, 1.3, -2.2, 4.1],
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    [100.0, -100.0, 0.0, 1.0, -1.0],
    [-100.0, -100.0, -99.0, -98.5, -100.0, -101.0, -120.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [1000.0, 999.0, 998.0, -1000.0, 0.5],
    [50.0, 50.0, -50.0, 20.0, -30.0, 0.0, 1e-3],
]
_W = [0.5, -1.0, 1.5, 0.25, -0.75, 2.0, -0.5]


def weights_for(i, n):
    return [_W[(i + j) % len(_W)] for j in range(n)]


ROWWISE = [
    ("softmax", "torch.nn.Softmax(dim=1)", nn.Softmax(dim=1)),
    ("softmin", "torch.nn.Softmin(dim=1)", nn.Softmin(dim=1)),
    ("log_softmax", "torch.nn.LogSoftmax(dim=1)", nn.LogSoftmax(dim=1)),
]


def rowwise_entries():
    entries = []
    weights = [weights_for(i, len(r)) for i, r in enumerate(ROWS)]
    for name, expr, mod in ROWWISE:
        fs, gs = [], []
        for r, w in zip(ROWS, weights):
            # Rows have different lengths, so each is its own (1, n) batch.
            x = torch.tensor([r], dtype=torch.float64, requires_grad=True)
            wt = torch.tensor([w], dtype=torch.float64)
            y = mod(x)
            (g,) = torch.autograd.grad((wt * y).sum(), x)
            fs.append(enc_list(y[0]))
            gs.append(enc_list(g[0]))
        entries.append({
            "name": name, "torch": expr,
            "note": "each row is evaluated as its own (1, n) float64 batch; "
                    "grad = d/dx sum(weights * f(x))",
            "rows": enc_list(ROWS), "weights": enc_list(weights),
            "f": fs, "grad": gs,
        })
    return entries


def gumbel_entry():
    row = [1.0, 0.0, -1.0, 2.0, 0.5]
    samples = 200000
    seed = 0
    torch.manual_seed(seed)
    logits = torch.tensor([row], dtype=torch.float64).expand(samples, len(row)).contiguous()
    y = F.gumbel_softmax(logits, tau=1.0, hard=False)
    mean = y.mean(dim=0)
    std = y.std(dim=0, unbiased=True)
    return {
        "torch": "torch.nn.functional.gumbel_softmax(logits, tau=1, hard=False)",
        "note": "logits = row repeated `samples` times as a float64 (samples, n) tensor, one call "
                "after torch.manual_seed(seed); mean and std (unbiased, n-1) over the samples "
                "for each column; mean_stderr = std/sqrt(samples)",
        "row": enc_list(row), "samples": samples, "seed": seed,
        "mean": enc_list(mean), "std": enc_list(std),
        "mean_stderr": enc_list(std / math.sqrt(samples)),
    }


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def dumps(obj, indent=0):
    """JSON with scalar lists kept on one line (compact but readable)."""
    pad = "  " * indent
    pad1 = "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [pad1 + json.dumps(k) + ": " + dumps(v, indent + 1) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return json.dumps(obj, allow_nan=False)
        items = [pad1 + dumps(v, indent + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


def torch_package():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return "python3-torch " + out.stdout.strip() + " (Debian)"
    except (OSError, subprocess.SubprocessError):
        pass
    return None


def main(argv):
    torch.set_num_threads(1)
    doc = {
        "generator": "tools/gen_torch_golden.py",
        "command": COMMAND,
        "torch_version": torch.__version__,
    }
    pkg = torch_package()
    if pkg:
        doc["torch_package"] = pkg
    doc["note"] = 'non-finite numbers are the strings "nan", "inf", "-inf"'
    doc["format"] = (
        "elementwise[i].x is float64; f64.{f,df,d2f} computed in float64 with autograd "
        "(df = grad(y.sum(), x, create_graph=True), d2f = grad(df.sum(), x, allow_unused=True)); "
        "f32.{f,df} computed in float32 on float32(x), written as the exact float32 values. "
        "kinks: points where f or f' is not smooth; singular: poles and domain edges. "
        "Modules use PyTorch default arguments, eval mode."
    )
    doc["elementwise"] = elementwise_entries()
    doc["rowwise"] = rowwise_entries()
    doc["gumbel_softmax"] = gumbel_entry()
    text = dumps(doc) + "\n"
    if len(argv) > 1:
        with open(argv[1], "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv)
