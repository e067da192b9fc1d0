// The extended-real shallow network: its ±∞ rules, exactness on the spec's 1-D lower-dimensional example,
// and the JSON file round trip.
#include "shallow/shallow_net.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "support/temp_dir.hpp"

namespace actlab::shallow {
namespace {

using testing::TempDir;
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ShallowNet, EmulTakesZeroTimesInfinityAsZero) {
  EXPECT_EQ(emul(0.0, kInf), 0.0);
  EXPECT_EQ(emul(kInf, 0.0), 0.0);
  EXPECT_EQ(emul(-kInf, 0.0), 0.0);
  EXPECT_EQ(emul(-kInf, 2.0), -kInf);
  EXPECT_EQ(emul(kInf, kInf), kInf);
  EXPECT_EQ(emul(3.0, 2.0), 6.0);
}

DeepReluNet spec_1d_example() {
  std::vector<AffineLayer> layers{{MatrixD{{1.0}, {-1.0}}, Eigen::VectorXd::Zero(2)},
                                  {MatrixD{{1.0, 1.0}}, Eigen::VectorXd::Constant(1, -1.0)},
                                  {MatrixD{{1.0}}, Eigen::VectorXd::Zero(1)}};
  return DeepReluNet::make(layers).value();
}

TEST(ShallowNet, ExactOnTheBoundariesOfTheOneDimensionalExample) {
  const DeepReluNet net = spec_1d_example();
  const ShallowNet s = build_shallow(enumerate_regions(net).value());
  EXPECT_EQ(s.regions, 5);
  EXPECT_EQ(s.layers.size(), 4u);
  EXPECT_EQ(s.layers[0].out(), s.rows + 2);
  EXPECT_EQ(s.layers[1].out(), 2 * s.rows + 2);
  EXPECT_EQ(s.layers[2].out(), 2 * 5);
  for (double x : {-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5}) {
    const ShallowEval e = evaluate(s, Eigen::VectorXd::Constant(1, x));
    EXPECT_FALSE(e.nan) << x;
    EXPECT_EQ(e.open_gates, 1) << x;
    EXPECT_EQ(e.y[0], std::max(0.0, std::abs(x) - 1)) << x;
  }
}

TEST(ShallowNet, DropsOnlyFullDimensionalRegionsAtItsPeril) {
  // Without the lower-dimensional region (0,0,0) no gate opens at x = 0: the spec's reason to keep them.
  const DeepReluNet net = spec_1d_example();
  RegionSet rs = enumerate_regions(net).value();
  std::erase_if(rs.regions, [](const Region& r) { return !r.full_dim; });
  const ShallowEval e = evaluate(build_shallow(rs), Eigen::VectorXd::Zero(1));
  EXPECT_EQ(e.open_gates, 0);
}

TEST(ShallowNet, NeverFormsInfinityMinusInfinityAndFlagsIt) {
  SparseLayer bad;
  bad.in = 1;
  bad.add(0, kInf);
  bad.add(0, -kInf);
  bad.end_unit(0.0);
  ShallowNet s;
  s.input_dim = 1;
  s.outputs = 1;
  SparseLayer id;
  id.in = 1;
  id.add(0, 1.0);
  id.end_unit(0.0);
  SparseLayer out = id;
  out.relu = false;
  s.layers = {bad, id, id, out};
  EXPECT_TRUE(evaluate(s, Eigen::VectorXd::Constant(1, 1.0)).nan);
  EXPECT_FALSE(evaluate(s, Eigen::VectorXd::Zero(1)).nan);  // 0·(±∞) = 0
}

TEST(ShallowNet, JsonRoundTripKeepsInfinitiesAndValues) {
  const DeepReluNet net = random_relu_net({2, 4, 3, 2}, 4, -2, 2);
  const ShallowNet s = build_shallow(enumerate_regions(net).value());
  TempDir dir;
  ASSERT_TRUE(save_shallow(s, dir / "s.json").is_ok());
  const ShallowNet t = load_shallow(dir / "s.json").value();
  EXPECT_EQ(t.regions, s.regions);
  EXPECT_EQ(t.rows, s.rows);
  ASSERT_EQ(t.layers.size(), 4u);
  for (std::size_t l = 0; l < 4; ++l) {
    EXPECT_EQ(t.layers[l].w, s.layers[l].w);
    EXPECT_EQ(t.layers[l].col, s.layers[l].col);
    EXPECT_EQ(t.layers[l].bias, s.layers[l].bias);
  }
  const Eigen::Vector2d x(1.0, -2.0);
  EXPECT_EQ(evaluate(t, x).y, net.forward(x));
  EXPECT_FALSE(load_shallow(dir / "missing.json"));
  Json j = shallow_to_json(s);
  j["format"] = "other";
  EXPECT_FALSE(shallow_from_json(j, "x.json"));
}

// Issue 17: "box": [] read box[0] and box[1] of an empty array and crashed shallow eval/verify.
TEST(ShallowNet, MalformedBoxIsAnError) {
  const DeepReluNet net = random_relu_net({2, 3, 1}, 4, -2, 2);
  const ShallowNet s = build_shallow(enumerate_regions(net).value());
  for (const char* box : {"[]", "[1]", "[1, 2, 3]", "5", "\"a\""}) {
    Json j = shallow_to_json(s);
    j["box"] = Json::parse(box);
    auto r = shallow_from_json(j, "s.json");
    ASSERT_FALSE(r) << box;
    EXPECT_EQ(r.status().message(), "s.json: \"box\" must be [a, b] (two numbers) or null") << box;
  }
  Json j = shallow_to_json(s);
  j["box"] = Json::parse("[-1, 1]");
  auto ok = shallow_from_json(j, "s.json");
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_EQ(ok->box, (std::pair{-1.0, 1.0}));
}

}  // namespace
}  // namespace actlab::shallow
