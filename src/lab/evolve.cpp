// Evolving activation functions (see evolve.hpp): fitness, the GP run through local threads or a stored
// study, the final comparison, and the run's by-products (theory class, user catalog, plot). Over 600 lines
// because the run, its worker and its read-only view share the stored-run format (settings, params, keys),
// which is kept in one file so the three cannot drift apart.
#include "lab/evolve.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "activations/activation.hpp"
#include "activations/user_catalog.hpp"
#include "core/rng.hpp"
#include "core/thread_pool.hpp"
#include "data/builtin.hpp"
#include "data/prepare.hpp"
#include "lab/model.hpp"
#include "nn/trainer.hpp"
#include "report/figure.hpp"
#include "report/format.hpp"
#include "report/significance.hpp"
#include "search/storage.hpp"
#include "search/work_queue.hpp"
#include "theory/gaussian.hpp"

namespace actlab::lab {

using evolve::FitnessResult;
using evolve::Triple;
using report::fmt;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A domain's error about one plan field, said as that field's (the CLI names the flag). Bad input becomes
// invalid_field; other failures keep their code and get the field as context.
Status in_field(const Status& s, const std::string& field) {
  if (!s.field().empty()) return s;
  if (s.is_bad_input()) return Status::invalid_field(field, s.message());
  return s.with_context(field);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Config, data, fitness, final training

Json EvolveConfig::to_json() const {
  return Json{{"data", data},
              {"target", target},
              {"net", net},
              {"init", init},
              {"train_fraction", train_fraction},
              {"val_fraction", val_fraction},
              {"lr", lr},
              {"epochs", epochs},
              {"batch", batch},
              {"seed", seed}};
}

Result<EvolveConfig> EvolveConfig::from_json(const Json& j) {
  try {
    EvolveConfig c;
    c.data = j.at("data").get<std::string>();
    c.target = j.at("target").get<std::string>();
    c.net = j.at("net").get<std::string>();
    c.init = j.at("init").get<std::string>();
    c.train_fraction = j.at("train_fraction").get<double>();
    c.val_fraction = j.at("val_fraction").get<double>();
    c.lr = j.at("lr").get<double>();
    c.epochs = j.at("epochs").get<int>();
    c.batch = j.at("batch").get<int>();
    c.seed = j.at("seed").get<std::uint64_t>();
    return c;
  } catch (const std::exception& e) {
    return Status::invalid(std::string("not an evolve study (its settings do not read back: ") + e.what() +
                           ")");
  }
}

namespace {

// Classification data with at least two classes, or why not (checked on the loaded source).
}  // namespace

Result<EvolveData> prepare_evolve_data(const EvolveConfig& cfg) {
  // The networks with three activation slots; any other name was recorded and silently trained as nothing.
  if (cfg.net != "fcn:lapid" && cfg.net != "cnn:lapid")
    return Status::invalid_field("net", "expected fcn:lapid or cnn:lapid, got '" + cfg.net + "'");
  if (!(cfg.train_fraction > 0 && cfg.train_fraction <= 1))
    return Status::invalid_field("train_fraction",
                                 "must lie in (0, 1], got " + fmt(cfg.train_fraction, "%g"));
  if (!(cfg.val_fraction > 0 && cfg.val_fraction < 1))
    return Status::invalid_field("val_fraction", "must lie in (0, 1), got " + fmt(cfg.val_fraction, "%g"));
  if (cfg.epochs < 1) return Status::invalid_field("epochs", "must be at least 1");
  if (cfg.batch < 0)
    return Status::invalid_field("batch", "must be positive (0: a tenth of the training rows)");
  if (!(cfg.lr > 0) || !std::isfinite(cfg.lr)) return Status::invalid_field("lr", "must be positive");
  data::DataPlan plan{.source = cfg.data,
                      .target = cfg.target,
                      .test = 0.3,
                      .val = cfg.val_fraction,
                      .subsample = cfg.train_fraction,
                      .sampling = data::Sampling::kShuffledPool,
                      .standardize = data::Standardize::kAuto,
                      .min_classes = 2,
                      .with_train_val = true,
                      .seed = cfg.seed};
  auto d = data::prepare(plan);
  if (!d) {
    if (d.status().field().empty()) return in_field(d.status(), "data");  // the source itself
    const std::string& f = d.status().field();
    const std::string what = d.status().message().substr(f.size() + 2);
    return Status::invalid_field(f == "subsample" ? "train_fraction"
                                 : f == "val"     ? "val_fraction"
                                                  : "data",
                                 what);
  }
  EvolveData e;
  e.input_shape = d->input_shape();  // before the sets move out
  e.train = std::move(d->train);
  e.val = std::move(d->val);
  e.test = std::move(d->test);
  e.train_val = std::move(d->train_val);
  e.batch = cfg.batch > 0 ? cfg.batch : std::max<int>(1, static_cast<int>(e.train_val.rows() / 10));
  return e;
}

namespace {

Result<BuiltModel> build(const EvolveConfig& cfg, const EvolveData& d, const Triple& t, std::uint64_t seed) {
  std::vector<activations::Activation> acts;
  for (int s = 0; s < evolve::kSlots; ++s) {
    auto a = activations::Activation::make(t[static_cast<std::size_t>(s)]);
    if (!a) return Status(a.status().code(), "slot " + std::to_string(s) + ": " + a.status().message());
    acts.push_back(std::move(*a));
  }
  return build_model(cfg.net, acts, cfg.init, seed, nn::Shape{d.input_shape}, d.train.classes());
}

nn::TrainOptions options(const EvolveConfig& cfg, const EvolveData& d, int epochs, std::uint64_t seed) {
  nn::TrainOptions o;
  o.epochs = epochs;
  o.batch = d.batch;
  o.loss = nn::LossKind::kCrossEntropy;
  o.optimizer.kind = optim::OptimizerKind::kAdam;
  o.optimizer.lr = cfg.lr;
  o.seed = seed;
  return o;
}

std::string diverged(const nn::TrainReport& r) {
  return "diverged at epoch " + std::to_string(r.diverged_epoch) + ": " + r.message;
}

}  // namespace

FitnessResult evolve_fitness(const EvolveConfig& cfg, const EvolveData& d, const Triple& t) {
  const std::uint64_t seed = Rng::derive(cfg.seed, "evolve-fitness").next();
  auto b = build(cfg, d, t, seed);
  if (!b) return FitnessResult::fail(b.status().message());
  const nn::Examples val = examples(d.val);
  auto rep = nn::train(b->model, examples(d.train), &val, options(cfg, d, cfg.epochs, seed));
  if (!rep) return FitnessResult::fail(rep.status().message());
  if (rep->stop_reason == nn::StopReason::kDiverged) return FitnessResult::fail(diverged(*rep));
  double best = -1;
  for (const nn::EpochStats& e : rep->epochs) {
    if (!std::isfinite(e.val_acc) || !std::isfinite(e.val_loss)) {
      return FitnessResult::fail("validation loss not finite at epoch " + std::to_string(e.epoch));
    }
    best = std::max(best, e.val_acc);
  }
  return FitnessResult::ok(best);
}

Result<FinalRun> final_training(const EvolveConfig& cfg, const EvolveData& d, const Triple& t, int epochs,
                                int replicate) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t seed =
      Rng::derive(cfg.seed, "evolve-final", static_cast<std::uint64_t>(replicate)).next();
  auto b = build(cfg, d, t, seed);
  if (!b) return b.status();
  const nn::Examples test = examples(d.test);
  double last = 0, peak = 0;
  auto rep = nn::train(b->model, examples(d.train_val), nullptr, options(cfg, d, epochs, seed),
                       [&](const nn::EpochStats&) {
                         const nn::Evaluation e = nn::evaluate(b->model, test, nn::LossKind::kCrossEntropy);
                         // Rows with non-finite outputs count as wrong.
                         last = std::isfinite(e.accuracy) ? e.accuracy : 0.0;
                         peak = std::max(peak, last);
                         return true;
                       });
  if (!rep) return rep.status();
  if (rep->stop_reason == nn::StopReason::kDiverged) return Status::numerical(diverged(*rep));
  return FinalRun{.test_acc = last, .peak_acc = peak, .seconds = seconds_since(t0)};
}

FormulaTheory classify_formula(const std::string& formula) {
  FormulaTheory f{.formula = formula};
  auto a = activations::Activation::make(formula);
  if (!a) {
    f.error = a.status().message();
    return f;
  }
  auto g = theory::GaussianIntegrator::make(*a);
  if (!g) {
    f.error = g.status().message();
    return f;
  }
  auto c = theory::classify(*g);
  if (!c) {
    f.error = c.status().message();
    return f;
  }
  f.classification = std::move(*c);
  return f;
}

double EvolveResult::evaluations_per_minute() const {
  const int trained = run.evaluations - from_storage.value_or(0);
  return search_seconds > 0 ? trained / search_seconds * 60 : 0.0;
}

// ---------------------------------------------------------------------------------------------------------
// Fitness through a stored study: one trial per evaluation, params {"slots": [...], "generation": g}.

namespace {

Json triple_json(const Triple& t) { return Json::array({t[0], t[1], t[2]}); }

Triple triple_from(const Json& slots) {
  Triple t;
  for (int s = 0; s < evolve::kSlots; ++s)
    t[static_cast<std::size_t>(s)] = slots.at(static_cast<std::size_t>(s)).get<std::string>();
  return t;
}

// Evaluations are the same when their slots are: a retry or another generation's run is read back.
std::string slots_key(const Json& params) {
  return params.is_object() && params.contains("slots") ? json_dump(params["slots"], false) : "";
}

// Once `interrupted` reports a signal no training starts (the queue gives the trial back).
search::WorkQueue::Work fitness_work(const EvolveConfig& cfg, const EvolveData& d,
                                     const std::function<int()>& interrupted = {}) {
  return [&cfg, &d, interrupted](const search::TrialRecord& t) {
    if (interrupted && interrupted() != 0) return search::TrialOutcome::fail("interrupted");
    const FitnessResult r = evolve_fitness(cfg, d, triple_from(t.params.at("slots")));
    return r.value ? search::TrialOutcome::complete(*r.value) : search::TrialOutcome::fail(r.reason);
  };
}

class StudyFitness {
 public:
  StudyFitness(std::unique_ptr<search::Storage> st, search::WorkQueue queue, const EvolveConfig& cfg,
               const EvolveData& d)
      : st_(std::move(st)),
        queue_(std::move(queue)),
        work_(fitness_work(cfg, d, queue_.options().interrupted)) {}

  int generation = 0;
  int from_store = 0;   // evaluations read back from the study instead of trained here
  int interrupted = 0;  // the signal that stopped the queue's workers

  Result<std::vector<FitnessResult>> operator()(const std::vector<Triple>& batch) {
    std::vector<Json> params;
    for (const Triple& t : batch)
      params.push_back(Json{{"slots", triple_json(t)}, {"generation", generation}});
    auto r = queue_.map(*st_, params, slots_key, work_);
    if (!r) return r.status();
    from_store += r->from_store;
    if (r->interrupted != 0) {
      interrupted = r->interrupted;
      return std::vector<FitnessResult>{};
    }
    std::vector<FitnessResult> out;
    for (const search::TrialOutcome& o : r->outcomes) {
      out.push_back(o.state == search::TrialState::kComplete ? FitnessResult::ok(o.value)
                                                             : FitnessResult::fail(o.reason));
    }
    return out;
  }

 private:
  std::unique_ptr<search::Storage> st_;
  search::WorkQueue queue_;
  search::WorkQueue::Work work_;
};

// The study's record: the run's settings, so that a resumed run and `evolve work` rebuild the same fitness.
Json run_settings(const EvolvePlan& p, const evolve::PrimitiveSet& ps) {
  Json j = p.config.to_json();
  j["kind"] = "evolve";
  j["method"] = p.method;
  j["gp"] = p.gp;
  j["population"] = p.population;
  j["primitives"] = ps.names();
  j["constants"] = p.constants;
  j["baseline"] = p.baseline;
  j["height_limit"] = p.height_limit;
  j["tournament"] = p.tournament;
  j["elitism"] = p.elitism;
  j["init_heights"] = Json::array({p.init_min, p.init_max});
  j["crossover"] = p.crossover;
  j["mutation"] = p.mutation;
  j["clones"] = p.clones;
  j["cgp"] = Json{{"grid", p.cgp_grid}, {"levels_back", p.levels_back}};
  return j;
}

Result<std::pair<std::unique_ptr<search::Storage>, std::int64_t>> open_or_create(const EvolvePlan& p,
                                                                                 const Json& settings) {
  if (p.name.empty()) return Status::invalid_field("name", "required with storage");
  auto st = search::open_storage(p.storage, search::OpenMode::kCreate);
  if (!st) return in_field(st.status(), "storage");
  auto existing = (*st)->get_study(p.name);
  if (existing) {
    const Json& old = existing->objective;
    if (!old.is_object() || old.value("kind", "") != "evolve") {
      return Status::invalid_field(
          "name", p.name + ": study exists in " + (*st)->url() + " and is not an evolve run");
    }
    for (auto it = settings.begin(); it != settings.end(); ++it) {
      if (!old.contains(it.key()) || old[it.key()] != it.value()) {
        return Status::invalid_field(
            "name", p.name + ": study exists with other settings (" + it.key() + " is " +
                        (old.contains(it.key()) ? json_dump(old[it.key()], false) : "unset") + ", given " +
                        json_dump(it.value(), false) + "); resume it with the same flags or use a new name");
      }
    }
    return std::make_pair(std::move(*st), existing->id);
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  search::StudyRecord rec;
  rec.name = p.name;
  rec.direction = search::Direction::kMaximize;
  rec.sampler = "evolve";
  rec.seed = p.config.seed;
  rec.space = Json::array();
  rec.objective = settings;
  auto created = (*st)->create_study(rec);
  if (!created) return created.status();
  return std::make_pair(std::move(*st), created->id);
}

// ---------------------------------------------------------------------------------------------------------

Result<evolve::PrimitiveSet> primitive_set(const EvolvePlan& p) {
  std::vector<std::string> names =
      p.primitives.empty() ? evolve::PrimitiveSet::paper_names() : split_top_level(p.primitives);
  auto ps = evolve::PrimitiveSet::make(names, evolve::Constants{.enabled = p.constants});
  if (!ps) return in_field(ps.status(), "primitives");
  return ps;
}

Result<evolve::EvolveOptions> evolve_options(const EvolvePlan& p) {
  evolve::EvolveOptions o;
  auto m = evolve::parse_method(p.method);
  if (!m) return in_field(m.status(), "method");
  auto g = evolve::parse_gp(p.gp);
  if (!g) return in_field(g.status(), "gp");
  o.method = *m;
  o.gp = *g;
  o.generations = p.generations;
  o.population = p.population;
  o.seed = p.config.seed;
  o.tree = {.crossover = p.crossover,
            .mutation = p.mutation,
            .tournament = p.tournament,
            .elitism = p.elitism,
            .init_min = p.init_min,
            .init_max = p.init_max,
            .height_limit = p.height_limit,
            .mutation_max_height = 2};
  int rows = 0, cols = 0;
  char x = 0;
  if (std::sscanf(p.cgp_grid.c_str(), "%d%c%d", &rows, &x, &cols) != 3 || x != 'x' || rows < 1 || cols < 1)
    return Status::invalid_field("cgp_grid", "expected ROWSxCOLS such as 5x5, got '" + p.cgp_grid + "'");
  o.cgp = {.rows = rows, .cols = cols, .levels_back = p.levels_back};
  auto base = activations::Activation::make(p.baseline);
  if (!base) return in_field(base.status(), "baseline");
  const activations::CatalogEntry* e = activations::find_entry(p.baseline);
  o.baseline = e ? e->name + "(x)" : p.baseline;
  // Checked by evolve() too; here so that the fields are named.
  if (p.population < 2)
    return Status::invalid_field("population", "must be at least 2, got " + std::to_string(p.population));
  if (p.height_limit < 1)
    return Status::invalid_field("height_limit", "must be at least 1, got " + std::to_string(p.height_limit));
  if (p.generations < 1) return Status::invalid_field("generations", "must be at least 1");
  return o;
}

Status plot_functions(const std::string& path, const Triple& best, const std::string& baseline) {
  report::Figure fig{.title = "evolved activations", .xlabel = "x", .ylabel = "f(x)"};
  std::vector<std::pair<std::string, std::string>> curves;
  for (int s = 0; s < evolve::kSlots; ++s)
    curves.emplace_back(std::string(evolve::slot_name(s)) + ": " + best[static_cast<std::size_t>(s)],
                        best[static_cast<std::size_t>(s)]);
  curves.emplace_back("baseline: " + baseline, baseline);
  for (const auto& [label, formula] : curves) {
    auto a = activations::Activation::make(formula);
    if (!a) return a.status();
    report::Series se{.label = label};
    for (int i = 0; i <= 200; ++i) {
      const double x = -4 + 0.04 * i;
      se.x.push_back(x);
      se.y.push_back(a->f(x));
    }
    fig.series.push_back(std::move(se));
  }
  return report::render(fig, path);
}

// The best triple as three user-catalog entries <prefix>_input, _hidden, _output
// (activations/user_catalog.hpp).
Result<std::vector<std::string>> save_to_catalog(const EvolvePlan& p, const Triple& best, double fitness) {
  const EvolveConfig& c = p.config;
  std::string prefix = p.catalog_prefix;
  if (prefix.empty()) {
    prefix = "evo_";
    for (char ch : c.data.substr(c.data.find_last_of('/') + 1))
      prefix += std::isalnum(static_cast<unsigned char>(ch)) ? static_cast<char>(std::tolower(ch)) : '_';
    prefix += "_" + std::to_string(c.seed);
  }
  std::vector<std::string> names;
  for (int s = 0; s < evolve::kSlots; ++s) {
    activations::UserEntry e;
    e.name = prefix + "_" + evolve::slot_name(s);
    e.formula = best[static_cast<std::size_t>(s)];
    e.description = std::string("evolved ") + evolve::slot_name(s) + "-slot activation of " + c.net + " on " +
                    c.data + " (validation accuracy " + fmt(fitness) + ")";
    e.reference = "actlab evolve --data " + c.data + " --net " + c.net + " --method " + p.method + " --gp " +
                  p.gp + " --generations " + std::to_string(p.generations) + " --population " +
                  std::to_string(p.population) + " --seed " + std::to_string(c.seed);
    if (Status st = activations::save_user_entry(p.save_catalog, e); !st) return in_field(st, "save_catalog");
    names.push_back(e.name);
  }
  return names;
}

// Replicate k of both arms, in parallel: the best triple and the baseline trained identically.
FinalComparison compare(const EvolvePlan& p, const EvolveData& d, const Triple& best, const Triple& base,
                        ThreadPool& pool, const EvolveProgress& progress) {
  FinalComparison f{.epochs = p.final_epochs, .replicates = p.replicates};
  const auto t0 = std::chrono::steady_clock::now();
  const int total = 2 * p.replicates;
  std::vector<Result<FinalRun>> runs(static_cast<std::size_t>(total), Status::internal("not run"));
  std::mutex mu;
  int done = 0;
  if (progress.on_final) progress.on_final(0, total);
  pool.parallel_for(runs.size(), [&](std::size_t i, int) {
    if (p.interrupted && p.interrupted() != 0) return;  // the caller returns the run as interrupted
    runs[i] = final_training(p.config, d, i % 2 == 0 ? best : base, p.final_epochs, static_cast<int>(i / 2));
    std::lock_guard lock(mu);
    ++done;
    if (progress.on_final) progress.on_final(done, total);
  });
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ArmResult& arm = i % 2 == 0 ? f.evolved : f.baseline;
    if (!runs[i]) {
      arm.failures.push_back("replicate " + std::to_string(i / 2) + ": " + runs[i].status().message());
      continue;
    }
    arm.test.push_back(runs[i]->test_acc);
    arm.peak.push_back(runs[i]->peak_acc);
  }
  f.seconds = seconds_since(t0);
  f.permutation_p = f.evolved.test.size() >= 2 && f.baseline.test.size() >= 2
                        ? report::permutation_test_exact(f.evolved.test, f.baseline.test)
                        : std::nan("");
  return f;
}

}  // namespace

Result<EvolveResult> run_evolution(const EvolvePlan& p, const EvolveProgress& progress) {
  if (p.config.data.empty()) return Status::invalid_field("data", "required");
  auto ps = primitive_set(p);
  if (!ps) return ps.status();
  auto opts = evolve_options(p);
  if (!opts) return opts.status();
  if (p.final_epochs < 0) return Status::invalid_field("final_epochs", "must be >= 0");
  if (p.replicates < 1) return Status::invalid_field("replicates", "must be at least 1");
  if (p.workers < 0) return Status::invalid_field("workers", "must be >= 1 (0: one per core)");
  if (p.storage.empty() && !p.name.empty()) return Status::invalid_field("storage", "required with name");
  auto d = prepare_evolve_data(p.config);
  if (!d) return d.status();
  const int workers = p.workers > 0 ? p.workers : default_thread_count();

  EvolveResult r;
  r.data = {.name = p.config.data,
            .train = d->train.rows(),
            .val = d->val.rows(),
            .test = d->test.rows(),
            .features = d->train.features(),
            .classes = d->train.classes(),
            .batch = d->batch};
  r.settings = run_settings(p, *ps);
  r.generations = p.generations;
  r.baseline = opts->baseline;

  // The fitness: local threads, or a study.
  ThreadPool pool(workers);
  std::unique_ptr<StudyFitness> stored;
  if (!p.storage.empty()) {
    auto s = open_or_create(p, r.settings);
    if (!s) return s.status();
    search::WorkQueue queue(p.storage, s->second,
                            {.workers = workers,
                             .heartbeat_s = 2.0,
                             .grace_s = p.grace,
                             .max_retries = 3,
                             .interrupted = p.interrupted});
    stored = std::make_unique<StudyFitness>(std::move(s->first), std::move(queue), p.config, *d);
  }
  Status fitness_error;
  int generation = 0;
  const auto signal = [&] { return p.interrupted ? p.interrupted() : 0; };
  evolve::BatchFitness fitness = [&](const std::vector<Triple>& batch) {
    // An empty answer stops evolve() with an error; fitness_error or r.interrupted says why.
    if (stored) {
      stored->generation = generation;
      auto out = (*stored)(batch);
      r.interrupted = stored->interrupted;
      if (out) return *out;
      fitness_error = out.status();
      return std::vector<FitnessResult>{};
    }
    std::vector<FitnessResult> out(batch.size());
    pool.parallel_for(batch.size(), [&](std::size_t i, int) {
      if (signal() == 0) out[i] = evolve_fitness(p.config, *d, batch[i]);
    });
    if ((r.interrupted = signal()) != 0) return std::vector<FitnessResult>{};
    return out;
  };
  const auto t0 = std::chrono::steady_clock::now();
  auto on_gen = [&](const evolve::GenerationRecord& g) {
    generation = g.generation + 1;
    r.completed = generation;
    if (progress.on_generation) progress.on_generation(g);
  };
  auto run = evolve::evolve(*ps, *opts, fitness, on_gen);
  if (stored) r.from_storage = stored->from_store;
  r.search_seconds = seconds_since(t0);
  if (r.interrupted != 0) return r;
  if (!fitness_error.is_ok()) return fitness_error;
  if (!run) return run.status();
  r.run = std::move(*run);

  if (p.final_epochs > 0) {
    Triple base;
    base.fill(opts->baseline);
    r.final = compare(p, *d, r.run.best, base, pool, progress);
    if ((r.interrupted = signal()) != 0) {
      r.final.reset();
      return r;
    }
  }
  if (!p.plot.empty()) {
    if (Status s = plot_functions(p.plot, r.run.best, opts->baseline); !s) return in_field(s, "plot");
  }
  if (!p.save_catalog.empty()) {
    auto names = save_to_catalog(p, r.run.best, r.run.fitness);
    if (!names) return names.status();
    r.saved = std::move(*names);
  }
  for (const std::string& f : r.run.best) r.theory.push_back(classify_formula(f));
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// evolve work, evolve show

namespace {

Result<std::pair<std::unique_ptr<search::Storage>, search::StudyRecord>> open_existing(
    const std::string& url, const std::string& name, search::OpenMode mode) {
  if (url.empty()) return Status::invalid_field("storage", "required");
  if (name.empty()) return Status::invalid_field("name", "required");
  auto st = search::open_storage(url, mode);
  if (!st) return in_field(st.status(), "storage");
  auto rec = (*st)->get_study(name);
  if (!rec) return in_field(rec.status(), "name");
  if (!rec->objective.is_object() || rec->objective.value("kind", "") != "evolve")
    return Status::invalid_field("name", name + ": not an evolve run (use actlab study show)");
  return std::make_pair(std::move(*st), std::move(*rec));
}

}  // namespace

Result<EvolveWorkResult> evolve_work(const EvolveWorkPlan& p) {
  if (p.workers < 0) return Status::invalid_field("workers", "must be >= 1 (0: one per core)");
  auto s = open_existing(p.storage, p.name, search::OpenMode::kReadWrite);
  if (!s) return s.status();
  auto cfg = EvolveConfig::from_json(s->second.objective);
  if (!cfg) return cfg.status();
  auto d = prepare_evolve_data(*cfg);
  if (!d) return d.status();
  const int workers = p.workers > 0 ? p.workers : default_thread_count();
  search::WorkQueue queue(p.storage, s->second.id,
                          {.workers = workers,
                           .heartbeat_s = 2.0,
                           .grace_s = p.grace,
                           .max_retries = 3,
                           .interrupted = p.interrupted});
  auto served = queue.serve(p.idle, fitness_work(*cfg, *d, p.interrupted));
  if (!served) return served.status();
  if (served->interrupted != 0) {
    return EvolveWorkResult{.study = p.name,
                            .stopped = "interrupted",
                            .interrupted = served->interrupted,
                            .released = served->released};
  }
  return EvolveWorkResult{.study = p.name, .stopped = "idle"};
}

Result<EvolveShowResult> evolve_show(const EvolveShowPlan& p) {
  auto s = open_existing(p.storage, p.name, search::OpenMode::kReadOnly);
  if (!s) return s.status();
  auto trials = s->first->trials(s->second.id, false);
  if (!trials) return trials.status();
  EvolveShowResult r;
  r.study = p.name;
  r.storage = s->first->url();
  r.settings = s->second.objective;
  // Per generation: evaluations, failures and the best value among the new evaluations; overall: the top 5.
  std::map<int, EvolveShowResult::Generation> gens;
  std::vector<EvolveShowResult::Ranked> ranked;
  for (const search::TrialRecord& t : *trials) {
    if (slots_key(t.params).empty()) continue;
    const int g = t.params.value("generation", 0);
    EvolveShowResult::Generation& e = gens[g];
    e.generation = g;
    ++e.evaluations;
    if (t.state == search::TrialState::kComplete && t.value) {
      ++r.complete;
      ranked.push_back({*t.value, triple_from(t.params["slots"])});
      if (!e.best || *t.value > *e.best) {
        e.best = *t.value;
        e.best_formulas = ranked.back().formulas;
      }
    } else if (t.state == search::TrialState::kFail || t.state == search::TrialState::kPruned) {
      ++r.failed;
      ++e.failures;
    } else {
      ++r.pending;
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.fitness > b.fitness; });
  for (auto& [g, e] : gens) r.history.push_back(e);
  for (std::size_t i = 0; i < ranked.size() && i < 5; ++i) r.top.push_back(ranked[i]);
  if (!ranked.empty())
    for (const std::string& f : ranked.front().formulas) r.theory.push_back(classify_formula(f));
  return r;
}

}  // namespace actlab::lab
