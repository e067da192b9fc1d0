// actlab optbench — Dik's test harness (Hilly, Forest, Megacity × 5/25/500 copies, score as % of maximum)
// for the population optimisers (docs/optimizers.md; ../shared/specs/optimizers-dik-adamm.md §6).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "core/thread_pool.hpp"
#include "optim/harness.hpp"
#include "optim/population_adam.hpp"

namespace actlab::cli {
namespace {

struct BenchFlags {
  std::string opt = "adamm", functions = "5,25,500", tests = "hilly,forest,megacity", boundary = "clamp";
  std::int64_t evals = 10000;
  int repeats = 10, threads = 0;
  std::uint64_t seed = 1;
  // Overrides of the optimiser's defaults (NaN / -1: keep the default).
  int pop = -1;
  double alpha = NAN, hybrids = NAN, resistance = NAN, eps = NAN;
  bool no_quirks = false, json = false;
};

// Dik's published scores (article 16443; spec §5), cells in harness order.
struct Published {
  double cells[9];
  double total;
};
constexpr Published kDikAdamm = {
    {0.88635, 0.44766, 0.26613, 0.84497, 0.38493, 0.16889, 0.66154, 0.27046, 0.10594}, 4.03688};
constexpr Published kDikAdam = {
    {0.38576, 0.29733, 0.25390, 0.30773, 0.19827, 0.15555, 0.18154, 0.12431, 0.09503}, 1.99941};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(item);
  return out;
}

Result<optim::PopulationAdamOptions> options_from(const BenchFlags& f) {
  optim::PopulationAdamOptions o;
  if (f.opt == "adamm") {
    o = optim::AdammDefaults::options();
  } else if (f.opt == "adam") {
    o = optim::PopulationAdamDefaults::options();
  } else {
    return Status::invalid("--opt: expected adamm or adam (population Adam), got '" + f.opt + "'");
  }
  if (f.pop != -1) o.pop_size = f.pop;
  if (!std::isnan(f.alpha)) o.alpha = f.alpha;
  if (!std::isnan(f.hybrids)) o.hybrids = f.hybrids;
  if (!std::isnan(f.resistance)) o.hybrids_resistance = f.resistance;
  if (!std::isnan(f.eps)) o.eps = f.eps;
  o.dik_quirks = !f.no_quirks;
  auto b = optim::parse_boundary(f.boundary);
  if (!b) return Status::invalid("--boundary: " + b.status().message());
  o.boundary = *b;
  if (f.evals < 1) return Status::invalid("--evals must be >= 1");
  o.max_evaluations = f.evals;
  if (Status s = o.validate(); !s) {
    const std::string m = s.message();
    const char* flag = m.find("population") != std::string::npos         ? "--pop"
                       : m.find("hybrids fraction") != std::string::npos ? "--hybrids"
                       : m.find("resistance") != std::string::npos       ? "--resistance"
                       : m.find("alpha") != std::string::npos            ? "--alpha"
                                                                         : "--eps";
    return Status::invalid(std::string(flag) + ": " + m);
  }
  return o;
}

Result<optim::HarnessOptions> harness_from(const BenchFlags& f) {
  optim::HarnessOptions h;
  h.functions.clear();
  for (const std::string& t : split(f.tests)) {
    auto k = optim::parse_test_function(t);
    if (!k) return Status::invalid("--tests: " + k.status().message());
    h.functions.push_back(*k);
  }
  if (h.functions.empty()) return Status::invalid("--tests: expected hilly, forest and/or megacity");
  h.copies.clear();
  for (const std::string& c : split(f.functions)) {
    char* end = nullptr;
    const long n = std::strtol(c.c_str(), &end, 10);
    if (c.empty() || *end != '\0' || n < 1 || n > 100000) {
      return Status::invalid("--functions: expected copy counts such as 5,25,500, got '" + c + "'");
    }
    h.copies.push_back(static_cast<int>(n));
  }
  if (h.copies.empty()) return Status::invalid("--functions: expected copy counts such as 5,25,500");
  if (f.repeats < 1) return Status::invalid("--repeats must be >= 1");
  h.repeats = f.repeats;
  h.evaluations = f.evals;
  h.seed = f.seed;
  return h;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

int run_optbench(const BenchFlags& f) {
  auto o = options_from(f);
  if (!o) return finish(o.status());
  auto h = harness_from(f);
  if (!h) return finish(h.status());
  if (f.threads < 0) return finish(Status::invalid("--threads must be >= 0"));
  ThreadPool pool(f.threads == 0 ? default_thread_count() : f.threads);
  const std::size_t runs = h->functions.size() * h->copies.size() * static_cast<std::size_t>(h->repeats);
  ProgressBar bar("runs", static_cast<std::int64_t>(runs));
  const auto start = std::chrono::steady_clock::now();
  auto r = f.opt == "adamm"
               ? optim::run_harness(optim::harness_run(optim::Adamm(*o)), *h, pool, [&] { bar.advance(); })
               : optim::run_harness(optim::harness_run(optim::PopulationAdam(*o)), *h, pool,
                                    [&] { bar.advance(); });
  bar.finish();
  if (!r) return finish(r.status());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Dik's numbers apply to his full protocol with the variant's defaults.
  const bool standard = h->functions.size() == 3 && h->copies == std::vector<int>{5, 25, 500} &&
                        f.evals == 10000 && f.pop == -1 && std::isnan(f.alpha) && std::isnan(f.hybrids) &&
                        std::isnan(f.resistance) && std::isnan(f.eps) && !f.no_quirks &&
                        f.boundary == "clamp";
  const Published& pub = f.opt == "adamm" ? kDikAdamm : kDikAdam;
  if (f.json) {
    Json cells = Json::array();
    for (const auto& c : r->cells) {
      Json runs_j = Json::array();
      for (double v : c.runs) runs_j.push_back(json_number(v));
      cells.push_back({{"function", optim::test_function(c.function).name},
                       {"copies", c.copies},
                       {"dims", 2 * c.copies},
                       {"score", json_number(c.score)},
                       {"runs", runs_j}});
    }
    Json j = {{"optimizer", f.opt},
              {"options",
               {{"pop_size", o->pop_size},
                {"hybrids", o->hybrids},
                {"hybrids_resistance", o->hybrids_resistance},
                {"alpha", o->alpha},
                {"beta1", o->beta1},
                {"beta2", o->beta2},
                {"eps", o->eps},
                {"sort", o->sort},
                {"dik_quirks", o->dik_quirks},
                {"boundary", optim::boundary_name(o->boundary)}}},
              {"evaluations", f.evals},
              {"repeats", h->repeats},
              {"seed", f.seed},
              {"cells", cells},
              {"total", json_number(r->total)},
              {"max", r->cells.size()},
              {"percent", json_number(r->percent)},
              {"seconds", seconds}};
    j["published"] = standard ? Json{{"total", pub.total}, {"percent", pub.total * 100 / 9}} : Json(nullptr);
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("%s on Dik's harness: %lld evaluations a run, %d repeats, seed %llu (%.1fs)\n", f.opt.c_str(),
              static_cast<long long>(f.evals), h->repeats, static_cast<unsigned long long>(f.seed), seconds);
  std::printf("%-10s %7s %5s %9s", "function", "copies", "dims", "score");
  if (standard) std::printf(" %9s", "Dik");
  std::printf("\n");
  for (std::size_t i = 0; i < r->cells.size(); ++i) {
    const auto& c = r->cells[i];
    std::printf("%-10s %7d %5d %9s", optim::test_function(c.function).name.c_str(), c.copies, 2 * c.copies,
                fmt(c.score).c_str());
    if (standard) std::printf(" %9s", fmt(pub.cells[i]).c_str());
    std::printf("\n");
  }
  std::printf("total %s of %zu (%.2f%% of max)", fmt(r->total).c_str(), r->cells.size(), r->percent);
  if (standard) std::printf("; Dik published %s (%.2f%%)", fmt(pub.total).c_str(), pub.total * 100 / 9);
  std::printf("\n");
  return kExitOk;
}

}  // namespace

void add_optbench_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<BenchFlags>();
  CLI::App* c = app.add_subcommand(
      "optbench", "Dik's optimiser test harness: Hilly, Forest, Megacity (docs/optimizers.md)");
  c->add_option("--opt", f->opt, "adamm | adam (Dik's population Adam)")->capture_default_str();
  c->add_option("--functions", f->functions, "Copy counts of each function (D = 2·copies), comma list")
      ->capture_default_str();
  c->add_option("--tests", f->tests, "Functions, comma list")->capture_default_str();
  c->add_option("--evals", f->evals, "Evaluations per run")->capture_default_str();
  c->add_option("--repeats", f->repeats, "Runs per test")->capture_default_str();
  c->add_option("--seed", f->seed, "Seed (run k of test c draws from derive(seed, c, k))")
      ->capture_default_str();
  c->add_option("--pop", f->pop, "Population size (default: adamm 100, adam 50)");
  c->add_option("--alpha", f->alpha, "Adam step α (default 0.001)");
  c->add_option("--hybrids", f->hybrids, "Fraction of hybrid agents (default: adamm 0.5, adam 0)");
  c->add_option("--resistance", f->resistance, "Hybrids resistance, the power of the jump (default 10)");
  c->add_option("--eps", f->eps, "ε (default: adamm 0.1, adam 1e-8)");
  c->add_flag("--no-quirks", f->no_quirks, "Fix Dik's quirks (secant, slot moments, in-place parents)");
  c->add_option("--boundary", f->boundary, "clamp (Dik) | reflect")->capture_default_str();
  c->add_option("--threads", f->threads, "Worker threads (default: ACTLAB_THREADS or all cores)");
  c->add_flag("--json", f->json, "Machine-readable output");
  c->callback([f, &exit_code] { exit_code = run_optbench(*f); });
}

}  // namespace actlab::cli
