// actlab converge — the 1-1-1 single-example study of Dik's MQL5 article 16845: in-network Adam against
// ADAMm over the catalog, with and without activation-bound weights and reflection (docs/optimizers.md;
// ../shared/specs/optimizers-dik-adamm.md §2, §4, §5).
#include "nn/converge.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/train_setup.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "core/thread_pool.hpp"
#include "nn/weight_bounds.hpp"
#include "report/figure.hpp"
#include "report/significance.hpp"

namespace actlab::cli {
namespace {

using activations::Activation;

struct ConvergeFlags {
  std::string acts = "all", opt = "adam,adamm", reflect = "both", plot;
  double x = 0.5, target = 0.3, threshold = 1e-6, kappa = 0.01, lr = 1e-3, alpha = 1e-3;
  int seeds = 10, pop = 100, threads = 0;
  std::int64_t budget = 10000;
  std::uint64_t seed = 1;
  bool json = false, keep_moment = false;
};

// One (activation, optimizer, reflect) row with its runs.
struct Cell {
  std::size_t act = 0;
  bool adamm = false, reflect = false;
  std::vector<nn::ConvergeOutcome> runs;
};

struct Subject {
  std::string name;
  std::optional<nn::Mlp111> net;
  std::optional<nn::Bounds111> bounds;  // unset: reflect on is skipped
  std::string bounds_error;
};

Status check_flags(const ConvergeFlags& f, std::vector<bool>& opts, std::vector<bool>& reflects) {
  if (f.budget < 1)
    return Status::invalid("--budget must be >= 1 loss evaluation, got " + std::to_string(f.budget));
  if (!(f.threshold > 0) || !std::isfinite(f.threshold)) return Status::invalid("--threshold must be > 0");
  if (f.seeds < 1) return Status::invalid("--seeds must be >= 1");
  if (!std::isfinite(f.x)) return Status::invalid("--x must be finite");
  if (!std::isfinite(f.target)) return Status::invalid("--target must be finite");
  if (!(f.kappa > 0 && f.kappa < 1)) return Status::invalid("--kappa must be in (0, 1)");
  if (!(f.lr > 0) || !std::isfinite(f.lr)) return Status::invalid("--lr must be > 0");
  if (!(f.alpha >= 0) || !std::isfinite(f.alpha)) return Status::invalid("--alpha must be >= 0");
  if (f.pop < 1) return Status::invalid("--pop must be >= 1");
  if (f.threads < 0) return Status::invalid("--threads must be >= 0");
  for (const std::string& o : split_top_level(f.opt)) {
    if (o == "adam") {
      opts.push_back(false);
    } else if (o == "adamm") {
      opts.push_back(true);
    } else {
      return Status::invalid("--opt: expected adam and/or adamm, got '" + o + "'");
    }
  }
  if (f.reflect == "off" || f.reflect == "both") reflects.push_back(false);
  if (f.reflect == "on" || f.reflect == "both") reflects.push_back(true);
  if (reflects.empty())
    return Status::invalid("--reflect: expected off, on or both, got '" + f.reflect + "'");
  return Status::ok();
}

// The subjects: every element-wise catalog entry for "all", or the listed activations (whose bounds must
// then exist when reflection is asked for).
Result<std::vector<Subject>> subjects(const ConvergeFlags& f, bool need_bounds) {
  std::vector<std::string> names;
  const bool all = f.acts == "all";
  if (all) {
    for (const auto& e : activations::catalog())
      if (!e.row_wise()) names.push_back(e.name);
  } else {
    names = split_top_level(f.acts);
  }
  std::vector<Subject> out;
  for (const std::string& name : names) {
    auto a = Activation::make(name);
    if (!a) return Status::invalid("--acts '" + name + "': " + a.status().message());
    Subject s;
    s.name = a->name();
    auto b = nn::bounds_111(*a, f.x, f.target, f.kappa);
    if (b) {
      s.bounds = *b;
    } else if (need_bounds && !all) {
      return Status::invalid("--acts " + name + " with --reflect " + f.reflect + ": " + b.status().message());
    } else {
      s.bounds_error = b.status().message();
    }
    auto net = nn::Mlp111::make(std::move(*a), f.x, f.target);
    if (!net) return Status::invalid("--acts '" + name + "': " + net.status().message());
    s.net = std::move(*net);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const Subject& a, const Subject& b) { return a.name < b.name; });
  return out;
}

Status draw_plot(const std::string& path, const std::vector<Subject>& subs, const std::vector<Cell>& cells,
                 const std::vector<std::int64_t>& checkpoints, const ConvergeFlags& f) {
  report::Figure fig;
  fig.xlabel = "loss evaluations";
  fig.logx = true;
  if (cells.size() <= 12) {  // few rows: the median best-so-far loss of each
    fig.title = "1-1-1 convergence: median best loss over " + std::to_string(f.seeds) + " seeds";
    fig.ylabel = "median best (y - t)^2";
    fig.logy = true;
    for (const Cell& c : cells) {
      report::Series s{.label = subs[c.act].name + " " + (c.adamm ? "adamm" : "adam") +
                                (c.reflect ? " reflect" : "")};
      for (std::size_t k = 0; k < checkpoints.size(); ++k) {
        std::vector<double> v;
        for (const auto& r : c.runs) v.push_back(std::max(r.curve[k], 1e-300));
        s.x.push_back(static_cast<double>(checkpoints[k]));
        s.y.push_back(report::median(v));
      }
      fig.series.push_back(std::move(s));
    }
  } else {  // many rows: the fraction of runs below the threshold, per optimizer and reflect
    fig.title = "1-1-1 convergence over " + std::to_string(subs.size()) + " activations x " +
                std::to_string(f.seeds) + " seeds";
    fig.ylabel = "fraction of runs with loss < " + fmt(f.threshold, "%g");
    fig.yrange = std::make_pair(0.0, 1.0);
    for (bool adamm : {false, true})
      for (bool reflect : {false, true}) {
        report::Series s{.label = std::string(adamm ? "adamm" : "adam") +
                                  (reflect ? ", reflect on" : ", reflect off")};
        std::size_t total = 0;
        std::vector<std::size_t> hits(checkpoints.size(), 0);
        for (const Cell& c : cells) {
          if (c.adamm != adamm || c.reflect != reflect) continue;
          for (const auto& r : c.runs) {
            ++total;
            for (std::size_t k = 0; k < checkpoints.size(); ++k)
              if (r.evals_to_threshold >= 0 && r.evals_to_threshold <= checkpoints[k]) ++hits[k];
          }
        }
        if (total == 0) continue;
        for (std::size_t k = 0; k < checkpoints.size(); ++k) {
          s.x.push_back(static_cast<double>(checkpoints[k]));
          s.y.push_back(static_cast<double>(hits[k]) / static_cast<double>(total));
        }
        fig.series.push_back(std::move(s));
      }
  }
  return report::render(fig, path);
}

int run_converge(const ConvergeFlags& f) {
  std::vector<bool> opts, reflects;
  if (Status s = check_flags(f, opts, reflects); !s) return finish(s);
  const bool need_bounds = std::find(reflects.begin(), reflects.end(), true) != reflects.end();
  auto subs = subjects(f, need_bounds);
  if (!subs) return finish(subs.status());

  nn::ConvergeRun base;
  base.budget = f.budget;
  base.threshold = f.threshold;
  base.lr = f.lr;
  base.negate_moment = !f.keep_moment;
  base.adamm.pop_size = f.pop;
  base.adamm.alpha = f.alpha;
  base.checkpoints = nn::log_checkpoints(f.budget, 60);

  std::vector<Cell> cells;
  Json skipped = Json::array();
  for (std::size_t a = 0; a < subs->size(); ++a)
    for (bool adamm : opts)
      for (bool reflect : reflects) {
        if (reflect && !(*subs)[a].bounds) {
          skipped.push_back({{"activation", (*subs)[a].name},
                             {"optimizer", adamm ? "adamm" : "adam"},
                             {"reflect", "on"},
                             {"reason", (*subs)[a].bounds_error}});
          continue;
        }
        cells.push_back({a, adamm, reflect, std::vector<nn::ConvergeOutcome>(f.seeds)});
      }
  const std::size_t runs = cells.size() * static_cast<std::size_t>(f.seeds);
  std::vector<Status> errors(runs);
  ThreadPool pool(f.threads == 0 ? default_thread_count() : f.threads);
  ProgressBar bar("runs", static_cast<std::int64_t>(runs));
  pool.parallel_for(runs, [&](std::size_t i, int) {
    Cell& c = cells[i / f.seeds];
    const std::size_t seed = i % f.seeds;
    const Subject& s = (*subs)[c.act];
    nn::ConvergeRun run = base;
    if (c.reflect) run.reflect_box = s.bounds->box();
    // The same stream for both optimisers: seed k of every row draws from derive(seed, "converge", k).
    const Rng rng = Rng::derive(f.seed, "converge", seed);
    auto r = c.adamm ? nn::converge_adamm(*s.net, run, rng) : nn::converge_adam(*s.net, run, rng);
    if (r)
      c.runs[seed] = std::move(*r);
    else
      errors[i] = r.status();
    bar.advance();
  });
  bar.finish();
  for (const Status& s : errors)
    if (!s) return finish(s);

  Json rows = Json::array();
  struct Line {
    std::string act, opt, reflect;
    double success, evals, error;
  };
  std::vector<Line> lines;
  for (const Cell& c : cells) {
    std::vector<double> evals, errs;
    for (const auto& r : c.runs) {
      if (r.evals_to_threshold >= 0) evals.push_back(static_cast<double>(r.evals_to_threshold));
      errs.push_back(r.best_error);
    }
    Line l{(*subs)[c.act].name,      c.adamm ? "adamm" : "adam",
           c.reflect ? "on" : "off", static_cast<double>(evals.size()) / static_cast<double>(c.runs.size()),
           report::median(evals),    report::median(errs)};
    rows.push_back({{"activation", l.act},
                    {"optimizer", l.opt},
                    {"reflect", l.reflect},
                    {"success_rate", l.success},
                    {"median_evals_to_threshold", std::isnan(l.evals) ? Json(nullptr) : Json(l.evals)},
                    {"median_final_error", json_number(l.error)}});
    lines.push_back(l);
  }
  if (!f.plot.empty()) {
    if (Status s = draw_plot(f.plot, *subs, cells, base.checkpoints, f); !s)
      return finish(s.with_context("--plot"));
  }
  if (f.json) {
    Json bounds = Json::object();
    for (const Subject& s : *subs) {
      if (!s.bounds) continue;
      bounds[s.name] = {{"z", s.bounds->z},
                        {"widened", s.bounds->widened},
                        {"window", {json_bound(s.bounds->domain.z_lo), json_bound(s.bounds->domain.z_hi)}},
                        {"b_hidden", s.bounds->b_hidden},
                        {"b_output", s.bounds->b_output}};
    }
    Json j = {{"x", f.x},           {"target", f.target}, {"threshold", f.threshold},
              {"budget", f.budget}, {"seeds", f.seeds},   {"kappa", f.kappa},
              {"rows", rows},       {"skipped", skipped}, {"bounds", bounds}};
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("1-1-1 network, x = %g, t = %g: E < %g within %lld loss evaluations, %d seeds\n", f.x, f.target,
              f.threshold, static_cast<long long>(f.budget), f.seeds);
  std::printf("%-20s %-6s %-7s %8s %12s %12s\n", "activation", "opt", "reflect", "success", "median_evals",
              "median_error");
  for (const Line& l : lines) {
    std::printf("%-20s %-6s %-7s %8s %12s %12s\n", l.act.c_str(), l.opt.c_str(), l.reflect.c_str(),
                fmt(l.success, "%.2f").c_str(), fmt(l.evals, "%.0f").c_str(), fmt(l.error, "%.2e").c_str());
  }
  if (!skipped.empty()) {
    std::printf("\nreflect on skipped (no usable effective domain):\n");
    std::string last;
    for (const auto& s : skipped) {
      if (s["activation"] == last) continue;
      last = s["activation"].get<std::string>();
      std::printf("  %s\n", s["reason"].get<std::string>().c_str());
    }
  }
  if (!f.plot.empty()) std::printf("plot: %s\n", f.plot.c_str());
  return kExitOk;
}

}  // namespace

void add_converge_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<ConvergeFlags>();
  CLI::App* c = app.add_subcommand(
      "converge", "1-1-1 single-example study: in-network Adam vs ADAMm, with activation-bound weights");
  c->add_option("--acts", f->acts, "all (every element-wise catalog entry) or a comma list")
      ->capture_default_str();
  c->add_option("--opt", f->opt, "adam (in-network) and/or adamm, comma list")->capture_default_str();
  c->add_option("--reflect", f->reflect, "off | on | both: weights in the activation's box with reflection")
      ->capture_default_str();
  c->add_option("--x", f->x, "The training input")->capture_default_str();
  c->add_option("--target", f->target, "The training target")->capture_default_str();
  c->add_option("--seeds", f->seeds, "Runs per row")->capture_default_str();
  c->add_option("--budget", f->budget, "Loss evaluations per run")->capture_default_str();
  c->add_option("--threshold", f->threshold, "Success: loss (y - t)^2 below this")->capture_default_str();
  c->add_option("--kappa", f->kappa, "Effective domain: |f'| >= kappa*max|f'|")->capture_default_str();
  c->add_option("--lr", f->lr, "In-network Adam learning rate")->capture_default_str();
  c->add_option("--alpha", f->alpha, "ADAMm's Adam step")->capture_default_str();
  c->add_option("--pop", f->pop, "ADAMm population size")->capture_default_str();
  c->add_flag("--keep-moment", f->keep_moment, "Adam: do not negate the first moment of a reflected weight");
  c->add_option("--seed", f->seed, "Seed; seed k of every row uses the same stream")->capture_default_str();
  c->add_option("--threads", f->threads, "Worker threads (default: ACTLAB_THREADS or all cores)");
  c->add_option("--plot", f->plot, "Draw convergence curves into this .svg or .png (gnuplot)");
  c->add_flag("--json", f->json, "Machine-readable output");
  c->callback([f, &exit_code] { exit_code = run_converge(*f); });
}

}  // namespace actlab::cli
