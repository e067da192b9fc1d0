// actlab reproduce kim-kang at quick scale: the verdict table is complete, RePU's kernel leaves
// [1e-100, 1e100] within 12 layers (and follows the closed form K^(l) = c^(2^(l-1) - 1) for p = 2, K^(1) =
// 1), MRePU's stays within a factor of 10 at its recommended initialisation, MRePU's chi ratio exceeds 1, and
// the regression is MRePU's on x*y*z. Resuming from the directory trains nothing again.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "lab/reproduce.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

TEST(ReproKimKang, QuickScaleVerdictsAndKernels) {
  testing::TempDir dir;
  ReproducePlan p;
  p.name = "kim-kang";
  p.out = dir / "kk";
  p.threads = 2;
  auto r = reproduce(p);
  ASSERT_TRUE(r) << r.status().message();
  // A verdict for every claim, with a reason for everything but "reproduced".
  ASSERT_GE(r->claims.size(), 6u);
  for (const Claim& c : r->claims) {
    EXPECT_TRUE(c.verdict == "reproduced" || c.verdict == "partly" || c.verdict == "not reproduced" ||
                c.verdict == "not checkable")
        << c.verdict;
    EXPECT_FALSE(c.paper.empty());
    EXPECT_FALSE(c.ours.empty());
    if (c.verdict != "reproduced") {
      EXPECT_FALSE(c.reason.empty()) << c.claim;
    }
  }
  EXPECT_EQ(r->claims[0].verdict, "reproduced") << r->claims[0].ours;  // RePU double-exponential

  const Json& kernels = r->data["kernels"];
  ASSERT_EQ(kernels.size(), 6u);
  for (const Json& k : kernels) {
    const std::string setting = k["setting"];
    if (setting.starts_with("RePU")) {
      EXPECT_GE(k["leaves_at"].get<int>(), 2) << setting;
      EXPECT_LE(k["leaves_at"].get<int>(), 12) << setting;
    }
    if (setting.starts_with("MRePU, recommended")) {
      EXPECT_LE(k["ratio_max"].get<double>(), 10.0);
      EXPECT_GE(k["ratio_min"].get<double>(), 0.1);
    }
  }
  // Closed form for RePU p = 2, C_W = 0.5, C_b = 0, K^(1) = 1: K^(l+1) = 0.75 (K^(l))^2.
  const Json& layers = kernels[0]["profile"]["layers"];
  for (int l = 1; l <= 8; ++l) {
    const double want = std::pow(0.75, std::pow(2.0, l - 1) - 1);
    EXPECT_NEAR(layers[l - 1]["K"].get<double>() / want, 1.0, 1e-9) << l;
  }
  // χ∥/χ⊥ > 1 everywhere on the grid (Kim & Kang's "critical" holds only as K → 0).
  EXPECT_GT(r->data["criticality"]["r_min"].get<double>(), 1.0);
  EXPECT_EQ(r->claims[2].verdict, "partly");

  // The outputs, and a rerun that reads every training run back.
  for (const char* f : {"report.html", "report.md", "results.json", "runs.jsonl"})
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(p.out) / f)) << f;
  EXPECT_GT(r->runs_trained, 0);
  auto again = reproduce(p);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->runs_trained, 0);
  EXPECT_EQ(again->runs_reused, r->runs_trained);
  // The same numbers, read back (the compare's wall time aside).
  ASSERT_EQ(again->claims.size(), r->claims.size());
  for (std::size_t i = 0; i < r->claims.size(); ++i) EXPECT_EQ(again->claims[i].ours, r->claims[i].ours);
  for (std::size_t i = 0; i < r->data["regression"].size(); ++i)
    EXPECT_TRUE(again->data["regression"][i]["compare"]["arms"] ==
                r->data["regression"][i]["compare"]["arms"])
        << i;
}

}  // namespace
}  // namespace actlab::lab
