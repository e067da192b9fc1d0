#include "search/pruner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace actlab::search {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The value at the first reported step ≥ step, or nullopt.
std::optional<double> value_from(const FrozenTrial& t, std::int64_t step) {
  for (const auto& [s, v] : t.intermediate) {
    if (s >= step) return v;
  }
  return std::nullopt;
}

}  // namespace

double nan_percentile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double pos = q / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

bool MedianPruner::prune(const std::vector<FrozenTrial>& study, const FrozenTrial& trial, Direction d) const {
  if (trial.intermediate.empty()) return false;
  const std::int64_t step = trial.intermediate.back().first;
  int complete = 0;
  for (const auto& t : study) complete += t.state == TrialState::kComplete;
  if (complete < o_.n_startup_trials) return false;
  if (step < o_.n_warmup_steps) return false;
  if (o_.interval_steps > 1 && (step - o_.n_warmup_steps) % o_.interval_steps != 0) return false;
  const bool minimize = d == Direction::kMinimize;
  double best = kNaN;
  for (const auto& [s, v] : trial.intermediate) {
    if (std::isnan(v)) continue;
    best = std::isnan(best) ? v : (minimize ? std::min(best, v) : std::max(best, v));
  }
  if (std::isnan(best)) return true;
  std::vector<double> at_step;
  for (const auto& t : study) {
    if (t.state != TrialState::kComplete) continue;
    for (const auto& [s, v] : t.intermediate) {
      if (s == step) at_step.push_back(v);
    }
  }
  int finite = 0;
  for (double v : at_step) finite += !std::isnan(v);
  if (finite < o_.n_min_trials) return false;
  const double p = nan_percentile(at_step, minimize ? 50.0 : 50.0);
  if (std::isnan(p)) return false;
  return minimize ? best > p : best < p;
}

bool SuccessiveHalvingPruner::prune(const std::vector<FrozenTrial>& study, const FrozenTrial& trial,
                                    Direction d) const {
  if (trial.intermediate.empty()) return false;
  const auto [step, value] = trial.intermediate.back();
  std::int64_t min_resource = o_.min_resource;
  if (min_resource <= 0) {
    std::int64_t last = -1;
    for (const auto& t : study) {
      if (t.state == TrialState::kComplete && !t.intermediate.empty())
        last = std::max(last, t.intermediate.back().first);
    }
    if (last < 0) return false;
    min_resource = std::max<std::int64_t>(1, last / 100);
  }
  const bool minimize = d == Direction::kMinimize;
  const int eta = std::max(2, o_.reduction_factor);
  for (int rung = 0;; ++rung) {
    const double promotion =
        static_cast<double>(min_resource) * std::pow(eta, o_.min_early_stopping_rate + rung);
    if (static_cast<double>(step) < promotion) return false;
    if (std::isnan(value)) return true;
    // This trial's value at the rung (its first step at or past it), and every other trial's.
    const auto rung_step = static_cast<std::int64_t>(promotion);
    const double mine = value_from(trial, rung_step).value_or(value);
    std::vector<double> competing = {mine};
    for (const auto& t : study) {
      if (t.number == trial.number) continue;
      if (auto v = value_from(t, rung_step); v && !std::isnan(*v)) competing.push_back(*v);
    }
    std::size_t n = competing.size() / static_cast<std::size_t>(eta);
    if (n == 0) n = 1;
    std::sort(competing.begin(), competing.end());
    if (!minimize) std::reverse(competing.begin(), competing.end());
    const double cut = competing[n - 1];
    if (minimize ? mine > cut : mine < cut) return true;
  }
}

}  // namespace actlab::search
