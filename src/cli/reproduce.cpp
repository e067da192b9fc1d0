// actlab reproduce — each seed paper's headline experiment as one command, with a "paper says / we get /
// verdict" table (docs/reproduce.md). Flags → lab::ReproducePlan → lab::reproduce → the verdicts as text
// (or --json); DIR holds report.html, report.md, results.json, the figures and runs.jsonl. The same command
// resumes an interrupted run.
#include "lab/reproduce.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/interrupt.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "report/format.hpp"

namespace actlab::cli {
namespace {

struct ReproduceFlags {
  lab::ReproducePlan plan;
  bool json = false;
  bool list = false;
};

int run_reproduce(ReproduceFlags& f) {
  if (f.list || f.plan.name.empty()) {
    if (f.json) {
      Json j = Json::array();
      for (const auto& r : lab::reproductions())
        j.push_back({{"name", r.name},
                     {"title", r.title},
                     {"citation", r.citation},
                     {"quick", r.quick_cost},
                     {"paper", r.paper_cost}});
      std::printf("%s\n", json_dump(j, true).c_str());
    } else {
      for (const auto& r : lab::reproductions())
        std::printf("%-10s %s\n           %s\n           quick: %s\n           paper: %s\n", r.name.c_str(),
                    r.title.c_str(), r.citation.c_str(), r.quick_cost.c_str(), r.paper_cost.c_str());
    }
    return kExitOk;
  }
  if (f.plan.out.empty()) f.plan.out = "reproduce-" + f.plan.name + "-" + f.plan.scale;
  f.plan.command = own_command_line();
  const bool tty = isatty(fileno(stderr)) != 0;
  std::optional<ProgressBar> bar;
  std::string phase;
  InterruptGuard guard;  // Ctrl-C / kill: stop at the next run, keep every finished run
  auto r = lab::reproduce(
      f.plan,
      [&](const lab::ReproduceProgress& e) {
        const std::string head = e.step.substr(0, e.step.find(' '));
        if (head != phase) {
          if (bar) bar->finish();
          bar.emplace(f.plan.name + " " + head, e.total);
          phase = head;
        }
        if (!tty && e.done > 0)
          std::fprintf(stderr, "reproduce: %s: %lld/%lld %s\n", f.plan.name.c_str(),
                       static_cast<long long>(e.done), static_cast<long long>(e.total), e.step.c_str());
        bar->set(e.done);
        bar->set_note(e.step);
      },
      [] { return InterruptGuard::signal(); });
  if (bar) bar->finish();
  if (const int sig = InterruptGuard::signal()) {
    std::fprintf(
        stderr,
        "actlab: interrupted by %s; finished runs are in %s/runs.jsonl. To go on from there, run the "
        "same command again:\n  %s\n",
        InterruptGuard::name(sig), f.plan.out.c_str(), f.plan.command.c_str());
    return 128 + sig;
  }
  if (!r) return finish(r.status(), {{"name", "NAME"}});
  if (f.json) {
    print_recorded(r->to_json());
    return kExitOk;
  }
  std::printf("%s\n%s (%s scale)\n\n", r->title.c_str(), r->citation.c_str(), r->plan.scale.c_str());
  for (const lab::Claim& c : r->claims) {
    std::printf("[%s] %s\n  paper: %s\n  we get: %s\n", c.verdict.c_str(), c.claim.c_str(), c.paper.c_str(),
                c.ours.c_str());
    if (!c.reason.empty()) std::printf("  why: %s\n", c.reason.c_str());
  }
  std::string counts;
  for (const auto& [v, n] : r->verdict_counts())
    if (n > 0) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + v;
  std::printf("\n%s\nreport: %s/report.html (%lld runs trained, %lld reused, %s)\n", counts.c_str(),
              r->plan.out.c_str(), static_cast<long long>(r->runs_trained),
              static_cast<long long>(r->runs_reused), report::fmt(r->seconds, "%.1fs").c_str());
  return kExitOk;
}

}  // namespace

void add_reproduce_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<ReproduceFlags>();
  lab::ReproducePlan& p = f->plan;
  CLI::App* c = app.add_subcommand(
      "reproduce",
      "Reproduce a seed paper's headline experiment: paper says / we get / verdict (docs/reproduce.md)");
  c->add_option("NAME", p.name, "kim-kang | hayou | dik | villani-schoots (none: list them)");
  c->add_option("--scale", p.scale, "quick (about a minute) or paper (the paper's sizes where they fit)")
      ->check(CLI::IsMember({"quick", "paper"}))
      ->capture_default_str();
  c->add_option("--out", p.out, "Directory of the run (default: reproduce-NAME-SCALE)");
  bounded(c->add_option("--seeds", p.seeds, "Training seeds per setting (default: the scale's)"), 1, 1000);
  bounded(c->add_option("--seed", p.seed, "First seed"), 0, 1.8446744073709552e+19)->capture_default_str();
  bounded(c->add_option("--threads", p.threads, "Runs in parallel (each on one thread)"), 1, 256)
      ->capture_default_str();
  c->add_flag("--list", f->list, "List the reproductions");
  c->add_flag("--json", f->json, "Machine-readable output (results.json)");
  c->callback([f, &exit_code] { exit_code = run_reproduce(*f); });
}

}  // namespace actlab::cli
