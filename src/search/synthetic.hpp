// A cheap built-in objective with a known optimum, for testing and timing the study engine.
//
//   SyntheticProblem p{.categorical = 10, .choices = 48, .floats = 2};
//   Space space = p.space();                 // c0..c9 ∈ {f00..f47}, x0 ∈ [−5, 5], x1 ∈ [1e-3, 10] (log)
//   double v = p.evaluate(params);           // ≥ 0; 0 exactly at p.optimum()
//
// value = Σ_i cost_i(c_i) + ((x0 − 1.25)/5)² + (log10(x1/0.05)/2)² + ...  (minimise)
// Float parameters alternate: x0, x2, x4, ... linear on [−5, 5] with the term ((x − t)/5)²; x1, x3, ... log
// on [1e-3, 10] with (log10(x/t)/2)². Targets: t0 = 1.25, t1 = 0.05, then fixed draws from Rng::derive(0,
// "synthetic-x", j) (in [−4, 4], or 10^[−2.5, 0.5] for log ones). Up to 100 floats, so a purely numerical
// space is `.categorical = 0, .floats = 10`. cost_i(k) is a fixed table in [0.05, 1) drawn from
// Rng::derive(0, "synthetic", i), except cost_i(t_i) = 0 at one target choice t_i per parameter. The table
// does not depend on the study seed, so every study of the same shape optimises the same function. The
// parameters are separable, which independent TPE can exploit; random search cannot, so TPE should beat
// random at equal budget.
#pragma once

#include "search/space.hpp"

namespace actlab::search {

struct SyntheticProblem {
  int categorical = 10;  // number of categorical parameters c0, c1, ...
  int choices = 48;      // choices per categorical (the à-la-carte menu size)
  int floats = 2;        // 0 to kMaxFloats float parameters (x0 linear, x1 log, x2 linear, ...)
  static constexpr int kMaxFloats = 100;

  Status validate() const;
  Space space() const;
  double evaluate(const Params& p) const;
  Params optimum() const;
  Json to_json() const;
  static Result<SyntheticProblem> from_json(const Json& j);
};

}  // namespace actlab::search
