#include "optim/population_adam.hpp"

#include <algorithm>
#include <numeric>

namespace actlab::optim {

Status PopulationAdamOptions::validate() const {
  if (pop_size < 1) return Status::invalid("the population size must be >= 1");
  if (!(hybrids >= 0 && hybrids <= 1)) return Status::invalid("the hybrids fraction must be in [0, 1]");
  if (!(hybrids_resistance > 0) || !std::isfinite(hybrids_resistance)) {
    return Status::invalid("the hybrids resistance must be a finite number > 0");
  }
  if (!(alpha >= 0) || !std::isfinite(alpha)) return Status::invalid("alpha must be a finite number >= 0");
  if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
    return Status::invalid("beta1 and beta2 must be in [0, 1)");
  }
  if (!(eps > 0) || !std::isfinite(eps)) return Status::invalid("epsilon must be a finite number > 0");
  if (max_evaluations < 1) return Status::invalid("the evaluation budget must be >= 1");
  return Status::ok();
}

Status PopulationAdamState::init(const Box& box, const PopulationAdamOptions& options, Rng rng) {
  if (Status s = options.validate(); !s) return s;
  if (Status s = box.validate(); !s) return s;
  box_ = box;
  o_ = options;
  rng_ = rng;
  pop_ = options.pop_size;
  hybrids_ = std::min(pop_, static_cast<int>(pop_ * options.hybrids));
  dims_ = box.dims();
  step_ = 0;
  t_ = 1;
  const std::size_t n = static_cast<std::size_t>(pop_) * dims_;
  c_.assign(n, 0.0);
  cp_.assign(n, 0.0);
  g_.assign(n, 0.0);
  m_.assign(n, 0.0);
  v_.assign(n, 0.0);
  f_.assign(pop_, -std::numeric_limits<double>::max());
  fp_ = f_;
  best_.assign(dims_, 0.0);
  best_fitness_ = -std::numeric_limits<double>::max();
  return Status::ok();
}

void PopulationAdamState::set_value(int i, double value) {
  f_[i] = std::isfinite(value) ? -value : -std::numeric_limits<double>::max();
}

double PopulationAdamState::power_distribution(double in, double lo, double hi, double p) {
  const double r0 = uniform(-1.0, 1.0);
  const double r = std::pow(std::fabs(r0), p);
  return r0 >= 0 ? in + r * (hi - in) : in - r * (in - lo);
}

void PopulationAdamState::moving() {
  const std::size_t d = dims_;
  if (step_ < 2) {  // the first two epochs are pure random sampling
    for (int i = 0; i < pop_; ++i) {
      fp_[i] = f_[i];
      for (std::size_t k = 0; k < d; ++k) {
        const std::size_t ik = i * d + k;
        cp_[ik] = c_[ik];
        c_[ik] = bring_inside(uniform(box_.lo[k], box_.hi[k]), box_, k, Boundary::kClamp);
      }
    }
    ++step_;
    return;
  }
  // The secant "gradient" of every slot (quirks 1 and 2, or the minimum-norm fix).
  for (int i = 0; i < pop_; ++i) {
    const double df = f_[i] - fp_[i];
    double* g = g_.data() + i * d;
    const double* c = c_.data() + i * d;
    const double* cp = cp_.data() + i * d;
    if (o_.dik_quirks) {
      for (std::size_t k = 0; k < d; ++k) {
        double dx = c[k] - cp[k];
        if (dx == 0.0) dx = o_.eps;
        g[k] = df / dx;
      }
    } else {
      double n2 = 0;
      for (std::size_t k = 0; k < d; ++k) n2 += (c[k] - cp[k]) * (c[k] - cp[k]);
      for (std::size_t k = 0; k < d; ++k) g[k] = n2 > 0 ? df * (c[k] - cp[k]) / n2 : 0.0;
    }
  }
  if (!o_.dik_quirks && hybrids_ > 0) snapshot_ = c_;
  const double* parents = o_.dik_quirks ? c_.data() : snapshot_.data();
  const double bc1 = 1.0 - std::pow(o_.beta1, static_cast<double>(t_));
  const double bc2 = 1.0 - std::pow(o_.beta2, static_cast<double>(t_));
  for (int i = 0; i < pop_; ++i) {
    fp_[i] = f_[i];
    const bool hybrid = i >= pop_ - hybrids_;
    for (std::size_t k = 0; k < d; ++k) {
      const std::size_t ik = i * d + k;
      cp_[ik] = c_[ik];
      double next;
      if (hybrid) {  // recombination: a rank-biased parent's coordinate, power-law jump toward a bound
        const double u = u01();
        const int ind = static_cast<int>(u * u * (pop_ - 1));
        next = power_distribution(parents[ind * d + k], box_.lo[k], box_.hi[k], o_.hybrids_resistance);
      } else {  // Adam, gradient ascent on the fitness
        m_[ik] = o_.beta1 * m_[ik] + (1 - o_.beta1) * g_[ik];
        v_[ik] = o_.beta2 * v_[ik] + (1 - o_.beta2) * g_[ik] * g_[ik];
        const double mh = m_[ik] / bc1, vh = v_[ik] / bc2;
        next = c_[ik] + o_.alpha * mh / (std::sqrt(vh) + o_.eps);
      }
      if (!std::isfinite(next)) next = c_[ik];  // an infinite secant (worst fitness) must not poison c
      const double inside = bring_inside(next, box_, k, o_.boundary);
      if (!hybrid && o_.negate_moment_on_reflect && o_.boundary == Boundary::kReflect &&
          !box_.contains(k, next)) {
        m_[ik] = -m_[ik];
      }
      c_[ik] = inside;
    }
  }
  ++t_;
}

void PopulationAdamState::revision() {
  int best = 0;
  for (int i = 1; i < pop_; ++i)
    if (f_[i] > f_[best]) best = i;
  if (f_[best] > best_fitness_) {
    best_fitness_ = f_[best];
    std::copy_n(c_.data() + best * dims_, dims_, best_.data());
  }
  if (!o_.sort) return;
  order_.resize(pop_);
  std::iota(order_.begin(), order_.end(), 0);
  std::stable_sort(order_.begin(), order_.end(), [&](int a, int b) { return f_[a] > f_[b]; });
  auto permute_rows = [&](std::vector<double>& rows) {
    scratch_.resize(rows.size());
    for (int i = 0; i < pop_; ++i)
      std::copy_n(rows.data() + order_[i] * dims_, dims_, scratch_.data() + i * dims_);
    rows.swap(scratch_);
  };
  auto permute = [&](std::vector<double>& xs) {
    scratch_.resize(pop_);
    for (int i = 0; i < pop_; ++i) scratch_[i] = xs[order_[i]];
    xs.swap(scratch_);
  };
  permute_rows(c_);
  permute_rows(cp_);
  permute(f_);
  permute(fp_);
  if (!o_.dik_quirks) {  // the moments follow their agent (quirk 3 off)
    permute_rows(m_);
    permute_rows(v_);
  }
}

}  // namespace actlab::optim
