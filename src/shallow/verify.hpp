// Checks a shallow network against the deep one it came from (docs/shallow.md, "Sources": the checks).
//
//   auto pts = random_points(net.input_dim(), 1000, /*seed=*/1, rs.box);
//   auto edge = boundary_points(net, 500, /*seed=*/1, rs.box);   // integer points with some z_i == 0 exactly
//   VerifyReport r = verify(net, shallow, pts);   // r.mismatches == 0, r.nan == 0, r.open_gates_not_one == 0
//
// A mismatch is |F_shallow(x) − F_deep(x)| > tol·(1 + |F_deep(x)|) in any output (tol = 1e-9).
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "shallow/deep_net.hpp"
#include "shallow/shallow_net.hpp"

namespace actlab::shallow {

struct VerifyReport {
  long points = 0, mismatches = 0, nan = 0, open_gates_not_one = 0;
  double max_abs_diff = 0;
};

// count points: uniform in the box when given, else N(0, 2²) per coordinate.
std::vector<Eigen::VectorXd> random_points(int n, long count, std::uint64_t seed,
                                           const std::optional<std::pair<double, double>>& box = {});
// Up to count integer points (within the box, else within [−12, 12]^n) at which some hidden pre-activation
// is exactly 0. Exact for integer-weight nets; for others few or none are found.
std::vector<Eigen::VectorXd> boundary_points(const DeepReluNet& net, long count, std::uint64_t seed,
                                             const std::optional<std::pair<double, double>>& box = {});
VerifyReport verify(const DeepReluNet& net, const ShallowNet& s, const std::vector<Eigen::VectorXd>& points,
                    double tol = 1e-9);

}  // namespace actlab::shallow
