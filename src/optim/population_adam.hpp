// Population Adam and ADAMm: derivative-free, population-based Adam after A. Dik, "Population ADAM (Adaptive
// Moment Estimation)", MQL5 article 16443, and his BSD-3 code (AO_ADAMm_AdaptiveMomentEstimation.mqh, commit
// 606057e). The algorithm, its quirks and defaults: docs/optimizers.md, "ADAMm's quirks" and "Sources".
//
//   auto loss = [](std::span<const double> x) { return (x[0] - 1) * (x[0] - 1) + x[1] * x[1]; };
//   Adamm opt;                                    // popSize 100, hybrids 50 %, resistance 10, ε = 0.1
//   opt.options().max_evaluations = 5000;
//   auto r = opt.optimize(loss, Box::uniform(2, -3, 3), Rng(1));
//   r->best_value; r->best;                       // the best point seen and its loss
//
// One epoch (Dik's AO interface: Moving → evaluate every agent → Revision):
//   epochs 0 and 1: every agent is a uniform random point of the box (on Dik's 15-bit rand() grid);
//   later:  g_i[k] = (f_i − fP_i)/(c_i[k] − cP_i[k])   a secant with the agent's TOTAL fitness change
//           worst H = ⌊P·hybrids⌋ slots:  c[k] = PowerDistribution(c_ind[k], lo, hi, resistance),
//                                         ind = ⌊U01²·(P − 1)⌋ (biased to the best), rows in place
//           the others: m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
//                       c[k] ← c[k] + α·m̂/(√v̂ + ε)   (ascent)
//           c[k] ← clamp (Dik) or reflection into the box
//   Revision: best-so-far update, then (ADAMm only) a stable sort of the agents best-first.
// with fitness f = −value.
//
// Quirks of Dik's code, reproduced when dik_quirks is on (the default, so the published scores reproduce):
//   1. the secant shares ΔF across coordinates that all moved together;
//   2. a coordinate that did not move gets Δx = ε (ε = 0.1 in ADAMm: the step's ε doubles as this fallback);
//   3. the moments m, v belong to sorted slots, not to agents: the sort does not carry them along;
//   4. hybrids read parents in place, so a parent above them may already have moved this epoch.
// dik_quirks = false fixes all four: g = ΔF·Δx/‖Δx‖² (the minimum-norm gradient with g·Δx = ΔF; 0 when
// nothing moved), the moments travel with their agent through the sort, and hybrids read the population as
// it was at the start of the epoch. The boundary rule (clamp or reflect) is a separate option.
//
// Variants are aliases of one class; they differ only in their defaults:
//   Adamm          = PopulationAdamType<AdammDefaults>           (popSize 100, hybrids 0.5, ε 0.1, sorted)
//   PopulationAdam = PopulationAdamType<PopulationAdamDefaults>  (Dik's C_AO_ADAM: popSize 50, no hybrids,
//                                                                ε 1e-8, no sort). With popSize 1 it is
//                                                                ordinary Adam on the secant gradient.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/status.hpp"
#include "optim/box.hpp"
#include "optim/objective.hpp"

namespace actlab::optim {

struct PopulationAdamOptions {
  int pop_size = 100;
  double hybrids = 0.5;  // hybridsPercentage: the fraction of worst slots rebuilt by recombination
  double hybrids_resistance = 10.0;  // the power p of PowerDistribution (larger: smaller jumps)
  double alpha = 0.001, beta1 = 0.9, beta2 = 0.999;
  double eps = 0.1;
  bool sort = true;        // Revision sorts the population best-first (ADAMm); plain population Adam does not
  bool dik_quirks = true;  // see the header comment
  Boundary boundary = Boundary::kClamp;
  bool negate_moment_on_reflect = false;  // m_k ← −m_k when coordinate k was reflected (docs/optimizers.md)
  std::int64_t max_evaluations = 10000;  // the budget; the last epoch stops part-way when it runs out

  Status validate() const;
};

struct AdammDefaults {
  static PopulationAdamOptions options() { return {}; }
  static constexpr const char* kName = "adamm";
};
struct PopulationAdamDefaults {
  static PopulationAdamOptions options() {
    PopulationAdamOptions o;
    o.pop_size = 50;
    o.hybrids = 0.0;
    o.eps = 1e-8;
    o.sort = false;
    return o;
  }
  static constexpr const char* kName = "adam";
};

// Dik's AO state machine, for callers that evaluate agents themselves (the harness, batched objectives):
//   PopulationAdamState s;  s.init(box, options, rng);
//   loop: s.moving(); for i: s.set_value(i, f(s.agent(i))); s.revision();
class PopulationAdamState {
 public:
  Status init(const Box& box, const PopulationAdamOptions& options, Rng rng);
  void moving();
  int size() const { return pop_; }
  std::size_t dims() const { return dims_; }
  std::span<const double> agent(int i) const { return {c_.data() + i * dims_, dims_}; }
  // The objective value of agent i (minimised; stored as the fitness −value, non-finite → worst).
  void set_value(int i, double value);
  void revision();
  // The best point seen so far and its objective value (+inf before the first revision).
  std::span<const double> best() const { return best_; }
  double best_value() const {
    return best_fitness_ == -std::numeric_limits<double>::max() ? std::numeric_limits<double>::infinity()
                                                                : -best_fitness_;
  }
  // Adam moments of slot i (tests; the slot/agent distinction is quirk 3).
  std::span<const double> first_moment(int i) const { return {m_.data() + i * dims_, dims_}; }

 private:
  double u01() { return static_cast<double>(rng_.below(32768)) / 32767.0; }  // MQL rand()/32767
  double uniform(double a, double b) { return a + (b - a) * u01(); }
  double power_distribution(double in, double lo, double hi, double p);

  Box box_;
  PopulationAdamOptions o_;
  Rng rng_{0};
  int pop_ = 0, hybrids_ = 0;
  std::size_t dims_ = 0;
  std::int64_t step_ = 0, t_ = 1;
  std::vector<double> c_, cp_, f_, fp_;  // agents: position, previous position, fitness, previous fitness
  std::vector<double> g_, m_, v_;        // per slot
  std::vector<double> snapshot_;         // parents of the hybrids without quirk 4
  std::vector<double> best_;
  double best_fitness_ = -std::numeric_limits<double>::max();
  std::vector<int> order_;
  std::vector<double> scratch_;
};

struct PopulationReport {
  std::vector<double> best;  // the best point seen
  double best_value = std::numeric_limits<double>::infinity();
  std::int64_t evaluations = 0;
  std::int64_t epochs = 0;
  bool stopped = false;  // the observer ended the run before the budget
};

template <class Defaults>
class PopulationAdamType {
 public:
  explicit PopulationAdamType(PopulationAdamOptions options = Defaults::options()) : o_(options) {}
  PopulationAdamOptions& options() { return o_; }
  const PopulationAdamOptions& options() const { return o_; }
  static std::string name() { return Defaults::kName; }

  // Minimises f over the box with at most options().max_evaluations evaluations.
  template <Objective F, EvaluationObserver Obs = NoObserver>
  Result<PopulationReport> optimize(F& f, const Box& box, Rng rng, Obs observe = {}) const {
    PopulationAdamState s;
    if (Status st = s.init(box, o_, rng); !st) return st;
    PopulationReport r;
    while (r.evaluations < o_.max_evaluations && !r.stopped) {
      s.moving();
      for (int i = 0; i < s.size(); ++i) {
        if (r.evaluations == o_.max_evaluations || r.stopped) {
          s.set_value(i, std::numeric_limits<double>::infinity());  // not evaluated: worst
          continue;
        }
        const double value = static_cast<double>(f(s.agent(i)));
        s.set_value(i, value);
        ++r.evaluations;
        if (!observe(r.evaluations, value)) r.stopped = true;
      }
      s.revision();
      ++r.epochs;
    }
    r.best.assign(s.best().begin(), s.best().end());
    r.best_value = s.best_value();
    return r;
  }

 private:
  PopulationAdamOptions o_;
};

using Adamm = PopulationAdamType<AdammDefaults>;
using PopulationAdam = PopulationAdamType<PopulationAdamDefaults>;

}  // namespace actlab::optim
