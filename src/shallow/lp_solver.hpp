// The small LP interface of the region enumeration, and its COIN-OR Clp backend (EPL; Debian
// coinor-libclp-dev).
//
//   auto lp = make_clp_solver();
//   lp->reset(/*n=*/2, /*t_lower=*/-1, /*t_upper=*/1);      // variables x ∈ Rⁿ (free) and t ∈ [t_lo, t_hi]
//   lp->push_row({{1.0, 0.0}}, /*t=*/-1.0, /*lower=*/0.0);   // x₀ − t ≥ 0
//   lp->push_row({{-1.0, 0.0}}, -1.0, -1.0);                 // −x₀ − t ≥ −1
//   LpSolution s = lp->solve();                              // max t: t* = 0.5 at x₀ = 0.5
//   lp->pop_row();                                           // back to the parent problem (and its basis)
//
// Every LP of shallow/ has this shape: maximise t subject to rows a·x + c_t·t ≥ lower (docs/shallow.md:
// strictness carried by the slack t). Rows form a stack: the region DFS pushes one row per decided neuron and
// pops it on backtrack, so a backend can warm-start (Clp: the parent's optimal basis is restored on pop, and
// adding a row keeps it dual feasible, so dual simplex re-optimises in a few pivots).
#pragma once

#include <memory>
#include <span>
#include <vector>

namespace actlab::shallow {

enum class LpStatus { kOptimal, kInfeasible, kFailed };

struct LpSolution {
  LpStatus status = LpStatus::kFailed;
  double t = 0;           // optimal t (meaningful when kOptimal)
  std::vector<double> x;  // an optimal x (the witness)
};

class LpSolver {
 public:
  virtual ~LpSolver() = default;
  // Drops every row; n free variables x (or boxed by set_box) and t ∈ [t_lower, t_upper]; objective max t.
  virtual void reset(int n, double t_lower, double t_upper) = 0;
  // Bounds on every x_j (closed box lo ≤ x_j ≤ hi).
  virtual void set_box(double lo, double hi) = 0;
  // Pushes the row a·x + t_coef·t ≥ lower.
  virtual void push_row(std::span<const double> a, double t_coef, double lower) = 0;
  // Pops the last pushed row.
  virtual void pop_row() = 0;
  virtual int rows() const = 0;
  virtual LpSolution solve() = 0;
  // LPs solved since construction.
  virtual long solves() const = 0;
};

// Clp with dual simplex, silent, primal/dual tolerances 1e-9.
std::unique_ptr<LpSolver> make_clp_solver();

}  // namespace actlab::shallow
