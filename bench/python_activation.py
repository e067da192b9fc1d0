# actlab.Activation.f on 10^7 float32 values, allocating and with out= (docs/python.md, "Speed"):
#   PYTHONPATH=build/python /usr/bin/python3 bench/python_activation.py
import time, numpy as np, actlab
x = np.random.default_rng(0).standard_normal(10_000_000).astype(np.float32)
y = np.empty_like(x)
for spec in ("swish", "tanh", "gelu"):
    a = actlab.Activation(spec)
    t1 = min((lambda t0: (a.f(x), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(5))
    t2 = min((lambda t0: (a.f(x, out=y), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(5))
    print(f"{spec:6s} actlab.Activation.f(x): {t1*1e3:6.1f} ms   f(x, out=y): {t2*1e3:6.1f} ms")
