// Acceptance: the shallow network equals the deep one with 0 mismatches and 0 NaN on random points and on
// points exactly on hyperplanes, for integer-weight networks of depth 2–4 (spec §1.6).
#include "shallow/verify.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace actlab::shallow
