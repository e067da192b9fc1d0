// DeepReluNet: import from an actlab model (composition, identity read-out, errors naming the layer), the
// local affine model against the forward pass, standardisation folding.
#include "shallow/deep_net.hpp"

#include <gtest/gtest.h>

#include <map>

#include "activations/activation.hpp"
#include "core/rng.hpp"
#include "nn/activation_layer.hpp"
#include "nn/dense.hpp"
#include "shallow/piecewise.hpp"

namespace actlab::shallow {
namespace {

using activations::Activation;

nn::Model<float> mlp(const std::string& act) {
  nn::Model<float> m({{3}});
  auto d1 = std::make_unique<nn::Dense<float>>(3, 4);
  d1->weight().value << 1, -2, 0, 3, 1, 1, -1, 0, 2, 0, 1, -1;
  d1->bias().value << 0.5, -1, 0, 2;
  EXPECT_TRUE(m.add(std::unique_ptr<nn::Layer<float>>(std::move(d1))).is_ok());
  EXPECT_TRUE(
      m.add(nn::ActivationLayer<float>::make(activations::Activation::make(act).value(), {{4}})).is_ok());
  auto d2 = std::make_unique<nn::Dense<float>>(4, 2);
  d2->weight().value << 1, 2, -1, 0.5, 0, -1, 1, 1;
  d2->bias().value << 0.25, -0.5;
  EXPECT_TRUE(m.add(std::unique_ptr<nn::Layer<float>>(std::move(d2))).is_ok());
  return m;
}

TEST(DeepNet, FromModelMatchesTheModelsForwardPass) {
  nn::Model<float> m = mlp("relu");
  const DeepReluNet net = DeepReluNet::from_model(m).value();
  EXPECT_EQ(net.arch(), "3-4-2");
  EXPECT_EQ(net.hidden(), 4);
  MatrixF x(1, 3);
  x << 0.3f, -1.2f, 2.0f;
  const MatrixF y = m.predict(x);
  const Eigen::VectorXd yd = net.forward(x.row(0).cast<double>().transpose());
  EXPECT_NEAR(yd[0], y(0, 0), 1e-5);
  EXPECT_NEAR(yd[1], y(0, 1), 1e-5);
  EXPECT_TRUE(net.integer_weights() == false);
}

TEST(DeepNet, NamesANonReluActivationAndItsLayer) {
  auto r = DeepReluNet::from_model(mlp("tanh"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("layers[1] (activation): activation 'tanh' is not piecewise linear"),
            std::string::npos)
      << r.status().message();
  // The layer of a deeper offender: dense, leaky_relu, dense, swish, dense.
  const auto acts =
      std::vector<Activation>{Activation::make("leaky_relu").value(), Activation::make("swish").value()};
  auto deep = DeepReluNet::from_model(random_mlp_model({3, 4, 4, 1}, acts, 1).value());
  ASSERT_FALSE(deep);
  EXPECT_NE(
      deep.status().message().find("layers[3] (activation): activation 'swish' is not piecewise linear"),
      std::string::npos)
      << deep.status().message();
  auto jump = DeepReluNet::from_model(mlp("hardshrink"));
  ASSERT_FALSE(jump);
  EXPECT_NE(jump.status().message().find("layers[1] (activation): activation 'hardshrink' (lambd = 0.5) is "
                                         "piecewise linear but not continuous"),
            std::string::npos)
      << jump.status().message();
}

// ---- piecewise-linear activations: the converted ReLU net is the model's own forward pass ----

struct PlCase {
  std::string name;
  std::map<std::string, double> params;
  int units;  // ReLU units per neuron
};

const std::vector<PlCase>& pl_cases() {
  static const std::vector<PlCase> cases{
      {"relu", {}, 1},
      {"leaky_relu", {{"negative_slope", 0.2}}, 2},
      {"leaky_relu", {}, 2},
      {"leaky_relu", {{"negative_slope", -1.5}}, 2},
      {"prelu", {}, 2},
      {"rrelu", {}, 2},
      {"hardtanh", {}, 2},
      {"hardtanh", {{"min_val", -0.5}, {"max_val", 2.0}}, 2},
      {"relu6", {}, 2},
      {"abs", {}, 2},
      {"softshrink", {}, 2},
      {"hard_sigmoid", {}, 2},
      {"hard_sigmoid_keras", {}, 2},
  };
  return cases;
}

// Inputs: random ones, and points on (and 1e-4 either side of) every first-layer kink of the activation.
std::vector<Eigen::VectorXd> probe_points(const nn::Model<float>& m, const ReluForm& g, std::uint64_t seed) {
  Rng rng = Rng::derive(seed, "probe_points");
  const int n = m.input_shape().size();
  std::vector<Eigen::VectorXd> pts;
  auto normal = [&] {
    Eigen::VectorXd x(n);
    for (int j = 0; j < n; ++j) x[j] = 3 * rng.normal();
    return x;
  };
  for (int i = 0; i < 200; ++i) pts.push_back(normal());
  const auto& d1 = static_cast<const nn::Dense<float>&>(m.layer(0));
  const MatrixD w = d1.weight().value.cast<double>();
  const Eigen::VectorXd b = d1.bias().value.cast<double>().transpose();
  for (const Hinge& h : g.hinges) {
    const double kink = -h.shift / h.scale;
    for (Eigen::Index j = 0; j < w.rows(); ++j) {
      const Eigen::VectorXd x0 = normal(), wj = w.row(j).transpose();
      const Eigen::VectorXd on = x0 + (kink - (wj.dot(x0) + b[j])) / wj.squaredNorm() * wj;
      for (const double delta : {-1e-4, 0.0, 1e-4}) pts.push_back(on + delta * wj.normalized());
    }
  }
  return pts;
}

void expect_same_function(nn::Model<float>& m, const DeepReluNet& net,
                          const std::vector<Eigen::VectorXd>& pts, const std::string& what) {
  MatrixF x(static_cast<Eigen::Index>(pts.size()), m.input_shape().size());
  for (std::size_t i = 0; i < pts.size(); ++i)
    x.row(static_cast<Eigen::Index>(i)) = pts[i].cast<float>().transpose();
  const MatrixF y = m.predict(x);
  double worst = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    // The net reads the float input the model read.
    const Eigen::VectorXd xi = x.row(static_cast<Eigen::Index>(i)).cast<double>().transpose();
    const Eigen::VectorXd yd = net.forward(xi);
    const Eigen::VectorXd ym = y.row(static_cast<Eigen::Index>(i)).cast<double>().transpose();
    worst = std::max(worst, (yd - ym).cwiseAbs().maxCoeff() / (1 + ym.cwiseAbs().maxCoeff()));
  }
  EXPECT_LT(worst, 1e-5) << what;
}

TEST(DeepNet, PiecewiseLinearActivationsAreRewrittenExactly) {
  for (const PlCase& c : pl_cases()) {
    const Activation act = Activation::make(c.name, c.params).value();
    const ReluForm g = relu_form(act).value();
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
      nn::Model<float> m = random_mlp_model({3, 6, 5, 2}, {act}, seed).value();
      const DeepReluNet net = DeepReluNet::from_model(m).value();
      const std::string what = c.name + " seed " + std::to_string(seed);
      EXPECT_EQ(net.arch(), "3-" + std::to_string(6 * c.units) + "-" + std::to_string(5 * c.units) + "-2")
          << what;
      expect_same_function(m, net, probe_points(m, g, seed), what);
    }
  }
}

TEST(DeepNet, MixedAndAffineActivationsCompose) {
  auto acts = [](std::vector<std::string> names) {
    std::vector<Activation> a;
    for (const auto& n : names) a.push_back(Activation::make(n).value());
    return a;
  };
  // leaky, identity (composed away), abs, neg (affine: composed), hardtanh.
  const auto a = acts({"leaky_relu", "linear", "abs", "neg", "hardtanh"});
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    nn::Model<float> m = random_mlp_model({3, 6, 5, 4, 4, 5, 2}, a, seed).value();
    const DeepReluNet net = DeepReluNet::from_model(m).value();
    EXPECT_EQ(net.arch(), "3-12-8-10-2");
    expect_same_function(m, net, probe_points(m, relu_form(a[0]).value(), seed), "mixed");
  }
  // Only affine activations: one affine read-out.
  nn::Model<float> lin = random_mlp_model({3, 4, 2}, acts({"linear"}), 1).value();
  const DeepReluNet net = DeepReluNet::from_model(lin).value();
  EXPECT_EQ(net.arch(), "3-2");
  EXPECT_EQ(net.hidden(), 0);
  expect_same_function(lin, net, probe_points(lin, ReluForm{}, 1), "linear");
}

TEST(DeepNet, UsesPreluLearnedSlope) {
  nn::Model<float> m = random_mlp_model({3, 6, 5, 2}, {Activation::make("prelu").value()}, 2).value();
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (nn::Param<float>* p : m.layer(i).params())
      if (p->name == "a") p->value(0, 0) = static_cast<float>(-0.4 - 0.3 * static_cast<double>(i));
  }
  const DeepReluNet net = DeepReluNet::from_model(m).value();
  expect_same_function(m, net, probe_points(m, relu_form(Activation::make("relu").value()).value(), 2),
                       "prelu with learned slopes");
  // The default slope (0.25) would give another function.
  const DeepReluNet stale =
      DeepReluNet::from_model(random_mlp_model({3, 6, 5, 2}, {Activation::make("prelu").value()}, 2).value())
          .value();
  Eigen::VectorXd x(3);
  x << -2, 1, 0.5;
  EXPECT_GT((stale.forward(x) - net.forward(x)).norm(), 1e-3);
}

TEST(DeepNet, LocalModelIsTheNetworkOnItsRegion) {
  const DeepReluNet net = random_relu_net({3, 5, 4, 2}, 3);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Eigen::VectorXd x = Eigen::VectorXd::Random(3) * 2;
    Eigen::VectorXd z;
    const Eigen::VectorXd y = net.forward(x, z);
    const LocalModel lm = net.local(net.pattern(x));
    EXPECT_LT((lm.alpha * x + lm.beta - y).norm(), 1e-12);
    EXPECT_LT((lm.rows_a * x + lm.rows_d - z).norm(), 1e-12);
  }
}

TEST(DeepNet, FoldsStandardisationAndChecksShapes) {
  DeepReluNet net = random_relu_net({2, 3, 1}, 1);
  const DeepReluNet raw = net;
  Eigen::VectorXd mean(2), scale(2), x(2);  // dynamic size: GCC 12's -Warray-bounds misreads Vector2d packets
  mean << 1.0, -2.0;
  scale << 2.0, 0.5;
  x << 0.7, 1.1;
  ASSERT_TRUE(net.fold_standardization(mean, scale).is_ok());
  const Eigen::VectorXd xs = (x - mean).cwiseQuotient(scale);
  EXPECT_NEAR(net.forward(x)[0], raw.forward(xs)[0], 1e-12);
  EXPECT_FALSE(net.fold_standardization(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Ones(3)).is_ok());
  std::vector<AffineLayer> bad{{MatrixD::Ones(2, 2), Eigen::VectorXd::Zero(2)},
                               {MatrixD::Ones(1, 3), Eigen::VectorXd::Zero(1)}};
  EXPECT_FALSE(DeepReluNet::make(bad));
  EXPECT_TRUE(random_relu_net({2, 3, 1}, 1, -2, 2).integer_weights());
}

}  // namespace
}  // namespace actlab::shallow
