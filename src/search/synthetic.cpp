#include "search/synthetic.hpp"

#include <cmath>
#include <cstdio>

#include "core/rng.hpp"

namespace actlab::search {
namespace {

constexpr double kX0 = 1.25, kX1 = 0.05;

double cost(int param, int choice, int choices) {
  Rng rng = Rng::derive(0, "synthetic", static_cast<std::uint64_t>(param));
  const auto target = static_cast<int>(rng.below(static_cast<std::uint64_t>(choices)));
  if (choice == target) return 0.0;
  Rng r = rng.split(static_cast<std::uint64_t>(choice));
  return 0.05 + 0.95 * r.uniform();
}

}  // namespace

Status SyntheticProblem::validate() const {
  if (categorical < 0 || categorical > 1000)
    return Status::invalid_field("categorical", "expected 0 to 1000");
  if (choices < 2 || choices > 1000) return Status::invalid_field("choices", "expected 2 to 1000");
  if (floats < 0 || floats > 2) return Status::invalid_field("floats", "expected 0, 1 or 2");
  if (categorical + floats == 0)
    return Status::invalid_field("categorical",
                                 "the space has no parameter (categorical and floats are both 0)");
  return Status::ok();
}

Space SyntheticProblem::space() const {
  Space s;
  std::vector<std::string> names;
  for (int k = 0; k < choices; ++k) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "f%02d", k);
    names.push_back(buf);
  }
  for (int i = 0; i < categorical; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "c%d", i);  // (not "c" + to_string: GCC 12 -Wrestrict false positive)
    (void)s.add_categorical(name, names);
  }
  if (floats >= 1) (void)s.add_float("x0", -5, 5);
  if (floats >= 2) (void)s.add_float("x1", 1e-3, 10, /*log=*/true);
  return s;
}

double SyntheticProblem::evaluate(const Params& p) const {
  double v = 0;
  for (int i = 0; i < categorical; ++i) v += cost(i, static_cast<int>(p[i]), choices);
  if (floats >= 1) v += std::pow((p[categorical] - kX0) / 5.0, 2);
  if (floats >= 2) v += std::pow(std::log10(p[categorical + 1] / kX1) / 2.0, 2);
  return v;
}

Params SyntheticProblem::optimum() const {
  Params p;
  for (int i = 0; i < categorical; ++i) {
    for (int k = 0; k < choices; ++k) {
      if (cost(i, k, choices) == 0.0) p.push_back(k);
    }
  }
  if (floats >= 1) p.push_back(kX0);
  if (floats >= 2) p.push_back(kX1);
  return p;
}

Json SyntheticProblem::to_json() const {
  return Json{{"name", "synthetic"}, {"categorical", categorical}, {"choices", choices}, {"floats", floats}};
}

Result<SyntheticProblem> SyntheticProblem::from_json(const Json& j) {
  if (!j.is_object() || j.value("name", "") != "synthetic")
    return Status::invalid("not a synthetic objective");
  SyntheticProblem p;
  p.categorical = j.value("categorical", p.categorical);
  p.choices = j.value("choices", p.choices);
  p.floats = j.value("floats", p.floats);
  if (auto st = p.validate(); !st) return st;
  return p;
}

}  // namespace actlab::search
