// SHAP acceptance: the closed form w·(x − mean) where the net is affine on the box, efficiency to 1e-9,
// equality with an independent brute-force Shapley computation over the deep net, symmetry and dummy axioms,
// the sampling estimator, and the background CSV checks.
#include "shallow/shap.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "core/rng.hpp"
#include "nn/model.hpp"
#include "support/temp_dir.hpp"

namespace actlab::shallow {
namespace {

using testing::TempDir;

MatrixD random_background(int rows, int n, std::uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  MatrixD z(rows, n);
  for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = scale * rng.normal();
  return z;
}

TEST(Shap, ClosedFormWhereTheNetworkIsAffineOnTheBox) {
  // Every hidden neuron is active on [0, 1]^3 (positive weights and biases): f(x) = w·x + c there.
  std::vector<AffineLayer> layers{{MatrixD{{1.0, 2.0, 0.5}, {0.5, 1.0, 3.0}}, Eigen::Vector2d(1.0, 0.5)},
                                  {MatrixD{{2.0, -1.0}}, Eigen::VectorXd::Constant(1, 0.25)}};
  const DeepReluNet net = DeepReluNet::make(layers).value();
  const Eigen::RowVector3d w = layers[1].w * layers[0].w;  // (1.5, 3, −2)
  Rng rng(3);
  MatrixD z(20, 3);
  for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = rng.uniform();
  const Eigen::Vector3d x(0.9, 0.1, 0.4);
  const ShapResult r = shap_values(net, x, z).value();
  const Eigen::VectorXd expected = w.transpose().cwiseProduct(x - z.colwise().mean().transpose());
  EXPECT_LT((r.phi - expected).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_EQ(r.box_shortcuts, 20);
  EXPECT_LT(r.efficiency_error, 1e-9);
  EXPECT_EQ(r.method, "exact");
}

TEST(Shap, EqualsBruteForceShapleyOnSmallNets) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const DeepReluNet net = random_relu_net({4, 8, 8, 2}, seed);
    const MatrixD z = random_background(15, 4, seed);
    const Eigen::VectorXd x = random_background(1, 4, seed + 100).row(0).transpose();
    for (int o = 0; o < 2; ++o) {
      ShapOptions opt;
      opt.output = o;
      const ShapResult r = shap_values(net, x, z, opt).value();
      const Eigen::VectorXd ref = shap_brute_force(net, x, z, o);
      EXPECT_LT((r.phi - ref).cwiseAbs().maxCoeff(), 1e-10) << "seed " << seed;
      EXPECT_LT(r.efficiency_error, 1e-9);
      EXPECT_LT(r.box_shortcuts, 15);  // the Gray-code fallback ran too
    }
  }
  // Small boxes around x: mostly shortcuts, still equal.
  const DeepReluNet net = random_relu_net({3, 6, 6, 1}, 7);
  const Eigen::Vector3d x(0.3, -0.2, 0.5);
  MatrixD z = random_background(10, 3, 9, 1e-3).rowwise() + x.transpose();
  const ShapResult r = shap_values(net, x, z).value();
  EXPECT_GT(r.box_shortcuts, 0);
  EXPECT_LT((r.phi - shap_brute_force(net, x, z)).cwiseAbs().maxCoeff(), 1e-12);
}

// Brute-force interventional Shapley values of the original model (float forward passes), from the
// textbook formula over all 2^n coalitions: no region model, no ReLU rewrite.
Eigen::VectorXd model_brute_force_shap(nn::Model<float>& m, const Eigen::VectorXd& x, const MatrixD& z,
                                       int output) {
  const int n = static_cast<int>(x.size());
  const int subsets = 1 << n;
  MatrixF hybrids(subsets * z.rows(), n);
  for (int s = 0; s < subsets; ++s) {
    for (Eigen::Index b = 0; b < z.rows(); ++b) {
      for (int j = 0; j < n; ++j)
        hybrids(s * z.rows() + b, j) = static_cast<float>((s >> j & 1) ? x[j] : z(b, j));
    }
  }
  const MatrixF y = m.predict(hybrids);
  std::vector<double> v(static_cast<std::size_t>(subsets), 0.0);
  for (int s = 0; s < subsets; ++s) {
    for (Eigen::Index b = 0; b < z.rows(); ++b) v[static_cast<std::size_t>(s)] += y(s * z.rows() + b, output);
    v[static_cast<std::size_t>(s)] /= static_cast<double>(z.rows());
  }
  std::vector<double> fact(static_cast<std::size_t>(n + 1), 1.0);
  for (int k = 1; k <= n; ++k) fact[static_cast<std::size_t>(k)] = fact[static_cast<std::size_t>(k - 1)] * k;
  Eigen::VectorXd phi = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < subsets; ++s) {
      if (s >> i & 1) continue;
      const int k = __builtin_popcount(static_cast<unsigned>(s));
      const double w = fact[static_cast<std::size_t>(k)] * fact[static_cast<std::size_t>(n - k - 1)] /
                       fact[static_cast<std::size_t>(n)];
      phi[i] += w * (v[static_cast<std::size_t>(s | 1 << i)] - v[static_cast<std::size_t>(s)]);
    }
  }
  return phi;
}

TEST(Shap, PiecewiseLinearModelsEqualBruteForceOnTheOriginalModel) {
  const std::vector<std::pair<std::string, std::map<std::string, double>>> acts{
      {"leaky_relu", {{"negative_slope", 0.2}}}, {"hardtanh", {}}, {"relu6", {}}, {"abs", {}}};
  for (const auto& [name, params] : acts) {
    const auto act = activations::Activation::make(name, params).value();
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      nn::Model<float> m = random_mlp_model({4, 6, 5, 2}, {act}, seed).value();
      const DeepReluNet net = DeepReluNet::from_model(m).value();
      // Rounded to float, so that the model reads the same inputs.
      const MatrixD z = random_background(12, 4, seed, 1.5).cast<float>().cast<double>();
      const Eigen::VectorXd x =
          random_background(1, 4, seed + 100, 1.5).row(0).transpose().cast<float>().cast<double>();
      for (int o = 0; o < 2; ++o) {
        ShapOptions opt;
        opt.output = o;
        const ShapResult r = shap_values(net, x, z, opt).value();
        const Eigen::VectorXd ref = model_brute_force_shap(m, x, z, o);
        const double scale = 1 + ref.cwiseAbs().maxCoeff();
        EXPECT_LT((r.phi - ref).cwiseAbs().maxCoeff(), 1e-5 * scale)
            << name << " seed " << seed << " output " << o;
        EXPECT_LT(r.efficiency_error, 1e-9);
        EXPECT_GT(ref.cwiseAbs().maxCoeff(), 1e-3);  // not trivially zero
      }
    }
  }
}

TEST(Shap, SymmetryAndDummy) {
  // Feature 2 is a dummy (zero column); features 0 and 1 enter symmetrically.
  std::vector<AffineLayer> layers{
      {MatrixD{{1.0, 1.0, 0.0}, {-1.0, -1.0, 0.0}, {2.0, 2.0, 0.0}}, Eigen::Vector3d(-0.5, 0.2, -1.0)},
      {MatrixD{{1.0, 2.0, -1.0}}, Eigen::VectorXd::Zero(1)}};
  const DeepReluNet net = DeepReluNet::make(layers).value();
  MatrixD z(4, 3);
  z << 0, 0, 1, 1, 1, -2, -1, -1, 0.5, 0.3, 0.3, 3;  // symmetric in columns 0 and 1
  const Eigen::Vector3d x(0.8, 0.8, -5.0);
  const ShapResult r = shap_values(net, x, z).value();
  EXPECT_NEAR(r.phi[0], r.phi[1], 1e-12);
  EXPECT_NEAR(r.phi[2], 0.0, 1e-12);
  EXPECT_LT(r.efficiency_error, 1e-9);
}

TEST(Shap, SamplingIsApproximateButEfficient) {
  const DeepReluNet net = random_relu_net({5, 10, 10, 1}, 2);
  const MatrixD z = random_background(10, 5, 4);
  const Eigen::VectorXd x = random_background(1, 5, 5).row(0).transpose();
  ShapOptions opt;
  opt.method = ShapMethod::kSampling;
  opt.samples = 400;
  opt.seed = 1;
  const ShapResult r = shap_values(net, x, z, opt).value();
  EXPECT_EQ(r.method, "sampling (approximate)");
  EXPECT_LT(r.efficiency_error, 1e-9);
  const Eigen::VectorXd exact = shap_values(net, x, z).value().phi;
  EXPECT_LT((r.phi - exact).cwiseAbs().maxCoeff(), 0.1 * (1 + exact.cwiseAbs().maxCoeff()));
}

TEST(Shap, BadInputIsNamed) {
  const DeepReluNet net = random_relu_net({2, 4, 1}, 1);
  EXPECT_FALSE(shap_values(net, Eigen::VectorXd::Zero(3), MatrixD::Zero(2, 2)));
  auto r = shap_values(net, Eigen::VectorXd::Zero(2), MatrixD::Zero(2, 3));
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("3 columns"), std::string::npos);
  TempDir dir;
  {
    std::ofstream(dir / "ok.csv") << "a,b\n1,2\n3,4\n";
    std::ofstream(dir / "wide.csv") << "1,2\n3,4,5\n";
  }
  const MatrixD bg = read_background_csv(dir / "ok.csv", 2).value();
  EXPECT_EQ(bg.rows(), 2);
  EXPECT_EQ(bg(1, 0), 3.0);
  auto w = read_background_csv(dir / "wide.csv", 2);
  ASSERT_FALSE(w);
  EXPECT_NE(w.status().message().find("wide.csv:2: 3 values, the network's input has 2"), std::string::npos)
      << w.status().message();
  EXPECT_FALSE(read_background_csv(dir / "none.csv", 2));
}

}  // namespace
}  // namespace actlab::shallow
