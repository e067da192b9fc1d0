// actlab reproduce dik at quick scale: ADAMm's harness total is within 2 points of Dik's published 44.85 %,
// population Adam's within 2 points of 22.22 %, and the 1-1-1 table has a row per activation.
#include <gtest/gtest.h>

#include <cmath>

#include "lab/reproduce.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

TEST(ReproDik, QuickScaleTotalsMatchThePublishedOnes) {
  testing::TempDir dir;
  ReproducePlan p;
  p.name = "dik";
  p.out = dir / "dik";
  p.threads = 2;
  auto r = reproduce(p);
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_EQ(r->claims.size(), 4u);
  EXPECT_NEAR(r->data["adamm_percent_mean"].get<double>(), 44.85, 2.0);
  EXPECT_NEAR(r->data["adam_percent_mean"].get<double>(), 22.22, 2.0);
  EXPECT_EQ(r->claims[0].verdict, "reproduced") << r->claims[0].ours;
  for (const Claim& c : r->claims) {
    if (c.verdict != "reproduced") {
      EXPECT_FALSE(c.reason.empty()) << c.claim;
    }
  }
  // 8 activations × {adam, adamm} × {off, on}, less the reflect-on rows without a box.
  EXPECT_GE(r->data["converge"].size(), 16u);
  // A second call reads the harness runs back (DIR/optbench-*.json) and gives the same totals.
  auto again = reproduce(p);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->data["adamm_percent_mean"], r->data["adamm_percent_mean"]);
}

}  // namespace
}  // namespace actlab::lab
