#include "search/tpe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace actlab::search {
namespace {

bool observed(const FrozenTrial& t) {
  return (t.state == TrialState::kComplete || t.state == TrialState::kPruned) && !t.params.empty();
}

}  // namespace

void TpeSampler::split(const std::vector<FrozenTrial>& trials, Direction direction, int n_below,
                       std::vector<std::size_t>& below, std::vector<std::size_t>& above) {
  const double sign = direction == Direction::kMinimize ? 1.0 : -1.0;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  struct Key {
    double step, score;
    std::size_t index;
  };
  std::vector<Key> keys;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const FrozenTrial& t = trials[i];
    if (!observed(t)) continue;
    if (t.state == TrialState::kComplete) {
      keys.push_back({-kInf, sign * t.value, i});
    } else if (!t.intermediate.empty()) {
      const auto& [step, v] = t.intermediate.back();
      keys.push_back({-static_cast<double>(step), std::isnan(v) ? kInf : sign * v, i});
    } else {
      keys.push_back({1.0, 0.0, i});
    }
  }
  std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.step < b.step || (a.step == b.step && a.score < b.score);
  });
  below.clear();
  above.clear();
  for (std::size_t k = 0; k < keys.size(); ++k) {
    (static_cast<int>(k) < n_below ? below : above).push_back(keys[k].index);
  }
  std::sort(below.begin(), below.end());
  std::sort(above.begin(), above.end());
}

Params TpeSampler::sample(const Space& space, Direction direction, const std::vector<FrozenTrial>& trials,
                          std::int64_t number, std::uint64_t seed) const {
  Rng rng = Rng::derive(seed, "tpe", static_cast<std::uint64_t>(number));
  Params out(space.size());
  const int n = static_cast<int>(std::count_if(trials.begin(), trials.end(), observed));
  if (n < options_.n_startup_trials) {
    for (std::size_t i = 0; i < space.size(); ++i) {
      Rng r = rng.split(i);
      out[i] = sample_uniform(space[i].dist, r);
    }
    return out;
  }
  std::vector<std::size_t> below, above;
  split(trials, direction, default_gamma(n), below, above);

  // One estimator pair over `dims`; returns the best candidate (one value per dim).
  auto propose = [&](const std::vector<std::size_t>& dims, Rng& r) {
    auto gather = [&](const std::vector<std::size_t>& idx) {
      std::vector<std::vector<double>> obs(dims.size());
      for (std::size_t k = 0; k < dims.size(); ++k) {
        obs[k].reserve(idx.size());
        for (std::size_t i : idx) obs[k].push_back(trials[i].params[dims[k]]);
      }
      return obs;
    };
    const ParzenEstimator l(space, dims, gather(below), options_.parzen);
    const ParzenEstimator g(space, dims, gather(above), options_.parzen);
    const auto candidates = l.sample(r, options_.n_ei_candidates);
    std::size_t best = 0;
    double best_score = -std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const double s = l.log_pdf(candidates[c]) - g.log_pdf(candidates[c]);
      if (s > best_score) {
        best_score = s;
        best = c;
      }
    }
    return candidates[best];
  };

  if (options_.multivariate) {
    std::vector<std::size_t> dims(space.size());
    std::iota(dims.begin(), dims.end(), 0);
    const auto x = propose(dims, rng);
    for (std::size_t i = 0; i < space.size(); ++i) out[i] = x[i];
    return out;
  }
  for (std::size_t i = 0; i < space.size(); ++i) {
    Rng r = rng.split(i);
    out[i] = propose({i}, r)[0];
  }
  return out;
}

}  // namespace actlab::search
