// actlab reproduce villani-schoots at quick scale: every rewritten network equals the deep one at random and
// boundary points, the region search finds the brute-force pattern set, and exact SHAP equals the textbook
// Shapley formula to 1e-12.
#include <gtest/gtest.h>

#include <algorithm>

#include "lab/reproduce.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

TEST(ReproVillaniSchoots, QuickScaleEverythingChecks) {
  testing::TempDir dir;
  ReproducePlan p;
  p.name = "villani-schoots";
  p.out = dir / "vs";
  auto r = reproduce(p);
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_EQ(r->claims.size(), 4u);
  EXPECT_EQ(r->claims[0].verdict, "reproduced") << r->claims[0].ours;
  // The region search and the 2^N brute force agree on every one-hidden-layer network; deeper integer-weight
  // networks (degenerate arrangements) can differ in borderline patterns, which the verdict says.
  EXPECT_NE(r->claims[1].verdict, "not reproduced") << r->claims[1].ours;
  EXPECT_EQ(r->claims[3].verdict, "reproduced") << r->claims[3].ours;
  int boundary = 0;
  for (const Json& n : r->data["networks"]) {
    EXPECT_EQ(n["random_mismatches"], 0);
    EXPECT_EQ(n["boundary_mismatches"], 0);
    EXPECT_LE(n["shap_max_abs_diff"].get<double>(), 1e-12);
    EXPECT_GE(n["regions"].get<int>(), 1);
    boundary += n["boundary_points"].get<int>();
    const std::string net = n["network"];
    if (std::count(net.begin(), net.end(), '-') == 2) {
      EXPECT_EQ(n["brute"].get<std::string>().rfind("same", 0), 0u) << net << ": " << n["brute"];
    }
  }
  EXPECT_GT(boundary, 0);  // points exactly on the hyperplanes were checked
}

}  // namespace
}  // namespace actlab::lab
