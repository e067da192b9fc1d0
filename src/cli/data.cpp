// actlab data list | show — the data sets actlab can load, and what is in one (docs/data.md).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "data/builtin.hpp"

namespace actlab::cli {
namespace {

using data::Task;

const char* task_name(Task t) { return t == Task::kClassification ? "classification" : "regression"; }

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The double that prints like the float: 0.1f → 0.1, not 0.10000000149011612.
double tidy(float v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  *end = '\0';
  return std::strtod(buf, nullptr);
}

std::string shape_text(const std::vector<int>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

int run_list(bool json) {
  const auto all = data::builtins();
  if (json) {
    Json rows = Json::array();
    const auto text_or_null = [](const std::string& t) { return t.empty() ? Json(nullptr) : Json(t); };
    for (const auto& b : all) {
      rows.push_back({{"name", b.name},
                      {"kind", b.kind},
                      {"task", task_name(b.task)},
                      {"rows", b.rows},
                      {"features", b.features == 0 ? Json(nullptr) : Json(b.features)},
                      {"classes", b.classes},
                      {"missing", text_or_null(b.missing)},
                      {"package", text_or_null(b.package)},
                      {"path", text_or_null(b.path)},
                      {"licence", text_or_null(b.licence)},
                      {"preparation", text_or_null(b.preparation)},
                      {"documentation", text_or_null(b.doc)},
                      {"available", b.available},
                      {"description", b.description}});
    }
    print_recorded(Json{{"datasets", rows}});
    return kExitOk;
  }
  int mw = 7;  // the missing column's width
  for (const auto& b : all) mw = std::max(mw, static_cast<int>(b.missing.size()));
  std::printf("%-32s %-9s %-5s %6s %8s %7s  %-*s  %-22s %s\n", "name", "kind", "task", "rows", "features",
              "classes", mw, "missing", "package", "description");
  for (const auto& b : all) {
    const std::string features = b.features ? std::to_string(b.features) : "any";
    const std::string classes = b.task == Task::kRegression ? "-" : std::to_string(b.classes);
    std::string package = b.package.empty() ? "-" : b.package;
    if (!b.available) package += " (missing)";
    std::printf("%-32s %-9s %-5s %6zu %8s %7s  %-*s  %-22s %s\n", b.name.c_str(), b.kind.c_str(),
                b.task == Task::kRegression ? "regr" : "class", b.rows, features.c_str(), classes.c_str(), mw,
                b.missing.empty() ? "-" : b.missing.c_str(), package.c_str(), b.description.c_str());
  }
  std::printf("\nFiles and licences:\n");
  for (const auto& b : all) {
    if (b.path.empty()) continue;
    std::printf("  %-26s %s  (%s)\n", b.name.c_str(), b.path.c_str(), b.licence.c_str());
  }
  std::printf(
      "\nAlso: a CSV file (.csv, .csv.gz), an R file (.rda, .rds: file.rda[:object][#target]) or a directory "
      "of "
      "IDX files;\nsuite:tabular for every table above with classes. Details: actlab data show NAME\n");
  return kExitOk;
}

struct Summary {
  std::vector<std::size_t> counts;  // per class
  std::vector<double> mean, sd;     // per regression output
  double x_min = 0, x_max = 0;
};

Summary summarise(const data::Dataset& ds) {
  Summary s;
  // A plain loop: Eigen's vectorised minCoeff() trips a false -Wmaybe-uninitialized in g++ 12's AVX-512
  // headers.
  const float* p = ds.x.data();
  bool first = true;
  for (Eigen::Index i = 0; i < ds.x.size(); ++i) {
    if (std::isnan(p[i])) continue;  // a missing value (R sets), filled later by data::prepare
    s.x_min = first ? p[i] : std::min<double>(s.x_min, p[i]);
    s.x_max = first ? p[i] : std::max<double>(s.x_max, p[i]);
    first = false;
  }
  if (ds.task == Task::kClassification) {
    s.counts.assign(static_cast<std::size_t>(ds.classes()), 0);
    for (int l : ds.labels) ++s.counts[static_cast<std::size_t>(l)];
    return s;
  }
  for (Eigen::Index j = 0; j < ds.y.cols(); ++j) {
    const auto col = ds.y.col(j).cast<double>();
    const double m = col.mean();
    s.mean.push_back(m);
    s.sd.push_back(std::sqrt((col.array() - m).square().mean()));
  }
  return s;
}

int run_show(const std::string& spec, const data::LoadOptions& options, bool json) {
  const auto t0 = std::chrono::steady_clock::now();
  data::LoadReport report;
  auto ds = data::load(spec, options, &report);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!ds) return finish(ds.status());
  data::BuiltinInfo info;  // the list's entry, for a built-in
  for (auto& b : data::builtins())
    if (b.name == ds->name && b.kind != "generator") info = std::move(b);
  const Summary s = summarise(*ds);
  const double n = static_cast<double>(ds->rows());
  if (json) {
    Json j;
    j["name"] = ds->name;
    j["source"] = ds->source;
    j["task"] = task_name(ds->task);
    j["rows"] = ds->rows();
    j["features"] = ds->features();
    j["input_shape"] = ds->input_shape;
    j["feature_names"] = ds->feature_names;
    j["x_min"] = json_number(tidy(static_cast<float>(s.x_min)));
    j["x_max"] = json_number(tidy(static_cast<float>(s.x_max)));
    if (ds->task == Task::kClassification) {
      Json classes = Json::array();
      for (int c = 0; c < ds->classes(); ++c) {
        const std::size_t k = s.counts[static_cast<std::size_t>(c)];
        classes.push_back({{"name", ds->class_names[static_cast<std::size_t>(c)]},
                           {"count", k},
                           {"fraction", json_number(static_cast<double>(k) / n)}});
      }
      j["classes"] = classes;
    } else {
      Json targets = Json::array();
      for (std::size_t o = 0; o < s.mean.size(); ++o) {
        targets.push_back({{"mean", json_number(s.mean[o])}, {"std", json_number(s.sd[o])}});
      }
      j["targets"] = targets;
    }
    j["test_start"] = ds->test_start ? Json(*ds->test_start) : Json(nullptr);
    j["preparation"] = report.preparation;
    j["missing"] = report.missing.empty() ? Json(nullptr) : Json(report.missing);
    j["missing_cells"] = report.missing_cells;
    j["licence"] = info.licence.empty() ? Json(nullptr) : Json(info.licence);
    j["documentation"] = info.doc.empty() ? Json(nullptr) : Json(info.doc);
    j["load_seconds"] = seconds;
    print_recorded(j);
    return kExitOk;
  }
  std::printf("%s  (%s, %zu rows)\n", ds->name.c_str(), task_name(ds->task), ds->rows());
  std::printf("  source       %s\n", ds->source.c_str());
  if (!info.doc.empty()) std::printf("  documented   %s\n", info.doc.c_str());
  if (!info.licence.empty()) std::printf("  licence      %s\n", info.licence.c_str());
  if (!info.preparation.empty()) std::printf("  why          %s\n", info.preparation.c_str());
  for (std::size_t i = 0; i < report.preparation.size(); ++i) {
    std::printf("  %-12s %s\n", i == 0 ? "preparation" : "", report.preparation[i].c_str());
  }
  if (!report.missing.empty()) std::printf("  missing      %s\n", report.missing.c_str());
  std::string names;
  const std::size_t shown = std::min<std::size_t>(ds->feature_names.size(), 6);
  for (std::size_t i = 0; i < shown; ++i) names += (i ? ", " : "") + ds->feature_names[i];
  if (shown < ds->feature_names.size()) names += ", ...";
  std::printf("  features     %zu: %s\n", ds->features(), names.c_str());
  std::printf("  input shape  %s\n", shape_text(ds->input_shape).c_str());
  std::printf("  x range      [%s, %s]\n", fmt(s.x_min).c_str(), fmt(s.x_max).c_str());
  if (ds->task == Task::kClassification) {
    std::printf("  classes      %d\n", ds->classes());
    for (int c = 0; c < ds->classes(); ++c) {
      const std::size_t k = s.counts[static_cast<std::size_t>(c)];
      std::printf("    %-16s %7zu  %5.1f%%\n", ds->class_names[static_cast<std::size_t>(c)].c_str(), k,
                  100.0 * static_cast<double>(k) / n);
    }
  } else {
    for (std::size_t o = 0; o < s.mean.size(); ++o) {
      std::printf("  target %-5s mean %s, std %s\n", s.mean.size() > 1 ? std::to_string(o).c_str() : "",
                  fmt(s.mean[o]).c_str(), fmt(s.sd[o]).c_str());
    }
  }
  if (ds->test_start) {
    std::printf("  test rows    [%zu, %zu): the source's own test set\n", *ds->test_start, ds->rows());
  }
  std::printf("  loaded in    %.3f s\n", seconds);
  return kExitOk;
}

}  // namespace

void add_data_command(CLI::App& app, int& exit_code) {
  CLI::App* d = app.add_subcommand("data", "Data sets: built-ins, generators, CSV and IDX files");
  d->require_subcommand(1);
  struct Options {
    std::string spec, target, task;
    std::size_t rows = 0;
    std::uint64_t seed = 0;
    bool json = false;
  };
  auto o = std::make_shared<Options>();

  CLI::App* list = d->add_subcommand("list", "Built-in data sets and generators");
  list->add_flag("--json", o->json, "Machine-readable output");
  list->callback([o, &exit_code] { exit_code = run_list(o->json); });

  CLI::App* show = d->add_subcommand("show", "Rows, features, task, class balance of a data set");
  show->add_option("data", o->spec,
                   "Built-in name, generator spec (spirals, poly:x*y), CSV file, R file "
                   "(file.rda[:object][#target]) or IDX directory")
      ->required();
  show->add_option("--target", o->target,
                   "CSV and R files: target column, by name (CSV also by 0-based index; default: last)");
  show->add_option("--task", o->task, "CSV and R files: classification or regression (default: detected)");
  bounded(show->add_option("--rows", o->rows, "Generators: number of rows (default: the generator's)"), 1,
          1e+07);
  show->add_option("--seed", o->seed, "Generators: seed (default 0)");
  show->add_flag("--json", o->json, "Machine-readable output");
  show->callback([o, &exit_code] {
    data::LoadOptions lo;
    lo.target = o->target;
    lo.rows = o->rows;
    lo.seed = o->seed;
    if (o->task == "classification") {
      lo.task = Task::kClassification;
    } else if (o->task == "regression") {
      lo.task = Task::kRegression;
    } else if (!o->task.empty()) {
      exit_code =
          finish(Status::invalid("--task: expected classification or regression, got '" + o->task + "'"));
      return;
    }
    exit_code = run_show(o->spec, lo, o->json);
  });
}

}  // namespace actlab::cli
