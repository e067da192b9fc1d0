// Acceptance: the shallow network equals the deep one with 0 mismatches and 0 NaN on random points and on
// points exactly on hyperplanes, for integer-weight networks of depth 2–4 (spec §1.6).
#include "shallow/verify.hpp"

#include <gtest/gtest.h>

#include <map>

#include "nn/model.hpp"

namespace actlab::shallow {
namespace {

TEST(Verify, IntegerNetsOfDepthTwoToFourOnRandomAndBoundaryPoints) {
  const std::vector<std::vector<int>> archs{
      {2, 6, 1}, {2, 4, 4, 1}, {2, 3, 3, 3, 1}, {3, 4, 4, 2}, {2, 5, 3, 1}};
  for (const auto& arch : archs) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const DeepReluNet net = random_relu_net(arch, seed, -3, 3);
      const ShallowNet s = build_shallow(enumerate_regions(net).value());
      const VerifyReport r = verify(net, s, random_points(net.input_dim(), 300, seed));
      EXPECT_EQ(r.points, 300);
      EXPECT_EQ(r.mismatches, 0) << net.arch() << " seed " << seed;
      EXPECT_EQ(r.nan, 0);
      EXPECT_EQ(r.open_gates_not_one, 0);
      const auto edge = boundary_points(net, 300, seed);
      EXPECT_GT(edge.size(), 10u) << net.arch() << " seed " << seed;
      const VerifyReport b = verify(net, s, edge);
      EXPECT_EQ(b.mismatches, 0) << net.arch() << " seed " << seed << " (boundary)";
      EXPECT_EQ(b.nan, 0);
      EXPECT_EQ(b.open_gates_not_one, 0) << net.arch() << " seed " << seed << " (boundary)";
    }
  }
}

TEST(Verify, BoundaryPointsLieOnHyperplanes) {
  const DeepReluNet net = random_relu_net({2, 4, 4, 1}, 1, -3, 3);
  for (const Eigen::VectorXd& x : boundary_points(net, 50, 2)) {
    Eigen::VectorXd z;
    net.forward(x, z);
    EXPECT_TRUE((z.array() == 0.0).any());
    EXPECT_EQ(x, x.array().round().matrix());
  }
}

TEST(Verify, FloatNetsAgreeToRoundingAndTheBoxIsRespected) {
  const DeepReluNet net = random_relu_net({3, 8, 8, 1}, 9);
  RegionOptions opt;
  opt.box = {{-1.0, 1.0}};
  const ShallowNet s = build_shallow(enumerate_regions(net, opt).value());
  const auto pts = random_points(3, 500, 3, opt.box);
  for (const auto& x : pts) EXPECT_LE(x.cwiseAbs().maxCoeff(), 1.0);
  const VerifyReport r = verify(net, s, pts);
  EXPECT_EQ(r.mismatches, 0);
  EXPECT_LT(r.max_abs_diff, 1e-12);
  // A deliberately wrong network is caught.
  const DeepReluNet other = random_relu_net({3, 8, 8, 1}, 10);
  EXPECT_GT(verify(other, s, pts).mismatches, 400);
}

// Piecewise-linear activations (shallow/piecewise.hpp): model → ReLU net → regions → shallow net, checked
// against the ReLU net (verify) and against the original model's own forward pass.
void expect_pipeline_exact(nn::Model<float>& m, const std::vector<Eigen::VectorXd>& pts,
                           const std::string& what) {
  const DeepReluNet net = DeepReluNet::from_model(m).value();
  const ShallowNet s = build_shallow(enumerate_regions(net).value());
  const VerifyReport r = verify(net, s, pts);
  EXPECT_EQ(r.points, static_cast<long>(pts.size()));
  EXPECT_EQ(r.mismatches, 0) << what;
  EXPECT_EQ(r.nan, 0) << what;
  EXPECT_EQ(r.open_gates_not_one, 0) << what;
  MatrixF x(static_cast<Eigen::Index>(pts.size()), net.input_dim());
  for (std::size_t i = 0; i < pts.size(); ++i)
    x.row(static_cast<Eigen::Index>(i)) = pts[i].cast<float>().transpose();
  const MatrixF y = m.predict(x);
  double worst = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const ShallowEval e = evaluate(s, x.row(static_cast<Eigen::Index>(i)).cast<double>().transpose());
    const Eigen::VectorXd ym = y.row(static_cast<Eigen::Index>(i)).cast<double>().transpose();
    worst = std::max(worst, (e.y - ym).cwiseAbs().maxCoeff() / (1 + ym.cwiseAbs().maxCoeff()));
  }
  EXPECT_LT(worst, 1e-5) << what << ": the shallow net against the model's forward pass";
}

TEST(Verify, PiecewiseLinearModelsGiveExactShallowNets) {
  const std::vector<std::pair<std::string, std::map<std::string, double>>> acts{
      {"leaky_relu", {{"negative_slope", 0.2}}},
      {"prelu", {{"a", -0.6}}},
      {"hardtanh", {}},
      {"relu6", {}},
      {"abs", {}},
      {"softshrink", {}},
      {"hard_sigmoid", {}}};
  for (const auto& [name, params] : acts) {
    const auto act = activations::Activation::make(name, params).value();
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      nn::Model<float> m = random_mlp_model({3, 4, 3, 2}, {act}, seed).value();
      expect_pipeline_exact(m, random_points(3, 300, seed), name + " seed " + std::to_string(seed));
    }
  }
}

// Integer weights: the hinges of abs, relu6 and hardtanh sit on integer pre-activations, so integer inputs
// land exactly on them (abs: relu(t) and relu(−t) both 0, a lower-dimensional pattern that must be there).
TEST(Verify, IntegerPiecewiseLinearModelsOnBoundaryPoints) {
  for (const char* name : {"abs", "relu6", "hardtanh", "leaky_relu"}) {
    const auto act = name == std::string("leaky_relu")
                         ? activations::Activation::make(name, {{"negative_slope", 2.0}}).value()
                         : activations::Activation::make(name).value();
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      nn::Model<float> m = random_mlp_model({2, 4, 3, 1}, {act}, seed, -3, 3).value();
      const DeepReluNet net = DeepReluNet::from_model(m).value();
      ASSERT_TRUE(net.integer_weights()) << name;
      const auto edge = boundary_points(net, 300, seed);
      EXPECT_GT(edge.size(), 10u) << name << " seed " << seed;
      expect_pipeline_exact(m, edge, std::string(name) + " seed " + std::to_string(seed) + " (boundary)");
      expect_pipeline_exact(m, random_points(2, 300, seed),
                            std::string(name) + " seed " + std::to_string(seed));
    }
  }
}

}  // namespace
}  // namespace actlab::shallow
