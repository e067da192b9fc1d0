// COIN-OR Clp backend of LpSolver. Clp minimises, so the objective is −t.
#include "shallow/lp_solver.hpp"

#include <coin/ClpSimplex.hpp>
#include <memory>
#include <vector>

namespace actlab::shallow {
namespace {

// dual()'s startFinishOptions bit 1: keep work areas and factorization between calls. Without it every solve
// allocates and frees Clp's work arrays, and glibc trims them back to the kernel: 14× slower on 4-6-6-1.
constexpr int kKeepWorkAreas = 1;

class ClpLpSolver final : public LpSolver {
 public:
  ClpLpSolver() : model_ptr_(std::make_unique<ClpSimplex>()) {}

  void reset(int n, double t_lower, double t_upper) override {
    n_ = n;
    model_ptr_ = std::make_unique<ClpSimplex>();  // ClpSimplex's assignment is not safe to reuse
    m().setLogLevel(0);
    m().setPrimalTolerance(1e-9);
    m().setDualTolerance(1e-9);
    m().scaling(0);  // rows are normalised to ‖a‖ = 1 already; scaling each small LP cost ~5% of the time
    m().resize(0, n + 1);
    for (int j = 0; j < n; ++j) {
      m().setColumnBounds(j, -COIN_DBL_MAX, COIN_DBL_MAX);
      m().setObjectiveCoefficient(j, 0.0);
    }
    m().setColumnBounds(n, t_lower, t_upper);
    m().setObjectiveCoefficient(n, -1.0);
    saved_.clear();
    have_basis_ = false;
  }

  void set_box(double lo, double hi) override {
    for (int j = 0; j < n_; ++j) m().setColumnBounds(j, lo, hi);
  }

  void push_row(std::span<const double> a, double t_coef, double lower) override {
    // Keep the basis this row is added to: pop_row restores it, so the parent's optimum is the warm start.
    const int total = m().numberRows() + m().numberColumns();
    saved_.emplace_back(m().statusArray() ? m().statusArray() : nullptr,
                        m().statusArray() ? m().statusArray() + total : nullptr);
    cols_.clear();
    vals_.clear();
    for (int j = 0; j < n_; ++j) {
      if (a[j] != 0.0) {
        cols_.push_back(j);
        vals_.push_back(a[j]);
      }
    }
    if (t_coef != 0.0) {
      cols_.push_back(n_);
      vals_.push_back(t_coef);
    }
    m().addRow(static_cast<int>(cols_.size()), cols_.data(), vals_.data(), lower, COIN_DBL_MAX);
  }

  void pop_row() override {
    const int last = m().numberRows() - 1;
    m().deleteRows(1, &last);
    std::vector<unsigned char>& s = saved_.back();
    if (!s.empty() && m().statusArray()) m().copyinStatus(s.data());
    saved_.pop_back();
  }

  int rows() const override { return m().numberRows(); }

  LpSolution solve() override {
    ++solves_;
    LpSolution out;
    m().dual(0, kKeepWorkAreas);
    int st = m().status();
    if (st != 0 && st != 1) {  // numerical trouble from a stale basis: solve from scratch once
      m().allSlackBasis();
      m().dual();
      st = m().status();
    }
    if (st == 1 || m().isProvenPrimalInfeasible()) {
      // Confirmed by the primal simplex from scratch: the dual simplex has called feasible LPs infeasible
      // when two rows are exact negatives of each other (an equality a·x + d = 0: a lower-dimensional region,
      // e.g. abs's units relu(z) and relu(−z) both off), which loses realised patterns (lp_solver_test.cpp).
      m().allSlackBasis();
      m().primal();
      st = m().status();
    }
    if (st == 1 || m().isProvenPrimalInfeasible()) {
      out.status = LpStatus::kInfeasible;
      return out;
    }
    if (st != 0) return out;
    out.status = LpStatus::kOptimal;
    const double* sol = m().primalColumnSolution();
    out.x.assign(sol, sol + n_);
    out.t = sol[n_];
    return out;
  }

  long solves() const override { return solves_; }

 private:
  ClpSimplex& m() const { return *model_ptr_; }
  std::unique_ptr<ClpSimplex> model_ptr_;
  int n_ = 0;
  long solves_ = 0;
  bool have_basis_ = false;
  std::vector<std::vector<unsigned char>> saved_;
  std::vector<int> cols_;
  std::vector<double> vals_;
};

}  // namespace

std::unique_ptr<LpSolver> make_clp_solver() { return std::make_unique<ClpLpSolver>(); }

}  // namespace actlab::shallow
