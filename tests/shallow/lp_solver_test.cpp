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

}  // namespace
}  // namespace actlab::shallow
