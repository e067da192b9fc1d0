// Marching squares traces known level sets (moved from tests/cli/theory_phase_test.cpp with the code).
#include "report/contour.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace actlab::report {
namespace {

// v = x + y on a 3 x 3 grid: the level 1 line runs from (1, 0) to (0, 1), through every cell it meets.
TEST(ContourLines, PlaneLevelSet) {
  const std::vector<double> x = {0, 0.5, 1}, y = {0, 0.5, 1};
  std::vector<double> v;
  for (double yy : y)
    for (double xx : x) v.push_back(xx + yy);
  const Series s = contour_series(contour(x, y, v, 1.0), "v = 1");
  ASSERT_FALSE(s.x.empty());
  ASSERT_EQ(s.x.size() % 3, 0u);
  for (std::size_t k = 0; k < s.x.size(); ++k) {
    if (k % 3 == 2) {
      EXPECT_TRUE(std::isnan(s.x[k]));
      continue;
    }
    EXPECT_NEAR(s.x[k] + s.y[k], 1.0, 1e-14);
  }
  // NaN corners: those cells are skipped; wrong sizes: nothing.
  v[4] = std::nan("");
  EXPECT_TRUE(contour_series(contour(x, y, v, 1.0), "").x.size() < s.x.size());
  EXPECT_TRUE(contour_series(contour(x, y, std::vector<double>{1.0, 2.0}, 1.0), "").x.empty());
}

// Every piece is a two-point segment with both ends on cell edges where v = level (linear along the edge).
TEST(Contour, SegmentsLieOnTheLevel) {
  const std::vector<double> x = {0, 1, 2, 3}, y = {0, 1, 2};
  std::vector<double> v;
  for (double yy : y)
    for (double xx : x) v.push_back(2 * xx - yy);
  const auto lines = contour(x, y, v, 1.5);
  ASSERT_FALSE(lines.empty());
  for (const Polyline& p : lines) {
    ASSERT_EQ(p.x.size(), 2u);
    ASSERT_EQ(p.y.size(), 2u);
    for (int k = 0; k < 2; ++k) EXPECT_NEAR(2 * p.x[k] - p.y[k], 1.5, 1e-14);
  }
  EXPECT_TRUE(contour(x, y, v, 100.0).empty());  // level above the whole grid
}

// A saddle cell (corners +, −, +, −) gives two segments, paired by the sign of the centre.
TEST(Contour, SaddleCellGivesTwoSegments) {
  const std::vector<double> x = {0, 1}, y = {0, 1};
  const std::vector<double> v = {1, -1, -1, 1};  // (0,0) +, (1,0) −, (0,1) −, (1,1) +
  const auto lines = contour(x, y, v, 0.0);
  ASSERT_EQ(lines.size(), 2u);
  const Series s = contour_series(lines, "saddle");
  EXPECT_EQ(s.x.size(), 6u);
  EXPECT_EQ(s.label, "saddle");
  EXPECT_EQ(s.style, "lines");
}

}  // namespace
}  // namespace actlab::report
