#include "search/tpe.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>

namespace actlab::search {
namespace {

bool observed(const FrozenTrial& t, bool fail_as_worst) {
  if (t.params.empty()) return false;
  return t.state == TrialState::kComplete || t.state == TrialState::kPruned ||
         (fail_as_worst && t.state == TrialState::kFail && !t.worker_lost);
}

// The first candidate with the highest score log l − log g, among candidates[j] for j in `which` (index
// order): the general path's pick when `which` holds every candidate that can be the best.
template <class Score>
std::size_t first_best(const std::vector<std::size_t>& which, Score score) {
  std::size_t best = which.empty() ? 0 : which.front();
  double best_score = -std::numeric_limits<double>::infinity();
  for (std::size_t j : which) {
    const double s = score(j);
    if (s > best_score) {
      best_score = s;
      best = j;
    }
  }
  return best;
}

// Independent TPE on one categorical parameter: the same candidates and the same pick as the general path
// (log_pdf of two ParzenEstimators per candidate, O(n) each), in O(n + C). l(c) and g(c) come for every
// choice at once from categorical_log_pmf, which agrees with log_pdf up to rounding but not bit for bit. So
// the tables only shortlist: a candidate whose table score is more than 2e below the best cannot be the
// general path's pick (e bounds |table − log_pdf| with a wide margin: both sum n + C terms, each to within a
// few ulp). When the shortlist holds one choice, that is the pick; otherwise (near ties, e.g. choices never
// observed) its candidates are re-scored with the estimators' own log_pdf, exactly as the general path does.
double propose_categorical(const Space& space, std::size_t param, const std::vector<double>& below_obs,
                           const std::vector<double>& above_obs, const TpeOptions& o, Rng& r) {
  const std::size_t C = space[param].dist.n_choices();
  const ParzenEstimator l(space, {param}, {below_obs}, o.parzen);
  const auto candidates = l.sample(r, o.n_ei_candidates);
  const std::vector<double> log_l = categorical_log_pmf(C, below_obs, o.parzen);
  const std::vector<double> log_g = categorical_log_pmf(C, above_obs, o.parzen);
  auto choice = [&](std::size_t j) { return static_cast<std::size_t>(candidates[j][0]); };
  std::vector<double> score(candidates.size());
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    score[j] = log_l[choice(j)] - log_g[choice(j)];
    top = std::max(top, score[j]);
  }
  const double e = 4096.0 * static_cast<double>(below_obs.size() + above_obs.size() + C + 2) * DBL_EPSILON;
  std::vector<std::size_t> shortlist;
  bool one_choice = true;
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    if (score[j] < top - 2 * e) continue;
    one_choice = one_choice && (shortlist.empty() || choice(j) == choice(shortlist.front()));
    shortlist.push_back(j);
  }
  if (one_choice) return candidates[shortlist.front()][0];
  const ParzenEstimator g(space, {param}, {above_obs}, o.parzen);
  return candidates[first_best(
      shortlist, [&](std::size_t j) { return l.log_pdf(candidates[j]) - g.log_pdf(candidates[j]); })][0];
}

// The candidate with the highest log l − log g, the first of equal bests — what scoring each candidate with
// log_pdf (O(n) scalar work per candidate) picks, found with log_pdf_many (vectorised over the kernels). The
// batch scores agree with log_pdf to within the estimators' tolerances e_l + e_g, so a candidate whose batch
// score is more than 2 (e_l + e_g) below the top cannot be log_pdf's pick. When every candidate left is the
// same point, that point is the pick; otherwise (a near tie between different points, or a non-finite score)
// the shortlist is re-scored with log_pdf, exactly as before.
std::size_t pick_candidate(const ParzenEstimator& l, const ParzenEstimator& g,
                           const std::vector<std::vector<double>>& candidates) {
  std::vector<std::size_t> all(candidates.size());
  std::iota(all.begin(), all.end(), 0);
  const auto exact = [&](const std::vector<std::size_t>& which) {
    return first_best(which,
                      [&](std::size_t j) { return l.log_pdf(candidates[j]) - g.log_pdf(candidates[j]); });
  };
  if (candidates.empty()) return 0;
  const std::vector<double> log_l = l.log_pdf_many(candidates), log_g = g.log_pdf_many(candidates);
  std::vector<double> score(candidates.size()), slack(candidates.size());
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    if (!std::isfinite(log_l[j]) || !std::isfinite(log_g[j])) return exact(all);
    score[j] = log_l[j] - log_g[j];
    slack[j] = l.log_pdf_tolerance(log_l[j]) + g.log_pdf_tolerance(log_g[j]);
    top = std::max(top, score[j]);
  }
  // Candidate j's exact score is within slack[j] of score[j], so the best exact score is at least top − the
  // largest slack, and a candidate whose score + slack falls below that is beaten.
  const double floor = top - *std::max_element(slack.begin(), slack.end());
  std::vector<std::size_t> shortlist;
  bool one_point = true;
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    if (score[j] + slack[j] < floor) continue;
    one_point = one_point && (shortlist.empty() || candidates[j] == candidates[shortlist.front()]);
    shortlist.push_back(j);
  }
  return one_point ? shortlist.front() : exact(shortlist);
}

}  // namespace

std::string TpeSampler::name() const {
  if (options_.multivariate)
    return options_.fail_as_worst ? "tpe:multivariate,fail-worst" : "tpe:multivariate";
  return options_.fail_as_worst ? "tpe:fail-worst" : "tpe";
}

void TpeSampler::split(const std::vector<FrozenTrial>& trials, Direction direction, int n_below,
                       std::vector<std::size_t>& below, std::vector<std::size_t>& above, bool fail_as_worst) {
  const double sign = direction == Direction::kMinimize ? 1.0 : -1.0;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  struct Key {
    double step, score;
    std::size_t index;
  };
  std::vector<Key> keys;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const FrozenTrial& t = trials[i];
    if (!observed(t, fail_as_worst)) continue;
    if (t.state == TrialState::kComplete) {
      keys.push_back({-kInf, sign * t.value, i});
    } else if (t.state == TrialState::kFail) {
      keys.push_back({2.0, 0.0, i});  // after every PRUNED key (steps ≤ 1), in trial order
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
  const bool fail_as_worst = options_.fail_as_worst;
  const int n = static_cast<int>(std::count_if(
      trials.begin(), trials.end(), [&](const FrozenTrial& t) { return observed(t, fail_as_worst); }));
  if (n < options_.n_startup_trials) {
    for (std::size_t i = 0; i < space.size(); ++i) {
      Rng r = rng.split(i);
      out[i] = sample_uniform(space[i].dist, r);
    }
    return out;
  }
  std::vector<std::size_t> below, above;
  split(trials, direction, default_gamma(n), below, above, fail_as_worst);

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
    return candidates[pick_candidate(l, g, candidates)];
  };

  if (options_.multivariate) {
    std::vector<std::size_t> dims(space.size());
    std::iota(dims.begin(), dims.end(), 0);
    const auto x = propose(dims, rng);
    for (std::size_t i = 0; i < space.size(); ++i) out[i] = x[i];
    return out;
  }
  // Categorical parameters take the O(n + C) path above; it needs a positive prior weight (with p = 0 the
  // estimators' log densities can be −inf and the scores NaN, which only the general path reproduces).
  const double p = options_.parzen.prior_weight;
  const bool categorical_tables = p > 0 && std::isfinite(p) && options_.n_ei_candidates > 0;
  std::vector<double> below_obs(below.size()), above_obs(above.size());
  for (std::size_t i = 0; i < space.size(); ++i) {
    Rng r = rng.split(i);
    if (categorical_tables && space[i].dist.kind == ParamKind::kCategorical) {
      for (std::size_t k = 0; k < below.size(); ++k) below_obs[k] = trials[below[k]].params[i];
      for (std::size_t k = 0; k < above.size(); ++k) above_obs[k] = trials[above[k]].params[i];
      out[i] = propose_categorical(space, i, below_obs, above_obs, options_, r);
    } else {
      out[i] = propose({i}, r)[0];
    }
  }
  return out;
}

}  // namespace actlab::search
