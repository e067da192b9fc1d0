#!/usr/bin/python3
"""Reference values of polygamma ψ_n(x), n = 0..4, from scipy.special.polygamma.

Prints C++ table rows `{x, {ψ0, ψ1, ψ2, ψ3, ψ4}},` for tests/activations/special_functions_test.cpp.
With a path argument, replaces the lines between the markers `// BEGIN GENERATED` and
`// END GENERATED` in that file instead:

    /usr/bin/python3 tools/gen_polygamma_reference.py tests/activations/special_functions_test.cpp

Run with Debian's /usr/bin/python3 (scipy comes with python3-scipy / python3-sklearn).
"""
import sys

import numpy as np
import scipy
import scipy.special


def grid():
    """x in [-7.5, 50]: a regular grid plus irregular points; no poles (0, negative integers)."""
    neg = [x for x in np.arange(-7.5, 0.0, 0.25) if x != round(x)]
    neg += [-6.9, -5.1, -3.3, -2.01, -1.9, -0.999, -0.01, -1e-3]
    pos = [1e-3, 0.01, 0.05, 0.3, 0.7]
    pos += list(np.arange(0.125, 3.0001, 0.125))
    pos += list(np.arange(3.25, 10.0, 0.25))
    pos += list(np.arange(10.0, 50.0001, 1.0))
    pos += [1.4, 1.4616321449683622, 1.5, np.e, np.pi, 9.99, 10.01, 12.345, 33.3, 49.9]
    return sorted({float(x) for x in neg + pos})


def rows():
    out = []
    for x in grid():
        vals = [float(scipy.special.polygamma(n, x)) for n in range(5)]
        out.append("    {%r, {%s}}," % (x, ", ".join(repr(v) for v in vals)))
    return out


def main():
    body = rows()
    header = "    // scipy %s, numpy %s" % (scipy.__version__, np.__version__)
    if len(sys.argv) < 2:
        print(header)
        print("\n".join(body))
        return
    path = sys.argv[1]
    with open(path) as f:
        lines = f.read().split("\n")
    begin = next(i for i, l in enumerate(lines) if l.strip() == "// BEGIN GENERATED")
    end = next(i for i, l in enumerate(lines) if l.strip() == "// END GENERATED")
    lines[begin + 1:end] = [header] + body
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
