#!/usr/bin/python3
"""Fits the erfcx polynomial of src/activations/vector_math.cpp (kErfcxQ).

erfcx(x) = exp(x^2) erfc(x) ~= t * Q(t), t = 1/(1 + x/2), x in [0, 10.1] (erfc underflows float beyond),
Q of degree 10, by least squares in relative error on Chebyshev nodes in t, reweighted towards minimax
(Lawson's iteration). Prints the coefficients as hex floats and the largest relative error of t*Q(t) with the
coefficients and Horner's rule in float32.

  /usr/bin/python3 tools/gen_erfcx_fit.py
"""
import numpy as np
from scipy.special import erfcx

A, DEG, XMAX, NODES = 0.5, 10, 10.1, 4000

tmin = 1 / (1 + A * XMAX)
k = np.arange(NODES)
t = (1 + tmin) / 2 + (1 - tmin) / 2 * np.cos(np.pi * (k + 0.5) / NODES)
y = erfcx((1 / t - 1) / A) / t
V = np.vander(t, DEG + 1, increasing=True)
w = np.ones_like(t)
for _ in range(80):
    s = np.sqrt(w) / y
    c, *_ = np.linalg.lstsq(V * s[:, None], y * s, rcond=None)
    e = np.abs(V @ c / y - 1)
    w = w * e
    w /= w.sum()
print("coefficients:", ", ".join(float(v).hex() + "f" for v in c))

xs = np.linspace(0, XMAX, 200001).astype(np.float32)
ts = np.float32(1) / (np.float32(1) + np.float32(A) * xs)
q = np.float32(0)
for ci in c.astype(np.float32)[::-1]:
    q = (q * ts + ci).astype(np.float32)
rel = np.abs((ts * q).astype(np.float64) / erfcx(xs.astype(np.float64)) - 1)
print(f"max relative error, exact: {np.max(np.abs(V @ c / y - 1)):.2e}; float32 Horner: {rel.max():.2e}")
