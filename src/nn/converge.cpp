#include "nn/converge.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "optim/adam.hpp"

namespace actlab::nn {
namespace {

// Best-so-far bookkeeping shared by both optimisers.
class Tracker {
 public:
  Tracker(const ConvergeRun& run) : run_(run) { out_.best_error = INFINITY; }
  // Records evaluation `n` (1-based) with value e; false once the threshold is reached.
  bool record(std::int64_t n, double e, std::span<const double> w) {
    out_.evaluations = n;
    if (std::isfinite(e) && e < out_.best_error) {
      out_.best_error = e;
      out_.best_weights.assign(w.begin(), w.end());
    }
    while (next_ < run_.checkpoints.size() && run_.checkpoints[next_] <= n) {
      if (run_.checkpoints[next_] == n)
        out_.curve.push_back(out_.best_error);
      else
        out_.curve.push_back(out_.curve.empty() ? out_.best_error : out_.curve.back());
      ++next_;
    }
    if (e < run_.threshold) {
      out_.evals_to_threshold = n;
      return false;
    }
    return true;
  }
  ConvergeOutcome finish() {
    while (out_.curve.size() < run_.checkpoints.size()) out_.curve.push_back(out_.best_error);
    return out_;
  }

 private:
  const ConvergeRun& run_;
  ConvergeOutcome out_;
  std::size_t next_ = 0;
};

// v (inside [lo, hi]) as a float that is still inside: rounding to float may step past a bound.
float float_inside(double v, double lo, double hi) {
  float f = static_cast<float>(v);
  while (f > hi) f = std::nextafter(f, -INFINITY);
  while (f < lo) f = std::nextafter(f, INFINITY);
  return f;
}

Status check(const ConvergeRun& run) {
  if (run.budget < 1) return Status::invalid_field("budget", "must be >= 1 loss evaluation");
  if (!(run.threshold > 0)) return Status::invalid_field("threshold", "must be > 0");
  if (run.reflect_box) {
    if (Status s = run.reflect_box->validate(); !s) return s;
    if (run.reflect_box->dims() != 4) return Status::invalid("the 1-1-1 box needs 4 coordinates");
  }
  return Status::ok();
}

}  // namespace

std::vector<std::int64_t> log_checkpoints(std::int64_t budget, int points) {
  std::vector<std::int64_t> out;
  for (int i = 0; i < points; ++i) {
    const double v = std::pow(static_cast<double>(budget), points == 1 ? 1.0 : i / double(points - 1));
    const auto n = std::clamp<std::int64_t>(std::llround(v), 1, budget);
    if (out.empty() || n > out.back()) out.push_back(n);
  }
  return out;
}

Result<ConvergeOutcome> converge_adam(const Mlp111& net, const ConvergeRun& run, Rng rng) {
  if (Status s = check(run); !s) return s;
  const optim::Box box = run.reflect_box ? *run.reflect_box : optim::Box::uniform(4, -1, 1);
  std::array<float, 4> w{}, g{};
  for (std::size_t k = 0; k < 4; ++k)
    w[k] = float_inside(rng.uniform(box.lo[k], box.hi[k]), box.lo[k], box.hi[k]);
  optim::OptimizerOptions oo;
  oo.lr = run.lr;
  oo.beta1 = run.beta1;
  oo.beta2 = run.beta2;
  oo.eps = run.eps;
  optim::Adam adam(oo, false);
  const std::vector<optim::ParamBlock> blocks = {{w, g}};
  Tracker tr(run);
  std::array<double, 4> wd{}, gd{};
  for (std::int64_t n = 1; n <= run.budget; ++n) {
    for (std::size_t k = 0; k < 4; ++k) wd[k] = w[k];
    const double e = net.loss_grad(wd, gd);
    if (!tr.record(n, e, wd) || !std::isfinite(e)) break;  // reached, or diverged: nothing more to learn
    for (std::size_t k = 0; k < 4; ++k) g[k] = static_cast<float>(gd[k]);
    adam.step(blocks);
    if (run.reflect_box) {
      auto m = adam.first_moment(0);
      for (std::size_t k = 0; k < 4; ++k) {
        const double v = w[k];
        if (box.contains(k, v)) continue;
        w[k] = float_inside(optim::bring_inside(v, box, k, optim::Boundary::kReflect), box.lo[k], box.hi[k]);
        if (run.negate_moment) m[k] = -m[k];
      }
    }
  }
  return tr.finish();
}

// Through Dik's AO state machine rather than Adamm::optimize, so that each epoch's agents are evaluated in
// one batch; the evaluations are recorded in agent order, exactly as optimize() would.
Result<ConvergeOutcome> converge_adamm(const Mlp111& net, const ConvergeRun& run, Rng rng) {
  if (Status s = check(run); !s) return s;
  optim::PopulationAdamOptions o = run.adamm;
  o.max_evaluations = run.budget;
  o.boundary = run.reflect_box ? optim::Boundary::kReflect : optim::Boundary::kClamp;
  const optim::Box box = run.reflect_box ? *run.reflect_box : optim::Box::uniform(4, -5, 5);
  optim::PopulationAdamState s;
  if (Status st = s.init(box, o, rng); !st) return st;
  const int p = s.size();
  std::vector<double> w(4 * static_cast<std::size_t>(p)), e(p);
  Tracker tr(run);
  std::int64_t n = 0;
  bool going = true;
  while (going && n < run.budget) {
    s.moving();
    for (int i = 0; i < p; ++i) std::copy_n(s.agent(i).data(), 4, w.data() + 4 * i);
    net.loss_batch(w, e);
    for (int i = 0; i < p; ++i) {
      if (!going || n == run.budget) {
        s.set_value(i, INFINITY);
        continue;
      }
      s.set_value(i, e[i]);
      going = tr.record(++n, e[i], s.agent(i));
    }
    s.revision();
  }
  return tr.finish();
}

}  // namespace actlab::nn
