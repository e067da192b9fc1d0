// Reproductions: each seed paper's headline experiment as one call, with a "paper says / we get / verdict"
// table (docs/reproduce.md).
//
//   lab::ReproducePlan p;
//   p.name = "kim-kang";  p.scale = "quick";  p.out = "repro-kim-kang";
//   auto r = lab::reproduce(p, [](const lab::ReproduceProgress& e) { /* e.step, e.done of e.total */ });
//   r->claims[0].verdict;  r->to_json();  r->report.html();   // and DIR/report.{html,md}, results.json
//
// A reproduction runs the paper's experiment at one of two scales: `quick` (about a minute; what the tests
// run) or `paper` (the paper's sizes where this machine allows; the result lists every departure). Its
// claims are the paper's statements we can check, each with what the paper says, what we measured and a
// verdict: reproduced, partly, not reproduced, or not checkable (with the reason). Every training run goes
// through a RunLog in DIR/runs.jsonl, so a long paper-scale run that is stopped resumes where it was.
//
// The papers (docs/reproduce.md has their settings and what each departure means):
//   kim-kang         Kim & Kang, "Why rectified power unit networks fail and how to improve it" (arXiv
//                    2408.02697): RePU's kernel explodes or vanishes double-exponentially with depth, MRePU
//                    keeps it; polynomial regression with RePU, MRePU, ReLU and GELU over depth.
//   hayou            Hayou, Doucet & Rousseau, "On the impact of the activation function on deep neural
//                    networks training" (ICML 2019): edge-of-chaos curves, the rate at which correlations
//                    converge on it (1/l smooth, 1/l² ReLU-like), deep networks trained on and off the EOC.
//   dik              A. Dik, MQL5 articles 16443 (ADAMm on his test harness: 44.85 % against population
//                    Adam's 22.22 %) and 16845 (1-1-1 convergence with weights bounded by the activation).
//   villani-schoots  Villani & Schoots, "Any deep ReLU network is shallow" (arXiv:2306.11827): the exact
//                    shallow rewrite against the brute-force 2^N enumeration, its time against N, exact SHAP.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "report/document.hpp"
#include "report/figure.hpp"
#include "report/table.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::lab {

struct ReproducePlan {
  std::string name;             // one of reproductions()
  std::string scale = "quick";  // quick | paper
  std::string out;              // DIR: report.html, report.md, results.json, runs.jsonl, figures
  int seeds = 0;                // training seeds per setting (0: the scale's default; ≥ 3 where given)
  std::uint64_t seed = 0;       // the first seed
  int threads = 2;              // independent runs in parallel; each run uses one thread
  std::string command;          // the command line that ran this plan (for the report)

  bool paper_scale() const { return scale == "paper"; }
  // Errors name the field: name (with the list), scale, out, seeds, threads.
  Status validate() const;
  Json to_json() const;
};

// One of the paper's statements and what became of it.
struct Claim {
  std::string claim;    // the statement, in our words
  std::string paper;    // what the paper says or reports (with its number where it gives one)
  std::string ours;     // what we measured, with the numbers
  std::string verdict;  // reproduced | partly | not reproduced | not checkable
  std::string reason;   // why that verdict (always for anything but "reproduced")
};

struct ReproduceResult {
  ReproducePlan plan;
  std::string title;                    // the paper's title
  std::string citation;                 // authors, venue, year, identifier
  std::vector<std::string> departures;  // where this run differs from the paper's set-up, and why
  std::vector<Claim> claims;
  report::Document report;  // everything: claims, tables, figures, settings, the command
  Json data;                // every number behind the tables and figures
  double seconds = 0;
  std::int64_t runs_trained = 0, runs_reused = 0;

  // {"reproduction", "title", "citation", "plan", "departures", "claims", "data", "verdicts", "seconds"}.
  Json to_json() const;
  // {reproduced, partly, not reproduced, not checkable} counts.
  std::vector<std::pair<std::string, int>> verdict_counts() const;
  // The claims as a table: claim, paper says, we get, verdict.
  report::Table claims_table() const;
};

struct ReproductionInfo {
  std::string name, title, citation;
  std::string quick_cost, paper_cost;  // what each scale runs and roughly how long it takes here
};
const std::vector<ReproductionInfo>& reproductions();

struct ReproduceProgress {
  std::string step;  // "kernel", "regression x*y*z depth 6", ...
  std::int64_t done = 0, total = 0;
};
using ReproduceProgressFn = std::function<void(const ReproduceProgress&)>;

// What a reproduction gets besides its plan: progress, the interruption check and the run journal.
class RunLog;
struct ReproduceContext {
  const ReproducePlan& plan;
  RunLog& log;
  const ReproduceProgressFn& on_progress;
  const std::function<int()>& interrupted;
  bool stop() const { return interrupted && interrupted() != 0; }
  Status stopped(const std::string& where) const;
  void progress(std::string step, std::int64_t done, std::int64_t total) const;
};

// Runs the reproduction (resuming from plan.out when it holds an earlier run of the same plan) and writes
// DIR/results.json, DIR/report.md, DIR/report.html and the figures. `interrupted` returns a signal number to
// stop at the next run boundary: the result is then an error saying "interrupted", and the finished runs
// are kept for the next call.
Result<ReproduceResult> reproduce(const ReproducePlan& plan, const ReproduceProgressFn& on_progress = {},
                                  const std::function<int()>& interrupted = {});

// The reproductions themselves (one file each: lab/repro_<name>.cpp). Each fills title, citation,
// departures, claims, report sections and data; reproduce() adds the rest.
Result<ReproduceResult> reproduce_kim_kang(const ReproduceContext& c);
Result<ReproduceResult> reproduce_hayou(const ReproduceContext& c);
Result<ReproduceResult> reproduce_dik(const ReproduceContext& c);
Result<ReproduceResult> reproduce_villani_schoots(const ReproduceContext& c);

// 1 − c^l for l = 0 … depth on the EOC point p, from c^0 = 0, with the correlation map's decrement
// tabulated at n log-spaced 1 − c in [eps_lo, 1] (lab/repro_hayou.cpp says why and how).
Result<std::vector<double>> eoc_one_minus_c(const theory::GaussianIntegrator& g, const theory::EocPoint& p,
                                            int depth, int n, double eps_lo);

// Helpers the reproductions share.
// The verdict of a claim whose evidence is `hits` successes out of `cases`: all → reproduced, more than
// none → partly, none → not reproduced.
std::string verdict_of(int hits, int cases);
// A figure drawn to SVG and added to `section` as name.svg (nothing, with a note, without gnuplot).
void add_figure(report::Section& section, const report::Figure& figure, const std::string& caption,
                const std::string& name);

}  // namespace actlab::lab
