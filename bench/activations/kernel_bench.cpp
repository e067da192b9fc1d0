// Throughput of the compiled activation kernels (Kernel<float>) against hand-written float loops for the
// same functions, in elements per second (docs/benchmarks.md; bench/run_kernel_bench.sh prints the table).
//
//   n = 1<<16 floats, uniform in [-6, 6] (std::mt19937, seed 42); one iteration = one pass over n elements.
//
// Five benchmarks per function, named <variant>/<function>:
//   hand_f        the obvious scalar C++ loop for f, compiled with the project's flags (-O3 -march=native)
//   compiled_f    Kernel<float>::compile({act.f_expr()}): the catalog entry or formula, f alone
//   compiled_fdf  act.kernel_f32(): f and f' in one pass, as training uses it
//   hand_fdf      a hand-written loop computing f and f' together
//   eigen_f       f as one fused Eigen array expression; not in the ratios, it separates the kernel's own
//                 overhead from "vectorised math against scalar libm"
// Every benchmark verifies, then times (../shared/STYLE.md §4.4); on a mismatch it prints the first bad
// element and skips with an error. Hand-written loops and Eigen one-liners are checked against the
// double-precision scalar evaluator (act.f, act.df), compiled kernels against the hand-written loops.
// Tolerance: |got - want| <= 1e-5*|want| + 1e-6 at every element, NaN == NaN.
// The kernel is single-threaded; the run script sets OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1 all the same.

#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <unsupported/Eigen/SpecialFunctions>
#include <vector>

#include "activations/activation.hpp"
#include "activations/kernel.hpp"
#include "activations/printer.hpp"
#include "activations/special_functions.hpp"

namespace {

using actlab::activations::Activation;
using actlab::activations::Kernel;

constexpr std::size_t kN = std::size_t{1} << 16;
constexpr double kRel = 1e-5;
constexpr double kAbs = 1e-6;

// ---- hand-written loops: y = f(x), and y = f(x), dy = f'(x) ----
// Plain C++ as a good engineer would write it: std:: math functions, no intrinsics, no fast-math.

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

void relu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : 0.f;
}
void relu_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const bool pos = x[i] > 0.f;
    y[i] = pos ? x[i] : 0.f;
    dy[i] = pos ? 1.f : 0.f;
  }
}

void leaky_relu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : 0.01f * x[i];
}
void leaky_relu_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const bool pos = x[i] > 0.f;
    y[i] = pos ? x[i] : 0.01f * x[i];
    dy[i] = pos ? 1.f : 0.01f;
  }
}

void tanh_f(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}
void tanh_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float t = std::tanh(x[i]);
    y[i] = t;
    dy[i] = 1.f - t * t;
  }
}

void sigmoid(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + std::exp(-x[i]));
}
void sigmoid_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float s = 1.f / (1.f + std::exp(-x[i]));
    y[i] = s;
    dy[i] = s * (1.f - s);
  }
}

void swish(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] / (1.f + std::exp(-x[i]));
}
void swish_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float s = 1.f / (1.f + std::exp(-x[i]));
    y[i] = x[i] * s;
    dy[i] = s * (1.f + x[i] * (1.f - s));
  }
}

// x·Φ(x), exact erf form.
void gelu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * std::erfc(-x[i] * kInvSqrt2);
}
void gelu_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float cdf = 0.5f * std::erfc(-x[i] * kInvSqrt2);
    y[i] = x[i] * cdf;
    dy[i] = cdf + x[i] * kInvSqrt2Pi * std::exp(-0.5f * x[i] * x[i]);
  }
}

// x·tanh(softplus(x)); softplus(x) = log1p(e^x) does not overflow on [-6, 6].
void mish(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] * std::tanh(std::log1p(std::exp(x[i])));
}
void mish_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float e = std::exp(x[i]);
    const float t = std::tanh(std::log1p(e));
    y[i] = x[i] * t;
    dy[i] = t + x[i] * (1.f - t * t) * (e / (1.f + e));
  }
}

void softplus(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = std::log1p(std::exp(x[i]));
}
void softplus_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float e = std::exp(x[i]);
    y[i] = std::log1p(e);
    dy[i] = e / (1.f + e);
  }
}

void elu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : std::expm1(x[i]);
}
void elu_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] > 0.f) {
      y[i] = x[i];
      dy[i] = 1.f;
    } else {
      const float em1 = std::expm1(x[i]);
      y[i] = em1;
      dy[i] = em1 + 1.f;
    }
  }
}

// max(0, x)^3.
void repu3(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] * x[i] * x[i] : 0.f;
}
void repu3_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float p = x[i] > 0.f ? x[i] : 0.f;
    y[i] = p * p * p;
    dy[i] = 3.f * p * p;
  }
}

// x·relu6(x + 3)/6, as torch writes it.
void hardswish(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] * std::clamp(x[i] + 3.f, 0.f, 6.f) * (1.f / 6.f);
}
void hardswish_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = x[i] * std::clamp(x[i] + 3.f, 0.f, 6.f) * (1.f / 6.f);
    dy[i] = x[i] < -3.f ? 0.f : (x[i] < 3.f ? (2.f * x[i] + 3.f) * (1.f / 6.f) : 1.f);
  }
}

// The formula x*sigmoid(1.5*x) (swish with β = 1.5).
void swish15(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] / (1.f + std::exp(-1.5f * x[i]));
}
void swish15_fdf(const float* x, float* y, float* dy, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float s = 1.f / (1.f + std::exp(-1.5f * x[i]));
    y[i] = x[i] * s;
    dy[i] = s * (1.f + 1.5f * x[i] * (1.f - s));
  }
}

// Elementary and special functions that Eigen 3.4 has no float packet code for
// (src/activations/vector_math.hpp): libm per element. digamma has no std:: function: its "hand-written" loop
// is actlab's scalar double polygamma() (the kernel's previous code path). asin and acos are left out: the
// kernel's f' = 1/sqrt(1 - x^2) rounds x^2 before subtracting and is off by up to 2e-5 relative next to
// |x| = 1, beyond this file's tolerance against the double reference (vector_math_test.cpp tests their f).
#define ACTLAB_BENCH_UNARY(name, fx, dfx)                               \
  void name(const float* x, float* y, std::size_t n) {                  \
    for (std::size_t i = 0; i < n; ++i) {                               \
      const float v = x[i];                                             \
      y[i] = fx;                                                        \
    }                                                                   \
  }                                                                     \
  void name##_fdf(const float* x, float* y, float* dy, std::size_t n) { \
    for (std::size_t i = 0; i < n; ++i) {                               \
      const float v = x[i];                                             \
      const float f = fx;                                               \
      y[i] = f;                                                         \
      dy[i] = dfx;                                                      \
    }                                                                   \
  }
ACTLAB_BENCH_UNARY(tan_f, std::tan(v), 1.f + f * f)
ACTLAB_BENCH_UNARY(atan_f, std::atan(v), 1.f / (1.f + v * v))
ACTLAB_BENCH_UNARY(sinh_f, std::sinh(v), std::cosh(v))
ACTLAB_BENCH_UNARY(cosh_f, std::cosh(v), std::sinh(v))
ACTLAB_BENCH_UNARY(erfc_f, std::erfc(v), -1.1283791670955126f * std::exp(-(v * v)))
ACTLAB_BENCH_UNARY(digamma_f, static_cast<float>(actlab::activations::digamma(v)),
                   static_cast<float>(actlab::activations::polygamma(1, v)))
#undef ACTLAB_BENCH_UNARY

// ---- Eigen one-liners for f: a fused, vectorised single pass (Eigen's packet exp/log1p/tanh/logistic) ----
// Not one of the table's ratios; the reference that separates "vectorised math" from "interpreter overhead".
// Piecewise functions use max/min rather than select(): Eigen 3.4's select() has no packet path, so
// select(x > 0, x, x.expm1()) would call the scalar expm1 per element.

using CMapF = Eigen::Map<const Eigen::ArrayXf>;

// y = expr(x) as one Eigen assignment (expr returns an expression over the map, evaluated in one pass).
template <class Expr>
void eigen_apply(const float* xp, float* yp, std::size_t n, Expr expr) {
  const CMapF x(xp, static_cast<Eigen::Index>(n));
  Eigen::Map<Eigen::ArrayXf>(yp, static_cast<Eigen::Index>(n)) = expr(x);
}

void eigen_relu(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.max(0.f); });
}
void eigen_leaky_relu(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.max(0.f) + 0.01f * v.min(0.f); });
}
void eigen_tanh(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.tanh(); });
}
void eigen_sigmoid(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.logistic(); });
}
void eigen_swish(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v * v.logistic(); });
}
void eigen_gelu(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return 0.5f * v * (-v * kInvSqrt2).erfc(); });
}
void eigen_mish(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v * v.exp().log1p().tanh(); });
}
void eigen_softplus(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.exp().log1p(); });
}
void eigen_elu(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.max(0.f) + v.min(0.f).expm1(); });
}
void eigen_repu3(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.max(0.f).cube(); });
}
void eigen_hardswish(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v * (v + 3.f).max(0.f).min(6.f) * (1.f / 6.f); });
}
void eigen_swish15(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v * (1.5f * v).logistic(); });
}

void eigen_tan(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.tan(); });
}
void eigen_atan(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.atan(); });
}
void eigen_sinh(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.sinh(); });
}
void eigen_cosh(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.cosh(); });
}
void eigen_erfc(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.erfc(); });
}
// Eigen's float digamma is not accurate to 1e-5 next to its root and poles; evaluated in double instead.
void eigen_digamma(const float* x, float* y, std::size_t n) {
  eigen_apply(x, y, n, [](const CMapF& v) { return v.cast<double>().digamma().cast<float>(); });
}

struct Case {
  const char* label;  // benchmark name suffix and table row
  const char* spec;   // catalog name or formula, for Activation::make
  std::map<std::string, double> params;
  void (*f)(const float*, float*, std::size_t);
  void (*fdf)(const float*, float*, float*, std::size_t);
  void (*eigen)(const float*, float*, std::size_t);
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"relu", "relu", {}, relu, relu_fdf, eigen_relu},
      {"leaky_relu", "leaky_relu", {}, leaky_relu, leaky_relu_fdf, eigen_leaky_relu},
      {"tanh", "tanh", {}, tanh_f, tanh_fdf, eigen_tanh},
      {"sigmoid", "sigmoid", {}, sigmoid, sigmoid_fdf, eigen_sigmoid},
      {"swish", "swish", {}, swish, swish_fdf, eigen_swish},
      {"gelu", "gelu", {}, gelu, gelu_fdf, eigen_gelu},
      {"mish", "mish", {}, mish, mish_fdf, eigen_mish},
      {"softplus", "softplus", {}, softplus, softplus_fdf, eigen_softplus},
      {"elu", "elu", {}, elu, elu_fdf, eigen_elu},
      {"repu_p3", "repu", {{"p", 3.0}}, repu3, repu3_fdf, eigen_repu3},
      {"hardswish", "hardswish", {}, hardswish, hardswish_fdf, eigen_hardswish},
      {"x*sigmoid(1.5*x)", "x*sigmoid(1.5*x)", {}, swish15, swish15_fdf, eigen_swish15},
      {"tan", "tan", {}, tan_f, tan_f_fdf, eigen_tan},
      {"atan", "atan", {}, atan_f, atan_f_fdf, eigen_atan},
      {"sinh", "sinh", {}, sinh_f, sinh_f_fdf, eigen_sinh},
      {"cosh", "cosh", {}, cosh_f, cosh_f_fdf, eigen_cosh},
      {"erfc", "erfc", {}, erfc_f, erfc_f_fdf, eigen_erfc},
      {"digamma", "digamma", {}, digamma_f, digamma_f_fdf, eigen_digamma},
  };
  return c;
}

const std::vector<float>& inputs() {
  static const std::vector<float> x = [] {
    std::mt19937 gen(42);
    std::uniform_real_distribution<float> u(-6.f, 6.f);
    std::vector<float> v(kN);
    for (float& e : v) e = u(gen);
    return v;
  }();
  return x;
}

// Everything a case's benchmarks need, built once: the activation, the f-only kernel, and the references.
struct Prepared {
  std::string error;  // non-empty: make() or compile() failed
  std::optional<Activation> act;
  std::optional<Kernel<float>> kernel_f;
  std::vector<float> exact_f, exact_df;  // act.f, act.df in double, rounded to float
  // The hand-written loops' outputs: hand_f from f, hand_f2 and hand_df from the f+f' loop.
  std::vector<float> hand_f, hand_f2, hand_df;
};

const Prepared& prepared(std::size_t index) {
  static std::vector<std::unique_ptr<Prepared>> cache(cases().size());
  if (cache[index]) return *cache[index];
  auto p = std::make_unique<Prepared>();
  const Case& c = cases()[index];
  const std::vector<float>& x = inputs();
  auto act = Activation::make(c.spec, c.params);
  if (!act) {
    p->error = std::string("Activation::make(\"") + c.spec + "\"): " + act.status().message();
  } else {
    auto k = Kernel<float>::compile({act->f_expr()});
    if (!k) {
      p->error = "Kernel<float>::compile(f): " + k.status().message();
    } else {
      p->act = std::move(*act);
      p->kernel_f = std::move(*k);
      p->exact_f.resize(kN);
      p->exact_df.resize(kN);
      for (std::size_t i = 0; i < kN; ++i) {
        p->exact_f[i] = static_cast<float>(p->act->f(x[i]));
        p->exact_df[i] = static_cast<float>(p->act->df(x[i]));
      }
      p->hand_f.resize(kN);
      p->hand_f2.resize(kN);
      p->hand_df.resize(kN);
      c.f(x.data(), p->hand_f.data(), kN);
      c.fdf(x.data(), p->hand_f2.data(), p->hand_df.data(), kN);
    }
  }
  cache[index] = std::move(p);
  return *cache[index];
}

// Checks got against want element by element; on the first mismatch, prints it and skips the benchmark.
bool verify(benchmark::State& state, const std::string& bench, const char* what, std::span<const float> got,
            std::span<const float> want, const char* want_name) {
  const std::vector<float>& x = inputs();
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double g = got[i], w = want[i];
    if (std::isnan(g) && std::isnan(w)) continue;
    if (std::fabs(g - w) <= kRel * std::fabs(w) + kAbs) continue;  // false for a NaN on one side only
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s differs from %s at element %zu (x = %.9g): got %.9g, want %.9g", what,
                  want_name, i, static_cast<double>(x[i]), g, w);
    std::fprintf(stderr, "%s: %s\n", bench.c_str(), buf);
    state.SkipWithError(buf);
    return false;
  }
  return true;
}

enum class Variant { kHandF, kCompiledF, kCompiledFdf, kHandFdf, kEigenF };

void run(benchmark::State& state, const std::string& bench, std::size_t index, Variant variant) {
  const Prepared& p = prepared(index);
  if (!p.error.empty()) {
    state.SkipWithError(p.error.c_str());
    return;
  }
  const Case& c = cases()[index];
  const std::vector<float>& x = inputs();
  std::vector<float> y(kN, NAN), dy(kN, NAN);
  const std::array<float*, 2> outs = {y.data(), dy.data()};
  const Kernel<float>& kf = *p.kernel_f;
  const Kernel<float>& kfdf = p.act->kernel_f32();

  // Verify, then time: the output buffers start as NaN, so an element the code under test skips is caught
  // too.
  switch (variant) {
    case Variant::kHandF:
      c.f(x.data(), y.data(), kN);
      if (!verify(state, bench, "hand-written f", y, p.exact_f, "act.f (double)")) return;
      break;
    case Variant::kEigenF:
      c.eigen(x.data(), y.data(), kN);
      if (!verify(state, bench, "Eigen one-liner f", y, p.exact_f, "act.f (double)")) return;
      break;
    case Variant::kHandFdf:
      c.fdf(x.data(), y.data(), dy.data(), kN);
      if (!verify(state, bench, "hand-written f (f+f' loop)", y, p.exact_f, "act.f (double)")) return;
      if (!verify(state, bench, "hand-written f'", dy, p.exact_df, "act.df (double)")) return;
      break;
    case Variant::kCompiledF:
      kf.eval(x, std::span<float>(y));
      if (!verify(state, bench, "compiled f", y, p.hand_f, "the hand-written loop")) return;
      state.SetLabel(std::to_string(kf.program().code.size()) + " instr: " + print(p.act->f_expr()));
      break;
    case Variant::kCompiledFdf:
      kfdf.eval(x, outs);
      if (!verify(state, bench, "compiled f (f+f')", y, p.hand_f2, "the hand-written f+f' loop")) return;
      if (!verify(state, bench, "compiled f'", dy, p.hand_df, "the hand-written f+f' loop")) return;
      state.SetLabel(std::to_string(kfdf.program().code.size()) + " instr");
      break;
  }

  for (auto _ : state) {
    switch (variant) {
      case Variant::kHandF: c.f(x.data(), y.data(), kN); break;
      case Variant::kHandFdf: c.fdf(x.data(), y.data(), dy.data(), kN); break;
      case Variant::kEigenF: c.eigen(x.data(), y.data(), kN); break;
      case Variant::kCompiledF: kf.eval(x, std::span<float>(y)); break;
      case Variant::kCompiledFdf: kfdf.eval(x, outs); break;
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::DoNotOptimize(dy.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kN));
}

// Registered in table order: for each function, hand_f, compiled_f, compiled_fdf, hand_fdf, eigen_f.
const bool kRegistered = [] {
  constexpr std::pair<const char*, Variant> kVariants[] = {{"hand_f", Variant::kHandF},
                                                           {"compiled_f", Variant::kCompiledF},
                                                           {"compiled_fdf", Variant::kCompiledFdf},
                                                           {"hand_fdf", Variant::kHandFdf},
                                                           {"eigen_f", Variant::kEigenF}};
  for (std::size_t i = 0; i < cases().size(); ++i) {
    for (const auto& [prefix, variant] : kVariants) {
      const std::string name = std::string(prefix) + "/" + cases()[i].label;
      benchmark::RegisterBenchmark(name.c_str(), [name, i, v = variant](benchmark::State& s) {
        run(s, name, i, v);
      })->Unit(benchmark::kMicrosecond);
    }
  }
  return true;
}();

}  // namespace
