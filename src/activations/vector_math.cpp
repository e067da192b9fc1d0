// Float array special functions (formulas and contract in vector_math.hpp). Every loop below is branch-free
// (selects, not ifs) and calls nothing but sqrt/fma/fabs/copysign, so GCC vectorises it; exp and log go
// through Eigen's packet functions on chunks of kChunk elements kept on the stack.
#include "activations/vector_math.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include "activations/special_functions.hpp"

namespace actlab::activations {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr std::ptrdiff_t kChunk = 256;
using ArrF = Eigen::Array<float, Eigen::Dynamic, 1>;
using ArrD = Eigen::Array<double, Eigen::Dynamic, 1>;

// Horner: c[0] + c[1]·z + ... + c[K−1]·z^{K−1}, unrolled at compile time (a loop left in place would stop the
// enclosing loop from vectorising).
template <std::size_t J, class T, std::size_t K>
inline T horner_from(const std::array<T, K>& c, T z) {
  if constexpr (J + 1 == K) {
    return c[J];
  } else {
    return horner_from<J + 1>(c, z) * z + c[J];
  }
}
template <class T, std::size_t K>
inline T horner(const std::array<T, K>& c, T z) {
  return horner_from<0>(c, z);
}

// Taylor coefficients in z = r²: sin r = r·Σ (−1)^k z^k/(2k+1)!, cos r = Σ (−1)^k z^k/(2k)!.
template <std::size_t K>
constexpr std::array<double, K> sin_taylor() {
  std::array<double, K> c{};
  double f = 1.0;  // (2k+1)!
  for (std::size_t k = 0; k < K; ++k) {
    if (k > 0) f *= static_cast<double>((2 * k) * (2 * k + 1));
    c[k] = (k % 2 ? -1.0 : 1.0) / f;
  }
  return c;
}
template <std::size_t K>
constexpr std::array<double, K> cos_taylor() {
  std::array<double, K> c{};
  double f = 1.0;  // (2k)!
  for (std::size_t k = 0; k < K; ++k) {
    if (k > 0) f *= static_cast<double>((2 * k - 1) * (2 * k));
    c[k] = (k % 2 ? -1.0 : 1.0) / f;
  }
  return c;
}

// ---- tan ----
// k = nearest integer to x·2/π, r = x − k·π/2 by two fused multiply-adds with π/2 = kPio2Hi + kPio2Lo (each
// step rounds once relative to r, so r keeps full double accuracy even next to a pole, Cody & Waite style).
// tan x = s/c for even k and −c/s for odd k, with s = sin r and c = cos r by Taylor series: on |r| ≤ π/4 the
// first omitted terms are r^13/13! and r^14/14! (< 1e-11 relative). Valid for |x| ≤ kTanMaxVector; larger
// finite |x| go through std::tan in double.
constexpr double kTwoOverPi = 2.0 / kPi;
constexpr double kPio2Hi = kPi / 2;
constexpr double kPio2Lo = 6.123233995736766036e-17;  // π/2 − kPio2Hi (mpmath)
constexpr double kRoundShift = 0x1.8p52;  // (y + shift) − shift rounds y to an integer, |y| < 2^51
constexpr float kTanMaxVector = 1 << 20;
constexpr auto kSin6 = sin_taylor<6>();
constexpr auto kCos7 = cos_taylor<7>();

}  // namespace

void array_tan(float* d, const float* a, std::ptrdiff_t n) {
  float x0[kChunk];  // the chunk's inputs: d may be a, and the fix-up pass below needs them
  for (std::ptrdiff_t start = 0; start < n; start += kChunk) {
    const std::ptrdiff_t len = std::min(kChunk, n - start);
    std::copy_n(a + start, len, x0);
    float* y = d + start;
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      const double x = x0[i];
      const double shifted = x * kTwoOverPi + kRoundShift;
      const bool odd = std::bit_cast<std::int64_t>(shifted) & 1;
      const double k = shifted - kRoundShift;
      double r = std::fma(-k, kPio2Hi, x);
      r = std::fma(-k, kPio2Lo, r);
      const double z = r * r;
      const double s = r * horner(kSin6, z), c = horner(kCos7, z);
      // k = 0 keeps r = x, so tan(±0) = ±0.
      y[i] = static_cast<float>(odd ? -c / s : s / c);
    }
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      if (std::fabs(x0[i]) > kTanMaxVector && std::isfinite(x0[i])) {
        y[i] = static_cast<float>(std::tan(static_cast<double>(x0[i])));
      }
    }
  }
}

namespace {

// ---- atan ----
// |x| > 1: atan|x| = π/2 − atan(1/|x|); then y > tan(π/8): atan y = π/4 + atan((y−1)/(y+1)) (Cephes-style
// reduction), leaving |t| ≤ tan(π/8) = 0.4142 for atan t = t·Σ (−1)^k t^{2k}/(2k+1): 13 terms, first omitted
// term < 3e-11 relative.
constexpr double kTanPi8 = 0.41421356237309504880;  // √2 − 1
constexpr std::array<double, 13> atan_taylor() {
  std::array<double, 13> c{};
  for (std::size_t k = 0; k < c.size(); ++k) c[k] = (k % 2 ? -1.0 : 1.0) / static_cast<double>(2 * k + 1);
  return c;
}
constexpr auto kAtan13 = atan_taylor();

// ---- asin, acos ----
// asin z = z·Σ c_k z^{2k}, c_k = (2k)!/(4^k (k!)² (2k+1)) (A&S 4.4.40), used for |z| ≤ 1/2: 15 terms, first
// omitted term < 2e-11 relative. Beyond, the half-angle identity asin x = π/2 − 2 asin √((1−x)/2) (A&S 4.4.16
// with 4.4.5) maps x ∈ (1/2, 1] onto √((1−x)/2) ∈ [0, 1/2); 1 − x is exact there (Sterbenz).
constexpr std::array<double, 15> asin_taylor() {
  std::array<double, 15> c{};
  c[0] = 1.0;
  double ratio = 1.0;  // (2k)!/(4^k (k!)²)
  for (std::size_t k = 1; k < c.size(); ++k) {
    ratio *= static_cast<double>(2 * k - 1) / static_cast<double>(2 * k);
    c[k] = ratio / static_cast<double>(2 * k + 1);
  }
  return c;
}
constexpr auto kAsin15 = asin_taylor();

inline double asin_small(double z) { return z * horner(kAsin15, z * z); }

}  // namespace

void array_atan(float* d, const float* a, std::ptrdiff_t n) {
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const double x = a[i];
    const double ax = std::fabs(x);
    const bool big = ax > 1.0;
    const double y = big ? 1.0 / ax : ax;
    const bool mid = y > kTanPi8;
    const double t = mid ? (y - 1.0) / (y + 1.0) : y;
    double r = t * horner(kAtan13, t * t) + (mid ? kPi / 4 : 0.0);
    r = big ? kPi / 2 - r : r;
    d[i] = static_cast<float>(std::copysign(r, x));
  }
}

void array_asin(float* d, const float* a, std::ptrdiff_t n) {
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const double x = a[i];
    const double ax = std::fabs(x);
    const bool big = ax > 0.5;
    const double p = asin_small(big ? std::sqrt((1.0 - ax) * 0.5) : ax);  // NaN for |x| > 1
    d[i] = static_cast<float>(std::copysign(big ? kPi / 2 - 2.0 * p : p, x));
  }
}

// acos x = π/2 − asin x on |x| ≤ 1/2; 2 asin √((1−x)/2) for x > 1/2; π − 2 asin √((1+x)/2) for x < −1/2.
void array_acos(float* d, const float* a, std::ptrdiff_t n) {
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const double x = a[i];
    const bool hi = x > 0.5, lo = x < -0.5;
    const double z = hi ? std::sqrt((1.0 - x) * 0.5) : lo ? std::sqrt((1.0 + x) * 0.5) : x;
    const double p = asin_small(z);
    d[i] = static_cast<float>(hi ? 2.0 * p : lo ? kPi - 2.0 * p : kPi / 2 - p);
  }
}

namespace {

// ---- sinh, cosh ----
// sinh x = x·Σ x^{2k}/(2k+1)! for |x| < 1 (6 terms: first omitted x^13/13! < 2e-10 relative), so small
// arguments keep full relative accuracy and sign (±0).
constexpr std::array<float, 6> sinh_taylor() {
  std::array<float, 6> c{};
  double f = 1.0;
  for (std::size_t k = 0; k < c.size(); ++k) {
    if (k > 0) f *= static_cast<double>((2 * k) * (2 * k + 1));
    c[k] = static_cast<float>(1.0 / f);
  }
  return c;
}
constexpr auto kSinh6 = sinh_taylor();

// h[i] = e^{|a[i]|/2} for one chunk. Halving is exact, and q = (h/2)·h = e^{|x|}/2 stays finite up to
// |x| = 89.4, where e^{|x|} itself would already overflow at 88.7.
inline void half_exp(float* h, const float* a, std::ptrdiff_t len) {
  Eigen::Map<ArrF>(h, len) = (Eigen::Map<const ArrF>(a, len).abs() * 0.5f).exp();
}

}  // namespace

void array_sinh(float* d, const float* a, std::ptrdiff_t n) {
  float h[kChunk];
  for (std::ptrdiff_t start = 0; start < n; start += kChunk) {
    const std::ptrdiff_t len = std::min(kChunk, n - start);
    const float* x = a + start;
    float* y = d + start;
    half_exp(h, x, len);
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      const float q = (0.5f * h[i]) * h[i];
      const float large = std::copysign(q - 0.25f / q, x[i]);
      const float small = x[i] * horner(kSinh6, x[i] * x[i]);
      y[i] = std::fabs(x[i]) < 1.0f ? small : large;
    }
  }
}

void array_cosh(float* d, const float* a, std::ptrdiff_t n) {
  float h[kChunk];
  for (std::ptrdiff_t start = 0; start < n; start += kChunk) {
    const std::ptrdiff_t len = std::min(kChunk, n - start);
    half_exp(h, a + start, len);
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      const float q = (0.5f * h[i]) * h[i];
      d[start + i] = q + 0.25f / q;
    }
  }
}

namespace {

// ---- erfc ----
// erfcx(x) = e^{x²} erfc(x) ≈ t·Q(t), t = 1/(1 + x/2), Q of degree 10: a weighted least-squares fit in
// relative error on x ∈ [0, 10.1] (tools/gen_erfcx_fit.py; max relative error 3e-9 in exact arithmetic, 3e-7
// with float coefficients and float Horner). The form t·Q(t) follows Numerical Recipes §6.2 (erfcc), where it
// is the exponent that is fitted.
constexpr std::array<float, 11> kErfcxQ = {
    0x1.20dbbfe294668p-2f, 0x1.210840b15bde8p-2f,  0x1.f602e1b6f8c95p-3f,  0x1.7cc147aae6202p-3f,
    0x1.b82bacfb2accep-5f, 0x1.38318fe29fd7bp-5f,  -0x1.adcbf469c1400p-6f, -0x1.23f4fc0c5c9f8p-2f,
    0x1.83840e8c3fdcap-2f, -0x1.84e3213a6fff8p-3f, 0x1.236c05f4313cdp-5f};
// erfc(x) < 1e-45 (0 in float) beyond this; clamping keeps x² finite, so erfc(inf) = 0 and erfc(−inf) = 2.
constexpr float kErfcMax = 11.0f;

}  // namespace

// e^{−x²} with x² = p + e split exactly by an fma (p = fl(x²)), e^{−x²} = e^{−p}·(1 − e) to 1e-11: rounding
// x² alone would cost up to 5e-6 relative at x = 9. e^{−p} is applied as two factors e^{−p/2} (p/2 is exact),
// the second one last: the result is subnormal for x > 9.2, where e^{−p} itself would lose bits (Eigen's exp
// is inaccurate for subnormal results) and then be rounded again.
void array_erfc(float* d, const float* a, std::ptrdiff_t n) {
  float ax[kChunk], p[kChunk], ep[kChunk];
  for (std::ptrdiff_t start = 0; start < n; start += kChunk) {
    const std::ptrdiff_t len = std::min(kChunk, n - start);
    const float* x = a + start;
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      const float v = std::fabs(x[i]);
      ax[i] = v > kErfcMax ? kErfcMax : v;  // NaN stays NaN
      p[i] = ax[i] * ax[i];
    }
    Eigen::Map<ArrF>(ep, len) = (Eigen::Map<const ArrF>(p, len) * -0.5f).exp();
    for (std::ptrdiff_t i = 0; i < len; ++i) {
      const float e = std::fma(ax[i], ax[i], -p[i]);
      const float t = 1.0f / (1.0f + 0.5f * ax[i]);
      const float r = ((ep[i] * (1.0f - e)) * (t * horner(kErfcxQ, t))) * ep[i];
      d[start + i] = x[i] < 0.0f ? 2.0f - r : r;
    }
  }
}

namespace {

// ---- polygamma ----
// Positive x: ψ_n(x) = ψ_n(x+m) + (−1)ⁿ⁺¹ n! Σ_{j<m} 1/(x+j)ⁿ⁺¹ with x+m ≥ kShiftTo, then the asymptotic
// series (DLMF 5.11.2, 5.15.8; see special_functions.hpp) with kSeriesTerms Bernoulli terms: at x ≥ 6 the
// first omitted term is below 3e-15 relative for ψ and 3e-10 for ψ₄. The shift sum is carried as one fraction
// N/D (N ← N·w + D, D ← D·w with w = (x+j)ⁿ⁺¹) so it costs one division; all its terms are positive, so it is
// accurate to a few ulp, and D stays within double range for float x (D ≥ x⁵ > 1e-225).
// In double, the cancellation ψ(x+m) − Σ 1/(x+j) near the root x₀ = 1.4616 of ψ costs ~1e-15 absolute, which
// is below 1e-7 relative for every float x (the float nearest x₀ has |ψ| > 1e-9).
constexpr double kShiftTo = 6.0;
constexpr int kShiftSteps = 6;  // x > 0 reaches kShiftTo in at most 6 steps
constexpr int kSeriesTerms = 10;
// B_{2k}, k = 1..10 (DLMF Table 24.2.1).
constexpr double kBernoulli[kSeriesTerms] = {
    1.0 / 6.0,       -1.0 / 30.0, 1.0 / 42.0,      -1.0 / 30.0,     5.0 / 66.0,
    -691.0 / 2730.0, 7.0 / 6.0,   -3617.0 / 510.0, 43867.0 / 798.0, -174611.0 / 330.0,
};

constexpr double factorial(int n) {
  double f = 1.0;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

// Series coefficients in s = 1/x²: B_{2k}/(2k) for n = 0; B_{2k}·(2k+n−1)!/(2k)! for n ≥ 1.
template <int N>
constexpr std::array<double, kSeriesTerms> series_coefficients() {
  std::array<double, kSeriesTerms> c{};
  for (int k = 1; k <= kSeriesTerms; ++k) {
    c[k - 1] = N == 0 ? kBernoulli[k - 1] / (2.0 * k)
                      : kBernoulli[k - 1] * factorial(2 * k + N - 1) / factorial(2 * k);
  }
  return c;
}

constexpr double sign_pow(int k) { return k % 2 == 0 ? 1.0 : -1.0; }

constexpr double pow_int(double t, int k) {
  double p = 1.0;
  for (int i = 0; i < k; ++i) p *= t;
  return p;
}

// sin(πa) and cos(πa) on [0, 1/4] by Taylor series in πa ≤ π/4 (8 and 9 terms: < 1e-16 relative).
constexpr auto kSin8 = sin_taylor<8>();
constexpr auto kCos9 = cos_taylor<9>();

// cot(πx) for non-integer x: r = x − round(x) exactly; |r| ≤ 1/4: cos/sin; else tan(π(1/2 − |r|)) = sin/cos
// at 1/2 − |r| (exact), which keeps relative accuracy next to the zero at |r| = 1/2.
inline double cot_pi(double x) {
  const double r = x - ((x + kRoundShift) - kRoundShift);
  const double ar = std::fabs(r);
  const bool near = ar <= 0.25;
  const double u = kPi * (near ? ar : 0.5 - ar);
  const double z = u * u;
  const double s = u * horner(kSin8, z), c = horner(kCos9, z);
  const double cot = c / s, tan = s / c;  // both computed: a division under a condition stops vectorisation
  return std::copysign(near ? cot : tan, r);
}

// P_n(c) with dⁿ/dxⁿ cot(πx) = πⁿ P_n(cot πx), as products (no cancellation); see special_functions.cpp.
template <int N>
inline double cot_derivative_poly(double c) {
  const double c2 = c * c;
  if constexpr (N == 0) return c;
  if constexpr (N == 1) return -(1.0 + c2);
  if constexpr (N == 2) return 2.0 * c * (1.0 + c2);
  if constexpr (N == 3) return -2.0 * (1.0 + c2) * (1.0 + 3.0 * c2);
  if constexpr (N == 4) return 8.0 * c * (1.0 + c2) * (2.0 + 3.0 * c2);
  return 0.0;
}

template <int N>
void polygamma_chunk(float* d, const float* a, std::ptrdiff_t len) {
  constexpr auto kSeries = series_coefficients<N>();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kPiPow = pow_int(kPi, N + 1);
  constexpr double kFactN = factorial(N), kFactN1 = factorial(N > 0 ? N - 1 : 0);
  double y[kChunk], acc[kChunk], lg[kChunk];
  // Reflection ψ_n(x) = (−1)ⁿ ψ_n(1−x) − πⁿ⁺¹ P_n(cot πx) for x < 0: evaluate the positive part at 1 − x
  // (1 − x is rounded as in polygamma()); then shift every y to ≥ kShiftTo.
  for (std::ptrdiff_t i = 0; i < len; ++i) {
    const double x = a[i];
    double v = x < 0.0 ? 1.0 - x : x;
    double num = 0.0, den = 1.0;
    for (int j = 0; j < kShiftSteps; ++j) {
      const bool m = v < kShiftTo;
      const double w = pow_int(v, N + 1);
      num = m ? num * w + den : num;
      den = m ? den * w : den;
      v = m ? v + 1.0 : v;
    }
    y[i] = v;
    acc[i] = num / den;
  }
  if constexpr (N == 0) Eigen::Map<ArrD>(lg, len) = Eigen::Map<const ArrD>(y, len).log();
  for (std::ptrdiff_t i = 0; i < len; ++i) {
    const double x = a[i];
    const double t = 1.0 / y[i], s = t * t;
    double pos;
    if constexpr (N == 0) {
      pos = lg[i] - 0.5 * t - s * horner(kSeries, s) - acc[i];
    } else {
      const double bracket = kFactN1 + 0.5 * kFactN * t + s * horner(kSeries, s);
      pos = sign_pow(N + 1) * (pow_int(t, N) * bracket + kFactN * acc[i]);
    }
    const double reflected = sign_pow(N) * pos - kPiPow * cot_derivative_poly<N>(cot_pi(x));
    // Poles at x ∈ {±0, −1, −2, ...} (and −inf): ψ(±0) = ∓inf, NaN at negative integers; for n ≥ 1, +inf
    // for odd n and NaN for even n, as polygamma() (special_functions.hpp).
    const bool pole = (x <= 0.0) & (x == (x + kRoundShift) - kRoundShift);  // & not &&: no branch
    double pole_value = N % 2 == 1 ? kInf : kNaN;
    if constexpr (N == 0) pole_value = x == 0.0 ? std::copysign(kInf, -x) : kNaN;
    // One select per statement: a comparison nested in a ?: is a conditional (may-trap) operation for GCC and
    // stops vectorisation.
    double r = x < 0.0 ? reflected : pos;
    r = pole ? pole_value : r;
    r = x == -kInf ? kNaN : r;
    d[i] = static_cast<float>(r);
  }
}

}  // namespace

void array_polygamma(int order, float* d, const float* a, std::ptrdiff_t n) {
  for (std::ptrdiff_t start = 0; start < n; start += kChunk) {
    const std::ptrdiff_t len = std::min(kChunk, n - start);
    switch (order) {
      case 0: polygamma_chunk<0>(d + start, a + start, len); break;
      case 1: polygamma_chunk<1>(d + start, a + start, len); break;
      case 2: polygamma_chunk<2>(d + start, a + start, len); break;
      case 3: polygamma_chunk<3>(d + start, a + start, len); break;
      case 4: polygamma_chunk<4>(d + start, a + start, len); break;
      default: std::fill_n(d + start, len, std::numeric_limits<float>::quiet_NaN());
    }
  }
}

}  // namespace actlab::activations
