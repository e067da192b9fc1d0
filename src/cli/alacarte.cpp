// actlab alacarte — Sipper's à-la-carte protocol (arXiv 2206.12166; docs/search.md, "The protocol"): flags →
// lab::AlacartePlan → lab::run_alacarte → the table as Markdown (stdout, --markdown), CSV (--csv), or the
// whole result as JSON (--json).
#include "lab/alacarte.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/file_io.hpp"
#include "core/interrupt.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "lab/model.hpp"
#include "search/storage.hpp"

namespace actlab::cli {
namespace {

struct Flags {
  std::string data, layers = "5,10", arms = "standard,random,tpe", storage, init = "torch", csv, markdown,
                    failed = "worst";
  int replicates = 5, workers = 1, rounds = 10000;
  std::int64_t trials = 1000;
  std::uint64_t seed = 0;
  bool json = false;
};

// "a,,b" → {"a", "b"}.
std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  for (std::string& item : lab::split_top_level(s))
    if (!item.empty()) out.push_back(std::move(item));
  return out;
}

Result<lab::AlacartePlan> make_plan(const Flags& f) {
  lab::AlacartePlan p;
  p.data = split_list(f.data);
  p.layers.clear();
  for (const std::string& item : split_list(f.layers)) {
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (*end != '\0' || v < 2 || v > 64) {
      return Status::invalid("--layers: expected counts of dense layers from 2 to 64 (e.g. 5,10), got '" +
                             item + "'");
    }
    p.layers.push_back(static_cast<int>(v));
  }
  p.arms = split_list(f.arms);
  p.replicates = f.replicates;
  p.trials = f.trials;
  p.failed = f.failed;
  p.storage = f.storage;
  p.seed = f.seed;
  p.init = f.init;
  p.workers = f.workers;
  p.rounds = f.rounds;
  return p;
}

Status write_file(const std::string& flag, const std::string& path, const std::string& text) {
  if (Status s = write_file_atomic(path, text); !s) return Status::io_error(flag + " " + s.message());
  return Status::ok();
}

int run_alacarte(const Flags& f) {
  auto plan = make_plan(f);
  if (!plan) return finish(plan.status());
  InterruptGuard interrupt;  // Ctrl-C / kill: the running trials go back to WAITING, say how to resume
  plan->interrupted = [] { return InterruptGuard::signal(); };
  std::optional<ProgressBar> bar;  // from the first step on: the checks before it print nothing
  auto result = lab::run_alacarte(*plan, [&](const lab::AlacarteProgress& e) {
    if (!bar) {
      bar.emplace("alacarte", e.total);
      bar->log_lines(std::max<std::int64_t>(1, e.total / 50));  // piped: a line per batch of trials
    }
    bar->set_note(e.note);
    bar->set(e.done);
  });
  if (bar) bar->finish();
  if (!result) return finish(result.status());
  if (const int sig = result->interrupted; sig != 0) {
    const std::string command = own_command_line();
    if (f.storage.empty()) {
      std::fprintf(
          stderr,
          "actlab: interrupted by %s: nothing is kept (the studies were in a temporary file); to make "
          "a run resumable, give it --storage, e.g.\n  %s --storage sqlite:///path/alacarte.db\n",
          InterruptGuard::name(sig), command.c_str());
    } else {
      std::fprintf(
          stderr,
          "actlab: interrupted by %s: %d running trial(s) put back to WAITING, none left RUNNING; the "
          "studies in %s keep every finished trial; resume with the same command:\n  %s\n",
          InterruptGuard::name(sig), result->released, search::mask_password(f.storage).c_str(),
          command.c_str());
    }
    return 128 + sig;
  }
  const report::Table table = result->table();
  if (!f.csv.empty())
    if (Status s = write_file("--csv", f.csv, table.csv()); !s.is_ok()) return finish(s);
  if (!f.markdown.empty())
    if (Status s = write_file("--markdown", f.markdown, table.markdown()); !s.is_ok()) return finish(s);
  if (f.json) {
    print_recorded(result->to_json());
  } else {
    std::printf("%s", table.markdown().c_str());
    std::printf(
        "median test accuracy over %d replicates; %lld trials per search arm; ! p<0.05, !! p<0.001 "
        "(permutation test on medians, %d rounds: arm vs standard; winner vs runner-up)\n",
        f.replicates, static_cast<long long>(f.trials), f.rounds);
    for (const lab::AlacarteSummary& a : result->summary()) {
      const auto& w = a.tally;
      std::printf(
          "%s vs standard, %d layers, %d data sets: %d wins (%d with p<0.05), %d ties, %d losses (%d with "
          "p<0.05)%s\n",
          a.arm.c_str(), a.layers, a.sets, w.wins, w.significant_wins, w.ties, w.losses, w.significant_losses,
          w.no_result ? (", " + std::to_string(w.no_result) + " without a result").c_str() : "");
    }
  }
  return kExitOk;
}

}  // namespace

void add_alacarte_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<Flags>();
  CLI::App* c = app.add_subcommand(
      "alacarte",
      "Sipper's à-la-carte protocol: standard vs random vs TPE activation menus (docs/search.md)");
  c->add_option("--data", f->data,
                "Data set(s), comma-separated: built-in names, CSV or R files, or a suite (suite:tabular)")
      ->required();
  c->add_option("--layers", f->layers, "Dense layer counts, comma-separated")->capture_default_str();
  c->add_option("--replicates,--reps", f->replicates, "Replicates (fresh 70/30 split each)")
      ->capture_default_str();
  c->add_option("--trials", f->trials, "Trials per search arm and replicate")->capture_default_str();
  c->add_option("--arms", f->arms, "standard, random, tpe (comma-separated)")->capture_default_str();
  c->add_option("--failed", f->failed,
                "TPE arm: FAIL trials (NaN networks) count as the worst values (worst) or are ignored as "
                "Optuna does (ignore)")
      ->capture_default_str();
  c->add_option("--storage", f->storage,
                "Keep the studies here (resumable); default: a temporary SQLite file");
  c->add_option("--seed", f->seed, "Seed of splits, weights, sampling and the permutation test")
      ->capture_default_str();
  one_of(c->add_option("--init", f->init, "Weight init, as for train (torch = PyTorch's nn.Linear default)"),
         kInitSchemes, true)
      ->capture_default_str();
  c->add_option("--threads,--workers", f->workers, "Trial worker threads")->capture_default_str();
  c->add_option("--rounds", f->rounds, "Permutation-test rounds")->capture_default_str();
  c->add_option("--csv", f->csv, "Write the table as CSV");
  c->add_option("--markdown", f->markdown, "Write the table as Markdown");
  c->add_flag("--json", f->json, "Machine-readable output (table rows with every replicate)");
  c->callback([f, &exit_code] { exit_code = run_alacarte(*f); });
}

}  // namespace actlab::cli
