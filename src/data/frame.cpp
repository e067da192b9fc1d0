// Data frame → Dataset: target, column encodings, missing-value policy (see frame.hpp).
#include "data/frame.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

namespace actlab::data {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::string pct(double part, double whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "a, b, c, ... (12)" for long lists.
std::string names_of(const std::vector<std::string>& v, std::size_t shown = 6) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < shown; ++i) s += (i ? ", " : "") + v[i];
  if (v.size() > shown) s += ", ... (" + std::to_string(v.size()) + ")";
  return s;
}

bool parse_number(const std::string& s, double& out) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && p == e && !s.empty();
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// One encoded feature column over the kept rows.
struct Feature {
  std::string name;
  std::vector<float> values;
};

bool constant(const std::vector<float>& v) {
  bool seen = false;
  float first = 0;
  for (float x : v) {
    if (std::isnan(x)) continue;
    if (!seen) first = x, seen = true;
    if (x != first) return false;
  }
  return true;
}

struct Target {
  std::vector<int> labels;
  std::vector<std::string> classes;
  std::vector<float> y;
};

Result<Target> encode_target(const RColumn& c, Task task, const std::vector<std::size_t>& rows,
                             const std::string& where) {
  Target t;
  if (task == Task::kRegression) {
    if (c.kind == RKind::kString || c.kind == RKind::kFactor) {
      return Status::invalid(where + ": target '" + c.name + "' is a " + rkind_name(c.kind) +
                             ", not a number (regression)");
    }
    for (std::size_t r : rows) t.y.push_back(static_cast<float>(c.values[r]));
    return t;
  }
  if (c.kind == RKind::kString) {
    std::set<std::string> distinct;
    for (std::size_t r : rows) distinct.insert(*c.strings[r]);
    t.classes.assign(distinct.begin(), distinct.end());
    for (std::size_t r : rows) {
      t.labels.push_back(static_cast<int>(
          std::lower_bound(t.classes.begin(), t.classes.end(), *c.strings[r]) - t.classes.begin()));
    }
    return t;
  }
  if (c.kind == RKind::kFactor || c.kind == RKind::kLogical) {
    const std::vector<std::string> names =
        c.kind == RKind::kFactor ? c.levels : std::vector<std::string>{"FALSE", "TRUE"};
    const int offset = c.kind == RKind::kFactor ? 1 : 0;
    std::vector<int> count(names.size(), 0);
    for (std::size_t r : rows) ++count[static_cast<std::size_t>(c.values[r]) - offset];
    std::vector<int> index(names.size(), -1);  // level → class, for the levels that occur
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (count[k] == 0) continue;
      index[k] = static_cast<int>(t.classes.size());
      t.classes.push_back(names[k]);
    }
    for (std::size_t r : rows) t.labels.push_back(index[static_cast<std::size_t>(c.values[r]) - offset]);
    return t;
  }
  std::set<double> distinct;  // a numeric target forced to classification
  for (std::size_t r : rows) distinct.insert(c.values[r]);
  const std::vector<double> values(distinct.begin(), distinct.end());
  for (double v : values) t.classes.push_back(num(v));
  for (std::size_t r : rows) {
    t.labels.push_back(
        static_cast<int>(std::lower_bound(values.begin(), values.end(), c.values[r]) - values.begin()));
  }
  return t;
}

}  // namespace

std::string FrameReport::summary() const {
  std::string s = target_missing ? std::to_string(target_missing) + " rows without target dropped; " : "";
  const std::size_t with_target = rows_in - target_missing;
  if (incomplete_rows == 0) return s + (target_missing ? "no other missing values" : "none");
  const std::string share =
      std::to_string(incomplete_rows) + " rows (" + pct(double(incomplete_rows), double(with_target)) + ")";
  return s + (incomplete_dropped ? share + " dropped" : "imputed: " + share);
}

Result<Dataset> encode_frame(const RFrame& frame, const FramePlan& plan, FrameReport* report) {
  FrameReport rep;
  const std::string where = frame.name;
  if (frame.columns.empty()) return Status::invalid(where + ": no columns");
  std::vector<std::string> all_names;
  for (const auto& c : frame.columns) all_names.push_back(c.name);
  const auto missing_column = [&](const std::string& what, const std::string& name) {
    return Status::invalid(where + ": no " + what + " column named '" + name +
                           "' (columns: " + names_of(all_names, 12) + ")");
  };
  const RColumn* target = plan.target.empty() ? &frame.columns.back() : frame.column(plan.target);
  if (!target) return missing_column("target", plan.target);
  for (const auto& d : plan.drop)
    if (!frame.column(d)) return missing_column("dropped", d);
  for (const auto& d : plan.as_integer) {
    const RColumn* c = frame.column(d);
    if (!c) return missing_column("integer-coded", d);
    if (c->kind != RKind::kFactor)
      return Status::invalid(where + ": column '" + d + "' is not a factor (integer coding is for factors)");
  }
  const Task task = plan.task ? *plan.task
                              : (target->kind == RKind::kNumeric || target->kind == RKind::kInteger
                                     ? Task::kRegression
                                     : Task::kClassification);

  // Rows: the target must be there.
  const std::size_t n = frame.rows();
  rep.rows_in = n;
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < n; ++r) {
    if (target->missing(r)) {
      ++rep.target_missing;
    } else {
      rows.push_back(r);
    }
  }

  // Feature columns.
  std::vector<const RColumn*> features;
  std::vector<std::string> text_dropped;
  for (const auto& c : frame.columns) {
    if (&c == target || contains(plan.drop, c.name)) continue;
    if (c.kind == RKind::kString) {
      text_dropped.push_back(c.name);
      continue;
    }
    features.push_back(&c);
  }

  // Missing feature values: drop the rows when they are few, else keep them (indicators, NaN).
  std::vector<std::string> with_missing;
  for (const RColumn* c : features) {
    std::size_t k = 0;
    for (std::size_t r : rows) k += c->missing(r);
    if (k) with_missing.push_back(c->name + " " + std::to_string(k));
  }
  std::vector<std::size_t> complete;
  for (std::size_t r : rows) {
    bool ok = true;
    for (const RColumn* c : features) ok = ok && !c->missing(r);
    if (ok) complete.push_back(r);
  }
  rep.incomplete_rows = rows.size() - complete.size();
  const double fraction = rows.empty() ? 0 : double(rep.incomplete_rows) / double(rows.size());
  if (rep.incomplete_rows > 0 && fraction < plan.drop_below) {
    rep.incomplete_dropped = true;
    rows = complete;
  }

  // Encode.
  std::vector<Feature> out;
  std::vector<std::string> numeric, logical, integer_coded, one_hot, indicators;
  for (const RColumn* c : features) {
    bool has_missing = false;
    for (std::size_t r : rows) has_missing = has_missing || c->missing(r);
    if (c->kind != RKind::kFactor || contains(plan.as_integer, c->name)) {
      Feature f{c->name, {}};
      std::vector<double> level_value;
      bool numeric_levels = c->kind == RKind::kFactor;
      for (const auto& l : c->levels) {
        double v = 0;
        numeric_levels = numeric_levels && parse_number(l, v);
        level_value.push_back(v);
      }
      for (std::size_t r : rows) {
        const double v = c->values[r];
        if (std::isnan(v)) {
          f.values.push_back(kNaN);
        } else if (c->kind == RKind::kFactor) {
          f.values.push_back(
              static_cast<float>(numeric_levels ? level_value[static_cast<std::size_t>(v) - 1] : v));
        } else {
          f.values.push_back(static_cast<float>(v));
        }
      }
      (c->kind == RKind::kFactor    ? integer_coded
       : c->kind == RKind::kLogical ? logical
                                    : numeric)
          .push_back(c->kind == RKind::kFactor
                         ? c->name + (numeric_levels ? " (level numbers)" : " (codes 1..k)")
                         : c->name);
      out.push_back(std::move(f));
    } else {
      std::vector<std::size_t> count(c->levels.size(), 0);
      for (std::size_t r : rows)
        if (!std::isnan(c->values[r])) ++count[static_cast<std::size_t>(c->values[r]) - 1];
      std::vector<std::size_t> present;
      for (std::size_t k = 0; k < count.size(); ++k)
        if (count[k]) present.push_back(k);
      const std::size_t first = present.size() == 2 ? 1 : 0;  // two levels: one column, for the second
      for (std::size_t i = first; i < present.size(); ++i) {
        const std::size_t k = present[i];
        Feature f{c->name + "=" + c->levels[k], {}};
        for (std::size_t r : rows) {
          const double v = c->values[r];
          f.values.push_back(!std::isnan(v) && static_cast<std::size_t>(v) - 1 == k ? 1.0f : 0.0f);
        }
        out.push_back(std::move(f));
      }
      one_hot.push_back(c->name + " (" + std::to_string(present.size()) + ")");
    }
    if (has_missing) {
      Feature f{c->name + ":NA", {}};
      for (std::size_t r : rows) f.values.push_back(c->missing(r) ? 1.0f : 0.0f);
      out.push_back(std::move(f));
      indicators.push_back(c->name);
    }
  }
  std::vector<std::string> constants;
  std::vector<Feature> kept;
  for (auto& f : out) {
    if (constant(f.values)) {
      constants.push_back(f.name);
    } else {
      kept.push_back(std::move(f));
    }
  }

  auto t = encode_target(*target, task, rows, where);
  if (!t) return t.status();

  Dataset ds;
  ds.name = frame.name;
  ds.source = frame.name;
  ds.task = task;
  ds.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(kept.size()));
  for (std::size_t j = 0; j < kept.size(); ++j) {
    ds.feature_names.push_back(kept[j].name);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const float v = kept[j].values[i];
      ds.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
      rep.missing_cells += std::isnan(v);
    }
  }
  ds.input_shape = {static_cast<int>(kept.size())};
  if (task == Task::kClassification) {
    ds.labels = std::move(t->labels);
    ds.class_names = std::move(t->classes);
  } else {
    ds.y.resize(static_cast<Eigen::Index>(rows.size()), 1);
    for (std::size_t i = 0; i < rows.size(); ++i) ds.y(static_cast<Eigen::Index>(i), 0) = t->y[i];
  }
  if (plan.test_start) {
    const auto first_test = std::lower_bound(rows.begin(), rows.end(), *plan.test_start) - rows.begin();
    ds.test_start = static_cast<std::size_t>(first_test);
  }
  rep.rows_out = rows.size();

  // The report, in the order of the decisions.
  auto& s = rep.steps;
  if (task == Task::kClassification) {
    s.push_back("target       " + target->name + " (" + rkind_name(target->kind) +
                "): " + std::to_string(ds.classes()) + " classes");
  } else {
    s.push_back("target       " + target->name + " (" + rkind_name(target->kind) + "): regression");
  }
  if (!plan.drop.empty()) s.push_back("left out     " + names_of(plan.drop));
  if (!text_dropped.empty()) s.push_back("text, left out " + names_of(text_dropped));
  if (!numeric.empty()) s.push_back("numbers      " + names_of(numeric));
  if (!logical.empty()) s.push_back("logical 0/1  " + names_of(logical));
  if (!integer_coded.empty()) s.push_back("factors as integers  " + names_of(integer_coded, 4));
  if (!one_hot.empty()) s.push_back("one-hot (levels)  " + names_of(one_hot, 5));
  if (!constants.empty()) s.push_back("constant, dropped  " + names_of(constants));
  if (rep.target_missing)
    s.push_back("target missing: " + std::to_string(rep.target_missing) + " rows dropped");
  if (rep.incomplete_rows == 0) {
    rep.missing_policy = rep.target_missing ? "target NA rows dropped; no other missing values" : "none";
  } else if (rep.incomplete_dropped) {
    rep.missing_policy = "dropped " + std::to_string(rep.incomplete_rows) + " incomplete rows (" +
                         pct(double(rep.incomplete_rows), double(rep.incomplete_rows + rows.size())) + " < " +
                         pct(plan.drop_below, 1) + ")";
    s.push_back("missing      " + rep.missing_policy + "; in " + names_of(with_missing, 4));
  } else {
    rep.missing_policy = "imputed (" + std::to_string(rep.incomplete_rows) + " incomplete rows, " +
                         pct(double(rep.incomplete_rows), double(rows.size())) +
                         " >= " + pct(plan.drop_below, 1) + "): indicators, training-split means";
    s.push_back("missing      " + std::to_string(rep.incomplete_rows) + " of " + std::to_string(rows.size()) +
                " rows (" + pct(double(rep.incomplete_rows), double(rows.size())) + ") miss a value, in " +
                names_of(with_missing, 4));
    std::string kept = "             kept, with an indicator column col:NA for " +
                       std::to_string(indicators.size()) +
                       " columns; a missing factor is all zeros in its one-hot columns";
    if (rep.missing_cells) {
      kept += "; " + std::to_string(rep.missing_cells) +
              " missing numbers are NaN until data::prepare fills them with the training split's means";
    }
    s.push_back(kept);
  }
  if (plan.test_start) {
    s.push_back("test rows    [" + std::to_string(*ds.test_start) + ", " + std::to_string(rows.size()) +
                "): the source's own test set");
  }
  if (report) *report = std::move(rep);
  return ds;
}

}  // namespace actlab::data
