// actlab compare — arms (activations per layer plus an init) over seeds with common random numbers and
// paired permutation tests (docs/lab.md, "compare").
// Flags → lab::ComparePlan → lab::compare → the table as text (or --json); --out DIR also writes table.md,
// table.csv, results.json and compare.svg; --plot FILE draws the figure alone (.svg or .png).
#include "lab/compare.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/train_flags.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "report/figure.hpp"
#include "report/format.hpp"

namespace actlab::cli {
namespace {

struct CompareFlags : TrainingFlags {
  std::string arms, out, plot;
  int seeds = 10, resamples = 10000, rounds = 100000;
  bool json = false;
};

Result<lab::ComparePlan> compare_plan(const CompareFlags& f) {
  auto base = training_plan(f);
  if (!base) return base.status();
  lab::ComparePlan p;
  p.base = std::move(*base);
  auto arms = lab::parse_arms(f.arms, f.init);
  if (!arms) return arms.status();
  p.arms = std::move(*arms);
  p.seeds = f.seeds;
  p.seed = f.seed;
  p.resamples = f.resamples;
  p.rounds = f.rounds;
  if (Status s = p.validate(); !s) return s;
  return p;
}

Status write_file(const std::filesystem::path& path, const std::string& text) {
  if (Status s = write_file_atomic(path.string(), text); !s) return Status::io_error("--out " + s.message());
  return Status::ok();
}

Status write_outputs(const lab::CompareResult& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::io_error("--out " + dir + ": " + ec.message());
  const std::filesystem::path d(dir);
  const report::Table t = r.table();
  if (Status s = write_file(d / "table.md", t.markdown()); !s) return s;
  if (Status s = write_file(d / "table.csv", t.csv()); !s) return s;
  if (Status s = write_file(d / "results.json", json_dump(recorded(r.to_json()), true) + "\n"); !s) return s;
  return report::render(r.figure(), (d / "compare.svg").string());
}

void print_compare(const lab::CompareResult& r) {
  std::printf("%s: %zu train / %zu val / %zu test rows; %s; %zu arms x %zu seeds\n", r.data.c_str(),
              r.train_rows, r.val_rows, r.test_rows, r.plan.base.model.spec.c_str(), r.arms.size(),
              r.seeds.size());
  std::printf("%s", r.table().text().c_str());
  std::printf("%zu runs in %s\n", r.arms.size() * r.seeds.size(), report::fmt(r.seconds, "%.1fs").c_str());
}

int run_compare(const CompareFlags& f) {
  auto plan = compare_plan(f);
  if (!plan) return finish(plan.status(), {{"source", "--data"}});
  std::optional<ProgressBar> bar;
  auto r = lab::compare(*plan, [&](const lab::CompareProgress& e) {
    if (!bar) {
      bar.emplace("compare", e.total);
      bar->log_lines(std::max<std::int64_t>(1, e.total / 50));  // piped: a line per batch of runs
    }
    bar->set_note(e.note);
    bar->set(e.done);
  });
  if (bar) bar->finish();
  if (!r) return finish(r.status(), {{"source", "--data"}});
  if (f.json)
    print_recorded(r->to_json());
  else
    print_compare(*r);
  if (!f.out.empty())
    if (Status s = write_outputs(*r, f.out); !s) return finish(s);
  if (!f.plot.empty())
    if (Status s = report::render(r->figure(), f.plot); !s) return finish(s.with_context("--plot"));
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<CompareFlags>();
  CLI::App* c = app.add_subcommand(
      "compare",
      "Activations and inits over seeds: medians, bootstrap CIs, paired permutation tests (docs/lab.md)");
  c->add_option("--arms", f->arms,
                "Arms separated by ';': an activation (or a comma list per layer) with an optional @INIT, "
                "e.g. 'relu; swish@critical; x*tanh(softplus(x))@critical'")
      ->required();
  c->add_option("--seeds", f->seeds,
                "Seeds per arm (seed, seed+1, ...): same split and weight seed for every arm")
      ->capture_default_str();
  add_training_flags(
      c, *f,
      {.act = false,
       .init_help = "Init of the arms without @INIT: torch | he | glorot | lecun | orthogonal | "
                    "gaussian:sigma_w=W,sigma_b=B | critical[:sigma_b=B]",
       .seed_help = "The first seed (of the splits, weights and shuffling)"});
  c->add_option("--resamples", f->resamples, "Bootstrap resamples of the median's CI")->capture_default_str();
  c->add_option("--rounds", f->rounds, "Random sign patterns of the permutation test when seeds > 20")
      ->capture_default_str();
  c->add_option("--out", f->out, "Directory for table.md, table.csv, results.json and compare.svg");
  c->add_option("--plot", f->plot, "Draw the per-seed points and medians into this .svg or .png file");
  c->add_flag("--json", f->json, "Machine-readable output");
  c->callback([f, &exit_code] { exit_code = run_compare(*f); });
}

}  // namespace actlab::cli
