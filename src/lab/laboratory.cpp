#include "lab/laboratory.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "core/file_io.hpp"
#include "core/rng.hpp"
#include "core/thread_pool.hpp"
#include "data/prepare.hpp"
#include "lab/alacarte.hpp"
#include "lab/explain.hpp"
#include "lab/figures.hpp"
#include "lab/model.hpp"
#include "lab/run_log.hpp"
#include "report/format.hpp"
#include "report/significance.hpp"
#include "search/space.hpp"
#include "search/study.hpp"
#include "shallow/model_io.hpp"
#include "shallow/shap.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"
#include "theory/recommend.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;
using activations::Activation;

const char* kStageNames[] = {"", "theory", "screen", "search", "confirm", "explain"};

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Splits at commas outside parentheses (a formula such as max(x,0) keeps its comma).
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if ((c == ',' || c == ';') && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(trim(cur));
  return out;
}

Result<std::vector<std::string>> resolve_candidates(const std::string& spec) {
  std::vector<std::string> names;
  if (spec == "menu") {
    names = alacarte_menu();
  } else if (spec == "all") {
    for (const auto& e : activations::catalog())
      if (!e.row_wise()) names.push_back(e.name);
  } else if (!spec.empty() && spec[0] == '@') {
    std::ifstream in(spec.substr(1));
    if (!in) return Status::invalid_field("candidates", "cannot read '" + spec.substr(1) + "'");
    std::string line;
    while (std::getline(in, line)) {
      line = trim(line.substr(0, line.find('#')));
      if (!line.empty()) names.push_back(line);
    }
  } else {
    names = split_list(spec);
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (n.empty()) return Status::invalid_field("candidates", "an empty entry in '" + spec + "'");
    if (auto a = Activation::make(n); !a)
      return Status::invalid_field("candidates", "'" + n + "': " + a.status().message());
    if (seen.insert(n).second) out.push_back(n);
  }
  if (out.empty()) return Status::invalid_field("candidates", "no candidate in '" + spec + "'");
  return out;
}

// ---- Finished runs, kept in DIR/runs.jsonl ------------------------------------------------------------

// One line per finished run: {"key": <the TrainPlan's JSON>, "run": <RunSummary JSON>}. Lines are appended
// and flushed as runs finish; a torn last line (a kill while writing) is ignored on reading.
// A diverged run or one without a finite validation score ranks last: accuracy 0, loss +inf.
double val_acc_of(const RunSummary& r) { return r.diverged || !std::isfinite(r.val_acc) ? 0.0 : r.val_acc; }
double val_loss_of(const RunSummary& r) {
  return r.diverged || !std::isfinite(r.val_loss) ? std::numeric_limits<double>::infinity() : r.val_loss;
}

// Better by validation accuracy, then by lower validation loss.
bool better(double acc_a, double loss_a, double acc_b, double loss_b) {
  if (acc_a != acc_b) return acc_a > acc_b;
  return loss_a < loss_b;
}

struct Context {
  const LabPlan& plan;
  RunLog log;
  const LabProgressFn& on_progress;
  const std::function<int()>& interrupted;
  LabProgress progress;

  bool stop() const { return interrupted && interrupted() != 0; }
  Status stopped() const {
    return Status::internal("interrupted by " + std::string(interrupted ? "a signal" : "") + " in stage " +
                            progress.name + "; the same command resumes");
  }
  void stage(int n, std::int64_t total, std::string note = "") {
    progress = {.stage = n, .name = kStageNames[n], .done = 0, .total = total, .note = std::move(note)};
    if (on_progress) on_progress(progress);
  }
  void step(std::string note) {
    ++progress.done;
    progress.note = std::move(note);
    if (on_progress) on_progress(progress);
  }

  // Base training plan of every stage: the plan's data and split, the architecture, full-batch Adam.
  TrainPlan base(int epochs) const {
    TrainPlan p;
    p.data = {.source = plan.data,
              .target = plan.target,
              .test = plan.test,
              .val = plan.val,
              .min_classes = 2,
              .seed = plan.seed};
    p.model = {.spec = plan.model(), .acts = "relu", .init = "critical", .seed = plan.seed};
    p.options.epochs = epochs;
    p.options.optimizer.lr = plan.lr;
    p.options.seed = plan.seed;
    p.options.threads = 1;
    return p;
  }

  Result<RunSummary> run(const TrainPlan& p, const nn::EpochCallback& cb = {}) { return log.run(p, cb); }
};

// ---- Stage 1: theory ------------------------------------------------------------------------------------

Result<std::vector<TheoryRow>> theory_stage(Context& c, const std::vector<std::string>& names) {
  const LabPlan& plan = c.plan;
  c.stage(1, static_cast<std::int64_t>(names.size()));
  std::vector<TheoryRow> rows(names.size());
  std::mutex mu;
  ThreadPool pool(plan.threads);
  pool.parallel_for(names.size(), [&](std::size_t i, int) {
    TheoryRow& row = rows[i];
    row.name = names[i];
    auto act = Activation::make(names[i]);
    Result<theory::Recommendation> rec = Status::invalid("no activation");
    if (act) {
      auto g = theory::GaussianIntegrator::make(*act);
      rec = g ? theory::recommend(*g, {.depth = plan.depth, .input_var = 1.0})
              : Result<theory::Recommendation>(g.status());
    } else {
      rec = act.status();
    }
    if (!rec) {
      row.verdict = "no theory";
      row.kind = "-";
      row.kept = false;
      row.why = "no initialisation answer: " + rec.status().message();
    } else {
      row.verdict = theory::verdict_name(rec->verdict);
      row.kind = rec->notion;
      row.sigma_w = rec->sigma_w;
      row.sigma_b = rec->sigma_b;
      row.input_scale = rec->input_scale;
      row.xi_c = rec->xi_c;
      row.reasons = rec->reasons;
      row.detail = rec->to_json();
      if (rec->verdict == theory::Verdict::kCannotStabilise) {
        row.kept = plan.keep_unstable;
        row.why = "cannot be stabilised at depth " + std::to_string(plan.depth) +
                  (rec->reasons.empty() ? "" : ": " + rec->reasons.front());
      }
    }
    std::lock_guard lock(mu);
    c.step(names[i]);
  });
  return rows;
}

// ---- Stage 2: quick screen ------------------------------------------------------------------------------

Result<ScreenStage> screen_stage(Context& c, const std::vector<TheoryRow>& theory) {
  const LabPlan& plan = c.plan;
  struct Job {
    std::size_t row;
    bool critical;
    int seed;
  };
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < theory.size(); ++i)
    for (int s = 0; s < plan.screen_seeds; ++s) {
      if (theory[i].verdict != "no theory") jobs.push_back({i, true, s});
      jobs.push_back({i, false, s});
    }
  c.stage(2, static_cast<std::int64_t>(jobs.size()));
  std::vector<Result<RunSummary>> results(jobs.size(), Result<RunSummary>(Status::internal("not run")));
  std::mutex mu;
  bool stopped = false;
  ThreadPool pool(plan.threads);
  pool.parallel_for(jobs.size(), [&](std::size_t k, int) {
    if (c.stop()) {
      std::lock_guard lock(mu);
      stopped = true;
      return;
    }
    const Job& j = jobs[k];
    TrainPlan p = c.base(plan.screen_epochs);
    p.model.acts = theory[j.row].name;
    p.model.init = j.critical ? "critical" : plan.default_init;
    p.model.seed = p.options.seed = plan.seed + static_cast<std::uint64_t>(j.seed);
    results[k] = c.run(p);
    std::lock_guard lock(mu);
    c.step(theory[j.row].name + (j.critical ? " critical" : " " + plan.default_init));
  });
  if (stopped) return c.stopped();

  ScreenStage st;
  st.rows.resize(theory.size());
  for (std::size_t i = 0; i < theory.size(); ++i) {
    st.rows[i].name = theory[i].name;
    st.rows[i].verdict = theory[i].verdict;
    st.rows[i].kept = theory[i].kept;
  }
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    const Job& j = jobs[k];
    if (!results[k]) {
      const Status& s = results[k].status();
      if (s.field() == "source" || s.field() == "target" || s.field() == "min_classes")
        return Status::invalid_field("data", s.message());
      return s.with_context("screen of '" + theory[j.row].name + "'");
    }
    const RunSummary& r = *results[k];
    ScreenRow& row = st.rows[j.row];
    (j.critical ? row.critical : row.standard).push_back(val_acc_of(r));
    (j.critical ? row.critical_loss : row.standard_loss).push_back(val_loss_of(r));
    if (r.diverged) ++(j.critical ? row.diverged_critical : row.diverged_standard);
  }
  for (ScreenRow& row : st.rows) {
    row.median_critical = report::median(row.critical);
    row.median_standard = report::median(row.standard);
    row.loss_critical = report::median(row.critical_loss);
    if (std::isfinite(row.median_critical) && std::isfinite(row.median_standard)) {
      if (row.median_critical > row.median_standard) ++st.critical_helps;
      if (row.median_critical < row.median_standard) ++st.critical_hurts;
    }
  }
  // Spearman's ρ over the rows with an answer: verdict ordinal against the median at the recommended init.
  std::vector<double> x, y;
  for (std::size_t i = 0; i < theory.size(); ++i)
    if (theory[i].ordinal() >= 0 && std::isfinite(st.rows[i].median_critical)) {
      x.push_back(theory[i].ordinal());
      y.push_back(st.rows[i].median_critical);
    }
  st.n = static_cast<int>(x.size());
  st.rho = report::spearman(x, y);
  st.p = report::spearman_permutation_test(x, y, {.exact_max_n = 8, .rounds = 20000, .seed = plan.seed});
  auto score = [](const ScreenRow& r) { return std::isfinite(r.median_critical) ? r.median_critical : -1.0; };
  std::stable_sort(st.rows.begin(), st.rows.end(), [&](const ScreenRow& a, const ScreenRow& b) {
    return better(score(a), a.loss_critical, score(b), b.loss_critical);
  });
  for (const ScreenRow& r : st.rows)
    if (r.kept) {
      st.best_uniform = r.name;
      break;
    }
  return st;
}

// The edge of chaos of up to four candidates (σ_b from 0 to 2): stable fixed points as lines, unstable or
// marginal ones as open points, and each candidate's recommended (σ_b, σ_w) as a filled point.
report::Figure eoc_figure(const std::vector<std::string>& names, const std::vector<TheoryRow>& theory,
                          int depth) {
  report::Figure f;
  f.title = "Edge of chaos (chi1 = 1) of the best candidates, depth " + std::to_string(depth);
  f.xlabel = "sigma_b";
  f.ylabel = "sigma_w";
  std::vector<double> grid;
  for (int i = 0; i <= 40; ++i) grid.push_back(0.05 * i);
  report::Series rec{.label = "recommended (sigma_b, sigma_w)", .x = {}, .y = {}, .style = "points"};
  report::Series unstable{.label = "unstable or marginal q*",
                          .x = {},
                          .y = {},
                          .style = "open_points",
                          .yerr = {},
                          .color = kUnstableColor};
  for (const std::string& name : names) {
    auto act = Activation::make(name);
    if (!act) continue;
    auto g = theory::GaussianIntegrator::make(*act);
    if (!g) continue;
    auto curve = theory::eoc_curve(*g, grid);
    report::Series stable{.label = name + ": stable q*", .x = {}, .y = {}, .style = "lines"};
    if (curve)
      for (const auto& row : *curve) {
        const theory::EocPoint* best = nullptr;  // the stable root, else none on the line
        for (const auto& pt : row.points) {
          if (pt.stable && !best) best = &pt;
          if (!pt.stable) {
            unstable.x.push_back(pt.sigma_b);
            unstable.y.push_back(pt.sigma_w);
          }
        }
        stable.x.push_back(row.sigma_b);
        stable.y.push_back(best ? best->sigma_w : std::nan(""));
      }
    f.series.push_back(std::move(stable));
    for (const TheoryRow& t : theory)
      if (t.name == name && std::isfinite(t.sigma_w)) {
        rec.x.push_back(t.sigma_b);
        rec.y.push_back(t.sigma_w);
      }
  }
  if (!unstable.x.empty()) f.series.push_back(std::move(unstable));
  f.series.push_back(std::move(rec));
  return f;
}

// ---- Stage 3: search ------------------------------------------------------------------------------------

// A storage failure names the field "storage" once (the CLI prints it as --storage).
Status storage_error(const Status& s) { return s.field().empty() ? s.with_context("storage") : s; }

Result<SearchStage> search_stage(Context& c, const std::vector<std::string>& space_names) {
  const LabPlan& plan = c.plan;
  SearchStage st;
  st.space = space_names;
  const std::string url =
      plan.storage.empty() ? "sqlite://" + (fs::absolute(plan.out) / "lab.db").string() : plan.storage;
  st.storage = search::mask_password(url);
  st.study = plan.study_name();
  search::Space space;
  for (int i = 0; i < plan.depth; ++i)
    if (Status s = space.add_categorical("activation" + std::to_string(i), space_names); !s) return s;
  const TrainPlan base = c.base(plan.epochs);
  Json objective = {{search::kObjectiveKey, "lab"}, {"train", base.to_json()}};
  objective["train"]["model"].erase("acts");

  auto opened = search::Study::open(url, st.study);
  if (!opened) {
    if (opened.status().code() != StatusCode::kNotFound) return storage_error(opened.status());
    search::StudyRecord rec;
    rec.name = st.study;
    rec.direction = search::Direction::kMaximize;
    rec.sampler = "tpe:fail-worst";
    rec.seed = plan.seed;
    rec.space = space.to_json();
    rec.objective = objective;
    if (auto made = search::Study::create(url, rec); !made) {
      // Another process may have created it in between.
      if (made.status().code() != StatusCode::kInvalidArgument) return storage_error(made.status());
    }
    opened = search::Study::open(url, st.study);
    if (!opened) return storage_error(opened.status());
  }
  search::Study& study = *opened;
  if (study.space() != space)
    return Status::invalid_field("storage", "study '" + st.study + "' has another search space");

  auto plan_of = [&](const std::vector<std::string>& acts) {
    TrainPlan p = base;
    p.model.acts = join(acts, ",");
    return p;
  };
  const std::int64_t total = plan.trials >= 0 ? plan.trials : 0;
  c.stage(3, total);
  if (auto t = study.storage().counts(study.record().id)) c.progress.done = std::min(t->originals, total);
  search::Objective f = [&](search::TrialContext& t) {
    const auto acts = alacarte_acts(t.external(), plan.depth);
    auto r = c.run(plan_of(acts));
    if (!r) return search::TrialOutcome::fail(r.status().message());
    if (r->diverged)
      return search::TrialOutcome::fail("diverged after " + std::to_string(r->epochs) + " epochs");
    if (!std::isfinite(r->val_acc)) return search::TrialOutcome::fail("validation accuracy is not finite");
    return search::TrialOutcome::complete(r->val_acc);
  };
  search::OptimizeOptions o;
  o.n_trials = plan.trials;
  o.timeout_s = plan.budget_minutes * 60.0;
  o.workers = 1;
  o.interrupted = c.interrupted;
  o.on_trial_done = [&](const search::TrialRecord& t) { c.step("trial " + std::to_string(t.number)); };
  auto summary = study.optimize(f, o);
  if (!summary) return summary.status().with_context("search");
  if (summary->interrupted) return c.stopped();

  auto trials = study.storage().trials(study.record().id, false);
  if (!trials) return storage_error(trials.status());
  st.stopped_by_budget = plan.trials >= 0 && std::count_if(trials->begin(), trials->end(), [](const auto& t) {
                                               return !t.retry_of;
                                             }) < plan.trials;
  double best_acc = -1;
  for (const search::TrialRecord& t : *trials) {
    SearchTrial s;
    s.number = t.number;
    s.state = search::to_string(t.state);
    s.reason = t.reason;
    if (!t.params.is_null()) s.acts = alacarte_acts(t.params, plan.depth);
    if (t.state == search::TrialState::kComplete && t.value) {
      s.val_acc = *t.value;
      best_acc = std::max(best_acc, s.val_acc);
    }
    st.trials.push_back(std::move(s));
  }
  if (best_acc < 0) return Status::numerical("search: no trial completed (every network diverged)");
  // Ties at the best validation accuracy: the lower validation loss wins (runs read back, or retrained
  // deterministically when another machine ran them), then the lower trial number.
  double best_loss = std::numeric_limits<double>::infinity();
  for (SearchTrial& s : st.trials) {
    if (s.state != "COMPLETE") continue;
    auto r = c.run(plan_of(s.acts));
    if (r) s.val_loss = val_loss_of(*r);
    if (s.val_acc != best_acc) continue;
    ++st.tied;
    if (st.best.empty() || s.val_loss < best_loss) {
      best_loss = s.val_loss;
      st.best = s.acts;
    }
  }
  st.best_val_acc = best_acc;
  st.best_val_loss = best_loss;
  return st;
}

// ---- Stage 4: confirmation ------------------------------------------------------------------------------

Result<CompareResult> confirm_stage(Context& c, const std::string& winner, const std::string& best_uniform) {
  const LabPlan& plan = c.plan;
  ComparePlan p;
  p.base = c.base(plan.epochs);
  p.seeds = plan.seeds;
  p.seed = plan.seed;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& label, const std::string& acts, const std::string& init) {
    if (!seen.insert({acts, init}).second) return;
    p.arms.push_back({.label = label + " " + acts + "@" + init, .acts = acts, .init = init});
  };
  // compare tests every arm against its first: ReLU at the default init, so every p says "this arm vs ReLU".
  add("baseline", "relu", plan.default_init);
  add("winner", winner, "critical");
  if (!best_uniform.empty()) add("best uniform", best_uniform, "critical");
  add("reference", "swish", "critical");
  c.stage(4, static_cast<std::int64_t>(p.arms.size()) * plan.seeds * plan.epochs);
  bool stopped = false;
  auto r = compare(
      p,
      [&](const CompareProgress& e) {
        c.progress.done = e.done;
        c.progress.note = e.note;
        if (c.on_progress) c.on_progress(c.progress);
      },
      [&](const TrainPlan& tp, const nn::EpochCallback& cb) -> Result<RunSummary> {
        if (c.stop()) {
          stopped = true;
          return Status::internal("interrupted");
        }
        return c.run(tp, cb);
      });
  if (stopped) return c.stopped();
  return r;
}

// ---- Stage 5: explanation -------------------------------------------------------------------------------

Result<ExplainStage> explain_stage(Context& c, const std::vector<std::string>& winner) {
  const LabPlan& plan = c.plan;
  ExplainStage e;
  e.winner = join(winner, ",");
  c.stage(5, 2 + plan.explain_points);
  TrainPlan p = c.base(plan.epochs);
  p.model.acts = e.winner;
  auto t = train(p);  // the winner as the search trained it
  if (!t) return t.status().with_context("explanation");
  c.step("trained " + e.winner);

  // The raw test rows and a background of training rows (the model reads raw inputs).
  data::DataPlan dp = p.data;
  dp.standardize = data::Standardize::kOff;
  auto d = data::prepare(dp);
  if (!d) return d.status().with_context("explanation");
  for (std::size_t j = 0; j < d->train.features(); ++j)
    e.features.push_back(j < d->train.feature_names.size() ? d->train.feature_names[j]
                                                           : "x" + std::to_string(j));
  const Eigen::Index nb = std::min<Eigen::Index>(d->train.x.rows(), 32);
  MatrixD background(nb, d->train.x.cols());
  for (Eigen::Index i = 0; i < nb; ++i) background.row(i) = d->train.x.row(i).cast<double>();

  // Piecewise linear: the exact rewrite, when the regions fit the budget.
  ExplainPlan xp;
  xp.regions = RegionPlan{.max_regions = plan.max_regions, .threads = 1};
  xp.shallow = true;
  xp.verify = VerifyPlan{.points = 300, .seed = plan.seed};
  auto net = shallow::deep_net_of(t->model);
  e.piecewise_linear = static_cast<bool>(net);
  if (!net) {
    std::string why = net.status().message();
    why = why.substr(0, std::min(why.find(" (it "), why.find(';')));  // which layer, which activation
    e.note = "not piecewise linear: " + why;
  } else {
    auto x = explain(*net, xp);
    if (x) {
      e.complete = true;
      e.regions = static_cast<long>(x->regions->regions.size());
      e.full_dim_regions = static_cast<long>(x->regions->full_dim_regions);
      e.lps = static_cast<long>(x->regions->lps);
      e.verified = x->verified();
      e.checked = x->verify ? x->verify->points : 0;
      e.mismatches = x->verify ? x->verify->mismatches : 0;
      e.method = "exact shallow rewrite";
    } else {
      e.note = "exact rewrite not built: " + x.status().message();
      e.method = "exact SHAP on the deep network";
    }
  }
  c.step("regions");
  e.exact_shap = e.piecewise_linear && e.features.size() <= 16;
  if (e.method.empty()) e.method = "sampling (approximate)";
  if (!e.exact_shap && e.piecewise_linear)
    e.note +=
        (e.note.empty() ? "" : "; ") + std::string("more than 16 features: SHAP by sampling, approximate");
  // The model's outputs on raw inputs (its input scaling applied): the predicted class, and f for sampling.
  nn::Model<float>& model = t->model;
  auto outputs = [&](const Eigen::VectorXd& x) {
    MatrixF row = x.transpose().cast<float>();
    if (const auto& z = model.input_scaling())
      row = ((row.array() - z->mean.array()) / z->scale.array()).matrix();
    return Eigen::VectorXd(model.predict(row).row(0).transpose().cast<double>());
  };
  // SHAP values of the first test points for the predicted class: through the deep ReLU network (exact
  // over every coalition) for a piecewise-linear winner, else by sampled permutations (approximate: 20
  // antithetic permutations, each walked against every background row).
  constexpr long kPermutations = 20;
  const Eigen::Index points = std::min<Eigen::Index>(plan.explain_points, d->test.x.rows());
  for (Eigen::Index i = 0; i < points; ++i) {
    ShapPoint sp;
    sp.row = static_cast<std::size_t>(i);
    Eigen::VectorXd xi = d->test.x.row(i).cast<double>().transpose();
    sp.x.assign(xi.data(), xi.data() + xi.size());
    Eigen::Index arg = 0;
    outputs(xi).maxCoeff(&arg);
    sp.output = static_cast<int>(arg);
    shallow::ShapResult v;
    if (e.piecewise_linear) {
      shallow::ShapOptions so;
      so.output = sp.output;
      so.method = e.exact_shap ? shallow::ShapMethod::kExact : shallow::ShapMethod::kSampling;
      so.samples = kPermutations;
      so.seed = plan.seed;
      auto exact = shallow::shap_values(*net, xi, background, so);
      if (!exact) return exact.status().with_context("explanation");
      v = std::move(*exact);
    } else {
      v = shallow::sampled_shap_values([&](const Eigen::VectorXd& h) { return outputs(h)[sp.output]; }, xi,
                                       background, kPermutations, plan.seed);
    }
    sp.phi.assign(v.phi.data(), v.phi.data() + v.phi.size());
    sp.base = v.base_value;
    sp.value = v.fx;
    e.shap.push_back(std::move(sp));
    c.step("shap " + std::to_string(i));
  }
  return e;
}

report::Cell num(double v) { return std::isfinite(v) ? report::Cell(v) : report::Cell(); }

}  // namespace

// ---- Plan -----------------------------------------------------------------------------------------------

int TheoryRow::ordinal() const {
  if (verdict == "critical") return 2;
  if (verdict == "marginal") return 1;
  if (verdict == "cannot be stabilised") return 0;
  return -1;
}

std::string LabPlan::model() const { return "mlp:" + std::to_string(width) + "x" + std::to_string(depth); }

Status LabPlan::validate() const {
  if (data.empty()) return Status::invalid_field("data", "required: a built-in name, CSV or R file");
  if (depth < 1 || depth > 64) return Status::invalid_field("depth", "must be in 1 … 64");
  if (width < 1 || width > 4096) return Status::invalid_field("width", "must be in 1 … 4096");
  if (candidates.empty()) return Status::invalid_field("candidates", "menu, all, a list or @FILE");
  if (epochs < 1 || epochs > 100000) return Status::invalid_field("epochs", "must be in 1 … 100000");
  if (!(lr > 0) || !std::isfinite(lr)) return Status::invalid_field("lr", "must be a positive number");
  if (!(test > 0) || !(test < 1)) return Status::invalid_field("test", "must be in (0, 1)");
  if (!(val > 0) || !(test + val < 1)) return Status::invalid_field("val", "must be > 0 with test + val < 1");
  if (screen_seeds < 1 || screen_seeds > 100)
    return Status::invalid_field("screen_seeds", "must be in 1 … 100");
  if (screen_epochs < 1 || screen_epochs > 100000)
    return Status::invalid_field("screen_epochs", "must be in 1 … 100000");
  if (trials == 0 || trials > 1000000)
    return Status::invalid_field("trials", "must be in 1 … 1000000, or < 0");
  if (!(budget_minutes >= 0) || !std::isfinite(budget_minutes))
    return Status::invalid_field("budget_minutes", "must be >= 0");
  if (trials < 0 && budget_minutes == 0)
    return Status::invalid_field("trials", "give a number of trials or a budget in minutes");
  if (seeds < 2 || seeds > 1000) return Status::invalid_field("seeds", "must be in 2 … 1000");
  if (explain_points < 0 || explain_points > 1000)
    return Status::invalid_field("explain_points", "must be in 0 … 1000");
  if (max_regions < 1) return Status::invalid_field("max_regions", "must be >= 1");
  if (out.empty()) return Status::invalid_field("out", "required: the directory of the run");
  if (threads < 1 || threads > 256) return Status::invalid_field("threads", "must be in 1 … 256");
  return Status::ok();
}

Json LabPlan::to_json() const {
  return {{"data", data},
          {"target", target},
          {"depth", depth},
          {"width", width},
          {"model", model()},
          {"candidates", candidates},
          {"keep_unstable", keep_unstable},
          {"default_init", default_init},
          {"epochs", epochs},
          {"lr", lr},
          {"optimizer", "adam, full batch"},
          {"test", test},
          {"val", val},
          {"screen_seeds", screen_seeds},
          {"screen_epochs", screen_epochs},
          {"trials", trials},
          {"budget_minutes", budget_minutes},
          {"seeds", seeds},
          {"explain_points", explain_points},
          {"max_regions", max_regions},
          {"out", out},
          {"storage", storage.empty() ? Json(nullptr) : Json(search::mask_password(storage))},
          {"seed", seed},
          {"threads", threads},
          {"command", command}};
}

std::string LabPlan::study_name() const {
  // What defines the search's trials (not the stages around it, not the trial count).
  const Json key = {{"data", data},
                    {"target", target},
                    {"model", model()},
                    {"candidates", candidates},
                    {"keep_unstable", keep_unstable},
                    {"epochs", epochs},
                    {"lr", lr},
                    {"test", test},
                    {"val", val},
                    {"seed", seed}};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(json_dump(key, false))));
  return std::string("lab-") + hex;
}

// ---- Run ------------------------------------------------------------------------------------------------

Result<LabResult> run_lab(const LabPlan& plan, const LabProgressFn& on_progress,
                          const std::function<int()>& interrupted) {
  if (Status s = plan.validate(); !s) return s;
  const auto start = std::chrono::steady_clock::now();
  auto names = resolve_candidates(plan.candidates);
  if (!names) return names.status();
  // The data first: a bad source or a regression set fails before any work.
  data::DataPlan dp{.source = plan.data,
                    .target = plan.target,
                    .test = plan.test,
                    .val = plan.val,
                    .min_classes = 2,
                    .seed = plan.seed};
  auto d = data::prepare(dp);
  if (!d) {
    const std::string f = d.status().field();
    if (f == "target") return d.status();
    return Status::invalid_field("data", d.status().message());
  }
  std::error_code ec;
  fs::create_directories(plan.out, ec);
  if (ec) return Status::invalid_field("out", plan.out + ": " + ec.message());

  if (!plan.storage.empty()) {  // a bad URL or an unreachable server fails before any work
    if (auto st = search::open_storage(plan.storage, search::OpenMode::kCreate); !st)
      return storage_error(st.status());
  }
  Context c{.plan = plan, .log = {}, .on_progress = on_progress, .interrupted = interrupted, .progress = {}};
  if (Status s = c.log.open((fs::path(plan.out) / "runs.jsonl").string()); !s) return s;

  LabResult r;
  r.plan = plan;
  r.data = d->name();
  r.rows = d->rows;
  r.features = d->train.features();
  r.classes = d->train.classes();

  auto th = theory_stage(c, *names);
  if (!th) return th.status();
  r.theory = std::move(*th);
  if (c.stop()) return c.stopped();

  auto sc = screen_stage(c, r.theory);
  if (!sc) return sc.status();
  r.screen = std::move(*sc);

  {
    std::vector<std::string> top;
    for (const ScreenRow& row : r.screen.rows)
      if (row.kept && top.size() < 4) top.push_back(row.name);
    r.eoc_figure = eoc_figure(top, r.theory, plan.depth);
  }
  std::vector<std::string> space;
  for (const ScreenRow& row : r.screen.rows)  // in screen order: the best uniform candidates first
    if (row.kept) space.push_back(row.name);
  if (space.empty())
    return Status::invalid_field("candidates",
                                 "every candidate was set aside by the theory screen (see "
                                 "--keep-unstable)");
  auto se = search_stage(c, space);
  if (!se) return se.status();
  r.search = std::move(*se);
  r.winner = join(r.search.best, ",");

  auto co = confirm_stage(c, r.winner, r.screen.best_uniform);
  if (!co) return co.status();
  r.confirm = std::move(*co);

  auto ex = explain_stage(c, r.search.best);
  if (!ex) return ex.status();
  r.explain = std::move(*ex);

  r.runs_trained = c.log.trained();
  r.runs_reused = c.log.reused();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (Status s = write_lab_outputs(r); !s) return s;
  return r;
}

Status write_lab_outputs(const LabResult& r) {
  const fs::path d(r.plan.out);
  // Each file complete or not there: written beside its target and renamed (core/file_io.hpp).
  auto write = [&](const char* name, const std::string& text) {
    const Status s = write_file_atomic((d / name).string(), text);
    return s ? s : Status::invalid_field("out", s.message());
  };
  const report::Document doc = r.report();
  if (Status s = write("results.json", json_dump(r.to_json(), true) + "\n"); !s) return s;
  if (Status s = write("report.md", doc.markdown()); !s) return s;
  if (Status s = write("report.html", doc.html()); !s) return s;
  // The figures beside report.md, as report() drew them (report.html has them inline; without gnuplot there
  // are none, and the report says so).
  for (const report::Section& sec : doc.sections)
    for (const auto& block : sec.blocks)
      if (const auto* f = std::get_if<report::FigureBlock>(&block); f && !f->path.empty())
        if (Status s = write(f->path.c_str(), f->svg); !s) return s;
  return Status::ok();
}

// ---- Results --------------------------------------------------------------------------------------------

Json LabResult::to_json() const {
  auto fin = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  Json th = Json::array();
  for (const TheoryRow& t : theory)
    th.push_back({{"name", t.name},
                  {"verdict", t.verdict},
                  {"kind", t.kind},
                  {"sigma_w", fin(t.sigma_w)},
                  {"sigma_b", fin(t.sigma_b)},
                  {"input_scale", fin(t.input_scale)},
                  {"xi_c", t.xi_c ? Json(*t.xi_c) : Json(nullptr)},
                  {"kept", t.kept},
                  {"why", t.why},
                  {"recommendation", t.detail}});
  Json sc = Json::array();
  for (const ScreenRow& s : screen.rows)
    sc.push_back({{"name", s.name},
                  {"verdict", s.verdict},
                  {"kept", s.kept},
                  {"val_acc_critical", s.critical},
                  {"val_acc_default", s.standard},
                  {"median_critical", fin(s.median_critical)},
                  {"median_default", fin(s.median_standard)},
                  {"diverged_critical", s.diverged_critical},
                  {"diverged_default", s.diverged_standard}});
  Json tr = Json::array();
  for (const SearchTrial& t : search.trials)
    tr.push_back({{"number", t.number},
                  {"state", t.state},
                  {"activations", t.acts},
                  {"val_acc", fin(t.val_acc)},
                  {"val_loss", fin(t.val_loss)},
                  {"reason", t.reason}});
  Json shap = Json::array();
  for (const ShapPoint& s : explain.shap)
    shap.push_back({{"test_row", s.row},
                    {"x", s.x},
                    {"output", s.output},
                    {"phi", s.phi},
                    {"base", s.base},
                    {"value", s.value}});
  const CompareArmResult* relu = confirm.arms.empty() ? nullptr : &confirm.arms[0];
  const CompareArmResult* best = recommended();
  return {{"settings", plan.to_json()},
          {"data", {{"name", data}, {"rows", rows}, {"features", features}, {"classes", classes}}},
          {"theory", th},
          {"screen",
           {{"rows", sc},
            {"spearman_rho", fin(screen.rho)},
            {"spearman_p", fin(screen.p)},
            {"n", screen.n},
            {"critical_helps", screen.critical_helps},
            {"critical_hurts", screen.critical_hurts},
            {"best_uniform", screen.best_uniform}}},
          {"search",
           {{"study", search.study},
            {"storage", search.storage},
            {"space", search.space},
            {"trials", tr},
            {"best", search.best},
            {"best_val_acc", fin(search.best_val_acc)},
            {"best_val_loss", fin(search.best_val_loss)},
            {"tied", search.tied}}},
          {"confirm", confirm.to_json()},
          {"explain",
           {{"winner", explain.winner},
            {"piecewise_linear", explain.piecewise_linear},
            {"method", explain.method},
            {"note", explain.note},
            {"regions", explain.regions},
            {"full_dim_regions", explain.full_dim_regions},
            {"lps", explain.lps},
            {"complete", explain.complete},
            {"verified", explain.verified},
            {"checked", explain.checked},
            {"mismatches", explain.mismatches},
            {"exact_shap", explain.exact_shap},
            {"features", explain.features},
            {"shap", shap}}},
          {"summary",
           {{"searched_winner", winner},
            {"recommended", best ? Json(best->arm.acts) : Json(nullptr)},
            {"init", best ? Json(best->arm.init) : Json(nullptr)},
            {"median", best ? fin(best->median) : Json(nullptr)},
            {"relu_median", relu ? fin(relu->median) : Json(nullptr)},
            {"p_vs_relu", best && best != relu ? fin(best->p_holm) : Json(nullptr)},
            {"text", summary()}}},
          {"runs_trained", runs_trained},
          {"runs_reused", runs_reused},
          {"seconds", seconds}};
}

const CompareArmResult* LabResult::recommended() const {
  const CompareArmResult* best = nullptr;
  for (const CompareArmResult& a : confirm.arms)
    if (!best || a.median > best->median) best = &a;
  return best;
}

std::string LabResult::summary() const {
  std::ostringstream s;
  const CompareArmResult* best = recommended();
  if (!best || confirm.arms.empty()) return "No confirmation: nothing to recommend.";
  const CompareArmResult& relu = confirm.arms[0];
  s << "Recommendation for " << data << " (" << plan.model() << "): " << best->arm.acts << " with the "
    << best->arm.init << " initialisation";
  for (const TheoryRow& t : theory)
    if (t.name == split_list(best->arm.acts).front() && std::isfinite(t.sigma_w) &&
        best->arm.init == "critical")
      s << " (sigma_w " << report::fmt(t.sigma_w, "%.4g") << ", sigma_b " << report::fmt(t.sigma_b, "%.4g")
        << ", " << t.verdict << ")";
  s << ": median test accuracy " << report::fmt(best->median, "%.4f") << " over " << confirm.seeds.size()
    << " seeds";
  if (best == &relu) {
    s << "; no other arm has a higher median than ReLU.";
  } else {
    s << " against ReLU's " << report::fmt(relu.median, "%.4f") << " (p_holm "
      << report::fmt(best->p_holm, "%.3g")
      << (best->p_holm < 0.05 ? ", significant" : ", not significant at 0.05") << ").";
  }
  if (confirm.arms.size() > 1 && confirm.arms[1].arm.acts == winner && best != &confirm.arms[1])
    s << " The searched per-layer winner " << winner << " reached "
      << report::fmt(confirm.arms[1].median, "%.4f") << " (p_holm vs ReLU "
      << report::fmt(confirm.arms[1].p_holm, "%.3g") << ").";
  return s.str();
}

report::Table LabResult::theory_table() const {
  using report::ColumnType;
  report::Table t;
  t.title = "Theory screen at depth " + std::to_string(plan.depth);
  t.columns = {{"activation"},
               {"verdict"},
               {"notion"},
               {"sigma_w", ColumnType::kNumber, "%.4g"},
               {"sigma_b", ColumnType::kNumber, "%.4g"},
               {"input_scale", ColumnType::kNumber, "%.4g"},
               {"xi_c", ColumnType::kNumber, "%.3g", true},
               {"searched"},
               {"why", ColumnType::kText, "", true}};
  for (const TheoryRow& r : theory)
    t.add_row({r.name, r.verdict, r.kind, num(r.sigma_w), num(r.sigma_b), num(r.input_scale),
               r.xi_c ? num(*r.xi_c) : report::Cell(), r.kept ? "yes" : "no", r.why});
  t.notes = {"verdict and (sigma_w, sigma_b): theory::recommend at depth " + std::to_string(plan.depth) +
                 " (docs/theory.md, \"One initialisation answer\")",
             "input_scale: the factor on the first layer's weights; the correlation depth scale xi_c is in "
             "the CSV and JSON"};
  return t;
}

report::Table LabResult::screen_table() const {
  using report::ColumnType;
  report::Table t;
  t.title = "Quick screen: validation accuracy, median over " + std::to_string(plan.screen_seeds) +
            " seeds, " + std::to_string(plan.screen_epochs) + " epochs";
  t.columns = {{"activation"},
               {"verdict"},
               {"critical", ColumnType::kNumber},
               {plan.default_init, ColumnType::kNumber},
               {"diverged", ColumnType::kInt},
               {"searched"}};
  for (const ScreenRow& r : screen.rows)
    t.add_row({r.name, r.verdict, num(r.median_critical), num(r.median_standard),
               r.diverged_critical + r.diverged_standard, r.kept ? "yes" : "no"});
  t.notes = {
      "Spearman rho (verdict critical 2 / marginal 1 / cannot be stabilised 0 vs median at critical) = " +
          report::fmt(screen.rho, "%.3f") + ", permutation p = " + report::fmt(screen.p, "%.3g") +
          ", n = " + std::to_string(screen.n),
      "critical init above the default: " + std::to_string(screen.critical_helps) +
          ", below: " + std::to_string(screen.critical_hurts),
      "a diverged run counts as accuracy 0"};
  return t;
}

report::Table LabResult::search_table(std::size_t top) const {
  using report::ColumnType;
  std::vector<const SearchTrial*> done;
  for (const SearchTrial& s : search.trials)
    if (s.state == "COMPLETE") done.push_back(&s);
  std::stable_sort(done.begin(), done.end(), [](const SearchTrial* a, const SearchTrial* b) {
    return better(a->val_acc, a->val_loss, b->val_acc, b->val_loss);
  });
  report::Table t;
  t.title = "Search: the best " + std::to_string(std::min(top, done.size())) + " of " +
            std::to_string(search.trials.size()) + " trials (TPE, per-layer activations, critical init)";
  t.columns = {{"trial", ColumnType::kInt},
               {"activations"},
               {"val_acc", ColumnType::kNumber},
               {"val_loss", ColumnType::kNumber}};
  for (std::size_t i = 0; i < done.size() && i < top; ++i)
    t.add_row({done[i]->number, join(done[i]->acts, ","), num(done[i]->val_acc), num(done[i]->val_loss)});
  const auto failed = std::count_if(search.trials.begin(), search.trials.end(),
                                    [](const SearchTrial& s) { return s.state == "FAIL"; });
  t.notes = {std::to_string(search.tied) +
                 " trial(s) tie at the best validation accuracy; the lowest validation "
                 "loss wins",
             std::to_string(failed) + " trial(s) failed (diverged); the sampler counts them as the worst",
             "study " + search.study + " in " + search.storage};
  return t;
}

report::Figure LabResult::screen_figure() const {
  report::Figure f;
  f.title = "Does the theory predict trainability? (" + data + ", depth " + std::to_string(plan.depth) + ")";
  f.xlabel = "theory verdict (0 cannot be stabilised, 1 marginal, 2 critical)";
  f.ylabel = "validation accuracy, median over seeds";
  report::Series crit{.label = "at the recommended init", .x = {}, .y = {}, .style = "points"};
  report::Series def{
      .label = "at the default init (" + plan.default_init + ")", .x = {}, .y = {}, .style = "points"};
  std::map<std::string, int> ord;
  for (const TheoryRow& t : theory) ord[t.name] = t.ordinal();
  int i = 0;
  for (const ScreenRow& r : screen.rows) {
    const int o = ord[r.name];
    if (o < 0) continue;
    const double jitter = 0.25 * (static_cast<double>((i++ * 37) % 21) / 20.0 - 0.5);
    crit.x.push_back(o + jitter - 0.07);
    crit.y.push_back(r.median_critical);
    def.x.push_back(o + jitter + 0.07);
    def.y.push_back(r.median_standard);
  }
  f.series = {crit, def};
  f.xrange = std::pair<double, double>{-0.5, 2.5};
  f.yrange = std::pair<double, double>{0.0, 1.05};
  return f;
}

report::Figure LabResult::search_figure() const {
  report::Figure f;
  f.title = "Search history on " + data;
  f.xlabel = "trial";
  f.ylabel = "validation accuracy";
  report::Series pts{.label = "trial", .x = {}, .y = {}, .style = "points"};
  report::Series best{.label = "best so far", .x = {}, .y = {}, .style = "lines"};
  double b = -1;
  for (const SearchTrial& s : search.trials) {
    if (!std::isfinite(s.val_acc)) continue;
    pts.x.push_back(static_cast<double>(s.number));
    pts.y.push_back(s.val_acc);
    b = std::max(b, s.val_acc);
    best.x.push_back(static_cast<double>(s.number));
    best.y.push_back(b);
  }
  f.series = {pts, best};
  return f;
}

report::Document LabResult::report() const {
  report::Document doc;
  doc.title = "actlab lab: which activation for " + data + "?";
  auto figure = [](report::Section& s, const report::Figure& fig, const std::string& caption,
                   const std::string& path) {
    auto svg = report::render_svg(fig);
    if (svg)
      s.figure(caption, *svg, path);
    else
      s.paragraph("(figure not drawn: " + svg.status().message() + ")");
  };
  {
    auto& s = doc.add_section("Question and answer");
    s.paragraph("Which activation function, with which initialisation, should a " + plan.model() +
                " network (" + std::to_string(plan.depth) + " hidden layers of " +
                std::to_string(plan.width) + " units) use on " + data + " (" + std::to_string(rows) +
                " rows, " + std::to_string(features) + " features, " + std::to_string(classes) +
                " classes)?");
    s.paragraph(summary());
    s.table(confirm.table());
    report::Table settings;
    settings.title = "Settings (results.json has them all)";
    settings.columns = {{"setting"}, {"value"}};
    const Json settings_json = plan.to_json();  // items() refers into it: it must outlive the loop
    for (const auto& [k, v] : settings_json.items())
      if (!v.is_null() && k != "command")
        settings.add_row({k, v.is_string() ? v.get<std::string>() : v.dump()});
    s.table(settings);
  }
  {
    auto& s = doc.add_section("1. Theory screen");
    std::size_t aside = 0;
    for (const TheoryRow& t : theory) aside += t.kept ? 0 : 1;
    s.paragraph(std::to_string(theory.size()) + " candidates; " + std::to_string(aside) +
                " set aside (cannot be stabilised at this depth, or no initialisation answer).");
    s.table(theory_table());
    figure(s, eoc_figure,
           "The edge of chaos of the four best candidates of the screen, with the recommended points",
           "eoc.svg");
  }
  {
    auto& s = doc.add_section("2. Quick screen");
    s.paragraph(
        "Each candidate uniform over the layers, at its recommended (critical) init and at the default "
        "init, scored on the validation rows.");
    s.table(screen_table());
    figure(s, screen_figure(), "Theory verdict against the screen's validation accuracy", "screen.svg");
  }
  {
    auto& s = doc.add_section("3. Search");
    s.paragraph("Per-layer activations over the " + std::to_string(search.space.size()) +
                " searched candidates; winner: " + winner + " (validation accuracy " +
                report::fmt(search.best_val_acc, "%.4f") + ").");
    s.table(search_table());
    figure(s, search_figure(), "Validation accuracy per trial and the best so far", "search.svg");
  }
  {
    auto& s = doc.add_section("4. Confirmation");
    s.paragraph(
        "ReLU (default init) against the searched winner, the best uniform candidate and Swish (critical "
        "init), retrained over " +
        std::to_string(confirm.seeds.size()) + " seeds (a fresh split per seed) and scored on test rows.");
    s.table(confirm.table());
    figure(s, confirm.figure(), "Test accuracy per seed and the median per arm", "confirm.svg");
  }
  {
    auto& s = doc.add_section("5. Explanation");
    std::string text = "Winner " + explain.winner + ": " +
                       (explain.piecewise_linear ? "piecewise linear" : "not piecewise linear") + ". ";
    if (explain.complete)
      text += "Exact shallow rewrite: " + std::to_string(explain.regions) + " activation regions (" +
              std::to_string(explain.full_dim_regions) + " full-dimensional, " + std::to_string(explain.lps) +
              " LPs); " + (explain.verified ? "verified" : "NOT verified") + " against the deep network on " +
              std::to_string(explain.checked) + " points (" + std::to_string(explain.mismatches) +
              " mismatches). ";
    if (!explain.note.empty()) text += explain.note + ". ";
    text += explain.exact_shap ? "SHAP values below are exact (every coalition)."
                               : "SHAP values below are sampled, approximate.";
    s.paragraph(text);
    report::Table t;
    t.title = "SHAP values of test points (predicted class)";
    t.columns = {{"test row", report::ColumnType::kInt},
                 {"class", report::ColumnType::kInt},
                 {"f(x)", report::ColumnType::kNumber},
                 {"E f", report::ColumnType::kNumber}};
    for (const std::string& f : explain.features)
      t.columns.push_back({f, report::ColumnType::kNumber, "%.3f"});
    for (const ShapPoint& p : explain.shap) {
      std::vector<report::Cell> row = {static_cast<std::int64_t>(p.row), p.output, p.value, p.base};
      for (double v : p.phi) row.push_back(v);
      t.add_row(std::move(row));
    }
    if (!explain.shap.empty() && explain.shap[0].phi.empty()) t.notes = {"no SHAP values: " + explain.note};
    s.table(t);
  }
  {
    auto& s = doc.add_section("Reproduce");
    s.paragraph("The same command resumes or repeats this run; results.json holds every stage's numbers.");
    s.paragraph(plan.command.empty() ? "(run from the library)" : plan.command);
    if (const CompareArmResult* best = recommended())
      s.paragraph("One confirmation run by hand: actlab train --data " + data + " --model " + plan.model() +
                  " --act " + best->arm.acts + " --init " + best->arm.init + " --epochs " +
                  std::to_string(plan.epochs) + " --lr " + report::fmt(plan.lr, "%g") + " --val " +
                  report::fmt(plan.val, "%g") + " --test " + report::fmt(plan.test, "%g") + " --seed " +
                  std::to_string(plan.seed));
  }
  return doc;
}

}  // namespace actlab::lab
