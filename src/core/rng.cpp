#include "core/rng.hpp"

// Bit-identical results need the same roundings everywhere: forbid fusing a*b+c into one FMA in this file
// (g++ contracts across statements by default for C++, even with -std=c++20, once -march has FMA).
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <cmath>

namespace actlab {
namespace {

// hi:lo = a * b, the full 128-bit product.
void mul_64x64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
#if defined(__SIZEOF_INT128__)
  __extension__ using U128 = unsigned __int128;
  const U128 p = static_cast<U128>(a) * b;
  hi = static_cast<std::uint64_t>(p >> 64);
  lo = static_cast<std::uint64_t>(p);
#else
  const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
  const std::uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
  const std::uint64_t mid = (ll >> 32) + (lh & 0xffffffffULL) + (hl & 0xffffffffULL);
  lo = (mid << 32) | (ll & 0xffffffffULL);
  hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

}  // namespace

// fdlibm e_log.c (Sun Microsystems, 1993): write x = 2^k * (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)),
// s = f / (2 + f), so log(1 + f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R(s^2)), R a minimax polynomial;
// log(x) = k ln2_hi + (log(1 + f) + k ln2_lo). frexp and the scaling by 2 are exact.
double portable_log(double x) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000: k * kLn2Hi is exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01;
  constexpr double kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01;
  constexpr double kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01;
  constexpr double kLg7 = 1.479819860511658591e-01;
  if (!(x > 0.0)) return x == 0.0 ? -HUGE_VAL : std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(x)) return x;
  int k = 0;
  double m = std::frexp(x, &k);  // x = m * 2^k, m in [0.5, 1), exact also for subnormals
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --k;
  }
  const double f = m - 1.0;  // exact (Sterbenz)
  const double dk = k;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = t2 + t1;
  const double hfsq = 0.5 * f * f;
  return dk * kLn2Hi - ((hfsq - (s * (hfsq + r) + dk * kLn2Lo)) - f);
}

Rng::Rng(std::uint64_t seed) {
  SplitMix64 sm{seed};
  for (auto& word : s_) word = sm.next();
}

Rng Rng::derive(std::uint64_t seed, std::string_view purpose, std::uint64_t index) {
  const std::uint64_t key =
      SplitMix64::mix(SplitMix64::mix(SplitMix64::mix(seed) ^ fnv1a64(purpose)) ^ index);
  return Rng(key);
}

Rng Rng::split(std::uint64_t index) const {
  std::uint64_t key = SplitMix64::mix(index);
  for (std::uint64_t word : s_) key = SplitMix64::mix(key ^ word);
  return Rng(key);
}

double Rng::uniform(double lo, double hi) {
  const double r = lo + (hi - lo) * uniform();
  return r < hi ? r : std::nextafter(hi, lo);
}

// Marsaglia & Bray (1964): (u, v) uniform in the unit disc, s = u^2 + v^2; then u m and v m with
// m = sqrt(-2 log(s) / s) are two independent N(0, 1) draws. Accepts pi/4 of the pairs.
double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u = 0.0, v = 0.0, s = 0.0;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double m = std::sqrt(-2.0 * portable_log(s) / s);
  spare_ = v * m;
  has_spare_ = true;
  return u * m;
}

// Lemire's nearly-divisionless method: x * n / 2^64 is the draw; reject the few x whose low product word
// falls below 2^64 mod n, which leaves every result with exactly floor(2^64 / n) preimages.
std::uint64_t Rng::below(std::uint64_t n) {
  if (n == 0) return 0;
  std::uint64_t hi = 0, lo = 0;
  mul_64x64(next(), n, hi, lo);
  if (lo < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (lo < threshold) mul_64x64(next(), n, hi, lo);
  }
  return hi;
}

}  // namespace actlab
