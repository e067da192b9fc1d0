// Activation::make: catalog names and formulas are interchangeable; parameters bind by name; errors are
// clear.
#include "activations/activation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "activations/printer.hpp"

namespace actlab::activations {
namespace {

TEST(Activation, FormulaEqualsMatchingCatalogEntryWithDerivatives) {
  // Pairs (formula, catalog entry) that must be the same function: values and both derivatives.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"x*sigmoid(x)", "swish"},
      {"x*tanh(log(1 + exp(x)))", "mish"},
      {"max(0, x)^3", "repu"},
      {"x*max(0, x + 1)^2", "mrepu"},
      {"where(x > 0, x, 0.01*x)", "leaky_relu"},
      {"tanh(x/2)", "dik_tanh"},
      {"x*0.5*(1 + erf(x/sqrt(2)))", "gelu"},
      {"x + sin(x)^2", "snake"},
      {"log(sigmoid(x))", "logsigmoid"},
      {"sigmoid(x)*(1 - sigmoid(x))", "sigmoid_derivative"},
      {"x*sigmoid(x)", "acon_a"},
      {"log(1 + exp(x)) - log(2)", "softplus_shifted"},
  };
  for (const auto& [text, name] : pairs) {
    std::map<std::string, double> params;
    if (name == "repu") params["p"] = 3;
    auto a = Activation::make(text);
    auto b = Activation::make(name, params);
    ASSERT_TRUE(a) << text << ": " << a.status().message();
    ASSERT_TRUE(b) << name;
    EXPECT_EQ(a->entry(), nullptr);
    EXPECT_EQ(b->entry()->name, name);
    for (double x = -4.05; x <= 4; x += 0.1) {
      EXPECT_NEAR(a->f(x), b->f(x), 1e-12 * (1 + std::fabs(b->f(x))))
          << text << " vs " << name << " at " << x;
      EXPECT_NEAR(a->df(x), b->df(x), 1e-11 * (1 + std::fabs(b->df(x)))) << text << "' vs " << name << "'";
      EXPECT_NEAR(a->d2f(x), b->d2f(x), 1e-10 * (1 + std::fabs(b->d2f(x))))
          << text << "'' vs " << name << "''";
    }
  }
}

TEST(Activation, CatalogCallsInsideFormulas) {
  auto a = Activation::make("x*repu(x, p=3)");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_DOUBLE_EQ(a->f(2.0), 16.0);
  EXPECT_DOUBLE_EQ(a->df(2.0), 32.0);  // 4x^3
  auto b = Activation::make("leaky_relu(x, 0.2) + elu(x, alpha=2)");
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_DOUBLE_EQ(b->f(-1.0), -0.2 + 2 * std::expm1(-1.0));
}

TEST(Activation, ParametersBindByName) {
  auto a = Activation::make("repu", {{"p", 3}});
  ASSERT_TRUE(a);
  EXPECT_DOUBLE_EQ(a->f(2.0), 8.0);
  EXPECT_EQ(a->param("p"), 3.0);
  EXPECT_TRUE(std::isnan(a->param("q")));
  auto d = Activation::make("repu");
  EXPECT_DOUBLE_EQ(d->f(2.0), 4.0);  // default p = 2
  auto f = Activation::make("x*sigmoid(b*x)", {{"b", 1.5}});
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_NEAR(f->f(2.0), 2.0 / (1 + std::exp(-3.0)), 1e-15);
  // The symbolic form keeps the parameter, for learnable parameters.
  auto p = Activation::make("prelu");
  EXPECT_EQ(variables(p->symbolic()), (std::vector<std::string>{"a", "x"}));
  EXPECT_EQ(variables(p->f_expr()), std::vector<std::string>{"x"});
}

TEST(Activation, ErrorsNameTheProblem) {
  auto unknown = Activation::make("sigmod");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("did you mean sigmoid"), std::string::npos)
      << unknown.status().message();
  auto bad_param = Activation::make("repu", {{"q", 1}});
  ASSERT_FALSE(bad_param);
  EXPECT_EQ(bad_param.status().message(), "param q: repu has no parameter 'q' (it has p)");
  EXPECT_EQ(bad_param.status().field(), "param q");
  auto none = Activation::make("relu", {{"a", 1}});
  EXPECT_NE(none.status().message().find("(it has none)"), std::string::npos);
  auto unused = Activation::make("x*sigmoid(x)", {{"b", 1}});
  ASSERT_FALSE(unused);
  EXPECT_NE(unused.status().message().find("the formula has no parameter 'b'"), std::string::npos);
  auto free_name = Activation::make("x*sigmoid(b*x)");
  ASSERT_FALSE(free_name);
  EXPECT_EQ(free_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(free_name.status().message().find("1:11: unknown name 'b'"), std::string::npos)
      << free_name.status().message();
  auto malformed = Activation::make("max(0, x");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.status().message(), "1:9: expected ')' after argument, found the end of the formula");
}

TEST(Activation, SecondDerivativeMustBeEvaluable) {
  EXPECT_TRUE(Activation::make("polygamma(2, x)"));
  auto too_high = Activation::make("polygamma(3, x)");
  ASSERT_FALSE(too_high);
  EXPECT_EQ(too_high.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_high.status().message().find("polygamma of order 5"), std::string::npos)
      << too_high.status().message();
}

TEST(Activation, RowWiseEntriesHaveNoElementFormula) {
  auto s = Activation::make("softmax");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->row_wise());
  EXPECT_EQ(s->row_op(), RowOp::kSoftmax);
  auto g = Activation::make("gumbel_softmax");
  EXPECT_EQ(g->stochastic(), Stochastic::kGumbel);
  EXPECT_EQ(g->param("tau"), 1.0);
}

TEST(Activation, KernelsAgreeWithTheTree) {
  auto a = Activation::make("gelu");
  ASSERT_TRUE(a);
  std::vector<double> x = {-3, -1, 0, 0.5, 2}, f(5), df(5), d2f(5);
  double* outs[3] = {f.data(), df.data(), d2f.data()};
  a->kernel().eval(x, outs);
  std::vector<float> xf(x.begin(), x.end()), ff(5), dff(5);
  float* fouts[2] = {ff.data(), dff.data()};
  a->kernel_f32().eval(xf, fouts);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(f[i], a->f(x[i]), 1e-15);
    EXPECT_NEAR(df[i], a->df(x[i]), 1e-15);
    EXPECT_NEAR(d2f[i], a->d2f(x[i]), 1e-15);
    EXPECT_NEAR(ff[i], a->f(x[i]), 1e-6);
    EXPECT_NEAR(dff[i], a->df(x[i]), 1e-6);
  }
}

}  // namespace
}  // namespace actlab::activations

namespace actlab::activations {
namespace {

// A lone "x" is the identity formula, not an unknown name (evolved activations can be just x).
TEST(Activation, LoneXIsTheIdentity) {
  auto a = Activation::make("x");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->f(-2.5), -2.5);
  EXPECT_EQ(a->df(3.0), 1.0);
  EXPECT_FALSE(Activation::make("y"));
}

}  // namespace
}  // namespace actlab::activations
