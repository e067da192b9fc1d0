// Root finding shared by the theory code: Brent's method.
//
//   double r = brent([](double x) { return x * x - 2; }, 1.0, 2.0, -1.0, 2.0, 1e-15);   // √2
//
// Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4 (the zeroin form): bisection
// safeguarded secant / inverse quadratic interpolation on [a, b] with f(a)·f(b) ≤ 0 (fa = f(a), fb = f(b)
// given, so a caller scanning a grid reuses its values). Returns the root estimate once the bracket is within
// 4ε|b| + xtol, or after 200 iterations.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace actlab::theory {

template <class F>
double brent(F&& f, double a, double b, double fa, double fb, double xtol) {
  if (fa == 0.0) return a;
  if (fb == 0.0) return b;
  double c = a, fc = fa, d = b - a, e = d;
  for (int it = 0; it < 200; ++it) {
    if ((fb > 0) == (fc > 0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::abs(fc) < std::abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 4.0 * std::numeric_limits<double>::epsilon() * std::abs(b) + 0.5 * xtol;
    const double m = 0.5 * (c - b);
    if (std::abs(m) <= tol || fb == 0.0) return b;
    if (std::abs(e) >= tol && std::abs(fa) > std::abs(fb)) {
      double p, q;
      const double s = fb / fa;
      if (a == c) {  // secant
        p = 2.0 * m * s;
        q = 1.0 - s;
      } else {  // inverse quadratic interpolation
        const double qq = fa / fc, r = fb / fc;
        p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
        q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
      }
      if (p > 0) q = -q;
      p = std::abs(p);
      if (2.0 * p < std::min(3.0 * m * q - std::abs(tol * q), std::abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += std::abs(d) > tol ? d : (m > 0 ? tol : -tol);
    fb = f(b);
  }
  return b;
}

}  // namespace actlab::theory
