// Tests for activations/vector_math.hpp: each float array function against the double-precision function of
// the same float input (std:: in double; polygamma() of special_functions.hpp), rounded to float.
//
// Inputs: a dense grid over the range where the function is finite and not flushed (tan: also the floats next
// to k·π/2 and |x| up to 1e30; polygamma: the floats next to the root of ψ and to the poles, and 1e-40..1e30
// of both signs), plus the special values. Finite results must agree within kRelTol relative, or kAbsTol
// absolute below FLT_MIN (subnormal results carry fewer bits); NaN, ±inf and the sign of ±0 exactly.
// The largest relative error seen is printed per function (RecordProperty and stdout), for
// docs/benchmarks.md.
#include "activations/vector_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "activations/special_functions.hpp"

namespace actlab::activations {
namespace {

constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr float kNaNF = std::numeric_limits<float>::quiet_NaN();
constexpr double kRelTol = 1e-5;
constexpr double kAbsTol = 1e-44;  // a few subnormal ulps (1.4e-45 each)

using ArrayFn = std::function<void(float*, const float*, std::ptrdiff_t)>;
using RefFn = std::function<double(double)>;

std::vector<float> linspace(double lo, double hi, int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(lo + (hi - lo) * i / (n - 1));
  return v;
}

// The float x and its `steps` neighbours on each side.
void add_neighbours(std::vector<float>* v, float x, int steps) {
  v->push_back(x);
  float up = x, down = x;
  for (int k = 0; k < steps; ++k) {
    up = std::nextafter(up, kInfF);
    down = std::nextafter(down, -kInfF);
    v->push_back(up);
    v->push_back(down);
  }
}

std::vector<float> with_specials(std::vector<float> v) {
  for (float s : {0.0f, -0.0f, kInfF, -kInfF, kNaNF, 1e-45f, -1e-45f, 1e-38f, -1e-38f, 1e-20f, -1e-20f,
                  std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest()}) {
    v.push_back(s);
  }
  return v;
}

// Checks fn against ref at every input (in place too) and returns the largest relative error over the finite
// results.
double check(const std::string& name, const ArrayFn& fn, const RefFn& ref, const std::vector<float>& in) {
  std::vector<float> out(in.size(), -12345.0f);
  fn(out.data(), in.data(), static_cast<std::ptrdiff_t>(in.size()));
  std::vector<float> inplace = in;
  fn(inplace.data(), inplace.data(), static_cast<std::ptrdiff_t>(in.size()));
  double worst = 0.0;
  int failures = 0;
  for (std::size_t i = 0; i < in.size() && failures < 10; ++i) {
    const double want = static_cast<float>(ref(in[i]));
    const double got = out[i];
    const std::string at = name + "(" + std::to_string(in[i]) + ") [" + std::to_string(i) + "]";
    EXPECT_TRUE(got == inplace[i] || (std::isnan(got) && std::isnan(inplace[i]))) << at << " in place";
    if (std::isnan(want) || std::isinf(want) || want == 0.0) {
      const bool same =
          std::isnan(want) ? std::isnan(got) : got == want && std::signbit(got) == std::signbit(want);
      failures += !same;
      EXPECT_TRUE(same) << at << " = " << got << ", want " << want;
      continue;
    }
    const double err = std::abs(got - want);
    if (std::abs(want) >= std::numeric_limits<float>::min()) worst = std::max(worst, err / std::abs(want));
    const bool ok = err <= kRelTol * std::abs(want) ||
                    (std::abs(want) < std::numeric_limits<float>::min() && err <= kAbsTol);
    failures += !ok;
    EXPECT_TRUE(ok) << at << " = " << got << ", want " << want << " (relative error " << err / std::abs(want)
                    << ")";
  }
  std::printf("[ vector_math ] %-12s max relative error %.2e over %zu points\n", name.c_str(), worst,
              in.size());
  ::testing::Test::RecordProperty(name + "_max_rel_error", std::to_string(worst));
  return worst;
}

TEST(VectorMath, Tan) {
  std::vector<float> in = linspace(-100.0, 100.0, 200001);
  for (int k = -200; k <= 200; ++k) add_neighbours(&in, static_cast<float>(k * std::numbers::pi / 2), 4);
  for (double v = 1e5; v < 1e30; v *= 1.37) {  // both sides of the vectorised range (|x| ≤ 2^20)
    in.push_back(static_cast<float>(v));
    in.push_back(static_cast<float>(-v));
  }
  check(
      "tan", array_tan, [](double v) { return std::tan(v); }, with_specials(in));
}

TEST(VectorMath, Atan) {
  std::vector<float> in = linspace(-4.0, 4.0, 200001);
  for (float v : linspace(-1e5, 1e5, 200001)) in.push_back(v);
  for (double v : {std::sqrt(2.0) - 1, 1.0, std::sqrt(2.0) + 1}) {  // the reduction boundaries
    add_neighbours(&in, static_cast<float>(v), 4);
    add_neighbours(&in, static_cast<float>(-v), 4);
  }
  check(
      "atan", array_atan, [](double v) { return std::atan(v); }, with_specials(in));
}

TEST(VectorMath, AsinAcos) {
  std::vector<float> in = linspace(-1.25, 1.25, 400001);
  for (float v : {-1.0f, -0.5f, 0.5f, 1.0f}) add_neighbours(&in, v, 4);
  in = with_specials(in);
  check(
      "asin", array_asin, [](double v) { return std::asin(v); }, in);
  check(
      "acos", array_acos, [](double v) { return std::acos(v); }, in);
}

TEST(VectorMath, SinhCosh) {
  std::vector<float> in = linspace(-95.0, 95.0, 400001);
  for (float v : linspace(-2.0, 2.0, 100001)) in.push_back(v);
  for (float v : {-89.415985f, -88.72284f, -1.0f, 1.0f, 88.72284f, 89.415985f}) add_neighbours(&in, v, 4);
  in = with_specials(in);
  check(
      "sinh", array_sinh, [](double v) { return std::sinh(v); }, in);
  check(
      "cosh", array_cosh, [](double v) { return std::cosh(v); }, in);
}

TEST(VectorMath, Erfc) {
  std::vector<float> in = linspace(-12.0, 12.0, 400001);
  for (float v : linspace(8.5, 10.5, 100001)) in.push_back(v);  // the subnormal tail
  check(
      "erfc", array_erfc, [](double v) { return std::erfc(v); }, with_specials(in));
}

TEST(VectorMath, Polygamma) {
  std::vector<float> in = linspace(-20.0, 20.0, 400001);
  for (double v = 1e-40; v < 1e30; v *= 1.3) {
    in.push_back(static_cast<float>(v));
    in.push_back(static_cast<float>(-v));
  }
  add_neighbours(&in, 1.4616321449683623f, 64);  // the positive root of ψ
  add_neighbours(&in, -0.5040830082644554f, 8);  // the first negative root of ψ
  for (int k = -12; k <= 12; ++k) add_neighbours(&in, static_cast<float>(k), 4);
  add_neighbours(&in, 6.0f, 4);  // where the recurrence hands over to the series
  in = with_specials(in);
  for (int n = 0; n <= kMaxPolygammaOrder; ++n) {
    check(
        "polygamma" + std::to_string(n),
        [n](float* d, const float* a, std::ptrdiff_t m) { array_polygamma(n, d, a, m); },
        [n](double v) { return polygamma(n, v); }, in);
  }
  std::vector<float> out(3);
  const std::vector<float> some = {1.0f, -2.5f, kNaNF};
  array_polygamma(kMaxPolygammaOrder + 1, out.data(), some.data(), 3);
  for (float v : out) EXPECT_TRUE(std::isnan(v));
}

// Lengths that are not a multiple of the internal chunk (256) or of any vector width.
TEST(VectorMath, PartialChunks) {
  for (std::ptrdiff_t n : {0, 1, 7, 255, 256, 257, 1000}) {
    std::vector<float> in = linspace(0.1, 3.0, std::max<std::ptrdiff_t>(n, 2));
    in.resize(n);
    std::vector<float> out(n + 1, 77.0f);
    array_erfc(out.data(), in.data(), n);
    array_sinh(out.data(), in.data(), n);
    array_polygamma(1, out.data(), in.data(), n);
    EXPECT_EQ(out[n], 77.0f) << "wrote past the end, n = " << n;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      EXPECT_NEAR(out[i], polygamma(1, in[i]), 1e-5 * polygamma(1, in[i])) << n << " " << i;
    }
  }
}

}  // namespace
}  // namespace actlab::activations
