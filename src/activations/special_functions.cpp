// Polygamma ψ_n(x), n = 0..4: recurrence + asymptotic series for x > 0, reflection for x < 0.
// Formulas and sources are in special_functions.hpp.
#include "activations/special_functions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace actlab::activations {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The asymptotic series is used for x ≥ kAsymptoticMin. With 12 Bernoulli terms its truncation
// error there is below 1e-16 relative for every n ≤ 4 (the first omitted term, k = 13, is
// ~5e-17 relative for n = 4 at x = 10).
constexpr double kAsymptoticMin = 10.0;
constexpr int kBernoulliTerms = 12;
// B_{2k}, k = 1..12 (DLMF Table 24.2.1).
constexpr double kBernoulli[kBernoulliTerms] = {
    1.0 / 6.0, -1.0 / 30.0,     1.0 / 42.0,      -1.0 / 30.0,       5.0 / 66.0,       -691.0 / 2730.0,
    7.0 / 6.0, -3617.0 / 510.0, 43867.0 / 798.0, -174611.0 / 330.0, 854513.0 / 138.0, -236364091.0 / 2730.0,
};

// The positive root x₀ of ψ as an unevaluated sum kRootHi + kRootLo, so that x − x₀ is exact to
// rounding of the result. x₀ = 1.4616321449683623412626595423257213 (mpmath.findroot).
constexpr double kRootHi = 1.4616321449683622;
constexpr double kRootLo = 9.549995429965697e-17;
// Within this distance of x₀, ψ is summed as its Taylor series at x₀ instead of through the
// recurrence, whose cancellation (ψ(x+k) − Σ 1/(x+j), both ≈ 2.3, against |ψ| < 0.5) would cost
// relative accuracy: ~3e-15 instead of ~5e-16 on [1, 2].
constexpr double kRootRadius = 0.5;
constexpr int kRootTerms = 36;
// ψ(x) = Σ_{k≥1} c_k (x − x₀)^k with c_k = ψ_k(x₀)/k! = (−1)^{k+1} ζ(k+1, x₀) (Hurwitz zeta,
// DLMF 25.11.12), computed with mpmath at 50 digits. The series converges for |x − x₀| < x₀ with
// ratio ≈ |x − x₀|/x₀; at the radius 0.5 the first omitted term (k = 37) is ~1e-17.
constexpr double kRootTaylor[kRootTerms] = {
    9.6767224544762117043e-1, -4.4276316898359210609e-1, 2.5849976095565101062e-1, -1.639427054424065275e-1,
    1.0782405069126236576e-1, -7.2199561256454710926e-2, 4.8804288164143107225e-2, -3.3161126474847359292e-2,
    2.259764823221810466e-2,  -1.5424765904948959139e-2, 1.0538791616612175388e-2, -7.204534386356868241e-3,
    4.9267813957298534464e-3, -3.3698016554393280828e-3, 2.3051263267349278369e-3, -1.5769367714301972593e-3,
    1.0788252019162965807e-3, -7.3807093899600512957e-4, 5.0495326583460203518e-4, -3.4546802510630769956e-4,
    2.3635601564027052792e-4, -1.6170622091974803449e-4, 1.1063372768747410904e-4, -7.5691795821950659192e-5,
    5.178575795222080869e-5,  -3.5430070947659606316e-5, 2.4240066118601317653e-5, -1.6584242271854133375e-5,
    1.1346384584663849807e-5, -7.7628176684620944253e-6, 5.3110609208898633873e-6, -3.6336507898010456684e-6,
    2.4860227331295379489e-6, -1.7008538854332606582e-6, 1.1636675363548842703e-6, -7.9614254312419704004e-7,
};

double factorial(int n) {
  double f = 1.0;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

double pow_int(double t, int k) {
  double p = 1.0;
  for (int i = 0; i < k; ++i) p *= t;
  return p;
}

// (−1)^k as a double.
double sign_pow(int k) { return k % 2 == 0 ? 1.0 : -1.0; }

// Asymptotic series, x ≥ kAsymptoticMin (formulas in the header). Horner in s = 1/x².
double polygamma_asymptotic(int n, double x) {
  const double t = 1.0 / x;
  const double s = t * t;
  double sum = 0.0;
  if (n == 0) {
    for (int k = kBernoulliTerms; k >= 1; --k) sum = sum * s + kBernoulli[k - 1] / (2.0 * k);
    return std::log(x) - 0.5 * t - sum * s;
  }
  for (int k = kBernoulliTerms; k >= 1; --k) {
    double ratio = 1.0;  // (2k+n−1)!/(2k)!
    for (int j = 2 * k + 1; j <= 2 * k + n - 1; ++j) ratio *= j;
    sum = sum * s + kBernoulli[k - 1] * ratio;
  }
  const double bracket = factorial(n - 1) + 0.5 * factorial(n) * t + sum * s;
  return sign_pow(n + 1) * pow_int(t, n) * bracket;
}

// ψ(x) for |x − x₀| < kRootRadius: Taylor series at the root.
double digamma_near_root(double x) {
  const double d = (x - kRootHi) - kRootLo;  // x − kRootHi is exact (Sterbenz)
  double sum = 0.0;
  for (int k = kRootTerms - 1; k >= 0; --k) sum = sum * d + kRootTaylor[k];
  return sum * d;
}

// x > 0 (finite): ψ_n(x) = ψ_n(x+m) + (−1)ⁿ⁺¹ n! Σ_{j<m} 1/(x+j)ⁿ⁺¹ with x+m ≥ kAsymptoticMin.
double polygamma_positive(int n, double x) {
  if (n == 0 && std::abs(x - kRootHi) < kRootRadius) return digamma_near_root(x);
  double acc = 0.0;
  while (x < kAsymptoticMin) {
    acc += pow_int(1.0 / x, n + 1);
    x += 1.0;
  }
  const double shifted = polygamma_asymptotic(n, x);
  if (n == 0) return shifted - acc;
  return shifted + sign_pow(n + 1) * factorial(n) * acc;  // all terms share one sign: no cancellation
}

// cot(πx) for non-integer x. x − round(x) is exact, so the period is removed without rounding;
// for |r| > 1/4, cot(π|r|) = tan(π(1/2 − |r|)) keeps accuracy near the zero at |r| = 1/2.
double cot_pi(double x) {
  const double r = x - std::round(x);
  const double a = std::abs(r);
  const double c = a <= 0.25 ? 1.0 / std::tan(kPi * a) : std::tan(kPi * (0.5 - a));
  return r < 0 ? -c : c;
}

// P_n(c) with dⁿ/dxⁿ cot(πx) = πⁿ P_n(cot(πx)); P₀ = c, P_{n+1} = −(1+c²) P_n′(c).
// Written as products so that no cancellation (or inf − inf near a pole) occurs.
double cot_derivative_poly(int n, double c) {
  const double c2 = c * c;
  switch (n) {
    case 0: return c;
    case 1: return -(1.0 + c2);
    case 2: return 2.0 * c * (1.0 + c2);
    case 3: return -2.0 * (1.0 + c2) * (1.0 + 3.0 * c2);
    case 4: return 8.0 * c * (1.0 + c2) * (2.0 + 3.0 * c2);
    default: return kNaN;
  }
}

}  // namespace

double polygamma(int n, double x) {
  if (n < 0 || n > kMaxPolygammaOrder || std::isnan(x)) return kNaN;
  if (std::isinf(x)) {
    if (x < 0) return kNaN;
    return n == 0 ? kInf : sign_pow(n + 1) * 0.0;  // ψ_n → 0 with the sign of (−1)ⁿ⁺¹
  }
  if (x > 0) return polygamma_positive(n, x);
  if (x == std::floor(x)) {  // x ∈ {±0, −1, −2, ...}: a pole
    if (n == 0) return x == 0 ? std::copysign(kInf, -x) : kNaN;
    return n % 2 == 1 ? kInf : kNaN;
  }
  // Reflection: ψ_n(x) = (−1)ⁿ ψ_n(1−x) − π ⋅ πⁿ P_n(cot(πx)).
  const double reflected = sign_pow(n) * polygamma_positive(n, 1.0 - x);
  return reflected - pow_int(kPi, n + 1) * cot_derivative_poly(n, cot_pi(x));
}

}  // namespace actlab::activations
