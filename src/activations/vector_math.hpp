// Float array versions of the elementary and special functions that Eigen 3.4 evaluates one element at a time
// (no packet tan, atan, asin, acos, sinh, cosh, erfc or polygamma for float). Each is a few passes of plain
// loops that GCC vectorises at -O3 -march=native, plus Eigen's packet exp/log where one is needed;
// Kernel<float> calls them for the matching Op.
//
//   std::vector<float> x = {0.5f, -2.0f, 3.0f}, y(3);
//   array_tan(y.data(), x.data(), 3);             // y[i] = tan(x[i])
//   array_polygamma(1, y.data(), x.data(), 3);    // y[i] = ψ₁(x[i]) (trigamma)
//
// Contract (all functions): d[i] = f(a[i]) for 0 ≤ i < n; d may equal a (in place) but must not partly
// overlap it. Relative error against the double-precision function of the same float input, rounded to float,
// is below 1e-6 (measured maxima are in tests/activations/vector_math_test.cpp), and special values follow
// IEEE and torch: NaN → NaN, the limits at ±inf, and ±0 kept where f is odd.
#pragma once

#include <cstddef>

namespace actlab::activations {

// tan x: reduction by π/2 in double, sin/cos Taylor polynomials on |r| ≤ π/4.
void array_tan(float* d, const float* a, std::ptrdiff_t n);
// atan x: 1/x and (x−1)/(x+1) reductions to |t| ≤ tan(π/8), then the Taylor series, in double.
void array_atan(float* d, const float* a, std::ptrdiff_t n);
// asin x, acos x: Taylor series for |x| ≤ 1/2, half-angle identity beyond, in double. NaN for |x| > 1.
void array_asin(float* d, const float* a, std::ptrdiff_t n);
void array_acos(float* d, const float* a, std::ptrdiff_t n);
// sinh x, cosh x from h = e^{|x|/2} (Eigen's packet exp): q = h²/2, cosh = q + 1/(4q), sinh = ±(q − 1/(4q));
// sinh by its Taylor series for |x| < 1. Finite up to |x| ≈ 89.4, as in libm.
void array_sinh(float* d, const float* a, std::ptrdiff_t n);
void array_cosh(float* d, const float* a, std::ptrdiff_t n);
// erfc x = e^{−x²}·erfcx(x) for x ≥ 0 with a fitted polynomial for erfcx; 2 − erfc(−x) for x < 0.
void array_erfc(float* d, const float* a, std::ptrdiff_t n);
// ψ_order(x), order 0..kMaxPolygammaOrder, with the algorithm of polygamma() (special_functions.hpp) in
// double: recurrence to x ≥ 6, asymptotic series, reflection for x < 0. Same special values as polygamma().
void array_polygamma(int order, float* d, const float* a, std::ptrdiff_t n);

}  // namespace actlab::activations
