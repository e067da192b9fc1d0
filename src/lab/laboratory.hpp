// The laboratory: "which activation, with which initialisation, should this network use, and why?" answered
// in five stages on one data set (docs/lab.md).
//
//   lab::LabPlan p;
//   p.data = "wine";  p.depth = 5;  p.width = 32;  p.trials = 30;  p.seeds = 10;  p.out = "lab-wine";
//   auto r = lab::run_lab(p, [](const lab::LabProgress& e) { /* e.stage, e.done of e.total */ });
//   r->winner;  r->confirm.arms[1].p_holm;  r->to_json();  r->report().html();
//
// 1. Theory screen: theory::recommend for every candidate at depth L — its class, the initialisation
//    answer and its verdict. Candidates that cannot be stabilised at depth L, and those the theory cannot
//    handle (row-wise, undefined moments), are set aside with the reason (kept unless keep_unstable).
// 2. Quick screen: every candidate (set-aside ones too, so the verdicts vary) uniform over the layers, at its
//    recommended init and at the default init, screen_seeds seeds of screen_epochs epochs; scored by
//    validation accuracy (ties by validation loss). Spearman's ρ between the verdict (critical 2, marginal 1,
//    cannot be stabilised 0) and the median validation accuracy at the recommended init, with a permutation
//    p-value: does the theory predict trainability here?
// 3. Search: one activation per layer over the kept candidates (TPE, Optuna 3.1's defaults, FAIL trials the
//    worst), every network initialised by the recommendation per layer (`critical`), scored by validation
//    accuracy; the best trial wins, ties broken by lower validation loss, then by trial number.
// 4. Confirmation: lab::compare of ReLU (default init, the reference of the tests) against the winner, the
//    best uniform candidate of the screen and Swish (critical), over `seeds` seeds on test accuracy, with
//    paired permutation tests and Holm. The recommendation is the arm with the best median, with its p-value
//    against ReLU.
// 5. Explanation: a piecewise-linear winner (relu, leaky_relu, hardtanh, ...) is rewritten exactly as a
//    shallow network (region count, verification against the deep net; lab::explain) when its regions fit
//    max_regions, and gets exact SHAP values for a few test points; any other winner gets SHAP by sampling,
//    labelled approximate.
//
// Every training run is deterministic (one thread), and its summary is appended to DIR/runs.jsonl as it
// finishes; the search's trials live in a study (a SQLite file in DIR, or `storage`). Running the same plan
// again after a crash or Ctrl-C reuses both: finished runs are read back, the study resumes (a trial whose
// process died is retried with its parameters and in its place, search/study.hpp), and the result equals an
// uninterrupted run's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "lab/compare.hpp"
#include "report/document.hpp"
#include "report/figure.hpp"
#include "report/table.hpp"

namespace actlab::lab {

struct LabPlan {
  std::string data;    // built-in name, CSV or R file
  std::string target;  // CSV target column ("" = the last)
  int depth = 5;       // L hidden layers of `width` units (mlp:{width}x{depth})
  int width = 32;
  // menu (à la carte's 48), all (every element-wise catalog entry), a comma list, or @FILE (one per line).
  std::string candidates = "menu";
  bool keep_unstable = false;       // search the set-aside candidates too
  std::string default_init = "he";  // the screen's and ReLU's init
  // Training, every stage: full-batch Adam with this learning rate for `epochs` epochs.
  int epochs = 60;
  double lr = 1e-2;
  double test = 0.3, val = 0.2;  // fractions of all rows (stratified)
  int screen_seeds = 2, screen_epochs = 20;
  std::int64_t trials = 30;   // search trials (with budget_minutes: at most this many; < 0: no limit)
  double budget_minutes = 0;  // > 0: stop starting search trials after this long
  int seeds = 10;             // confirmation
  int explain_points = 3;     // test points explained
  long max_regions = 20000;   // exact rewrite only below this many regions
  std::string out;            // DIR: runs.jsonl, the study, report.html, report.md, results.json
  std::string storage;        // "" = sqlite:///DIR/lab.db
  std::uint64_t seed = 0;
  int threads = 2;      // independent runs in parallel (stages 1, 2); each run uses one thread
  std::string command;  // the command line that ran this plan (for the report)

  // Errors name the field: data, depth, width, candidates, default_init, epochs, lr, test, val,
  // screen_seeds, screen_epochs, trials, budget_minutes, seeds, explain_points, max_regions, out, threads.
  Status validate() const;
  Json to_json() const;
  std::string model() const;       // mlp:{width}x{depth}
  std::string study_name() const;  // the search's study: "lab-" + a hash of what defines its trials
};

struct TheoryRow {
  std::string name;     // as given
  std::string verdict;  // critical | marginal | cannot be stabilised | no theory
  std::string kind;     // universality class or notion
  double sigma_w = std::nan(""), sigma_b = std::nan(""), input_scale = std::nan("");
  std::optional<double> xi_c;
  std::vector<std::string> reasons;
  bool kept = true;       // searched
  std::string why;        // set aside: the reason
  Json detail = nullptr;  // theory::Recommendation::to_json(), or null
  int ordinal() const;    // 2 critical, 1 marginal, 0 cannot be stabilised, -1 no theory
};

struct ScreenRow {
  std::string name;
  std::string verdict;
  bool kept = true;
  std::vector<double> critical, standard;  // validation accuracy per seed (diverged: 0)
  std::vector<double> critical_loss, standard_loss;
  int diverged_critical = 0, diverged_standard = 0;
  double median_critical = std::nan(""), median_standard = std::nan("");
  double loss_critical = std::nan("");  // median validation loss at the recommended init (tie-break)
};

struct ScreenStage {
  std::vector<ScreenRow> rows;  // in rank order: median validation accuracy at critical, then loss
  double rho = std::nan(""), p = std::nan("");  // verdict ordinal vs median_critical (rows with theory)
  int n = 0;
  int critical_helps = 0, critical_hurts = 0;  // median at critical above / below the default init's
  std::string best_uniform;                    // the best kept row
};

struct SearchTrial {
  std::int64_t number = 0;
  std::vector<std::string> acts;
  std::string state;  // COMPLETE | FAIL | ...
  double val_acc = std::nan(""), val_loss = std::nan("");
  std::string reason;
};

struct SearchStage {
  std::string study, storage;      // storage URL with the password masked
  std::vector<std::string> space;  // the candidates searched
  std::vector<SearchTrial> trials;
  std::vector<std::string> best;  // the winner, one activation per hidden layer
  double best_val_acc = std::nan(""), best_val_loss = std::nan("");
  int tied = 0;  // trials with the best validation accuracy (decided by loss)
  bool stopped_by_budget = false;
};

struct ShapPoint {
  std::size_t row = 0;         // test row
  std::vector<double> x;       // raw input
  std::vector<double> phi;     // one per feature
  double base = 0, value = 0;  // E f(background), f(x)
  int output = 0;              // the explained output (the predicted class)
};

struct ExplainStage {
  std::string winner;  // comma list
  bool piecewise_linear = false;
  std::string method;  // "exact shallow rewrite" | "sampling (approximate)"
  std::string note;    // why no exact rewrite, budget reached, ...
  long regions = 0, full_dim_regions = 0, lps = 0;
  bool complete = false;  // every region found (below max_regions)
  bool verified = false;
  long checked = 0, mismatches = 0;
  bool exact_shap = false;
  std::vector<std::string> features;
  std::vector<ShapPoint> shap;
};

struct LabResult {
  LabPlan plan;
  std::string data;
  std::size_t rows = 0, features = 0;
  int classes = 0;
  std::vector<TheoryRow> theory;
  ScreenStage screen;
  SearchStage search;
  CompareResult confirm;
  ExplainStage explain;
  std::string winner;  // comma list of the best architecture's activations
  // The edge of chaos of the best kept candidates of the screen: σ_w against σ_b, stable and unstable q*
  // apart, each with its recommended (σ_b, σ_w).
  report::Figure eoc_figure;
  double seconds = 0;
  std::int64_t runs_trained = 0, runs_reused = 0;  // training runs this call trained / read back

  // {"settings", "data", "theory", "screen", "search", "confirm", "explain", "summary", "seconds"}.
  Json to_json() const;
  // The confirmation arm with the highest median test accuracy (ReLU on ties: it comes first).
  const CompareArmResult* recommended() const;
  // One paragraph: the recommendation and its test accuracy against ReLU's, with the p-value.
  std::string summary() const;
  // The report: the question and settings, the theory table and figure, the screen, the search, the
  // confirmation, the explanation, the commands to reproduce. Figures as inline SVG when gnuplot is there.
  report::Document report() const;
  report::Table theory_table() const;
  report::Table screen_table() const;
  report::Table search_table(std::size_t top = 10) const;
  report::Figure screen_figure() const;
  report::Figure search_figure() const;
};

struct LabProgress {
  int stage = 1;     // 1 … 5
  std::string name;  // "theory", "screen", "search", "confirm", "explain"
  std::int64_t done = 0, total = 0;
  std::string note;
};
using LabProgressFn = std::function<void(const LabProgress&)>;

// Runs the five stages (resuming from plan.out when it holds an earlier run of the same plan) and writes
// DIR/results.json, DIR/report.md and DIR/report.html. `interrupted` (optional) returns a signal number to
// stop at the next run boundary: the result is then an error saying "interrupted", and everything finished
// so far is kept for the next run.
Result<LabResult> run_lab(const LabPlan& plan, const LabProgressFn& on_progress = {},
                          const std::function<int()>& interrupted = {});

// DIR/results.json, report.md, report.html (each written to a temporary file and renamed) and the figures
// eoc.svg, screen.svg, search.svg, confirm.svg beside report.md (left out without gnuplot). run_lab calls it.
// Errors name the field "out".
Status write_lab_outputs(const LabResult& r);

}  // namespace actlab::lab
