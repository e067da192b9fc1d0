// Arms over seeds with common random numbers (see compare.hpp).
#include "lab/compare.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/rng.hpp"
#include "lab/model.hpp"
#include "report/format.hpp"
#include "report/significance.hpp"

namespace actlab::lab {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool nearly_equal(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

}  // namespace

Result<std::vector<CompareArm>> parse_arms(const std::string& text, const std::string& default_init) {
  std::vector<CompareArm> arms;
  const auto items = split(text, ';');
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "arm " + std::to_string(i + 1);
    const std::string item = trim(items[i]);
    if (item.empty()) {
      // A trailing ';' is harmless; an empty arm between others, or no arm at all, is a mistake.
      if (i + 1 == items.size() && !arms.empty()) break;
      return Status::invalid_field("arms", where + " is empty");
    }
    CompareArm a{.label = item, .acts = item, .init = default_init};
    if (const auto at = item.find('@'); at != std::string::npos) {
      a.acts = trim(item.substr(0, at));
      a.init = trim(item.substr(at + 1));
      if (a.init.empty())
        return Status::invalid_field("arms", where + " '" + item + "': empty init after '@'");
    }
    // One activation, or a comma list per layer (commas inside a formula's parentheses stay).
    std::string joined;
    for (const std::string& act : split_top_level(a.acts)) {
      if (!joined.empty()) joined.push_back(',');
      joined.append(trim(act));
    }
    a.acts = joined;
    if (a.acts.empty()) return Status::invalid_field("arms", where + " '" + item + "': no activation");
    if (auto acts = parse_acts(a.acts); !acts)
      return Status::invalid_field("arms", where + " '" + item + "': " + acts.status().message());
    arms.push_back(std::move(a));
  }
  return arms;
}

Status ComparePlan::validate() const {
  if (arms.empty()) return Status::invalid_field("arms", "no arm to compare");
  for (std::size_t i = 0; i < arms.size(); ++i) {
    if (arms[i].acts.empty() || arms[i].init.empty())
      return Status::invalid_field("arms", "arm " + std::to_string(i + 1) + " has no activation or init");
  }
  if (seeds < 1) return Status::invalid_field("seeds", "must be >= 1, got " + std::to_string(seeds));
  if (resamples < 1) return Status::invalid_field("resamples", "must be >= 1");
  if (!(level > 0 && level < 1)) return Status::invalid_field("level", "must be in (0, 1)");
  if (rounds < 1) return Status::invalid_field("rounds", "must be >= 1");
  if (base.model.spec.ends_with(".json"))
    return Status::invalid_field("model", "compare builds each arm from an architecture, not a model file");
  return Status::ok();
}

Json ComparePlan::to_json() const {
  Json a = Json::array();
  for (const CompareArm& arm : arms) a.push_back({{"arm", arm.label}, {"act", arm.acts}, {"init", arm.init}});
  Json train = base.to_json();
  // Per arm and seed: shown by "arms" and "seeds" instead.
  train["model"].erase("acts");
  train["model"].erase("init");
  train["model"].erase("seed");
  train["data"].erase("seed");
  return {{"arms", std::move(a)},     {"seeds", seeds}, {"seed", seed},
          {"resamples", resamples},   {"level", level}, {"rounds", rounds},
          {"train", std::move(train)}};
}

Result<CompareResult> compare(const ComparePlan& plan, const CompareProgressFn& on_progress,
                              const TrainRunner& runner) {
  const TrainRunner run = runner ? runner : TrainRunner(train_summary);
  if (Status s = plan.validate(); !s) return s;
  const auto start = std::chrono::steady_clock::now();
  CompareResult r;
  r.plan = plan;
  const std::size_t k = plan.arms.size(), n = static_cast<std::size_t>(plan.seeds);
  r.arms.resize(k);
  for (std::size_t a = 0; a < k; ++a) {
    r.arms[a].arm = plan.arms[a];
    r.arms[a].values.assign(n, std::nan(""));
    r.arms[a].test_loss.assign(n, std::nan(""));
    r.arms[a].epochs.assign(n, 0);
  }
  std::vector<std::vector<char>> diverged(k, std::vector<char>(n, 0));

  const int epochs = std::max(plan.base.options.epochs, 0);
  CompareProgress progress{.done = 0, .total = static_cast<std::int64_t>(k * n) * epochs, .note = {}};
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t s = plan.seed + i;
    r.seeds.push_back(s);
    for (std::size_t a = 0; a < k; ++a) {
      const CompareArm& arm = plan.arms[a];
      TrainPlan p = plan.base;
      p.data.seed = s;
      p.model.acts = arm.acts;
      p.model.init = arm.init;
      p.model.seed = s;
      p.options.seed = s;
      progress.note = "seed " + std::to_string(s) + " " + arm.label;
      const std::int64_t run_start = progress.done;
      auto t = run(p, [&](const nn::EpochStats&) {
        ++progress.done;
        if (on_progress) on_progress(progress);
        return true;
      });
      if (!t) {
        const Status& st = t.status();
        if (st.field() == "act" || st.field() == "init" || st.field() == "input_scale")
          return Status::invalid_field(
              "arms", "arm " + std::to_string(a + 1) + " '" + arm.label + "': " + st.message());
        return st;
      }
      progress.done = run_start + epochs;  // a run that stopped early
      if (on_progress) on_progress(progress);
      if (i == 0 && a == 0) {
        r.data = t->data;
        r.train_rows = t->train_rows;
        r.val_rows = t->val_rows;
        r.test_rows = t->test_rows;
        r.classification = t->classification;
        if (t->test_rows == 0) return Status::invalid_field("test", "compare scores runs on test rows: none");
      }
      CompareArmResult& ar = r.arms[a];
      if (i == 0) ar.init = t->init;
      ar.test_loss[i] = t->test_loss;
      ar.epochs[i] = t->epochs;
      const double score = r.classification ? t->test_acc : t->test_loss;
      if (t->diverged || !std::isfinite(score)) {
        diverged[a][i] = 1;
        ar.diverged_seeds.push_back(s);
      } else {
        ar.values[i] = score;
      }
    }
  }

  // Diverged runs are the worst: accuracy 0, or the worst finite loss of the comparison.
  double worst = r.classification ? 0.0 : -std::numeric_limits<double>::infinity();
  if (!r.classification) {
    for (const auto& ar : r.arms)
      for (double v : ar.values)
        if (std::isfinite(v)) worst = std::max(worst, v);
    if (!std::isfinite(worst)) worst = std::nan("");  // every run diverged
  }
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t i = 0; i < n; ++i)
      if (diverged[a][i]) r.arms[a].values[i] = worst;

  std::vector<double> p(k > 0 ? k - 1 : 0);
  r.exact = n <= 20;
  for (std::size_t a = 0; a < k; ++a) {
    CompareArmResult& ar = r.arms[a];
    ar.median = report::median(ar.values);
    ar.q25 = report::quantile(ar.values, 0.25);
    ar.q75 = report::quantile(ar.values, 0.75);
    ar.iqr = ar.q75 - ar.q25;
    ar.ci = report::bootstrap_median_ci(ar.values,
                                        {.resamples = plan.resamples,
                                         .level = plan.level,
                                         .seed = Rng::derive(plan.seed, "compare-bootstrap", a).next()});
    if (a > 0) {
      ar.p_value =
          report::paired_permutation_test(ar.values, r.arms[0].values,
                                          {.exact_max_n = 20,
                                           .rounds = plan.rounds,
                                           .seed = Rng::derive(plan.seed, "compare-permutation", a).next()});
      p[a - 1] = ar.p_value;
    }
  }
  const auto adjusted = report::holm(p);
  for (std::size_t a = 1; a < k; ++a) r.arms[a].p_holm = adjusted[a - 1];
  // Rank by median: 1 + the number of arms with a strictly better median.
  for (auto& ar : r.arms) {
    ar.rank = 1;
    for (const auto& other : r.arms) {
      if (std::isnan(other.median) || nearly_equal(other.median, ar.median)) continue;
      if (r.classification ? other.median > ar.median : other.median < ar.median) ++ar.rank;
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

Json CompareResult::to_json() const {
  Json arms_json = Json::array();
  for (const CompareArmResult& a : arms) {
    Json values = Json::array(), loss = Json::array();
    for (double v : a.values) values.push_back(json_number(v));
    for (double v : a.test_loss) loss.push_back(json_number(v));
    arms_json.push_back({{"arm", a.arm.label},
                         {"act", a.arm.acts},
                         {"init", a.arm.init},
                         {"median", json_number(a.median)},
                         {"q25", json_number(a.q25)},
                         {"q75", json_number(a.q75)},
                         {"iqr", json_number(a.iqr)},
                         {"ci", {json_number(a.ci.first), json_number(a.ci.second)}},
                         {"values", std::move(values)},
                         {"test_loss", std::move(loss)},
                         {"epochs", a.epochs},
                         {"diverged", a.diverged_seeds.size()},
                         {"diverged_seeds", a.diverged_seeds},
                         {"rank", a.rank},
                         {"p_value", std::isnan(a.p_value) ? Json(nullptr) : Json(a.p_value)},
                         {"p_holm", std::isnan(a.p_holm) ? Json(nullptr) : Json(a.p_holm)},
                         {"init_detail", a.init}});
  }
  return {{"settings", plan.to_json()},
          {"data", data},
          {"rows", {{"train", train_rows}, {"val", val_rows}, {"test", test_rows}}},
          {"metric", metric()},
          {"higher_is_better", classification},
          {"seeds", seeds},
          {"tests",
           {{"kind", "paired sign-flip permutation against the first arm"},
            {"exact", exact},
            {"rounds", exact ? Json(nullptr) : Json(plan.rounds)},
            {"adjustment", "holm"}}},
          {"arms", std::move(arms_json)},
          {"seconds", seconds}};
}

report::Table CompareResult::table() const {
  using report::Column;
  using report::ColumnType;
  report::Table t;
  t.title = std::string(classification ? "Test accuracy" : "Test loss") + " on " + data + " over " +
            std::to_string(seeds.size()) + " seeds";
  const std::string ci = report::fmt(plan.level * 100, "%g") + "%";
  t.columns = {{"arm"},
               {"init"},
               {"median", ColumnType::kNumber},
               {"iqr", ColumnType::kNumber},
               {"ci_low", ColumnType::kNumber},
               {"ci_high", ColumnType::kNumber},
               {"diverged", ColumnType::kInt},
               {"p", ColumnType::kNumber, "%.3g"},
               {"p_holm", ColumnType::kNumber, "%.3g"},
               {"rank", ColumnType::kInt}};
  for (const CompareArmResult& a : arms) {
    t.add_row({a.arm.acts, a.arm.init, report::Cell(a.median).marked(report::significance_mark(a.p_holm)),
               a.iqr, a.ci.first, a.ci.second, static_cast<std::int64_t>(a.diverged_seeds.size()), a.p_value,
               a.p_holm, a.rank});
  }
  const std::string first = arms.empty() ? "" : arms[0].arm.label;
  t.notes = {
      "seeds " +
          (seeds.empty() ? std::string("-")
                         : std::to_string(seeds.front()) + ".." + std::to_string(seeds.back())) +
          ": every arm on the same split, batches and weight seed per seed",
      "ci: " + ci + " percentile bootstrap of the median (" + std::to_string(plan.resamples) + " resamples)",
      "p: paired sign-flip permutation test against " + first + " (" +
          (exact ? std::string("exact") : std::to_string(plan.rounds) + " random sign patterns") +
          "); p_holm: Holm-adjusted over the other arms; ! p_holm < 0.05, !! p_holm < 0.001",
      std::string("diverged runs count as ") +
          (classification ? "accuracy 0" : "the worst finite test loss of the comparison")};
  return t;
}

report::Figure CompareResult::figure() const {
  report::Figure fig;
  fig.title = std::string(classification ? "Test accuracy" : "Test loss") + " on " + data + ", " +
              std::to_string(seeds.size()) + " seeds per arm";
  fig.xlabel = "arm (numbered as in the key)";
  fig.ylabel = classification ? "test accuracy" : "test loss";
  const double n = static_cast<double>(seeds.size());
  report::Series medians{.label = "median", .style = "lines"};
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const CompareArmResult& ar = arms[a];
    const double x0 = static_cast<double>(a + 1);
    report::Series pts{.label = std::to_string(a + 1) + ": " + ar.arm.label, .style = "points"};
    if (!ar.diverged_seeds.empty())
      pts.label += " (" + std::to_string(ar.diverged_seeds.size()) + " diverged)";
    for (std::size_t i = 0; i < ar.values.size(); ++i) {
      if (std::find(ar.diverged_seeds.begin(), ar.diverged_seeds.end(), seeds[i]) != ar.diverged_seeds.end())
        continue;
      pts.x.push_back(x0 + (n > 1 ? 0.6 * (static_cast<double>(i) / (n - 1) - 0.5) : 0.0));
      pts.y.push_back(ar.values[i]);
    }
    fig.series.push_back(std::move(pts));
    medians.x.insert(medians.x.end(), {x0 - 0.4, x0 + 0.4, x0});
    medians.y.insert(medians.y.end(), {ar.median, ar.median, std::nan("")});
  }
  fig.series.push_back(std::move(medians));
  // Room above the points for the key (one line per arm and one for the medians, about 6% of the height
  // each), so that it does not cover them.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t a = 0; a < arms.size(); ++a)
    for (double y : fig.series[a].y) lo = std::min(lo, y), hi = std::max(hi, y);
  if (lo <= hi) {
    const double span = std::max(hi - lo, 1e-3 * std::max(1.0, std::abs(hi)));
    const double key = std::min(0.6, 0.06 * static_cast<double>(arms.size() + 1) + 0.04);
    fig.yrange = std::pair{lo - 0.05 * span, hi + span * key / (1 - key)};
  }
  fig.xrange = std::pair{0.5, static_cast<double>(arms.size()) + 0.5};
  return fig;
}

}  // namespace actlab::lab
