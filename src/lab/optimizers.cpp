#include "lab/optimizers.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "activations/activation.hpp"
#include "core/rng.hpp"
#include "core/thread_pool.hpp"
#include "lab/model.hpp"
#include "report/format.hpp"
#include "report/significance.hpp"

namespace actlab::lab {
namespace {

using activations::Activation;

// ---- converge ----

Status check(const ConvergePlan& p, std::vector<bool>& opts, std::vector<bool>& reflects) {
  if (p.budget < 1)
    return Status::invalid_field("budget", "must be >= 1 loss evaluation, got " + std::to_string(p.budget));
  if (!(p.threshold > 0) || !std::isfinite(p.threshold))
    return Status::invalid_field("threshold", "must be > 0");
  if (p.seeds < 1) return Status::invalid_field("seeds", "must be >= 1");
  if (!std::isfinite(p.x)) return Status::invalid_field("x", "must be finite");
  if (!std::isfinite(p.target)) return Status::invalid_field("target", "must be finite");
  if (!(p.kappa > 0 && p.kappa < 1)) return Status::invalid_field("kappa", "must be in (0, 1)");
  if (!(p.lr > 0) || !std::isfinite(p.lr)) return Status::invalid_field("lr", "must be > 0");
  if (!(p.alpha >= 0) || !std::isfinite(p.alpha)) return Status::invalid_field("alpha", "must be >= 0");
  if (p.pop < 1) return Status::invalid_field("pop", "must be >= 1");
  if (p.threads < 0) return Status::invalid_field("threads", "must be >= 0");
  for (const std::string& o : split_top_level(p.opt)) {
    if (o == "adam") {
      opts.push_back(false);
    } else if (o == "adamm") {
      opts.push_back(true);
    } else {
      return Status::invalid_field("opt", "expected adam and/or adamm, got '" + o + "'");
    }
  }
  if (p.reflect == "off" || p.reflect == "both") reflects.push_back(false);
  if (p.reflect == "on" || p.reflect == "both") reflects.push_back(true);
  if (reflects.empty())
    return Status::invalid_field("reflect", "expected off, on or both, got '" + p.reflect + "'");
  return Status::ok();
}

struct Subject {
  ConvergeSubject info;
  std::optional<nn::Mlp111> net;
};

// Every element-wise catalog entry for "all", or the listed activations (whose bounds must then exist when
// reflection is asked for); sorted by name.
Result<std::vector<Subject>> subjects(const ConvergePlan& p, bool need_bounds) {
  std::vector<std::string> names;
  const bool all = p.acts == "all";
  if (all) {
    for (const auto& e : activations::catalog())
      if (!e.row_wise()) names.push_back(e.name);
  } else {
    names = split_top_level(p.acts);
  }
  std::vector<Subject> out;
  for (const std::string& name : names) {
    auto a = Activation::make(name);
    if (!a) return Status::invalid_field("acts", "'" + name + "': " + a.status().message());
    Subject s;
    s.info.name = a->name();
    auto b = nn::bounds_111(*a, p.x, p.target, p.kappa);
    if (b) {
      s.info.bounds = *b;
    } else if (need_bounds && !all) {
      return Status::invalid_field("acts", name + " with reflect " + p.reflect + ": " + b.status().message());
    } else {
      s.info.bounds_error = b.status().message();
    }
    auto net = nn::Mlp111::make(std::move(*a), p.x, p.target);
    if (!net) return Status::invalid_field("acts", "'" + name + "': " + net.status().message());
    s.net = std::move(*net);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const Subject& a, const Subject& b) { return a.info.name < b.info.name; });
  return out;
}

void summarize(ConvergeRow& row) {
  std::vector<double> evals, errs;
  for (const auto& r : row.runs) {
    if (r.evals_to_threshold >= 0) evals.push_back(static_cast<double>(r.evals_to_threshold));
    errs.push_back(r.best_error);
  }
  row.success_rate = static_cast<double>(evals.size()) / static_cast<double>(row.runs.size());
  row.median_evals = report::median(evals);
  row.median_error = report::median(errs);
}

// ---- optbench ----

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(item);
  return out;
}

Result<optim::PopulationAdamOptions> bench_options(const OptbenchPlan& p) {
  optim::PopulationAdamOptions o;
  if (p.opt == "adamm") {
    o = optim::AdammDefaults::options();
  } else if (p.opt == "adam") {
    o = optim::PopulationAdamDefaults::options();
  } else {
    return Status::invalid_field("opt", "expected adamm or adam (population Adam), got '" + p.opt + "'");
  }
  o.dik_quirks = !p.no_quirks;
  auto b = optim::parse_boundary(p.boundary);
  if (!b) return Status::invalid_field("boundary", b.status().message());
  o.boundary = *b;
  if (p.evals < 1) return Status::invalid_field("evals", "must be >= 1");
  o.max_evaluations = p.evals;
  if (Status s = o.validate(); !s) return s;
  // The defaults are valid, so the first override after which validate() fails is the bad field; the
  // overrides go in validate()'s own order, so the error is the one it gives with all of them applied.
  const auto apply = [&o](const char* field, const auto& value, auto& slot) -> Status {
    if (!value) return Status::ok();
    slot = *value;
    if (Status s = o.validate(); !s) return Status::invalid_field(field, s.message());
    return Status::ok();
  };
  if (Status s = apply("pop", p.pop, o.pop_size); !s) return s;
  if (Status s = apply("hybrids", p.hybrids, o.hybrids); !s) return s;
  if (Status s = apply("resistance", p.resistance, o.hybrids_resistance); !s) return s;
  if (Status s = apply("alpha", p.alpha, o.alpha); !s) return s;
  if (Status s = apply("eps", p.eps, o.eps); !s) return s;
  return o;
}

Result<optim::HarnessOptions> bench_harness(const OptbenchPlan& p) {
  optim::HarnessOptions h;
  h.functions.clear();
  for (const std::string& t : split_commas(p.tests)) {
    auto k = optim::parse_test_function(t);
    if (!k) return Status::invalid_field("tests", k.status().message());
    h.functions.push_back(*k);
  }
  if (h.functions.empty()) return Status::invalid_field("tests", "expected hilly, forest and/or megacity");
  h.copies.clear();
  for (const std::string& c : split_commas(p.functions)) {
    char* end = nullptr;
    const long n = std::strtol(c.c_str(), &end, 10);
    if (c.empty() || *end != '\0' || n < 1 || n > 100000) {
      return Status::invalid_field("functions", "expected copy counts such as 5,25,500, got '" + c + "'");
    }
    h.copies.push_back(static_cast<int>(n));
  }
  if (h.copies.empty()) return Status::invalid_field("functions", "expected copy counts such as 5,25,500");
  if (p.repeats < 1) return Status::invalid_field("repeats", "must be >= 1");
  h.repeats = p.repeats;
  h.evaluations = p.evals;
  h.seed = p.seed;
  return h;
}

}  // namespace

const PublishedScores& published_scores(const std::string& opt) {
  static const PublishedScores kAdamm{
      {0.88635, 0.44766, 0.26613, 0.84497, 0.38493, 0.16889, 0.66154, 0.27046, 0.10594}, 4.03688};
  static const PublishedScores kAdam{
      {0.38576, 0.29733, 0.25390, 0.30773, 0.19827, 0.15555, 0.18154, 0.12431, 0.09503}, 1.99941};
  return opt == "adamm" ? kAdamm : kAdam;
}

Result<ConvergeResult> converge(const ConvergePlan& plan, const RunProgress& progress) {
  std::vector<bool> opts, reflects;
  if (Status s = check(plan, opts, reflects); !s) return s;
  const bool need_bounds = std::find(reflects.begin(), reflects.end(), true) != reflects.end();
  auto subs = subjects(plan, need_bounds);
  if (!subs) return subs.status();

  nn::ConvergeRun base;
  base.budget = plan.budget;
  base.threshold = plan.threshold;
  base.lr = plan.lr;
  base.negate_moment = !plan.keep_moment;
  base.adamm.pop_size = plan.pop;
  base.adamm.alpha = plan.alpha;
  base.checkpoints = nn::log_checkpoints(plan.budget, 60);

  ConvergeResult r;
  r.plan = plan;
  r.checkpoints = base.checkpoints;
  std::vector<std::size_t> row_subject;
  for (std::size_t a = 0; a < subs->size(); ++a)
    for (bool adamm : opts)
      for (bool reflect : reflects) {
        const ConvergeSubject& s = (*subs)[a].info;
        const char* opt = adamm ? "adamm" : "adam";
        if (reflect && !s.bounds) {
          r.skipped.push_back({s.name, opt, s.bounds_error});
          continue;
        }
        r.rows.push_back({.activation = s.name,
                          .optimizer = opt,
                          .reflect = reflect,
                          .runs = std::vector<nn::ConvergeOutcome>(plan.seeds)});
        row_subject.push_back(a);
      }
  const std::size_t seeds = static_cast<std::size_t>(plan.seeds);
  const std::size_t runs = r.rows.size() * seeds;
  std::vector<Status> errors(runs);
  ThreadPool pool(plan.threads == 0 ? default_thread_count() : plan.threads);
  if (progress.start) progress.start(static_cast<std::int64_t>(runs));
  pool.parallel_for(runs, [&](std::size_t i, int) {
    ConvergeRow& row = r.rows[i / seeds];
    const std::size_t seed = i % seeds;
    const Subject& s = (*subs)[row_subject[i / seeds]];
    nn::ConvergeRun run = base;
    if (row.reflect) run.reflect_box = s.info.bounds->box();
    // The same stream for both optimisers: seed k of every row draws from derive(seed, "converge", k).
    const Rng rng = Rng::derive(plan.seed, "converge", seed);
    const bool adamm = row.optimizer == "adamm";
    auto out = adamm ? nn::converge_adamm(*s.net, run, rng) : nn::converge_adam(*s.net, run, rng);
    if (out)
      row.runs[seed] = std::move(*out);
    else
      errors[i] = out.status();
    if (progress.done) progress.done();
  });
  for (const Status& s : errors)
    if (!s) return s;
  for (ConvergeRow& row : r.rows) summarize(row);
  for (Subject& s : *subs) r.subjects.push_back(std::move(s.info));
  return r;
}

report::Figure convergence_figure(const ConvergeResult& r) {
  const auto& checkpoints = r.checkpoints;
  report::Figure fig;
  fig.xlabel = "loss evaluations";
  fig.logx = true;
  if (r.rows.size() <= 12) {  // few rows: the median best-so-far loss of each
    fig.title = "1-1-1 convergence: median best loss over " + std::to_string(r.plan.seeds) + " seeds";
    fig.ylabel = "median best (y - t)^2";
    fig.logy = true;
    for (const ConvergeRow& c : r.rows) {
      report::Series s{.label = c.activation + " " + c.optimizer + (c.reflect ? " reflect" : "")};
      for (std::size_t k = 0; k < checkpoints.size(); ++k) {
        std::vector<double> v;
        for (const auto& run : c.runs) v.push_back(std::max(run.curve[k], 1e-300));
        s.x.push_back(static_cast<double>(checkpoints[k]));
        s.y.push_back(report::median(v));
      }
      fig.series.push_back(std::move(s));
    }
    return fig;
  }
  // many rows: the fraction of runs below the threshold, per optimizer and reflect
  fig.title = "1-1-1 convergence over " + std::to_string(r.subjects.size()) + " activations x " +
              std::to_string(r.plan.seeds) + " seeds";
  fig.ylabel = "fraction of runs with loss < " + report::fmt(r.plan.threshold, "%g");
  fig.yrange = std::make_pair(0.0, 1.0);
  for (const char* opt : {"adam", "adamm"})
    for (bool reflect : {false, true}) {
      report::Series s{.label = std::string(opt) + (reflect ? ", reflect on" : ", reflect off")};
      std::size_t total = 0;
      std::vector<std::size_t> hits(checkpoints.size(), 0);
      for (const ConvergeRow& c : r.rows) {
        if (c.optimizer != opt || c.reflect != reflect) continue;
        for (const auto& run : c.runs) {
          ++total;
          for (std::size_t k = 0; k < checkpoints.size(); ++k)
            if (run.evals_to_threshold >= 0 && run.evals_to_threshold <= checkpoints[k]) ++hits[k];
        }
      }
      if (total == 0) continue;
      for (std::size_t k = 0; k < checkpoints.size(); ++k) {
        s.x.push_back(static_cast<double>(checkpoints[k]));
        s.y.push_back(static_cast<double>(hits[k]) / static_cast<double>(total));
      }
      fig.series.push_back(std::move(s));
    }
  return fig;
}

Result<OptbenchResult> optbench(const OptbenchPlan& plan, const RunProgress& progress) {
  auto o = bench_options(plan);
  if (!o) return o.status();
  auto h = bench_harness(plan);
  if (!h) return h.status();
  if (plan.threads < 0) return Status::invalid_field("threads", "must be >= 0");
  ThreadPool pool(plan.threads == 0 ? default_thread_count() : plan.threads);
  if (progress.start) {
    progress.start(static_cast<std::int64_t>(h->functions.size() * h->copies.size()) * h->repeats);
  }
  const std::function<void()> after_run = progress.done;
  const auto start = std::chrono::steady_clock::now();
  auto scores = plan.opt == "adamm"
                    ? optim::run_harness(optim::harness_run(optim::Adamm(*o)), *h, pool, after_run)
                    : optim::run_harness(optim::harness_run(optim::PopulationAdam(*o)), *h, pool, after_run);
  if (!scores) return scores.status();
  OptbenchResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.plan = plan;
  r.options = *o;
  r.harness = *h;
  r.scores = std::move(*scores);
  // Dik's numbers apply to his full protocol with the variant's defaults.
  const bool standard = h->functions.size() == 3 && h->copies == std::vector<int>{5, 25, 500} &&
                        plan.evals == 10000 && !plan.pop && !plan.alpha && !plan.hybrids &&
                        !plan.resistance && !plan.eps && !plan.no_quirks && plan.boundary == "clamp";
  if (standard) r.published = published_scores(plan.opt);
  return r;
}

}  // namespace actlab::lab
