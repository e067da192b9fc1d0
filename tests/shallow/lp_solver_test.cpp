// The Clp backend: optimum of a small LP, infeasibility, and the row stack restoring the parent problem.
#include "shallow/lp_solver.hpp"

#include <gtest/gtest.h>

namespace actlab::shallow {
namespace {

TEST(LpSolver, MaximisesTheSlackAndPopsBackToTheParent) {
  auto lp = make_clp_solver();
  lp->reset(1, -1.0, 1.0);
  const double up[] = {1.0}, down[] = {-1.0};
  lp->push_row(up, -1.0, 0.0);     // x − t ≥ 0
  lp->push_row(down, -1.0, -1.0);  // −x − t ≥ −1   → t* = 0.5 at x = 0.5
  LpSolution s = lp->solve();
  ASSERT_EQ(s.status, LpStatus::kOptimal);
  EXPECT_NEAR(s.t, 0.5, 1e-12);
  EXPECT_NEAR(s.x[0], 0.5, 1e-12);
  lp->push_row(down, 0.0, 2.0);  // −x ≥ 2 with x ≥ t ≥ −1: infeasible
  EXPECT_EQ(lp->solve().status, LpStatus::kInfeasible);
  lp->pop_row();
  s = lp->solve();
  ASSERT_EQ(s.status, LpStatus::kOptimal);
  EXPECT_NEAR(s.t, 0.5, 1e-12);
  lp->pop_row();
  EXPECT_EQ(lp->rows(), 1);
  s = lp->solve();  // only x ≥ t: t* = 1 (its bound)
  EXPECT_NEAR(s.t, 1.0, 1e-12);
  EXPECT_EQ(lp->solves(), 4);
}

TEST(LpSolver, BoxBoundsTheVariables) {
  auto lp = make_clp_solver();
  lp->reset(2, -1.0, 1.0);
  lp->set_box(-0.25, 0.25);
  const double a[] = {1.0, 1.0};
  lp->push_row(a, 0.0, 1.0);  // x + y ≥ 1 outside the box
  EXPECT_EQ(lp->solve().status, LpStatus::kInfeasible);
}

// Regression: a strict LP of the region enumeration (abs network, integer weights) that Clp's dual simplex
// called infeasible. Rows 10 and 11 are exact negatives (z = 0: both of abs's units relu(z), relu(−z) off);
// x = (−3, −4) satisfies every row with slack t = 0.354. Active rows: a·x + d ≥ t; inactive: a·x + d ≤ 0.
TEST(LpSolver, OppositeRowsMakingAnEqualityAreFeasible) {
  struct Row {
    bool active;
    double a0, a1, d;
  };
  const Row rows[] = {
      {true, 0.70710678118654746, -0.70710678118654746, -0.35355339059327373},
      {false, -0.70710678118654746, 0.70710678118654746, 0.35355339059327373},
      {false, 0.55470019622522915, 0.83205029433784372, 0.55470019622522915},
      {true, -0.55470019622522915, -0.83205029433784372, -0.55470019622522915},
      {false, 0.94868329805051377, 0.31622776601683794, -0.31622776601683794},
      {true, -0.94868329805051377, -0.31622776601683794, 0.31622776601683794},
      {true, -0.99227787671366774, -0.12403473458920847, 0.55815630565143803},
      {false, 0.99227787671366774, 0.12403473458920847, -0.55815630565143803},
      {false, 0.44721359549995793, -0.89442719099991586, -2.2360679774997898},
      {false, -0.44721359549995793, 0.89442719099991586, 2.2360679774997898},
      {false, 0.98386991009990743, -0.17888543819998318, 0.35777087639996635},
  };
  auto lp = make_clp_solver();
  lp->reset(2, -1.0, 1.0);
  for (const Row& r : rows) {
    if (r.active) {
      const double a[] = {r.a0, r.a1};
      lp->push_row(a, -1.0, -r.d);
    } else {
      const double a[] = {-r.a0, -r.a1};
      lp->push_row(a, 0.0, r.d);
    }
  }
  const LpSolution s = lp->solve();
  ASSERT_EQ(s.status, LpStatus::kOptimal);
  EXPECT_GE(s.t, 0.35);
  for (const Row& r : rows) {
    const double z = r.a0 * s.x[0] + r.a1 * s.x[1] + r.d;
    if (r.active) {
      EXPECT_GE(z, s.t - 1e-7);
    } else {
      EXPECT_LE(z, 1e-7);
    }
  }
}

}  // namespace
}  // namespace actlab::shallow
