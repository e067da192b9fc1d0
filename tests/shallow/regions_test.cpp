// Region enumeration: DFS against brute force, counts against theory, lower-dimensional regions, the box,
// the memory budget, and every region's witness and local model against the deep forward pass.
#include "shallow/regions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace actlab::shallow {
namespace {

std::set<std::pair<Pattern, bool>> pattern_set(const RegionSet& rs) {
  std::set<std::pair<Pattern, bool>> out;
  for (const Region& r : rs.regions) out.insert({r.pattern, r.full_dim});
  return out;
}

void expect_same(const DeepReluNet& net, const RegionOptions& base = {}) {
  RegionOptions dfs = base, brute = base;
  brute.method = RegionMethod::kBrute;
  const RegionSet a = enumerate_regions(net, dfs).value();
  const RegionSet b = enumerate_regions(net, brute).value();
  EXPECT_EQ(pattern_set(a), pattern_set(b)) << net.arch();
  EXPECT_EQ(a.regions.size(), b.regions.size()) << net.arch();
  EXPECT_EQ(a.h.rows(), b.h.rows()) << net.arch() << ": de-duplicated rows";
  if (net.hidden() >= 8) {
    EXPECT_LT(a.lps, b.lps) << net.arch();
  }
}

// Each region's witness has the region's pattern, and α x + β is the network there. (A lower-dimensional
// region's witness may be a rational point such as (−2/27, 8/9) that double rounds off the hyperplane, so
// only full-dimensional witnesses are held to the exact pattern.)
void expect_consistent(const DeepReluNet& net, const RegionSet& rs) {
  for (const Region& r : rs.regions) {
    if (r.full_dim) {
      ASSERT_EQ(net.pattern(r.witness), r.pattern);
    }
    // Witnesses of unbounded regions can lie far out (|x| ~ 1e12 on 8-6-6-1): α x then rounds at ~ε‖α‖‖x‖.
    const Eigen::VectorXd y = net.forward(r.witness);
    EXPECT_NEAR((r.alpha * r.witness + r.beta - y).norm(), 0.0,
                1e-9 * (1 + y.norm()) + 1e-12 * r.alpha.norm() * r.witness.norm())
        << net.arch() << ", |witness| " << r.witness.norm();
    for (std::size_t i = 0; i < r.rows.size(); ++i) EXPECT_EQ(rs.row_neuron[r.rows[i]], static_cast<int>(i));
  }
}

TEST(Regions, DfsEqualsBruteForceOnRandomNets) {
  for (std::uint64_t seed : {1, 2, 3}) {
    expect_same(random_relu_net({2, 6, 1}, seed));
    expect_same(random_relu_net({2, 4, 4, 1}, seed));
    expect_same(random_relu_net({3, 4, 3, 1}, seed));
    expect_same(random_relu_net({2, 3, 3, 3, 2}, seed));
  }
}

TEST(Regions, DfsEqualsBruteForceOnIntegerNetsWithDegenerateHyperplanes) {
  // Weights in −3..3: dead neurons, zero rows, coincident hyperplanes and lower-dimensional regions.
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const DeepReluNet a = random_relu_net({2, 4, 4, 1}, seed, -3, 3);
    expect_same(a);
    expect_consistent(a, enumerate_regions(a).value());
    const DeepReluNet b = random_relu_net({2, 3, 3, 3, 1}, seed, -2, 2);
    expect_same(b);
    expect_consistent(b, enumerate_regions(b).value());
  }
}

TEST(Regions, OneHiddenLayerInGeneralPositionMatchesZaslavsky) {
  // Σ_{i≤n} C(N, i): 2-12-1 → 1 + 12 + 66 = 79;  3-8-1 → 1 + 8 + 28 + 56 = 93;  4-5-1 → 2^5 − 1 = 31.
  const RegionSet a = enumerate_regions(random_relu_net({2, 12, 1}, 7)).value();
  EXPECT_EQ(a.regions.size(), 79u);
  EXPECT_EQ(a.full_dim_regions, 79);
  EXPECT_EQ(enumerate_regions(random_relu_net({3, 8, 1}, 7)).value().regions.size(), 93u);
  EXPECT_EQ(enumerate_regions(random_relu_net({4, 5, 1}, 7)).value().regions.size(), 31u);
  expect_consistent(random_relu_net({2, 12, 1}, 7), a);
}

TEST(Regions, KeepsLowerDimensionalRegions) {
  // Spec §1.5: z1 = x, z2 = −x, z3 = σ(z1) + σ(z2) − 1, F = σ(z3): five patterns, (0,0,0) only at x = 0.
  std::vector<AffineLayer> layers{{MatrixD{{1.0}, {-1.0}}, Eigen::VectorXd::Zero(2)},
                                  {MatrixD{{1.0, 1.0}}, Eigen::VectorXd::Constant(1, -1.0)},
                                  {MatrixD{{1.0}}, Eigen::VectorXd::Zero(1)}};
  const DeepReluNet net = DeepReluNet::make(layers).value();
  const RegionSet rs = enumerate_regions(net).value();
  EXPECT_EQ(rs.regions.size(), 5u);
  EXPECT_EQ(rs.full_dim_regions, 4);
  bool origin = false;
  for (const Region& r : rs.regions) {
    if (r.pattern == Pattern{0, 0, 0}) {
      origin = true;
      EXPECT_FALSE(r.full_dim);
      EXPECT_EQ(r.witness[0], 0.0);
    }
  }
  EXPECT_TRUE(origin);
  expect_same(net);
}

TEST(Regions, CoincidentAndDeadNeurons) {
  // Neurons 0 and 1 share a hyperplane, neuron 2 is its mirror, neuron 3 is dead (0·x − 1).
  std::vector<AffineLayer> layers{
      {MatrixD{{1.0, 1.0}, {2.0, 2.0}, {-1.0, -1.0}, {0.0, 0.0}}, Eigen::Vector4d(0.5, 1.0, -0.5, -1.0)},
      {MatrixD{{1.0, -1.0, 2.0, 3.0}}, Eigen::VectorXd::Zero(1)}};
  const DeepReluNet net = DeepReluNet::make(layers).value();
  const RegionSet rs = enumerate_regions(net).value();
  EXPECT_EQ(rs.regions.size(), 3u);  // x+y > −0.5, x+y = −0.5 (lower-dimensional), x+y < −0.5
  EXPECT_EQ(rs.full_dim_regions, 2);
  expect_same(net);
}

TEST(Regions, BoxKeepsOnlyRegionsThatMeetIt) {
  const DeepReluNet net = random_relu_net({2, 8, 8, 1}, 5);
  const RegionSet all = enumerate_regions(net).value();
  RegionOptions opt;
  opt.box = {{-0.25, 0.25}};
  const RegionSet in = enumerate_regions(net, opt).value();
  EXPECT_GT(in.regions.size(), 0u);
  EXPECT_LT(in.regions.size(), all.regions.size());
  const auto every = pattern_set(all);
  for (const Region& r : in.regions) {
    EXPECT_TRUE(every.count({r.pattern, true}) || every.count({r.pattern, false}));
    EXPECT_LE(r.witness.cwiseAbs().maxCoeff(), 0.25);
  }
  expect_same(random_relu_net({2, 5, 4, 1}, 5), opt);
}

TEST(Regions, StopsAtTheMemoryBudgetWithTheCount) {
  RegionOptions opt;
  opt.max_regions = 10;
  auto r = enumerate_regions(random_relu_net({2, 12, 1}, 7), opt);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("stopped after 10 regions"), std::string::npos) << r.status().message();
  opt.method = RegionMethod::kBrute;
  opt.max_brute_neurons = 8;
  EXPECT_FALSE(enumerate_regions(random_relu_net({2, 12, 1}, 7), opt));
}

// Identical, not just equivalent: same regions in the same order, same witnesses and local models bit for
// bit, same rows with the same numbering, same LP count.
void expect_identical(const RegionSet& a, const RegionSet& b, const std::string& what) {
  ASSERT_EQ(a.regions.size(), b.regions.size()) << what;
  EXPECT_EQ(a.lps, b.lps) << what;
  EXPECT_EQ(a.full_dim_regions, b.full_dim_regions) << what;
  EXPECT_EQ(a.row_neuron, b.row_neuron) << what;
  EXPECT_TRUE(a.h == b.h) << what;
  EXPECT_TRUE(a.c == b.c) << what;
  for (std::size_t r = 0; r < a.regions.size(); ++r) {
    const Region &x = a.regions[r], &y = b.regions[r];
    ASSERT_EQ(x.pattern, y.pattern) << what << " region " << r;
    EXPECT_EQ(x.full_dim, y.full_dim) << what << " region " << r;
    EXPECT_EQ(x.rows, y.rows) << what << " region " << r;
    EXPECT_TRUE(x.witness == y.witness) << what << " region " << r;
    EXPECT_TRUE(x.alpha == y.alpha && x.beta == y.beta) << what << " region " << r;
  }
}

TEST(Regions, ThreadedDfsIsIdenticalToSingleThreaded) {
  struct Case {
    std::vector<int> arch;
    std::uint64_t seed;
    int lo = 0, hi = 0;  // integer weights in [lo, hi] when lo < hi
    bool box = false;
  };
  const std::vector<Case> cases{{{2, 12, 1}, 7},
                                {{2, 8, 8, 1}, 1},
                                {{4, 6, 6, 1}, 2},
                                {{3, 5, 4, 3, 1}, 3},
                                {{8, 6, 6, 1}, 4},
                                {{2, 4, 4, 1}, 5, -3, 3},
                                {{2, 3, 3, 3, 1}, 6, -2, 2},
                                {{2, 8, 8, 1}, 5, 0, 0, true}};
  for (const Case& c : cases) {
    const DeepReluNet net =
        c.lo < c.hi ? random_relu_net(c.arch, c.seed, c.lo, c.hi) : random_relu_net(c.arch, c.seed);
    RegionOptions opt;
    if (c.box) opt.box = {{-0.5, 0.5}};
    const RegionSet one = enumerate_regions(net, opt).value();
    for (int threads : {2, 3, 5}) {
      opt.threads = threads;
      const RegionSet many = enumerate_regions(net, opt).value();
      expect_identical(one, many, net.arch() + " with " + std::to_string(threads) + " threads");
    }
    opt.threads = 1;
    if (net.hidden() <= 12) expect_same(net, opt);  // and still the brute-force patterns
    expect_consistent(net, one);
  }
}

TEST(Regions, RejectsZeroThreads) {
  RegionOptions opt;
  opt.threads = 0;
  auto r = enumerate_regions(random_relu_net({2, 4, 1}, 1), opt);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("threads"), std::string::npos) << r.status().message();
}

TEST(Regions, MemoryBudgetStopsEveryWorker) {
  RegionOptions opt;
  opt.max_regions = 50;
  opt.threads = 2;
  auto r = enumerate_regions(random_relu_net({4, 8, 8, 1}, 1), opt);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("stopped after 50 regions"), std::string::npos) << r.status().message();
}

TEST(Regions, IndexFindsTheRegionOfAPoint) {
  const DeepReluNet net = random_relu_net({2, 6, 6, 1}, 3);
  const RegionSet rs = enumerate_regions(net).value();
  const RegionIndex index(rs);
  for (const Region& r : rs.regions) EXPECT_EQ(&rs.regions[index.find(net.pattern(r.witness))], &r);
  EXPECT_EQ(index.find(Pattern(12, 2)), -1);
}

}  // namespace
}  // namespace actlab::shallow
