// actlab evolve | evolve work | evolve show — new activation functions by genetic programming
// (docs/evolution.md; ../shared/specs/search-alacarte-evolution.md §2, §4).
//
// Wiring: the evolve domain runs the GP over formulas with a batch fitness callable; here that callable
// trains networks (cli/evolve_fitness), either on local threads or through a study in SQLite/PostgreSQL,
// where every fitness evaluation is a trial: WAITING until a worker (this process's threads, or `actlab
// evolve work` on any machine) claims it, with heartbeats and retries of a killed worker's trials. The GP is
// deterministic for a seed, so an interrupted run resumes by running the same command again: every evaluation
// already in the study is read back instead of trained.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "activations/activation.hpp"
#include "activations/user_catalog.hpp"
#include "cli/command.hpp"
#include "cli/evolve_fitness.hpp"
#include "cli/train_setup.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "core/thread_pool.hpp"
#include "evolve/evolution.hpp"
#include "report/figure.hpp"
#include "report/significance.hpp"
#include "search/storage.hpp"
#include "search/study.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"

namespace actlab::cli {
namespace {

using evolve::FitnessResult;
using evolve::Triple;

struct Flags {
  EvolveConfig cfg;
  std::string method = "coevo", gp = "tree", primitives, baseline = "relu", storage, name, plot, out;
  std::string save_catalog, catalog_prefix;
  int generations = 10, population = 10, final_epochs = 10, replicates = 3, workers = 0;
  int height_limit = 8, tournament = 3, elitism = 1, init_min = 1, init_max = 3;
  double crossover = 0.5, mutation = 0.2, grace = 30.0;
  std::string cgp_grid = "5x5";
  int levels_back = 5;
  bool constants = false, json = false, clones = false;
};

Json triple_json(const Triple& t) { return Json::array({t[0], t[1], t[2]}); }

// ---------------------------------------------------------------------------------------------------------
// Fitness through a study: one trial per evaluation, params {"slots": [...], "generation": g}.

std::string key_of(const Json& slots) { return json_dump(slots, false); }

// What the study knows about each slots triple: a value, a failure, or still pending.
struct Known {
  std::map<std::string, FitnessResult> done;
  std::set<std::string> pending;  // WAITING or RUNNING
};

Result<Known> read_known(search::Storage& st, std::int64_t study) {
  auto trials = st.trials(study, false);
  if (!trials) return trials.status();
  Known k;
  std::map<std::string, FitnessResult> failed;
  for (const search::TrialRecord& t : *trials) {
    if (!t.params.is_object() || !t.params.contains("slots")) continue;
    const std::string key = key_of(t.params["slots"]);
    switch (t.state) {
      case search::TrialState::kComplete:
        k.done[key] = FitnessResult::ok(t.value.value_or(std::nan("")));
        break;
      case search::TrialState::kFail:
      case search::TrialState::kPruned: failed[key] = FitnessResult::fail(t.reason); break;
      default: k.pending.insert(key);
    }
  }
  for (auto& [key, r] : failed)
    if (!k.done.count(key) && !k.pending.count(key)) k.done.emplace(key, r);
  for (const auto& [key, r] : k.done) k.pending.erase(key);
  return k;
}

Triple triple_from(const Json& slots) {
  Triple t;
  for (int s = 0; s < evolve::kSlots; ++s)
    t[static_cast<std::size_t>(s)] = slots.at(static_cast<std::size_t>(s)).get<std::string>();
  return t;
}

// Worker threads that claim WAITING trials and train them, with one heartbeat thread for all of them.
class WorkerCrew {
 public:
  WorkerCrew(std::string url, std::int64_t study, const EvolveConfig& cfg, const EvolveData& d, int threads)
      : url_(std::move(url)), study_(study), cfg_(cfg), d_(d), threads_(threads) {}

  // Runs until stop() returns true (checked between trials and every poll) or a storage error.
  Status run(const std::function<bool()>& stop, double poll_s = 0.2) {
    std::atomic<bool> quit = false;
    std::mutex m;
    std::set<std::int64_t> running;
    Status error;
    auto fail = [&](const Status& s) {
      std::lock_guard<std::mutex> lock(m);
      if (error.is_ok()) error = s;
      quit = true;
    };
    std::vector<std::thread> pool;
    for (int w = 0; w < threads_; ++w) {
      pool.emplace_back([&, w] {
        auto st = search::open_storage(url_, search::OpenMode::kReadWrite);
        if (!st) return fail(st.status());
        const std::string name = search::Study::worker_name(w);
        while (!quit) {
          auto claim = (*st)->claim_waiting(study_, name);
          if (!claim) return fail(claim.status());
          if (!*claim) {
            std::this_thread::sleep_for(std::chrono::duration<double>(poll_s));
            continue;
          }
          const search::TrialRecord t = std::move(**claim);
          {
            std::lock_guard<std::mutex> lock(m);
            running.insert(t.id);
          }
          FitnessResult r = FitnessResult::fail("params are not an evolve triple");
          try {
            r = evolve_fitness(cfg_, d_, triple_from(t.params.at("slots")));
          } catch (const std::exception& e) {
            r = FitnessResult::fail(e.what());
          }
          {
            std::lock_guard<std::mutex> lock(m);
            running.erase(t.id);
          }
          auto fin = r.value ? (*st)->finish(t.id, search::TrialState::kComplete, r.value, "")
                             : (*st)->finish(t.id, search::TrialState::kFail, std::nullopt, r.reason);
          if (!fin) return fail(fin.status());
        }
      });
    }
    // This thread: heartbeats, and the caller's stop condition.
    auto st = search::open_storage(url_, search::OpenMode::kReadWrite);
    if (!st) fail(st.status());
    auto last_beat = std::chrono::steady_clock::now();
    while (!quit) {
      std::this_thread::sleep_for(std::chrono::duration<double>(poll_s));
      if (std::chrono::steady_clock::now() - last_beat > std::chrono::seconds(2)) {
        std::vector<std::int64_t> ids;
        {
          std::lock_guard<std::mutex> lock(m);
          ids.assign(running.begin(), running.end());
        }
        if (!ids.empty())
          if (Status s = (*st)->heartbeat(ids); !s) fail(s);
        last_beat = std::chrono::steady_clock::now();
      }
      if (stop()) quit = true;
    }
    for (std::thread& t : pool) t.join();
    return error;
  }

 private:
  std::string url_;
  std::int64_t study_;
  const EvolveConfig& cfg_;
  const EvolveData& d_;
  int threads_;
};

// Fails RUNNING trials whose heartbeat is older than grace_s and re-enqueues them (up to 3 retries).
Status reap_stale(search::Storage& st, std::int64_t study, double grace_s) {
  auto running = st.running(study);
  if (!running) return running.status();
  for (const search::TrialRecord& t : *running) {
    if (!t.heartbeat_age || *t.heartbeat_age <= grace_s || !t.heartbeat) continue;
    auto r = st.fail_stale(t.id, *t.heartbeat,
                           "stale: no heartbeat for " + fmt(*t.heartbeat_age, "%.0f") + " s", 3);
    if (!r) return r.status();
  }
  return Status::ok();
}

class StudyFitness {
 public:
  StudyFitness(std::unique_ptr<search::Storage> st, std::int64_t study, std::string url,
               const EvolveConfig& cfg, const EvolveData& d, int workers, double grace_s)
      : st_(std::move(st)),
        study_(study),
        url_(std::move(url)),
        crew_(url_, study, cfg, d, workers),
        grace_s_(grace_s) {}

  int generation = 0;
  int from_store = 0;  // evaluations read back from the study instead of trained here

  Result<std::vector<FitnessResult>> operator()(const std::vector<Triple>& batch) {
    auto known = read_known(*st_, study_);
    if (!known) return known.status();
    std::vector<std::string> keys;
    for (const Triple& t : batch) {
      const Json slots = triple_json(t);
      keys.push_back(key_of(slots));
      if (known->done.count(keys.back())) {
        ++from_store;
        continue;
      }
      if (known->pending.count(keys.back())) continue;  // enqueued by an interrupted run
      auto e = st_->enqueue(study_, Json{{"slots", slots}, {"generation", generation}}, std::nullopt, 0);
      if (!e) return e.status();
      known->pending.insert(keys.back());
    }
    Status poll_error;
    auto all_done = [&] {
      if (Status s = reap_stale(*st_, study_, grace_s_); !s) {
        poll_error = s;
        return true;
      }
      auto k = read_known(*st_, study_);
      if (!k) {
        poll_error = k.status();
        return true;
      }
      *known = std::move(*k);
      for (const std::string& key : keys)
        if (!known->done.count(key)) return false;
      return true;
    };
    if (!all_done()) {
      if (Status s = crew_.run(all_done); !s) return s;
    }
    if (!poll_error.is_ok()) return poll_error;
    std::vector<FitnessResult> out;
    for (const std::string& key : keys) out.push_back(known->done.at(key));
    return out;
  }

 private:
  std::unique_ptr<search::Storage> st_;
  std::int64_t study_;
  std::string url_;
  WorkerCrew crew_;
  double grace_s_;
};

// The study's record: the run's settings, so that a resumed run and `evolve work` rebuild the same fitness.
Json run_settings(const Flags& f, const evolve::PrimitiveSet& ps) {
  Json j = f.cfg.to_json();
  j["kind"] = "evolve";
  j["method"] = f.method;
  j["gp"] = f.gp;
  j["population"] = f.population;
  j["primitives"] = ps.names();
  j["constants"] = f.constants;
  j["baseline"] = f.baseline;
  j["height_limit"] = f.height_limit;
  j["tournament"] = f.tournament;
  j["elitism"] = f.elitism;
  j["init_heights"] = Json::array({f.init_min, f.init_max});
  j["crossover"] = f.crossover;
  j["mutation"] = f.mutation;
  j["clones"] = f.clones;
  j["cgp"] = Json{{"grid", f.cgp_grid}, {"levels_back", f.levels_back}};
  return j;
}

Result<std::pair<std::unique_ptr<search::Storage>, std::int64_t>> open_or_create(const Flags& f,
                                                                                 const Json& settings) {
  if (f.name.empty()) return Status::invalid("--storage needs --name");
  auto st = search::open_storage(f.storage, search::OpenMode::kCreate);
  if (!st) return st.status().with_context("--storage");
  auto existing = (*st)->get_study(f.name);
  if (existing) {
    const Json& old = existing->objective;
    if (!old.is_object() || old.value("kind", "") != "evolve") {
      return Status::invalid("--name " + f.name + ": study exists in " + (*st)->url() +
                             " and is not an evolve run");
    }
    for (auto it = settings.begin(); it != settings.end(); ++it) {
      if (!old.contains(it.key()) || old[it.key()] != it.value()) {
        return Status::invalid("--name " + f.name + ": study exists with other settings (" + it.key() +
                               " is " + (old.contains(it.key()) ? json_dump(old[it.key()], false) : "unset") +
                               ", given " + json_dump(it.value(), false) +
                               "); resume it with the same flags or use a new name");
      }
    }
    return std::make_pair(std::move(*st), existing->id);
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  search::StudyRecord rec;
  rec.name = f.name;
  rec.direction = search::Direction::kMaximize;
  rec.sampler = "evolve";
  rec.seed = f.cfg.seed;
  rec.space = Json::array();
  rec.objective = settings;
  auto created = (*st)->create_study(rec);
  if (!created) return created.status();
  return std::make_pair(std::move(*st), created->id);
}

// ---------------------------------------------------------------------------------------------------------

Result<evolve::PrimitiveSet> primitive_set(const Flags& f) {
  std::vector<std::string> names =
      f.primitives.empty() ? evolve::PrimitiveSet::paper_names() : split_top_level(f.primitives);
  auto ps = evolve::PrimitiveSet::make(names, evolve::Constants{.enabled = f.constants});
  if (!ps) return ps.status().with_context("--primitives");
  return ps;
}

Result<evolve::EvolveOptions> evolve_options(const Flags& f) {
  evolve::EvolveOptions o;
  auto m = evolve::parse_method(f.method);
  if (!m) return m.status().with_context("--method");
  auto g = evolve::parse_gp(f.gp);
  if (!g) return g.status().with_context("--gp");
  o.method = *m;
  o.gp = *g;
  o.generations = f.generations;
  o.population = f.population;
  o.seed = f.cfg.seed;
  o.tree = {.crossover = f.crossover,
            .mutation = f.mutation,
            .tournament = f.tournament,
            .elitism = f.elitism,
            .init_min = f.init_min,
            .init_max = f.init_max,
            .height_limit = f.height_limit,
            .mutation_max_height = 2};
  int rows = 0, cols = 0;
  char x = 0;
  if (std::sscanf(f.cgp_grid.c_str(), "%d%c%d", &rows, &x, &cols) != 3 || x != 'x' || rows < 1 || cols < 1)
    return Status::invalid("--cgp-grid: expected ROWSxCOLS such as 5x5, got '" + f.cgp_grid + "'");
  o.cgp = {.rows = rows, .cols = cols, .levels_back = f.levels_back};
  auto base = activations::Activation::make(f.baseline);
  if (!base) return base.status().with_context("--baseline");
  const activations::CatalogEntry* e = activations::find_entry(f.baseline);
  o.baseline = e ? e->name + "(x)" : f.baseline;
  // Checked by evolve() too; here so that the flags are named.
  if (f.population < 2)
    return Status::invalid("--population must be at least 2, got " + std::to_string(f.population));
  if (f.height_limit < 1)
    return Status::invalid("--height-limit must be at least 1, got " + std::to_string(f.height_limit));
  if (f.generations < 1) return Status::invalid("--generations must be at least 1");
  return o;
}

Json classify_json(const std::string& formula) {
  auto a = activations::Activation::make(formula);
  if (!a) return Json{{"error", a.status().message()}};
  auto g = theory::GaussianIntegrator::make(*a);
  if (!g) return Json{{"error", g.status().message()}};
  auto c = theory::classify(*g);
  if (!c) return Json{{"error", c.status().message()}};
  Json j{{"class", theory::criticality_class_name(c->kind)}};
  if (c->critical)
    j["critical"] = Json{{"C_b", json_number(c->critical->C_b)},
                         {"C_W", json_number(c->critical->C_W)},
                         {"K_star", json_number(c->critical->K_star)}};
  return j;
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
Result<std::vector<std::string>> save_to_catalog(const Flags& f, const Triple& best, double fitness) {
  std::string prefix = f.catalog_prefix;
  if (prefix.empty()) {
    prefix = "evo_";
    for (char c : f.cfg.data.substr(f.cfg.data.find_last_of('/') + 1))
      prefix += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    prefix += "_" + std::to_string(f.cfg.seed);
  }
  std::vector<std::string> names;
  for (int s = 0; s < evolve::kSlots; ++s) {
    activations::UserEntry e;
    e.name = prefix + "_" + evolve::slot_name(s);
    e.formula = best[static_cast<std::size_t>(s)];
    e.description = std::string("evolved ") + evolve::slot_name(s) + "-slot activation of " + f.cfg.net +
                    " on " + f.cfg.data + " (validation accuracy " + fmt(fitness) + ")";
    e.reference = "actlab evolve --data " + f.cfg.data + " --net " + f.cfg.net + " --method " + f.method +
                  " --gp " + f.gp + " --generations " + std::to_string(f.generations) + " --population " +
                  std::to_string(f.population) + " --seed " + std::to_string(f.cfg.seed);
    if (Status st = activations::save_user_entry(f.save_catalog, e); !st)
      return st.with_context("--save-catalog");
    names.push_back(e.name);
  }
  return names;
}

struct ArmResult {
  std::vector<double> test, peak;
  std::vector<std::string> failures;
  Json json() const {
    Json j{{"test_acc", test}, {"peak_test_acc", peak}};
    if (!test.empty()) {
      j["median"] = report::median(test);
      j["min"] = *std::min_element(test.begin(), test.end());
      j["max"] = *std::max_element(test.begin(), test.end());
    }
    if (!failures.empty()) j["failures"] = failures;
    return j;
  }
};

int run_evolve(Flags& f) {
  auto ps = primitive_set(f);
  if (!ps) return finish(ps.status());
  auto opts = evolve_options(f);
  if (!opts) return finish(opts.status());
  if (f.final_epochs < 0) return finish(Status::invalid("--final-epochs must be >= 0"));
  if (f.replicates < 1) return finish(Status::invalid("--replicates must be at least 1"));
  if (f.workers < 0) return finish(Status::invalid("--workers must be >= 1 (0: one per core)"));
  auto d = prepare_evolve_data(f.cfg);
  if (!d) return finish(d.status());
  const int workers = f.workers > 0 ? f.workers : default_thread_count();

  // The fitness: local threads, or a study.
  ThreadPool pool(workers);
  std::unique_ptr<StudyFitness> stored;
  if (!f.storage.empty()) {
    auto s = open_or_create(f, run_settings(f, *ps));
    if (!s) return finish(s.status());
    stored = std::make_unique<StudyFitness>(std::move(s->first), s->second, f.storage, f.cfg, *d, workers,
                                            f.grace);
  } else if (!f.name.empty()) {
    return finish(Status::invalid("--name needs --storage"));
  }
  Status fitness_error;
  int generation = 0;
  evolve::BatchFitness fitness = [&](const std::vector<Triple>& batch) {
    if (stored) {
      stored->generation = generation;
      auto r = stored->operator()(batch);
      if (r) return *r;
      fitness_error = r.status();
      return std::vector<FitnessResult>{};  // evolve() stops with an error; fitness_error says why
    }
    std::vector<FitnessResult> out(batch.size());
    pool.parallel_for(batch.size(),
                      [&](std::size_t i, int) { out[i] = evolve_fitness(f.cfg, *d, batch[i]); });
    return out;
  };

  ProgressBar bar("generations", f.generations);
  const auto t0 = std::chrono::steady_clock::now();
  auto on_gen = [&](const evolve::GenerationRecord& g) {
    generation = g.generation + 1;
    bar.set(g.generation + 1);
    bar.set_note("best " + fmt(g.fitness));
    if (!f.json) {
      std::printf("gen %2d  best %s  [%s]  evals %d  cached %d  failed %d  %.1fs\n", g.generation,
                  fmt(g.fitness).c_str(), evolve::to_string(g.best).c_str(), g.evaluations, g.cache_hits,
                  g.failures, g.seconds);
      std::fflush(stdout);
    }
  };
  auto res = evolve::evolve(*ps, *opts, fitness, on_gen);
  bar.finish();
  if (!fitness_error.is_ok()) return finish(fitness_error);
  if (!res) return finish(res.status());
  const double search_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Final comparison: the best triple and the baseline, trained identically (same seeds per replicate).
  Triple base;
  base.fill(opts->baseline);
  ArmResult evolved, baseline;
  double final_s = 0;
  if (f.final_epochs > 0) {
    const auto t1 = std::chrono::steady_clock::now();
    std::vector<FinalRun> runs(static_cast<std::size_t>(2 * f.replicates));
    ProgressBar fbar("final training", 2 * f.replicates);
    pool.parallel_for(runs.size(), [&](std::size_t i, int) {
      runs[i] =
          final_training(f.cfg, *d, i % 2 == 0 ? res->best : base, f.final_epochs, static_cast<int>(i / 2));
      fbar.advance();
    });
    fbar.finish();
    for (std::size_t i = 0; i < runs.size(); ++i) {
      ArmResult& arm = i % 2 == 0 ? evolved : baseline;
      if (!runs[i].ok) {
        arm.failures.push_back("replicate " + std::to_string(i / 2) + ": " + runs[i].reason);
        continue;
      }
      arm.test.push_back(runs[i].test_acc);
      arm.peak.push_back(runs[i].peak_acc);
    }
    final_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  }
  const double p = evolved.test.size() >= 2 && baseline.test.size() >= 2
                       ? report::permutation_test_exact(evolved.test, baseline.test)
                       : std::nan("");

  if (!f.plot.empty()) {
    if (Status s = plot_functions(f.plot, res->best, opts->baseline); !s)
      return finish(s.with_context("--plot"));
  }
  std::vector<std::string> saved;
  if (!f.save_catalog.empty()) {
    auto names = save_to_catalog(f, res->best, res->fitness);
    if (!names) return finish(names.status());
    saved = *names;
  }

  Json j;
  j["data"] = d->describe();
  j["data"]["name"] = f.cfg.data;
  j["settings"] = run_settings(f, *ps);
  j["generations"] = f.generations;
  Json hist = Json::array();
  for (const evolve::GenerationRecord& g : res->history) {
    Json sb = Json::array();
    for (double v : g.slot_best) sb.push_back(json_number(v));
    hist.push_back(Json{{"generation", g.generation},
                        {"evaluations", g.evaluations},
                        {"cache_hits", g.cache_hits},
                        {"failures", g.failures},
                        {"slot_best", sb},
                        {"slot_best_formula", triple_json(g.slot_best_formula)},
                        {"best", triple_json(g.best)},
                        {"fitness", json_number(g.fitness)},
                        {"seconds", g.seconds}});
  }
  j["history"] = hist;
  j["best"] = Json{{"formulas", triple_json(res->best)}, {"fitness", json_number(res->fitness)}};
  j["baseline"] = Json{{"formula", opts->baseline},
                       {"fitness", res->baseline.value ? json_number(*res->baseline.value) : Json(nullptr)}};
  j["evaluations"] = res->evaluations;
  j["cache_hits"] = res->cache_hits;
  j["failures"] = res->failures;
  Json reasons = Json::object();
  for (const auto& [k, r] : res->failure_reasons) reasons[k] = r;
  j["failure_examples"] = reasons;
  if (stored) j["evaluations_from_storage"] = stored->from_store;
  j["search_seconds"] = search_s;
  // Trained here: evaluations read back from the storage cost nothing.
  const int trained = res->evaluations - (stored ? stored->from_store : 0);
  j["evaluations_per_minute"] = search_s > 0 ? trained / search_s * 60 : 0.0;
  Json theory = Json::array();
  for (const std::string& s : res->best)
    theory.push_back(Json{{"formula", s}, {"classification", classify_json(s)}});
  j["theory"] = theory;
  if (f.final_epochs > 0) {
    j["final"] = Json{{"epochs", f.final_epochs},
                      {"replicates", f.replicates},
                      {"evolved", evolved.json()},
                      {"baseline", baseline.json()},
                      {"permutation_p", json_number(p)},
                      {"seconds", final_s},
                      {"note",
                       "test accuracy after the last epoch; peak_test_acc is the best epoch (optimistic, the "
                       "paper's measure)"}};
  }
  if (!saved.empty()) j["saved"] = Json{{"catalog", f.save_catalog}, {"names", saved}};
  if (!f.out.empty()) {
    std::FILE* o = std::fopen(f.out.c_str(), "w");
    if (!o) return finish(Status::io_error("--out " + f.out + ": cannot write"));
    std::fprintf(o, "%s\n", json_dump(j, true).c_str());
    std::fclose(o);
  }
  if (f.json) {
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("\nbest triple (validation %s, baseline %s %s):\n", fmt(res->fitness).c_str(),
              opts->baseline.c_str(), res->baseline.value ? fmt(*res->baseline.value).c_str() : "failed");
  for (int s = 0; s < evolve::kSlots; ++s) {
    const Json& c = theory[static_cast<std::size_t>(s)]["classification"];
    std::printf("  %-6s  %-40s  %s\n", evolve::slot_name(s), res->best[static_cast<std::size_t>(s)].c_str(),
                c.contains("class") ? c["class"].get<std::string>().c_str() : "(no classification)");
  }
  std::printf(
      "%d evaluations (%d cached, %d failed, %d read from the storage) in %.1f s: %.1f trained per minute\n",
      res->evaluations, res->cache_hits, res->failures, stored ? stored->from_store : 0, search_s,
      j["evaluations_per_minute"].get<double>());
  if (!saved.empty()) {
    std::printf("saved to %s as %s, %s, %s (use with --catalog %s)\n", f.save_catalog.c_str(),
                saved[0].c_str(), saved[1].c_str(), saved[2].c_str(), f.save_catalog.c_str());
  }
  if (f.final_epochs > 0) {
    auto line = [&](const char* label, const ArmResult& a) {
      if (a.test.empty()) {
        std::printf("  %-9s all replicates failed\n", label);
        return;
      }
      std::printf("  %-9s median %s  (min %s, max %s, n = %zu)\n", label, fmt(report::median(a.test)).c_str(),
                  fmt(*std::min_element(a.test.begin(), a.test.end())).c_str(),
                  fmt(*std::max_element(a.test.begin(), a.test.end())).c_str(), a.test.size());
    };
    std::printf("test accuracy after %d epochs on train+val, %d replicates:\n", f.final_epochs, f.replicates);
    line("evolved", evolved);
    line("baseline", baseline);
    std::printf("  permutation test on medians: p = %s\n", fmt(p).c_str());
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------------------

struct WorkFlags {
  std::string storage, name;
  int workers = 0;
  double idle = 60;
  bool json = false;
};

Result<std::pair<std::unique_ptr<search::Storage>, search::StudyRecord>> open_existing(
    const std::string& url, const std::string& name, search::OpenMode mode) {
  if (url.empty()) return Status::invalid("--storage is required");
  if (name.empty()) return Status::invalid("--name is required");
  auto st = search::open_storage(url, mode);
  if (!st) return st.status().with_context("--storage");
  auto rec = (*st)->get_study(name);
  if (!rec) return rec.status().with_context("--name");
  if (!rec->objective.is_object() || rec->objective.value("kind", "") != "evolve")
    return Status::invalid("--name " + name + ": not an evolve run (use actlab study show)");
  return std::make_pair(std::move(*st), std::move(*rec));
}

int run_work(const WorkFlags& f) {
  if (f.workers < 0) return finish(Status::invalid("--workers must be >= 1 (0: one per core)"));
  auto s = open_existing(f.storage, f.name, search::OpenMode::kReadWrite);
  if (!s) return finish(s.status());
  auto cfg = EvolveConfig::from_json(s->second.objective);
  if (!cfg) return finish(cfg.status());
  auto d = prepare_evolve_data(*cfg);
  if (!d) return finish(d.status());
  const int workers = f.workers > 0 ? f.workers : default_thread_count();
  WorkerCrew crew(f.storage, s->second.id, *cfg, *d, workers);
  // Stop after `idle` seconds without a WAITING or RUNNING trial.
  auto last_busy = std::chrono::steady_clock::now();
  Status poll_error;
  auto stop = [&] {
    auto known = read_known(*s->first, s->second.id);
    if (!known) {
      poll_error = known.status();
      return true;
    }
    if (!known->pending.empty()) last_busy = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - last_busy).count() > f.idle;
  };
  if (Status st = crew.run(stop); !st) return finish(st);
  if (!poll_error.is_ok()) return finish(poll_error);
  if (f.json) std::printf("%s\n", json_dump(Json{{"study", f.name}, {"stopped", "idle"}}, false).c_str());
  return kExitOk;
}

int run_show(const WorkFlags& f) {
  auto s = open_existing(f.storage, f.name, search::OpenMode::kReadOnly);
  if (!s) return finish(s.status());
  auto trials = s->first->trials(s->second.id, false);
  if (!trials) return finish(trials.status());
  // Per generation: evaluations, failures and the best value among the new evaluations; overall: the top 5.
  std::map<int, Json> gens;
  std::vector<std::pair<double, Triple>> ranked;
  int complete = 0, failed = 0, pending = 0;
  for (const search::TrialRecord& t : *trials) {
    if (!t.params.is_object() || !t.params.contains("slots")) continue;
    const int g = t.params.value("generation", 0);
    Json& e = gens[g];
    if (e.is_null())
      e = Json{{"generation", g},
               {"evaluations", 0},
               {"failures", 0},
               {"best", nullptr},
               {"best_formulas", nullptr}};
    e["evaluations"] = e["evaluations"].get<int>() + 1;
    if (t.state == search::TrialState::kComplete && t.value) {
      ++complete;
      ranked.emplace_back(*t.value, triple_from(t.params["slots"]));
      if (e["best"].is_null() || *t.value > e["best"].get<double>()) {
        e["best"] = *t.value;
        e["best_formulas"] = t.params["slots"];
      }
    } else if (t.state == search::TrialState::kFail || t.state == search::TrialState::kPruned) {
      ++failed;
      e["failures"] = e["failures"].get<int>() + 1;
    } else {
      ++pending;
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  Json hist = Json::array();
  for (auto& [g, e] : gens) hist.push_back(e);
  Json top = Json::array();
  for (std::size_t i = 0; i < ranked.size() && i < 5; ++i)
    top.push_back(Json{{"fitness", ranked[i].first}, {"formulas", triple_json(ranked[i].second)}});
  Json j{{"study", f.name},
         {"storage", s->first->url()},
         {"settings", s->second.objective},
         {"complete", complete},
         {"failed", failed},
         {"pending", pending},
         {"history", hist},
         {"top", top}};
  if (!ranked.empty()) {
    Json theory = Json::array();
    for (const std::string& formula : ranked.front().second)
      theory.push_back(Json{{"formula", formula}, {"classification", classify_json(formula)}});
    j["best"] = Json{{"fitness", ranked.front().first},
                     {"formulas", triple_json(ranked.front().second)},
                     {"theory", theory}};
  }
  if (f.json) {
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("study %s: %d evaluations complete, %d failed, %d pending\n", f.name.c_str(), complete, failed,
              pending);
  for (const Json& e : hist) {
    std::printf("  gen %2d  evals %3d  failed %3d  best %s\n", e["generation"].get<int>(),
                e["evaluations"].get<int>(), e["failures"].get<int>(),
                e["best"].is_null() ? "-" : fmt(e["best"].get<double>()).c_str());
  }
  if (j.contains("best")) {
    std::printf("best (validation %s):\n", fmt(j["best"]["fitness"].get<double>()).c_str());
    for (const Json& t : j["best"]["theory"]) {
      const Json& c = t["classification"];
      std::printf("  %-40s  %s\n", t["formula"].get<std::string>().c_str(),
                  c.contains("class") ? c["class"].get<std::string>().c_str() : "(no classification)");
    }
  }
  return kExitOk;
}

}  // namespace

void add_evolve_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<Flags>();
  CLI::App* c =
      app.add_subcommand("evolve", "Evolve activation functions by genetic programming (docs/evolution.md)");
  c->add_option("--data", f->cfg.data,
                "Data set: fashion-mnist, a built-in table, an IDX directory or a CSV file");
  c->add_option("--target", f->cfg.target, "CSV files: the target column");
  c->add_option("--net", f->cfg.net, "Network: fcn:lapid or cnn:lapid (three activation slots)")
      ->capture_default_str();
  c->add_option("--method", f->method, "coevo | evo-single | evo-triple | random | standard")
      ->capture_default_str();
  c->add_option("--gp", f->gp, "tree (DEAP-style tree GP) | cgp (Cartesian GP, (1+lambda))")
      ->capture_default_str();
  c->add_option("--generations", f->generations, "Generations")->capture_default_str();
  c->add_option("--population", f->population,
                "Individuals per population (CGP: 1 parent + population-1 offspring)")
      ->capture_default_str();
  c->add_option("--epochs", f->cfg.epochs,
                "Training epochs per fitness evaluation (fitness = best validation accuracy)")
      ->capture_default_str();
  c->add_option("--final-epochs", f->final_epochs,
                "Epochs of the final training of the best triple and the baseline (0: skip)")
      ->capture_default_str();
  c->add_option("--replicates", f->replicates, "Final trainings per arm (seeds shared by both arms)")
      ->capture_default_str();
  c->add_option("--train-fraction", f->cfg.train_fraction, "Fraction of the training rows used")
      ->capture_default_str();
  c->add_option("--val-fraction", f->cfg.val_fraction, "Fraction of those held out for validation (fitness)")
      ->capture_default_str();
  c->add_option("--batch", f->cfg.batch, "Minibatch size (0: a tenth of train+val, as the paper)")
      ->capture_default_str();
  c->add_option("--lr", f->cfg.lr, "Adam learning rate")->capture_default_str();
  c->add_option("--init", f->cfg.init, "Weight initialisation, as for train")->capture_default_str();
  c->add_option("--primitives", f->primitives, "Comma-separated functions (default: the paper's 15)");
  c->add_flag("--constants", f->constants, "Add ephemeral random constants in [-2, 2] (tree GP)");
  c->add_option("--baseline", f->baseline, "Activation of the baseline and of every slot at the start")
      ->capture_default_str();
  c->add_option("--height-limit", f->height_limit, "Static height limit of tree GP")->capture_default_str();
  c->add_option("--tournament", f->tournament, "Tournament size")->capture_default_str();
  c->add_option("--elitism", f->elitism, "Individuals copied unchanged to the next generation")
      ->capture_default_str();
  c->add_option("--init-min", f->init_min, "Ramped half-and-half: smallest initial height")
      ->capture_default_str();
  c->add_option("--init-max", f->init_max, "Ramped half-and-half: largest initial height")
      ->capture_default_str();
  c->add_option("--crossover", f->crossover, "Crossover probability per pair")->capture_default_str();
  c->add_option("--mutation", f->mutation, "Mutation probability per individual")->capture_default_str();
  c->add_flag("--clones", f->clones,
              "Keep offspring that repeat a function of the population (DEAP's behaviour)");
  c->add_option("--cgp-grid", f->cgp_grid, "CGP grid ROWSxCOLS")->capture_default_str();
  c->add_option("--levels-back", f->levels_back, "CGP levels-back")->capture_default_str();
  c->add_option("--seed", f->cfg.seed, "Seed of the GP, the splits and the weights")->capture_default_str();
  c->add_option("--workers", f->workers, "Training threads (0: one per core)")->capture_default_str();
  c->add_option("--storage", f->storage,
                "Keep every evaluation in this study storage (resumable, distributable)");
  c->add_option("--name", f->name, "Study name in --storage");
  c->add_option("--grace", f->grace, "Seconds without heartbeat before a running evaluation is retried")
      ->capture_default_str();
  c->add_option("--plot", f->plot, "Draw the best triple and the baseline (SVG or PNG)");
  c->add_option("--out", f->out, "Also write the JSON result to this file");
  c->add_option("--save-catalog", f->save_catalog,
                "Add the best triple to this user catalog file (entries <prefix>_input, _hidden, _output)");
  c->add_option("--catalog-prefix", f->catalog_prefix,
                "Name prefix of the saved entries (default evo_<data>_<seed>)");
  c->add_flag("--json", f->json, "Machine-readable output");

  auto w = std::make_shared<WorkFlags>();
  CLI::App* work = c->add_subcommand(
      "work", "Join a stored evolve run as a worker (any machine that reaches the storage)");
  work->add_option("--storage", w->storage, "Study storage URL")->required();
  work->add_option("--name", w->name, "Study name")->required();
  work->add_option("--workers", w->workers, "Training threads (0: one per core)")->capture_default_str();
  work->add_option("--idle", w->idle, "Stop after this many seconds with nothing to do")
      ->capture_default_str();
  work->add_flag("--json", w->json, "Machine-readable output");
  work->callback([w, &exit_code] { exit_code = run_work(*w); });

  auto s = std::make_shared<WorkFlags>();
  CLI::App* show =
      c->add_subcommand("show", "History and best formulas of a stored evolve run, with their theory class");
  show->add_option("--storage", s->storage, "Study storage URL")->required();
  show->add_option("--name", s->name, "Study name")->required();
  show->add_flag("--json", s->json, "Machine-readable output");
  show->callback([s, &exit_code] { exit_code = run_show(*s); });

  c->callback([f, c, &exit_code] {
    if (!c->get_subcommands().empty()) return;  // work / show ran
    if (f->cfg.data.empty()) {
      exit_code = finish(Status::invalid("--data is required"));
      return;
    }
    exit_code = run_evolve(*f);
  });
}

}  // namespace actlab::cli
