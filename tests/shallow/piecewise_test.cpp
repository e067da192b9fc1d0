// relu_form: each supported catalog entry equals its ReLU combination everywhere (against the catalog's own
// formula, evaluated by the activations library), and the refusals say why (not piecewise linear, not
// continuous, a formula).
#include "shallow/piecewise.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace actlab::shallow {
namespace {

using activations::Activation;

struct Case {
  std::string name;
  std::map<std::string, double> params;
  std::size_t hinges;  // ReLU units per neuron (after without_slope)
};

const std::vector<Case>& supported() {
  static const std::vector<Case> cases{
      {"relu", {}, 1},
      {"leaky_relu", {}, 2},
      {"leaky_relu", {{"negative_slope", 0.3}}, 2},
      {"leaky_relu", {{"negative_slope", -0.5}}, 2},
      {"leaky_relu", {{"negative_slope", 2.0}}, 2},
      {"leaky_relu", {{"negative_slope", 0.0}}, 1},  // = relu
      {"lrelu", {{"negative_slope", 0.2}}, 2},       // an alias
      {"prelu", {{"a", 0.7}}, 2},
      {"rrelu", {}, 2},
      {"hardtanh", {}, 2},
      {"hardtanh", {{"min_val", -2.0}, {"max_val", 0.5}}, 2},
      {"hardtanh", {{"min_val", 0.75}, {"max_val", 0.75}}, 0},  // the constant 0.75
      {"relu6", {}, 2},
      {"abs", {}, 2},
      {"softshrink", {}, 2},
      {"softshrink", {{"lambd", 0.0}}, 2},  // the identity, as relu(t) − relu(−t)
      {"hard_sigmoid", {}, 2},
      {"hard_sigmoid_keras", {}, 2},
      {"linear", {}, 2},
      {"neg", {}, 2},
      {"hardshrink", {{"lambd", 0.0}}, 2},
      {"trelu", {{"theta", 0.0}}, 1},
  };
  return cases;
}

TEST(Piecewise, EverySupportedEntryEqualsItsCatalogFormula) {
  for (const Case& c : supported()) {
    const Activation act = Activation::make(c.name, c.params).value();
    auto g = relu_form(act);
    ASSERT_TRUE(g) << c.name << ": " << g.status().message();
    EXPECT_EQ(g->without_slope().hinges.size(), c.hinges) << c.name;
    EXPECT_EQ(g->without_slope().slope, 0.0);
    std::vector<double> ts;
    for (int i = -1200; i <= 1200; ++i) ts.push_back(i * 0.01);
    for (const Hinge& h : g->hinges) {  // on and next to every kink
      const double k = -h.shift / h.scale;
      for (const double d : {-1e-9, 0.0, 1e-9, -1e-3, 1e-3}) ts.push_back(k + d);
    }
    for (const double t : ts) {
      EXPECT_NEAR((*g)(t), act.f(t), 1e-12 * (1 + std::abs(t))) << c.name << " at " << t;
      EXPECT_NEAR(g->without_slope()(t), act.f(t), 1e-12 * (1 + std::abs(t))) << c.name << " at " << t;
    }
  }
}

// Whatever relu_form accepts in the whole catalog is the same function as the entry (no entry mapped to the
// wrong form), and the entries it accepts are exactly the list above.
TEST(Piecewise, AcceptedCatalogEntriesAreExactlyTheSupportedOnes) {
  std::vector<std::string> accepted;
  for (const activations::CatalogEntry& e : activations::catalog()) {
    if (e.is_user() || e.row_wise()) continue;
    const Activation act = Activation::make(e.name).value();
    auto g = relu_form(act);
    if (!g) {
      const std::string& msg = g.status().message();
      EXPECT_TRUE(msg.find("is not piecewise linear") != std::string::npos ||
                  msg.find("not continuous") != std::string::npos)
          << msg;
      continue;
    }
    accepted.push_back(e.name);
    for (int i = -700; i <= 700; ++i) EXPECT_NEAR((*g)(i * 0.01), act.f(i * 0.01), 1e-12) << e.name;
  }
  EXPECT_EQ(accepted, (std::vector<std::string>{"hardtanh", "leaky_relu", "prelu", "relu", "relu6", "rrelu",
                                                "softshrink", "abs", "neg", "hard_sigmoid",
                                                "hard_sigmoid_keras", "linear"}));
}

TEST(Piecewise, RefusesWithTheReason) {
  auto why = [](const std::string& name, const std::map<std::string, double>& params = {}) {
    auto g = relu_form(Activation::make(name, params).value());
    EXPECT_FALSE(g) << name;
    return g ? std::string() : g.status().message();
  };
  for (const char* name : {"tanh", "swish", "gelu", "elu", "hardswish", "softplus", "repu"}) {
    const std::string m = why(name);
    EXPECT_NE(m.find(std::string("'") + name + "'"), std::string::npos) << m;
    EXPECT_NE(m.find("is not piecewise linear"), std::string::npos) << m;
    EXPECT_NE(m.find("leaky_relu"), std::string::npos) << m;  // says what is supported
  }
  EXPECT_NE(why("softmax").find("acts on a whole row"), std::string::npos);
  for (const char* name : {"hardshrink", "step", "sign", "floor", "trelu"}) {
    const std::string m = why(name);
    EXPECT_NE(m.find("not continuous"), std::string::npos) << m;
  }
  EXPECT_NE(why("hardshrink").find("(lambd = 0.5)"), std::string::npos);
  EXPECT_NE(why("hardshrink").find("jumps at -lambd, lambd"), std::string::npos);
  EXPECT_NE(why("softshrink", {{"lambd", -0.5}}).find("not continuous"), std::string::npos);
  EXPECT_NE(why("hardtanh", {{"min_val", 1.0}, {"max_val", -1.0}}).find("not continuous"), std::string::npos);
  EXPECT_NE(why("where(x > 0, x, 0)").find("is a formula, not known to be piecewise linear"),
            std::string::npos);
}

}  // namespace
}  // namespace actlab::shallow
