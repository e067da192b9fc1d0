// Box bounds: reflection keeps every coordinate inside its box for any step size (property test over random
// steps), equals the mirror image for one overshoot, and agrees with Dik's iterative mirror idiom; the clamp
// is Dik's SeInDiSp.
#include "optim/box.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.hpp"

namespace actlab::optim {
namespace {

// Dik's AO_ECOi idiom (spec §4.2): mirror up to 10 times; still outside → (here) NaN, so a test can see it.
double dik_mirror(double v, double lo, double hi) {
  for (int i = 0; i < 10; ++i) {
    if (v < lo) v = lo + (lo - v);
    if (v > hi) v = hi - (v - hi);
  }
  return v >= lo && v <= hi ? v : std::nan("");
}

TEST(Box, ReflectionStaysInsideForAnyStep) {
  Rng rng(2024);
  for (int trial = 0; trial < 200000; ++trial) {
    const double lo = rng.uniform(-10, 10), width = std::exp(rng.uniform(-12, 6));
    const double hi = lo + width;
    const double w = rng.uniform(lo, hi);
    // Steps from 1e-9 to 1e12 box widths, both signs.
    const double step = (rng.uniform() < 0.5 ? -1 : 1) * width * std::exp(rng.uniform(-20, 28));
    const double r = reflect_into(w + step, lo, hi);
    ASSERT_GE(r, lo) << "w=" << w << " step=" << step;
    ASSERT_LE(r, hi) << "w=" << w << " step=" << step;
    Box box = Box::uniform(1, lo, hi);
    const double b = bring_inside(w + step, box, 0, Boundary::kReflect);
    ASSERT_TRUE(b >= lo && b <= hi);
  }
}

TEST(Box, OneOvershootIsTheMirrorImage) {
  EXPECT_DOUBLE_EQ(reflect_into(2.7, -2, 2), 1.3);
  EXPECT_DOUBLE_EQ(reflect_into(-2.5, -2, 2), -1.5);
  EXPECT_DOUBLE_EQ(reflect_into(0.25, -2, 2), 0.25);  // inside: unchanged
  EXPECT_DOUBLE_EQ(reflect_into(6.0, -2, 2), -2.0);   // exactly one width beyond: the far bound
  EXPECT_DOUBLE_EQ(reflect_into(11.0, -2, 2), 1.0);   // folds twice: 11 → -7 → 3 → 1
}

TEST(Box, AgreesWithDiksIterativeMirror) {
  Rng rng(5);
  for (int i = 0; i < 10000; ++i) {
    const double lo = -1.5, hi = 2.0;
    const double v = rng.uniform(-20, 20);  // within 10 mirrors of the box
    const double want = dik_mirror(v, lo, hi);
    if (std::isnan(want)) continue;
    EXPECT_NEAR(reflect_into(v, lo, hi), want, 1e-12) << v;
  }
}

TEST(Box, NonFiniteComesBackAsTheMidpoint) {
  EXPECT_DOUBLE_EQ(reflect_into(std::nan(""), -1, 3), 1.0);
  EXPECT_DOUBLE_EQ(reflect_into(INFINITY, -1, 3), 1.0);
  EXPECT_DOUBLE_EQ(clamp_into(std::nan(""), -1, 3), 1.0);
}

TEST(Box, ClampIsSeInDiSp) {
  EXPECT_EQ(clamp_into(2.7, -2, 2), 2.0);
  EXPECT_EQ(clamp_into(-9, -2, 2), -2.0);
  EXPECT_EQ(clamp_into(0.3, -2, 2), 0.3);
  EXPECT_NEAR(clamp_into(0.337, -2, 2, 0.01), 0.34, 1e-12);  // snapped to lo + step·round((x − lo)/step)
  Box box = Box::uniform(1, -2, 2, 0.5);
  EXPECT_NEAR(bring_inside(2.6, box, 0, Boundary::kReflect), 1.5, 1e-12);  // 1.4 → snapped to 1.5
}

TEST(Box, Validates) {
  EXPECT_TRUE(Box::uniform(3, -1, 1).validate());
  EXPECT_FALSE(Box::uniform(3, 1, 1).validate());
  EXPECT_FALSE(Box::uniform(0, -1, 1).validate());
  EXPECT_FALSE(Box::uniform(2, -INFINITY, 1).validate());
  Box bad = Box::uniform(2, -1, 1);
  bad.hi.pop_back();
  EXPECT_FALSE(bad.validate());
  EXPECT_EQ(*parse_boundary("reflect"), Boundary::kReflect);
  EXPECT_FALSE(parse_boundary("wrap"));
}

}  // namespace
}  // namespace actlab::optim
