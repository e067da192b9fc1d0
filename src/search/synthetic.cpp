#include "search/synthetic.hpp"

#include <cmath>
#include <cstdio>

#include "core/rng.hpp"

namespace actlab::search {
namespace {

constexpr double kX0 = 1.25, kX1 = 0.05;

// Float parameter j: x0 linear on [−5, 5], x1 log on [1e-3, 10], then alternating linear / log.
bool float_is_log(int j) { return j % 2 == 1; }

// Its target: kX0, kX1, then a fixed draw from Rng::derive(0, "synthetic-x", j) — in [−4, 4] for a linear
// parameter, 10^[−2.5, 0.5] for a log one.
double float_target(int j) {
  if (j == 0) return kX0;
  if (j == 1) return kX1;
  Rng rng = Rng::derive(0, "synthetic-x", static_cast<std::uint64_t>(j));
  const double u = rng.uniform();
  return float_is_log(j) ? std::pow(10.0, -2.5 + 3.0 * u) : -4.0 + 8.0 * u;
}

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
  if (floats < 0 || floats > kMaxFloats) return Status::invalid_field("floats", "expected 0 to 100");
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
  for (int j = 0; j < floats; ++j) {
    char name[16];
    std::snprintf(name, sizeof name, "x%d", j);
    if (float_is_log(j)) {
      (void)s.add_float(name, 1e-3, 10, /*log=*/true);
    } else {
      (void)s.add_float(name, -5, 5);
    }
  }
  return s;
}

double SyntheticProblem::evaluate(const Params& p) const {
  double v = 0;
  for (int i = 0; i < categorical; ++i) v += cost(i, static_cast<int>(p[i]), choices);
  for (int j = 0; j < floats; ++j) {
    const double x = p[static_cast<std::size_t>(categorical + j)], t = float_target(j);
    v += float_is_log(j) ? std::pow(std::log10(x / t) / 2.0, 2) : std::pow((x - t) / 5.0, 2);
  }
  return v;
}

Params SyntheticProblem::optimum() const {
  Params p;
  for (int i = 0; i < categorical; ++i) {
    for (int k = 0; k < choices; ++k) {
      if (cost(i, k, choices) == 0.0) p.push_back(k);
    }
  }
  for (int j = 0; j < floats; ++j) p.push_back(float_target(j));
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
