// Tests for activations/kernel.hpp: compiled array evaluation, Kernel<double> and Kernel<float>.
//
// The reference is the tree-walking evaluate() of expr.hpp (scalar std:: functions, one node at a time),
// which shares no code path with the compiled program (register allocation, fused selects, integer powers,
// Eigen's packet math). Kernel<double> must agree with it within 1e-12 relative (1e-10 with polygamma),
// Kernel<float> within 1e-5 relative — both plus the rounding budget of the point: the spread of evaluate()
// re-run with every intermediate jittered by up to 4 ulps of the kernel's type (random draws, and all at +4
// and all at −4 ulps), so that cancellation or a jump (floor, comparisons) sitting within rounding distance
// is not blamed on the kernel. Float points whose intermediates leave float's normal range are skipped;
// results below it (|y| < 2·FLT_MIN) count as zero.
// Random formulas span every op (selectors and polygamma included), each fed an argument in its domain; grids
// have n = 1000 (not a multiple of kBlock = 256), so the last block is partial.
#include "activations/kernel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "activations/derivative.hpp"
#include "activations/parser.hpp"
#include "activations/printer.hpp"
#include "core/rng.hpp"
#include "support/expr_builders.hpp"
#include "support/random_expr.hpp"

namespace actlab::activations {
namespace {

using actlab::testing::bin;
using actlab::testing::c;
using actlab::testing::kInf;
using actlab::testing::kNaN;
using actlab::testing::RandomFormulaOptions;
using actlab::testing::un;
using actlab::testing::x;

Expr parse(const std::string& text, std::vector<std::string> params = {}) {
  ParseOptions o;
  o.parameters = std::move(params);
  auto r = parse_formula(text, o);
  EXPECT_TRUE(r) << text << ": " << r.status().message();
  return r ? *r : c(kNaN);
}

template <class T>
std::vector<T> grid(std::size_t n, double lo = -4.7, double hi = 4.7) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<T>(lo + (hi - lo) * (static_cast<double>(i) + 0.318) / n);
  return v;
}

template <class T>
std::vector<T> eval_one(const Kernel<T>& k, const std::vector<T>& in, std::vector<double> params = {}) {
  std::vector<T> out(in.size(), T(-12345));
  k.eval(std::span<const T>(in), std::span<T>(out), std::span<const double>(params));
  return out;
}

// ---- the reference and its rounding budget
// ----------------------------------------------------------------------

struct Range {
  double max_abs = 0.0;
  bool has_polygamma = false;
};

// evaluate() with every computed value and constant multiplied by 1 + rel·u: u uniform in [−1, 1] drawn from
// `rng`, or u = 1 with no rng (rel < 0 then scales every value down). rel = 0: exactly evaluate(), and
// `range` collects the largest intermediate.
double jittered(const Expr& e, double at, Rng* rng, double rel, Range* range) {
  auto jit = [&](double v) {
    if (rel == 0) return v;
    return v * (1.0 + rel * (rng ? 2.0 * rng->uniform() - 1.0 : 1.0));
  };
  double v;
  switch (e.op()) {
    case Op::kConst: v = jit(e.value()); break;
    case Op::kVar: v = at; break;
    case Op::kWhere: {
      v = jittered(e.arg(0), at, rng, rel, range) != 0 ? jittered(e.arg(1), at, rng, rel, range)
                                                       : jittered(e.arg(2), at, rng, rel, range);
      break;
    }
    default: {
      const double a = jittered(e.arg(0), at, rng, rel, range);
      const double b = e.args().size() > 1 ? jittered(e.arg(1), at, rng, rel, range) : 0.0;
      v = apply_scalar(e.op(), a, b, 0.0, e.order());
      if (!op_info(e.op()).selector && e.op() != Op::kNeg) v = jit(v);
      if (range && e.op() == Op::kPolygamma) range->has_polygamma = true;
    }
  }
  if (range && std::isfinite(v)) range->max_abs = std::max(range->max_abs, std::fabs(v));
  return v;
}

template <class T>
struct Precision;
template <>
struct Precision<double> {
  static constexpr double kRtol = 1e-12, kRtolSpecial = 1e-10, kJitter = 4 * 0x1p-53;
  static constexpr double kTiny = 2 * std::numeric_limits<double>::min(), kHuge = 1e300;
  static constexpr const char* kName = "double";
};
template <>
struct Precision<float> {
  static constexpr double kRtol = 1e-5, kRtolSpecial = 1e-5, kJitter = 4 * 0x1p-24;
  static constexpr double kTiny = 2 * static_cast<double>(std::numeric_limits<float>::min()), kHuge = 1e30;
  static constexpr const char* kName = "float";
};

// Does the kernel's value `got` at `at` agree with evaluate(e, at)? `skipped` counts points outside T's
// range.
template <class T>
::testing::AssertionResult agrees(T got, const Expr& e, double at, Rng& rng, int* skipped = nullptr) {
  using P = Precision<T>;
  Range range;
  const double want = jittered(e, at, nullptr, 0.0, &range);  // == evaluate(e, at)
  if (std::isnan(want)) {
    if (std::isnan(got)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << P::kName << " " << print(e) << " at x = " << at << ": got " << got << ", evaluate() gives nan";
  }
  if (range.max_abs > P::kHuge) {
    if (skipped) ++*skipped;
    return ::testing::AssertionSuccess();
  }
  const double rtol = range.has_polygamma ? P::kRtolSpecial : P::kRtol;
  const double g = static_cast<double>(got);
  const double err = std::fabs(g - want);
  double tol = rtol * std::fabs(want) + P::kTiny;
  if (err <= tol) return ::testing::AssertionSuccess();
  // Outside the plain tolerance: how far can rounding alone move the result here? Random draws find
  // cancellation; the two runs with every value scaled by exactly 1 ± kJitter find a jump that a value just
  // short of it (erf(x) rounding to 1 under floor, say) reaches only at the edge of the budget.
  double spread = 0.0;
  auto widen = [&](double j) { spread = std::max(spread, std::isfinite(j) ? std::fabs(j - want) : kInf); };
  for (int k = 0; k < 4; ++k) widen(jittered(e, at, &rng, P::kJitter, nullptr));
  widen(jittered(e, at, nullptr, P::kJitter, nullptr));
  widen(jittered(e, at, nullptr, -P::kJitter, nullptr));
  tol += 8 * spread;
  if (err <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << P::kName << " " << print(e) << " at x = " << at << ": got " << got << ", evaluate() gives "
         << want << " (error " << err << ", tolerance " << tol << ")";
}

// ---- random formulas
// -----------------------------------------------------------------------------------------

// Every op (selectors, fused and plain where, constant exponents, shared nodes, polygamma up to order 4),
// each fed an argument in its domain (support/random_expr.hpp); leaves are x, constants and the parameters a,
// b.
Expr random_formula(Rng& rng, int depth) {
  RandomFormulaOptions opt;
  opt.parameters = {"a", "b"};
  return actlab::testing::random_formula(rng, depth, opt);
}

// Parameters a, b bound at eval time; the reference gets them substituted without simplification.
Expr bind(const Expr& e, double a, double b) { return substitute(substitute(e, "a", c(a)), "b", c(b)); }

template <class T>
void check_random_formulas(std::uint64_t seed, int formulas) {
  Rng rng(seed), jitter(seed + 1);
  const std::vector<T> in = grid<T>(1000);
  const std::vector<double> params = {0.7, -1.3};
  int skipped = 0, checked = 0, failures = 0;
  for (int t = 0; t < formulas; ++t) {
    const Expr f = random_formula(rng, 5);
    auto k = Kernel<T>::compile({f}, {"a", "b"});
    ASSERT_TRUE(k) << print(f) << ": " << k.status().message();
    const std::vector<T> out = eval_one(*k, in, params);
    const Expr ref = bind(f, params[0], params[1]);
    for (std::size_t i = 0; i < in.size(); ++i) {
      auto ok = agrees<T>(out[i], ref, static_cast<double>(in[i]), jitter, &skipped);
      ++checked;
      if (!ok) {
        if (++failures <= 10) ADD_FAILURE() << "formula " << t << " element " << i << ": " << ok.message();
      }
    }
  }
  EXPECT_EQ(failures, 0) << failures << " of " << checked << " values disagree";
  EXPECT_LT(skipped, checked / 20) << "too many points outside the range of " << Precision<T>::kName;
}

TEST(Kernel, DoubleMatchesEvaluateOnRandomFormulas) { check_random_formulas<double>(1234, 300); }

TEST(Kernel, FloatMatchesEvaluateOnRandomFormulas) { check_random_formulas<float>(5678, 300); }

// ---- documented behaviour
// ---------------------------------------------------------------------------------------

TEST(Kernel, HeaderExampleAndBlockBoundaries) {
  const Expr f = parse("x*sigmoid(x)");
  const Expr df = derivative(f);
  auto k = Kernel<double>::compile({f, df});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->output_count(), 2u);
  Rng jitter(3);
  for (std::size_t n : {1u, 7u, 255u, 256u, 257u, 512u, 513u, 1000u}) {
    const std::vector<double> in = grid<double>(n);
    std::vector<double> y(n, -1), dy(n, -1);
    std::vector<double*> outs = {y.data(), dy.data()};
    k->eval(in, outs);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(agrees<double>(y[i], f, in[i], jitter)) << "n = " << n << ", i = " << i;
      ASSERT_TRUE(agrees<double>(dy[i], df, in[i], jitter)) << "n = " << n << ", i = " << i;
    }
  }
  EXPECT_DOUBLE_EQ((*k)(2.0), 2.0 / (1.0 + std::exp(-2.0)));
}

TEST(Kernel, MultipleOutputsShareSubexpressions) {
  const Expr f = parse("x*sigmoid(x)");
  const Expr df = derivative(f);
  auto both = Kernel<float>::compile({f, df});
  ASSERT_TRUE(both);
  int sigmoids = 0;
  for (const Instr& in : both->program().code)
    sigmoids += in.kind == Instr::Kind::kOp && in.op == Op::kSigmoid;
  EXPECT_EQ(sigmoids, 1) << "sigmoid(x) is computed once for f and f'";
  auto alone_f = Kernel<float>::compile({f});
  auto alone_df = Kernel<float>::compile({df});
  ASSERT_TRUE(alone_f && alone_df);
  EXPECT_LT(both->program().code.size(), alone_f->program().code.size() + alone_df->program().code.size());
  // Structurally equal subtrees built separately are shared too.
  auto twice = Kernel<double>::compile(
      {bin(Op::kAdd, un(Op::kExp, un(Op::kSin, x())), un(Op::kExp, un(Op::kSin, x())))});
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->program().code.size(), 3u);  // sin, exp, +
  // Many random outputs at once, each checked.
  Rng rng(77), jitter(78);
  std::vector<Expr> outputs;
  for (int i = 0; i < 12; ++i) outputs.push_back(bind(random_formula(rng, 4), 0.7, -1.3));
  outputs.push_back(derivative(outputs[0]));
  auto k = Kernel<double>::compile(outputs);
  ASSERT_TRUE(k);
  const std::vector<double> in = grid<double>(600);
  std::vector<std::vector<double>> out(outputs.size(), std::vector<double>(in.size()));
  std::vector<double*> ptrs;
  for (auto& o : out) ptrs.push_back(o.data());
  k->eval(in, ptrs);
  for (std::size_t j = 0; j < outputs.size(); ++j) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      ASSERT_TRUE(agrees<double>(out[j][i], outputs[j], in[i], jitter)) << "output " << j << ", i = " << i;
    }
  }
}

TEST(Kernel, OutputsThatAreTheInputOrAConstant) {
  auto k = Kernel<double>::compile({x(), c(2.5), parse("x^2"), x(), c(-0.0)});
  ASSERT_TRUE(k);
  const std::vector<double> in = grid<double>(700);
  std::vector<std::vector<double>> out(5, std::vector<double>(in.size(), kNaN));
  std::vector<double*> ptrs;
  for (auto& o : out) ptrs.push_back(o.data());
  k->eval(in, ptrs);
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[0][i], in[i]);
    EXPECT_EQ(out[1][i], 2.5);
    EXPECT_EQ(out[2][i], in[i] * in[i]);
    EXPECT_EQ(out[3][i], in[i]);
    EXPECT_EQ(out[4][i], 0.0);
  }
  auto only_const = Kernel<float>::compile({c(3.0)});
  ASSERT_TRUE(only_const);
  const std::vector<float> fin = grid<float>(300);
  for (float v : eval_one(*only_const, fin)) EXPECT_EQ(v, 3.0f);
  EXPECT_EQ((*only_const)(123.0f), 3.0f);
}

TEST(Kernel, ParametersAreBoundAtEvalTime) {
  const Expr f = parse("x*sigmoid(beta*x) + a", {"beta", "a"});
  auto k = Kernel<double>::compile({f}, {"beta", "a"});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->program().params, (std::vector<std::string>{"beta", "a"}));
  const std::vector<double> in = grid<double>(1000);
  for (const auto& pv : std::vector<std::vector<double>>{{1.0, 0.0}, {2.0, 0.5}, {-0.5, -3.0}, {1.0, 0.0}}) {
    const std::vector<double> out = eval_one(*k, in, pv);
    for (std::size_t i = 0; i < in.size(); ++i) {
      const double s = 1.0 / (1.0 + std::exp(-pv[0] * in[i]));
      ASSERT_NEAR(out[i], in[i] * s + pv[1], 1e-14 * (std::fabs(in[i]) + std::fabs(pv[1])))
          << pv[0] << " " << i;
    }
  }
  // The order of params is the order given to compile(), not the order in the formula.
  auto swapped = Kernel<float>::compile({parse("a*x + b", {"a", "b"})}, {"b", "a"});
  ASSERT_TRUE(swapped);
  const std::vector<double> values = {10.0, 2.0};
  EXPECT_EQ((*swapped)(3.0f, values), 16.0f);
  // A parameter listed but unused is fine.
  auto extra = Kernel<double>::compile({parse("x + 1")}, {"unused"});
  ASSERT_TRUE(extra);
  const std::vector<double> one = {5.0};
  EXPECT_EQ((*extra)(1.0, one), 2.0);
}

TEST(Kernel, UnboundParameterIsAnError) {
  auto k = Kernel<double>::compile({parse("a*x", {"a"})});
  ASSERT_FALSE(k);
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(k.status().message().find("'a'"), std::string::npos) << k.status().message();
  auto p = compile_program({x(), parse("x + b", {"b"})}, {"a"});
  ASSERT_FALSE(p);
  EXPECT_NE(p.status().message().find("'b'"), std::string::npos) << p.status().message();
}

TEST(Kernel, MaxAndMinPropagateNaN) {
  const std::vector<double> in = {kNaN, 1.0, -1.0, kNaN, 0.0};
  for (const char* f :
       {"max(x, 0)", "max(0, x)", "min(x, 0)", "min(0, x)", "max(x, x)", "clamp(x, -0.5, 0.5)"}) {
    auto kd = Kernel<double>::compile({parse(f)});
    auto kf = Kernel<float>::compile({parse(f)});
    ASSERT_TRUE(kd && kf);
    const std::vector<double> outd = eval_one(*kd, in);
    const std::vector<float> inf(in.begin(), in.end());
    const std::vector<float> outf = eval_one(*kf, inf);
    for (std::size_t i = 0; i < in.size(); ++i) {
      const double want = evaluate(parse(f), in[i]);
      EXPECT_EQ(std::isnan(outd[i]), std::isnan(in[i])) << f << " at " << in[i];
      EXPECT_EQ(std::isnan(outf[i]), std::isnan(in[i])) << f << " at " << in[i] << " (float)";
      if (!std::isnan(want)) {
        EXPECT_EQ(outd[i], want) << f;
        EXPECT_EQ(outf[i], static_cast<float>(want)) << f;
      }
    }
  }
  // NaN in the constant operand as well.
  auto k = Kernel<double>::compile({bin(Op::kMax, x(), c(kNaN)), bin(Op::kMin, c(kNaN), x())});
  ASSERT_TRUE(k);
  std::vector<double> a(3), b(3);
  std::vector<double*> outs = {a.data(), b.data()};
  const std::vector<double> xs = {-1.0, 0.0, 5.0};
  k->eval(xs, outs);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(a[i]) && std::isnan(b[i])) << i;
}

TEST(Kernel, WhereDoesNotLeakNaNFromTheUntakenBranch) {
  const Expr fused_log = parse("where(x > 0, log(x), -x)");
  const Expr fused_sqrt = parse("where(x >= 0, sqrt(x), 0)");
  const Expr plain =
      Expr::make(Op::kWhere, {bin(Op::kAdd, un(Op::kSign, x()), c(1)), un(Op::kLog, x()), c(7)});
  auto k = Kernel<double>::compile({fused_log, fused_sqrt, plain, un(Op::kLog, x())});
  auto kf = Kernel<float>::compile({fused_log, fused_sqrt, plain, un(Op::kLog, x())});
  ASSERT_TRUE(k && kf);
  const std::vector<double> in = grid<double>(777, -3.0, 3.0);
  std::vector<std::vector<double>> out(4, std::vector<double>(in.size()));
  std::vector<double*> ptrs = {out[0].data(), out[1].data(), out[2].data(), out[3].data()};
  k->eval(in, ptrs);
  const std::vector<float> fin(in.begin(), in.end());
  std::vector<std::vector<float>> fout(4, std::vector<float>(in.size()));
  std::vector<float*> fptrs = {fout[0].data(), fout[1].data(), fout[2].data(), fout[3].data()};
  kf->eval(fin, fptrs);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double v = in[i];
    EXPECT_NEAR(out[0][i], v > 0 ? std::log(v) : -v, 1e-15) << v;
    EXPECT_NEAR(out[1][i], v >= 0 ? std::sqrt(v) : 0.0, 1e-15) << v;
    EXPECT_NEAR(out[2][i], v < 0 ? 7.0 : std::log(v), 1e-15) << v;
    EXPECT_EQ(std::isnan(out[3][i]), v < 0) << v;  // log(x) itself, shared with the where()s, is NaN there
    EXPECT_FALSE(std::isnan(fout[0][i]) || std::isnan(fout[1][i]) || std::isnan(fout[2][i])) << v;
  }
  // where(a cmp b, c, d) is one fused instruction.
  int fused = 0;
  for (const Instr& in : k->program().code) fused += in.kind == Instr::Kind::kWhereCmp;
  EXPECT_EQ(fused, 2);
}

TEST(Kernel, RegistersAreReusedAlongALongChain) {
  // 400 instructions, each using only the previous value and x.
  Expr e = x();
  for (int i = 0; i < 200; ++i) e = bin(Op::kAdd, un(i % 2 ? Op::kSin : Op::kTanh, e), x());
  auto k = Kernel<double>::compile({e});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->program().code.size(), 400u);
  EXPECT_LE(k->program().register_count, 4);
  Rng jitter(9);
  const std::vector<double> in = grid<double>(300);
  const std::vector<double> out = eval_one(*k, in);
  for (std::size_t i = 0; i < in.size(); ++i) ASSERT_TRUE(agrees<double>(out[i], e, in[i], jitter)) << i;
}

TEST(Kernel, EmptyInput) {
  auto k = Kernel<float>::compile({parse("x*sigmoid(x)"), parse("x^2")});
  ASSERT_TRUE(k);
  std::vector<float*> outs = {nullptr, nullptr};
  k->eval(std::span<const float>(), outs);
  auto kd = Kernel<double>::compile({parse("exp(x)")});
  ASSERT_TRUE(kd);
  std::vector<double> none;
  kd->eval(std::span<const double>(none), std::span<double>(none));
  SUCCEED();
}

TEST(Kernel, ConcurrentEvaluationsOfOneKernel) {
  const Expr f = parse("tanh(x)*softplus(x) + erf(x/2)");
  auto k = Kernel<double>::compile({f});
  ASSERT_TRUE(k);
  const std::vector<double> in = grid<double>(5000);
  const std::vector<double> serial = eval_one(*k, in);
  std::vector<std::vector<double>> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 20; ++rep) results[t] = eval_one(*k, in);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, serial);
}

// ---- special inputs: NaN, ±inf, ±0, subnormals, huge
// ----------------------------------------------------------

// NaN, ±inf, ±0, and finite values around the ops' interesting points.
template <class T>
std::vector<T> special_inputs() {
  constexpr T kN = std::numeric_limits<T>::quiet_NaN(), kI = std::numeric_limits<T>::infinity();
  std::vector<T> v = {kN, kI, -kI, T(0), -T(0), T(1), T(-1), T(0.5), T(-0.5), T(2.5), T(-2.5), T(30), T(-30)};
  if constexpr (std::is_same_v<T, double>) {
    v.insert(v.end(), {1e308, -1e308, 800, -800});
  } else {
    v.insert(v.end(), {3e38f, -3e38f, 100.0f, -100.0f});
  }
  return v;
}

// Subnormal inputs (and the smallest normal one): valid numbers that vector units may treat specially.
template <class T>
std::vector<T> subnormal_inputs() {
  constexpr T kMin = std::numeric_limits<T>::min(), kTrue = std::numeric_limits<T>::denorm_min();
  return {kMin, kMin / 4, -kMin / 4, kTrue, -kTrue, T(1), T(2)};
}

// The kernel's value vs evaluate() at exact inputs, where both must give the same NaN/inf/finite answer.
// For float the reference is evaluate() in double rounded to float.
// The inputs are repeated at several offsets: a vectorised loop treats the unaligned head and the tail of a
// block element by element and the rest in packets, and both paths must give the same answers.
template <class T>
void check_special(const Expr& e, const std::vector<T>& values, int* failures) {
  using P = Precision<T>;
  auto k = Kernel<T>::compile({e});
  ASSERT_TRUE(k) << print(e);
  std::vector<T> in;
  for (int rep = 0; rep < 5; ++rep) in.insert(in.end(), values.begin(), values.end());
  const std::vector<T> out = eval_one(*k, in);
  std::vector<bool> reported(values.size(), false);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const T want = static_cast<T>(evaluate(e, static_cast<double>(in[i])));
    const T got = out[i];
    bool ok;
    if (std::isnan(want) || std::isnan(got)) {
      ok = std::isnan(want) && std::isnan(got);
    } else if (std::isinf(want) || std::isinf(got)) {
      ok = want == got;
    } else {
      ok = std::fabs(static_cast<double>(got) - static_cast<double>(want)) <=
           P::kRtol * std::fabs(static_cast<double>(want)) + P::kTiny;
    }
    if (!ok && !reported[i % values.size()]) {
      reported[i % values.size()] = true;
      ++*failures;
      ADD_FAILURE() << P::kName << " " << print(e) << " at x = " << in[i] << " (element " << i << "): kernel "
                    << got << ", evaluate() " << want;
    }
  }
}

template <class T>
void check_unary_ops(const std::vector<T>& in, int* failures) {
  for (int o = static_cast<int>(Op::kNeg); o <= static_cast<int>(Op::kPolygamma); ++o) {
    const Op op = static_cast<Op>(o);
    for (int order = 0; order <= (op == Op::kPolygamma ? 4 : 0); ++order) {
      check_special<T>(Expr::make(op, {x()}, order), in, failures);
    }
  }
  // Constant exponents: the integer (repeated multiplication) and general forms.
  for (double k : {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 16.0, 17.0, -1.0, -2.0, -3.0, 0.5, 1.5, -0.5, 2.25}) {
    check_special<T>(bin(Op::kPow, x(), c(k)), in, failures);
  }
}

template <class T>
void check_all_special() {
  int failures = 0;
  const std::vector<T> in = special_inputs<T>();
  check_unary_ops<T>(in, &failures);
  const double operands[] = {kNaN, kInf, -kInf, 0.0, -0.0, 2.0, -2.0, 0.5};
  for (int o = static_cast<int>(Op::kAdd); o <= static_cast<int>(Op::kNe); ++o) {
    const Op op = static_cast<Op>(o);
    for (double v : operands) {
      if (op == Op::kPow && (v == 2.0 || v == -2.0 || v == 0.5)) continue;  // in check_unary_ops already
      check_special<T>(bin(op, x(), c(v)), in, &failures);
      check_special<T>(bin(op, c(v), x()), in, &failures);
    }
    check_special<T>(bin(op, x(), x()), in, &failures);
  }
  check_special<T>(bin(Op::kPow, x(), un(Op::kRound, x())), in, &failures);
  check_special<T>(Expr::make(Op::kWhere, {x(), c(1), c(2)}), in, &failures);
  check_special<T>(Expr::make(Op::kWhere, {bin(Op::kGt, x(), c(0)), c(1), c(2)}), in, &failures);
  check_special<T>(Expr::make(Op::kWhere, {bin(Op::kNe, x(), x()), c(1), x()}), in, &failures);
  EXPECT_EQ(failures, 0);
}

TEST(Kernel, DoubleSpecialInputsMatchEvaluate) { check_all_special<double>(); }
TEST(Kernel, FloatSpecialInputsMatchEvaluate) { check_all_special<float>(); }

TEST(Kernel, DoubleSubnormalInputsMatchEvaluate) {
  int failures = 0;
  check_unary_ops<double>(subnormal_inputs<double>(), &failures);
  EXPECT_EQ(failures, 0);
}

TEST(Kernel, FloatSubnormalInputsMatchEvaluate) {
  int failures = 0;
  check_unary_ops<float>(subnormal_inputs<float>(), &failures);
  // log of a computed subnormal inside an expression: the temporary's register is free after the log, so the
  // log writes its result over its own input; the subnormal fix-up must still see the input (it did not).
  for (Op op : {Op::kLog, Op::kLog10}) {
    check_special<float>(bin(Op::kAdd, un(op, bin(Op::kMul, x(), c(1.0))), c(0.0)), subnormal_inputs<float>(),
                         &failures);
  }
  EXPECT_EQ(failures, 0);
}

// sigmoid is where float kernels most often lose relative accuracy: in the left tail σ(x) ≈ e^x is tiny, and
// a formula like 0.5 + 0.5·tanh(x/2) or a rational fit around 0.5 keeps only absolute accuracy there.
// PyTorch's float sigmoid is accurate to an ulp or two over the whole float range (see
// tests/golden/torch_activations.json).
TEST(Kernel, FloatSigmoidIsRelativelyAccurate) {
  auto k = Kernel<float>::compile({parse("sigmoid(x)"), parse("x*sigmoid(x)")});
  ASSERT_TRUE(k);
  const std::vector<float> in = grid<float>(2000, -30.0, 30.0);
  std::vector<float> s(in.size()), silu(in.size());
  std::vector<float*> outs = {s.data(), silu.data()};
  k->eval(in, outs);
  int bad = 0, bad_silu = 0;
  double worst = 0, worst_x = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double v = in[i];
    const double want = 1.0 / (1.0 + std::exp(-v));
    const double rel = std::fabs(s[i] - want) / want;
    if (rel > 1e-5) ++bad;
    if (rel > worst) worst = rel, worst_x = v;
    if (std::fabs(silu[i] - v * want) > 1e-5 * std::fabs(v * want) + 1e-37) ++bad_silu;
  }
  EXPECT_EQ(bad, 0) << "sigmoid: " << bad << " of " << in.size()
                    << " values off by more than 1e-5 relative; worst " << worst << " at x = " << worst_x;
  EXPECT_EQ(bad_silu, 0) << "x*sigmoid(x): " << bad_silu << " of " << in.size()
                         << " values off by more than 1e-5";
}

// The float ops that run through vector_math.hpp (tan, atan, asin, acos, sinh, cosh, erfc, polygamma), value
// and first derivative as Kernel<float> compiles them for training, against evaluate() in double rounded to
// float: within 1e-5 relative (+1e-37 absolute, the float subnormal range) on dense grids with partial
// blocks. The grids stop where the derivative's own float formula loses accuracy, whatever the op: 1 − x² in
// asin′ near |x| = 1, e^{−x²} with x² rounded in erfc′ beyond |x| ≈ 9.
TEST(Kernel, FloatVectorisedOpsMatchDoubleReference) {
  struct Case {
    const char* formula;
    double lo, hi;
  };
  const Case cases[] = {
      {"tan(x)", -20.0, 20.0},         {"atan(x)", -50.0, 50.0},   {"asin(x)", -0.99, 0.99},
      {"acos(x)", -0.99, 0.99},        {"sinh(x)", -89.0, 89.0},   {"cosh(x)", -89.0, 89.0},
      {"erfc(x)", -9.0, 9.0},          {"digamma(x)", -9.7, 30.0}, {"polygamma(1, x)", -9.7, 30.0},
      {"polygamma(2, x)", 0.01, 30.0},
  };
  for (const Case& cs : cases) {
    const Expr f = parse(cs.formula);
    const Expr df = derivative(f);
    auto k = Kernel<float>::compile({f, df});
    ASSERT_TRUE(k) << cs.formula;
    std::vector<float> in = grid<float>(20001, cs.lo, cs.hi);
    in.insert(in.end(),
              {0.0f, -0.0f, static_cast<float>(kInf), static_cast<float>(-kInf), static_cast<float>(kNaN)});
    std::vector<float> y(in.size()), dy(in.size());
    std::vector<float*> outs = {y.data(), dy.data()};
    k->eval(in, outs);
    int bad = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      for (int o = 0; o < 2; ++o) {
        const float want = static_cast<float>(evaluate(o == 0 ? f : df, static_cast<double>(in[i])));
        const float got = o == 0 ? y[i] : dy[i];
        const bool ok = std::isnan(want) || std::isinf(want)
                            ? (std::isnan(want) ? std::isnan(got) : got == want)
                            : std::fabs(static_cast<double>(got) - want) <= 1e-5 * std::fabs(want) + 1e-37;
        if (!ok && ++bad <= 5) {
          ADD_FAILURE() << (o == 0 ? "" : "d/dx ") << cs.formula << " at x = " << in[i] << ": kernel " << got
                        << ", evaluate() " << want;
        }
      }
    }
    EXPECT_EQ(bad, 0) << cs.formula;
  }
}

}  // namespace
}  // namespace actlab::activations

namespace actlab::activations {
namespace {

// Blocks are up to 2048 elements: 10001 spans several, with a partial last one. Outputs are written straight
// into the caller's arrays unless that would overwrite the input (in-place) or two outputs are the same
// expression.
TEST(KernelBlocks, ManyBlocksInPlaceAndSharedOutputs) {
  const Expr x = Expr::var("x");
  const Expr f = mul(x, apply(Op::kSigmoid, {x}));
  const Expr g = where(Expr::make(Op::kGt, {x, Expr::constant(0.5)}), x, mul(Expr::constant(0.1), x));
  const std::size_t n = 10001;
  std::vector<double> in(n);
  for (std::size_t i = 0; i < n; ++i) in[i] = -8.0 + 16.0 * static_cast<double>(i) / (n - 1);
  auto k = Kernel<double>::compile({f, g, f});
  ASSERT_TRUE(k);
  std::vector<double> o1(n), o2(n), o3(n);
  double* outs[3] = {o1.data(), o2.data(), o3.data()};
  k->eval(in, outs);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_DOUBLE_EQ(o1[i], evaluate(f, in[i])) << i;
    ASSERT_DOUBLE_EQ(o2[i], evaluate(g, in[i])) << i;
    ASSERT_DOUBLE_EQ(o3[i], o1[i]) << i;
  }
  // In place: the output array is the input array.
  std::vector<double> buf = in;
  auto kf = Kernel<double>::compile({f});
  ASSERT_TRUE(kf);
  kf->eval(buf, std::span<double>(buf));
  for (std::size_t i = 0; i < n; ++i) ASSERT_DOUBLE_EQ(buf[i], o1[i]) << i;
  // Float, with a parameter as a scalar operand of the select.
  auto kp =
      Kernel<float>::compile({where(Expr::make(Op::kGt, {x, Expr::var("t")}), x, Expr::var("t"))}, {"t"});
  ASSERT_TRUE(kp);
  std::vector<float> xf(in.begin(), in.end()), yf(n);
  const double t = 1.25;
  kp->eval(xf, std::span<float>(yf), std::span<const double>(&t, 1));
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(yf[i], xf[i] > 1.25f ? xf[i] : 1.25f) << i;
}

}  // namespace
}  // namespace actlab::activations
