// The catalog against things we did not write: central finite differences for every entry, PyTorch's values
// and autograd derivatives (tests/golden/torch_activations.json, made by tools/gen_torch_golden.py), and the
// numerical estimates of range, kinks and monotonicity for every declaration.
#include "activations/catalog.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "activations/activation.hpp"
#include "activations/properties.hpp"
#include "support/golden.hpp"

namespace actlab::activations {
namespace {

using testing::close;

std::vector<const CatalogEntry*> elementwise_entries() {
  std::vector<const CatalogEntry*> out;
  for (const CatalogEntry& e : catalog()) {
    if (!e.row_wise()) out.push_back(&e);
  }
  return out;
}

TEST(Catalog, MenuIsExactlyTheFortyEightOfTheSpecInOrder) {
  // ../shared/specs/search-alacarte-evolution.md §1.1, in the order of Sipper's ALAYERS list.
  const std::vector<std::string> expected = {"elu",
                                             "hardshrink",
                                             "hardtanh",
                                             "leaky_relu",
                                             "logsigmoid",
                                             "prelu",
                                             "relu",
                                             "relu6",
                                             "rrelu",
                                             "selu",
                                             "celu",
                                             "gelu",
                                             "sigmoid",
                                             "softplus",
                                             "softshrink",
                                             "softsign",
                                             "tanh",
                                             "tanhshrink",
                                             "softmin",
                                             "softmax",
                                             "log_softmax",
                                             "abs",
                                             "acos",
                                             "angle",
                                             "asin",
                                             "atan",
                                             "ceil",
                                             "cos",
                                             "cosh",
                                             "digamma",
                                             "erf",
                                             "erfc",
                                             "exp",
                                             "floor",
                                             "frac",
                                             "log",
                                             "log10",
                                             "neg",
                                             "round",
                                             "sin",
                                             "sinh",
                                             "tan",
                                             "trunc",
                                             "gumbel_softmax",
                                             "generalized_swish",
                                             "sigmoid_derivative",
                                             "cloglogm",
                                             "mish"};
  std::vector<std::string> menu;
  for (const CatalogEntry& e : catalog()) {
    if (e.in_menu) menu.push_back(e.name);
  }
  EXPECT_EQ(menu, expected);
  EXPECT_GE(catalog().size(), 60u);
}

TEST(Catalog, NamesAreCanonicalAndUnique) {
  const std::regex canonical("[a-z][a-z0-9_]*");
  std::set<std::string> seen;
  for (const CatalogEntry& e : catalog()) {
    EXPECT_TRUE(std::regex_match(e.name, canonical)) << e.name;
    EXPECT_TRUE(seen.insert(e.name).second) << "duplicate " << e.name;
    for (const std::string& a : e.aliases) {
      EXPECT_TRUE(std::regex_match(a, canonical)) << a;
      EXPECT_TRUE(seen.insert(a).second) << "duplicate alias " << a;
    }
    EXPECT_FALSE(e.reference.empty()) << e.name;
  }
}

TEST(Catalog, LookupByAliasAndSpelling) {
  ASSERT_NE(find_entry("silu"), nullptr);
  EXPECT_EQ(find_entry("silu")->name, "swish");
  EXPECT_EQ(find_entry("Leaky-ReLU")->name, "leaky_relu");
  EXPECT_EQ(find_entry("elu_alpha")->name, "elu");
  EXPECT_EQ(find_entry("nonsense"), nullptr);
}

TEST(Catalog, FlagsOfTheSpecialEntries) {
  for (const char* n : {"softmax", "softmin", "log_softmax", "gumbel_softmax"})
    EXPECT_TRUE(find_entry(n)->row_wise());
  EXPECT_EQ(find_entry("rrelu")->stochastic, Stochastic::kRrelu);
  EXPECT_EQ(find_entry("gumbel_softmax")->stochastic, Stochastic::kGumbel);
  for (const char* n : {"prelu", "acon_a", "acon_b", "acon_c", "snake", "swish_beta"}) {
    EXPECT_TRUE(find_entry(n)->has_learnable_params()) << n;
  }
  EXPECT_FALSE(find_entry("relu")->has_learnable_params());
  EXPECT_DOUBLE_EQ(find_entry("prelu")->find_param("a")->default_value, 0.25);  // torch.nn.PReLU init
}

TEST(Catalog, EveryEntryBuilds) {
  for (const CatalogEntry& e : catalog()) {
    auto a = Activation::make(e.name);
    ASSERT_TRUE(a) << e.name << ": " << a.status().message();
    if (!e.row_wise()) {
      EXPECT_EQ(variables(a->f_expr()), std::vector<std::string>{"x"}) << e.name;
    }
  }
}

// ---- finite differences over the whole catalog ----

struct FdCase {
  std::string name;
  std::map<std::string, double> params;
};

std::vector<FdCase> fd_cases() {
  std::vector<FdCase> cases;
  for (const CatalogEntry* e : elementwise_entries()) {
    cases.push_back({e->name, {}});
    if (e->params.empty()) continue;
    // And once more with every parameter moved off its default, so formulas in the params are exercised.
    std::map<std::string, double> moved;
    for (const ParamSpec& p : e->params)
      moved[p.name] = p.default_value * 1.25 + (p.default_value == 0 ? 0.1 : 0);
    cases.push_back({e->name, moved});
  }
  return cases;
}

TEST(CatalogFiniteDifferences, FirstAndSecondDerivativesOfEveryEntry) {
  std::vector<double> xs;
  for (double x = -6.0; x <= 6.0; x += 0.173) xs.push_back(x);
  for (double x : {-30.0, -12.5, 9.7, 25.0}) xs.push_back(x);
  int checked = 0;
  for (const FdCase& c : fd_cases()) {
    auto a = Activation::make(c.name, c.params);
    ASSERT_TRUE(a) << c.name << ": " << a.status().message();
    auto kinks = declared_kinks(*a->entry(), a->params(), -40, 40);
    ASSERT_TRUE(kinks) << c.name;
    for (double x : xs) {
      const double h = 1e-4 * std::max(1.0, std::fabs(x));
      bool near_kink = false;
      for (double k : *kinks) near_kink = near_kink || std::fabs(x - k) < 4 * h;
      if (near_kink) continue;
      const double f0 = a->f(x), fp = a->f(x + h), fm = a->f(x - h);
      const double df = a->df(x), d2f = a->d2f(x);
      if (!std::isfinite(f0) || !std::isfinite(fp) || !std::isfinite(fm) || !std::isfinite(df) ||
          !std::isfinite(d2f) || std::fabs(df) > 1e3 || std::fabs(d2f) > 1e2) {
        continue;  // outside the domain (log, acos) or next to a pole (tan, digamma), where differences are
                   // noise
      }
      // Richardson-extrapolated central differences: error O(h^4).
      const double h2 = h / 2;
      const double d1_h = (fp - fm) / (2 * h), d1_h2 = (a->f(x + h2) - a->f(x - h2)) / (2 * h2);
      const double fd1 = (4 * d1_h2 - d1_h) / 3;
      const double scale = std::max({1.0, std::fabs(f0), std::fabs(df)});
      EXPECT_NEAR(df, fd1, 1e-7 * scale) << c.name << " f'(" << x << ")";
      const double dp = a->df(x + h), dm = a->df(x - h);
      const double d2_h = (dp - dm) / (2 * h), d2_h2 = (a->df(x + h2) - a->df(x - h2)) / (2 * h2);
      const double fd2 = (4 * d2_h2 - d2_h) / 3;
      EXPECT_NEAR(d2f, fd2, 1e-6 * std::max({1.0, std::fabs(df), std::fabs(d2f)}))
          << c.name << " f''(" << x << ")";
      // And f'' from f alone (second difference), independent of the symbolic f'.
      const double fd2_f = (fp - 2 * f0 + fm) / (h * h);
      EXPECT_NEAR(d2f, fd2_f, 1e-4 * std::max({1.0, std::fabs(f0), std::fabs(d2f)}))
          << c.name << " f''(" << x << ")";
      ++checked;
    }
  }
  EXPECT_GT(checked, 5000);
}

// ---- PyTorch golden values ----

std::vector<double> numbers(const Json& j) {
  std::vector<double> v;
  for (const Json& e : j) v.push_back(json_to_double(e));
  return v;
}

// Points where our value is the exact one and PyTorch's literal float32 formula overflows to NaN
// (e^{100}·σ(-100)² and friends). Each is a documented deviation: docs/catalog.md, "Differences from
// PyTorch".
bool known_float32_overflow(const std::string& name, double x) {
  return (name == "sigmoid_derivative" && x <= -89) || (name == "generalized_swish" && x <= -89) ||
         (name == "cloglogm" && x >= 89);
}

TEST(CatalogGolden, MatchesPyTorchValuesAndAutogradDerivatives) {
  const Json g = testing::read_golden("torch_activations.json");
  int compared = 0;
  for (const Json& fn : g["elementwise"]) {
    const std::string name = fn["name"];
    SCOPED_TRACE(name);
    auto a = Activation::make(name);
    ASSERT_TRUE(a) << a.status().message();
    const std::vector<double> xs = numbers(fn["x"]);
    const std::vector<double> f = numbers(fn["f64"]["f"]), df = numbers(fn["f64"]["df"]),
                              d2f = numbers(fn["f64"]["d2f"]);
    const std::vector<double> f32 = numbers(fn["f32"]["f"]), df32 = numbers(fn["f32"]["df"]);
    std::set<double> kinks, singular;
    for (const Json& k : fn.value("kinks", Json::array())) kinks.insert(json_to_double(k));
    for (const Json& k : fn.value("singular", Json::array())) singular.insert(json_to_double(k));
    const bool has_d2f = !fn.contains("d2f_note");

    // Double precision: our kernel (f, f', f'') against PyTorch float64.
    const std::size_t n = xs.size();
    std::vector<double> mf(n), mdf(n), md2f(n);
    double* outs[3] = {mf.data(), mdf.data(), md2f.data()};
    a->kernel().eval(xs, outs);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = xs[i];
      // softplus: PyTorch returns x itself above its threshold 20; ours is log(1+e^x) everywhere (2e-9
      // apart).
      const double rtol = name == "softplus" ? 1e-9 : 1e-12;
      EXPECT_TRUE(close(mf[i], f[i], rtol, 1e-14)) << "f(" << x << ") = " << mf[i] << ", torch " << f[i];
      if (singular.count(x)) continue;
      // At a kink the derivative is a convention; ours follows PyTorch's (tested here too), except the jump
      // points of floor/ceil/round/trunc, where PyTorch's 0 and ours agree as well.
      // torch's trigamma is accurate to ~1e-9 only (ψ₁(1/2) = π²/2: ours exact, torch 3e-10 off).
      // torch's float64 hardsigmoid backward multiplies by a float32 1/6 (0.1666666716).
      const double rtol_df = name == "digamma" ? 1e-8 : name == "hard_sigmoid" ? 1e-7 : 1e-10;
      EXPECT_TRUE(close(mdf[i], df[i], rtol_df, 1e-12) || (name == "softplus" && x > 20))
          << "f'(" << x << ") = " << mdf[i] << ", torch " << df[i] << (kinks.count(x) ? " (kink)" : "");
      if (has_d2f && !kinks.count(x)) {
        EXPECT_TRUE(close(md2f[i], d2f[i], 1e-9, 1e-12) || (name == "softplus" && x > 20))
            << "f''(" << x << ") = " << md2f[i] << ", torch " << d2f[i];
      }
      ++compared;
    }

    // Single precision: our float kernel (f, f'). First against our double kernel (tested against PyTorch
    // float64 above) with the accuracy float allows: a few ulp of the value, of x·f' for the input's
    // rounding, of the operands' size, and float's underflow. Then against PyTorch's float32 values, which
    // are sometimes the less accurate of the two (ELU uses exp(x) - 1 rather than expm1, GELU cancels to 0
    // below x = -5.9), so that comparison allows both errors.
    std::vector<float> xf(xs.begin(), xs.end()), yf(n), dyf(n);
    float* fouts[2] = {yf.data(), dyf.data()};
    a->kernel_f32().eval(xf, fouts);
    constexpr double kFloatTiny = 1e-37;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = xs[i];
      if (std::fabs(x) > 80 || singular.count(x) || !std::isfinite(mf[i])) continue;  // float32 overflow
      const double tol_f = 4e-6 * (std::fabs(mf[i]) + std::fabs(x * mdf[i])) +
                           2.4e-7 * std::min(1.0, std::fabs(x)) + kFloatTiny;
      EXPECT_TRUE(close(yf[i], mf[i], 0, tol_f)) << "f32 f(" << x << ") = " << yf[i] << ", double " << mf[i];
      EXPECT_TRUE(close(yf[i], f32[i], 1e-4, 2e-6))
          << "f32 f(" << x << ") = " << yf[i] << ", torch f32 " << f32[i];
      if (kinks.count(x) || !std::isfinite(mdf[i]) || std::fabs(mdf[i]) > 1e4) continue;  // kinks, poles
      const double d2 = std::isfinite(md2f[i]) ? md2f[i] : 0.0;
      // Derivatives add terms of size ~|x·f''| and ~1 that cancel (1 + tanh(u) in gelu_tanh'), so the
      // absolute part grows with |x|: one float ulp of 1 is 6e-8.
      const double atol_df = 1e-6 * std::min(1.0 + std::fabs(x), 10.0);
      const double tol_df = 8e-6 * (std::fabs(mdf[i]) + std::fabs(x * d2)) + atol_df + kFloatTiny;
      EXPECT_TRUE(close(dyf[i], mdf[i], 0, tol_df))
          << "f32 f'(" << x << ") = " << dyf[i] << ", double " << mdf[i];
      EXPECT_TRUE(close(dyf[i], df32[i], 1e-4, 2 * atol_df) || (name == "softplus" && x > 20))
          << "f32 f'(" << x << ") = " << dyf[i] << ", torch f32 " << df32[i];
    }
    // Where PyTorch's literal float32 formula overflows to NaN, ours stays finite (docs/catalog.md).
    for (std::size_t i = 0; i < n; ++i) {
      if (known_float32_overflow(name, xs[i])) {
        EXPECT_TRUE(std::isfinite(yf[i])) << "f32 f(" << xs[i] << ")";
      }
    }
  }
  EXPECT_GT(compared, 2500);
}

// ---- declared metadata against numerical estimates ----

TEST(CatalogMetadata, DeclaredRangeMatchesEstimate) {
  for (const CatalogEntry* e : elementwise_entries()) {
    auto a = Activation::make(e->name);
    ASSERT_TRUE(a);
    auto declared = declared_range(*e, a->params());
    ASSERT_TRUE(declared) << e->name;
    const Range est = estimate_range(a->f_expr());
    // frac's bounds ±1 are approached just before each jump and never attained; the grid gets within 1e-3.
    const double tol = e->name == "frac" ? 1e-3 : 1e-6;
    EXPECT_TRUE(close(est.lo, declared->lo, tol, tol))
        << e->name << " lo: declared " << declared->lo << ", estimated " << est.lo;
    EXPECT_TRUE(close(est.hi, declared->hi, tol, tol))
        << e->name << " hi: declared " << declared->hi << ", estimated " << est.hi;
  }
}

TEST(CatalogMetadata, DeclaredMonotonicityMatchesEstimate) {
  for (const CatalogEntry* e : elementwise_entries()) {
    auto a = Activation::make(e->name);
    ASSERT_TRUE(a);
    EXPECT_EQ(estimate_monotone(a->f_expr()), e->monotone) << e->name;
  }
}

TEST(CatalogMetadata, DeclaredKinksMatchTheDetector) {
  for (const CatalogEntry* e : elementwise_entries()) {
    auto a = Activation::make(e->name);
    ASSERT_TRUE(a);
    auto declared = declared_kinks(*e, a->params(), -10, 10);
    ASSERT_TRUE(declared) << e->name;
    const std::vector<double> found = find_kinks(a->f_expr(), -10, 10);
    ASSERT_EQ(found.size(), declared->size()) << e->name;
    for (std::size_t i = 0; i < found.size(); ++i) {
      EXPECT_NEAR(found[i], (*declared)[i], 1e-9) << e->name;
    }
  }
}

TEST(CatalogMetadata, ValuesStayInsideTheDeclaredRange) {
  for (const CatalogEntry* e : elementwise_entries()) {
    auto a = Activation::make(e->name);
    ASSERT_TRUE(a);
    auto r = declared_range(*e, a->params());
    ASSERT_TRUE(r);
    for (double x = -50; x <= 50; x += 0.0137) {
      const double y = a->f(x);
      if (std::isnan(y)) continue;
      EXPECT_GE(y, r->lo - 1e-12) << e->name << " at " << x;
      EXPECT_LE(y, r->hi + 1e-12) << e->name << " at " << x;
    }
  }
}

}  // namespace
}  // namespace actlab::activations
