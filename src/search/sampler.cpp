#include "search/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "search/tpe.hpp"

namespace actlab::search {

const char* to_string(TrialState s) {
  switch (s) {
    case TrialState::kWaiting: return "WAITING";
    case TrialState::kRunning: return "RUNNING";
    case TrialState::kComplete: return "COMPLETE";
    case TrialState::kPruned: return "PRUNED";
    case TrialState::kFail: return "FAIL";
  }
  return "?";
}

Result<TrialState> parse_trial_state(const std::string& s) {
  for (TrialState t : {TrialState::kWaiting, TrialState::kRunning, TrialState::kComplete, TrialState::kPruned,
                       TrialState::kFail}) {
    if (s == to_string(t)) return t;
  }
  return Status::invalid("unknown trial state '" + s + "'");
}

const char* to_string(Direction d) { return d == Direction::kMinimize ? "minimize" : "maximize"; }

Result<Direction> parse_direction(const std::string& s) {
  if (s == "minimize") return Direction::kMinimize;
  if (s == "maximize") return Direction::kMaximize;
  return Status::invalid_field("direction", "expected minimize or maximize, got '" + s + "'");
}

double sample_uniform(const Distribution& d, Rng& rng) {
  switch (d.kind) {
    case ParamKind::kCategorical: return static_cast<double>(rng.below(d.n_choices()));
    case ParamKind::kFloat:
      if (d.low == d.high) return d.low;
      if (d.log) return std::clamp(std::exp(rng.uniform(std::log(d.low), std::log(d.high))), d.low, d.high);
      if (d.step > 0) {
        const auto k = static_cast<std::uint64_t>(std::floor((d.high - d.low) / d.step + 1e-9));
        return std::min(d.low + d.step * static_cast<double>(rng.below(k + 1)), d.high);
      }
      return rng.uniform(d.low, d.high);
    case ParamKind::kInt: {
      if (d.log) {
        const double t = rng.uniform(std::log(d.low - 0.5), std::log(d.high + 0.5));
        return std::clamp(std::round(std::exp(t)), d.low, d.high);
      }
      const auto k = static_cast<std::uint64_t>((d.high - d.low) / d.step);
      return d.low + d.step * static_cast<double>(rng.below(k + 1));
    }
  }
  return 0;
}

Params RandomSampler::sample(const Space& space, Direction, const std::vector<FrozenTrial>&,
                             std::int64_t number, std::uint64_t seed) const {
  Rng rng = Rng::derive(seed, "random", static_cast<std::uint64_t>(number));
  Params p(space.size());
  for (std::size_t i = 0; i < space.size(); ++i) p[i] = sample_uniform(space[i].dist, rng);
  return p;
}

std::vector<double> GridSampler::axis(const Distribution& d) const {
  std::vector<double> v;
  if (d.kind == ParamKind::kCategorical) {
    for (std::size_t i = 0; i < d.n_choices(); ++i) v.push_back(static_cast<double>(i));
    return v;
  }
  const int n = std::max(points_, 1);
  if (d.kind == ParamKind::kInt) {
    const double count = (d.high - d.low) / d.step + 1;
    if (count <= n) {
      for (double x = d.low; x <= d.high; x += d.step) v.push_back(x);
      return v;
    }
  }
  for (int i = 0; i < n; ++i) {
    const double t = n == 1 ? 0.5 : static_cast<double>(i) / (n - 1);
    double x = d.log ? std::exp(std::log(d.low) + t * (std::log(d.high) - std::log(d.low)))
                     : d.low + t * (d.high - d.low);
    if (d.step > 0) x = d.low + std::round((x - d.low) / d.step) * d.step;
    x = std::clamp(x, d.low, d.high);
    if (d.kind == ParamKind::kInt) x = std::round(x);
    if (v.empty() || v.back() != x) v.push_back(x);
  }
  return v;
}

std::uint64_t GridSampler::grid_size(const Space& space) const {
  constexpr std::uint64_t kCap = std::uint64_t{1} << 62;
  std::uint64_t g = 1;
  for (const Param& p : space.params()) {
    const std::uint64_t a = axis(p.dist).size();
    g = g > kCap / a ? kCap : g * a;
  }
  return g;
}

Params GridSampler::sample(const Space& space, Direction, const std::vector<FrozenTrial>&,
                           std::int64_t number, std::uint64_t seed) const {
  const std::uint64_t g = grid_size(space);
  std::uint64_t index = static_cast<std::uint64_t>(number) % g;
  if (g <= (std::uint64_t{1} << 20)) {
    std::vector<std::uint64_t> perm(g);
    std::iota(perm.begin(), perm.end(), 0);
    Rng rng = Rng::derive(seed, "grid");
    std::shuffle(perm.begin(), perm.end(), rng);
    index = perm[index];
  }
  Params p(space.size());
  for (std::size_t i = space.size(); i-- > 0;) {  // mixed radix, last parameter fastest
    const auto ax = axis(space[i].dist);
    p[i] = ax[index % ax.size()];
    index /= ax.size();
  }
  return p;
}

Result<std::unique_ptr<Sampler>> make_sampler(const std::string& name) {
  if (name == "random") return std::unique_ptr<Sampler>(new RandomSampler());
  if (name == "grid") return std::unique_ptr<Sampler>(new GridSampler());
  const auto bad = [&](const std::string& why) {
    return Status::invalid_field(
        "sampler", why + " (expected tpe[:multivariate][,fail-worst], tpe-multivariate, random or grid)");
  };
  TpeOptions o;
  if (name == "tpe-multivariate") {
    o.multivariate = true;
  } else if (name.rfind("tpe:", 0) == 0) {
    std::string_view rest = std::string_view(name).substr(4);
    while (!rest.empty()) {
      const std::size_t comma = std::min(rest.find(','), rest.size());
      const std::string opt(rest.substr(0, comma));
      rest.remove_prefix(std::min(comma + 1, rest.size()));
      if (opt == "multivariate") {
        o.multivariate = true;
      } else if (opt == "fail-worst") {
        o.fail_as_worst = true;
      } else {
        return bad("unknown TPE option '" + opt + "' in '" + name + "'");
      }
    }
  } else if (name != "tpe") {
    return bad("got '" + name + "'");
  }
  return std::unique_ptr<Sampler>(new TpeSampler(o));
}

}  // namespace actlab::search
