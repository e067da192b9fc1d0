#include "optim/box.hpp"

#include <algorithm>
#include <cmath>

namespace actlab::optim {

Result<Boundary> parse_boundary(std::string_view name) {
  if (name == "clamp") return Boundary::kClamp;
  if (name == "reflect") return Boundary::kReflect;
  return Status::invalid("expected clamp or reflect, got '" + std::string(name) + "'");
}

std::string boundary_name(Boundary b) { return b == Boundary::kClamp ? "clamp" : "reflect"; }

Box Box::uniform(std::size_t dims, double lo, double hi, double step) {
  return Box{std::vector<double>(dims, lo), std::vector<double>(dims, hi), std::vector<double>(dims, step)};
}

Status Box::validate() const {
  if (lo.empty()) return Status::invalid("the box has no coordinates");
  if (hi.size() != lo.size() || (!step.empty() && step.size() != lo.size())) {
    return Status::invalid("the box's lo, hi and step lists differ in length");
  }
  for (std::size_t k = 0; k < lo.size(); ++k) {
    if (!std::isfinite(lo[k]) || !std::isfinite(hi[k]) || !(lo[k] < hi[k])) {
      return Status::invalid("coordinate " + std::to_string(k) + " needs finite lo < hi");
    }
    if (!step.empty() && (!std::isfinite(step[k]) || step[k] < 0)) {
      return Status::invalid("coordinate " + std::to_string(k) + " needs a finite step >= 0");
    }
  }
  return Status::ok();
}

double clamp_into(double x, double lo, double hi, double step) {
  if (std::isnan(x)) return lo + 0.5 * (hi - lo);
  if (x <= lo) return lo;
  if (x >= hi) return hi;
  if (step == 0.0) return x;
  return std::min(hi, lo + step * std::round((x - lo) / step));
}

double reflect_into(double x, double lo, double hi) {
  if (!std::isfinite(x)) return lo + 0.5 * (hi - lo);
  if (x >= lo && x <= hi) return x;
  const double w = hi - lo;
  double d = std::fmod(x - lo, 2.0 * w);
  if (d < 0) d += 2.0 * w;
  const double r = lo + (d <= w ? d : 2.0 * w - d);
  return std::clamp(r, lo, hi);  // lo + (hi − lo) may round one ulp past hi
}

double bring_inside(double x, const Box& box, std::size_t k, Boundary how) {
  const double step = box.step.empty() ? 0.0 : box.step[k];
  if (how == Boundary::kClamp) return clamp_into(x, box.lo[k], box.hi[k], step);
  return clamp_into(reflect_into(x, box.lo[k], box.hi[k]), box.lo[k], box.hi[k], step);
}

}  // namespace actlab::optim
