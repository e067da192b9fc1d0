#include "evolve/evolution.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "activations/catalog.hpp"
#include "activations/parser.hpp"
#include "activations/printer.hpp"
#include "evolve/tree_ops.hpp"

namespace actlab::evolve {

namespace {

constexpr double kWorst = -std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxReasons = 20;

const char* const kMethodNames[] = {"standard", "random", "evo-single", "evo-triple", "coevo"};

}  // namespace

Result<Method> parse_method(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (name == kMethodNames[i]) return static_cast<Method>(i);
  return Status::invalid("unknown method '" + std::string(name) +
                         "' (expected standard, random, evo-single, evo-triple or coevo)");
}

Result<GpKind> parse_gp(std::string_view name) {
  if (name == "tree") return GpKind::kTree;
  if (name == "cgp") return GpKind::kCgp;
  return Status::invalid("unknown GP kind '" + std::string(name) + "' (expected tree or cgp)");
}

std::string to_string(Method m) { return kMethodNames[static_cast<int>(m)]; }
std::string to_string(GpKind g) { return g == GpKind::kTree ? "tree" : "cgp"; }

const char* slot_name(int slot) {
  static const char* const names[] = {"input", "hidden", "output"};
  return names[slot];
}

std::string to_string(const Triple& t) { return t[0] + " | " + t[1] + " | " + t[2]; }

std::string canonical(const std::string& formula) {
  auto e = activations::parse_formula(formula, {.functions = &activations::catalog_functions()});
  return e ? activations::print(activations::simplify(*e)) : formula;
}

namespace {

struct Individual {
  Tree tree;
  CgpGenome genome;  // CGP only
  std::string formula;
  double fitness = kWorst;
};

// Where a population's candidates go in the triple.
enum class Placement { kSlot, kAllSlots, kRandomSlot };

class Engine {
 public:
  Engine(const PrimitiveSet& ps, const EvolveOptions& o, const BatchFitness& fit,
         const std::function<void(const GenerationRecord&)>& on_gen)
      : ps_(ps), o_(o), fit_(fit), on_gen_(on_gen), rng_(Rng::derive(o.seed, "evolve")) {}

  Result<EvolveResult> run() {
    start_ = std::chrono::steady_clock::now();
    best_.fill(o_.baseline);
    begin_generation(0);
    auto base = evaluate({best_});
    if (!base) return base.status();
    res_.baseline = (*base)[0];
    best_fit_ = base->front().value.value_or(kWorst);
    if (o_.method == Method::kStandard) return finish_generation();

    const int n_pops = o_.method == Method::kCoevo ? kSlots : 1;
    std::vector<std::vector<Individual>> pops(static_cast<std::size_t>(n_pops));
    for (int g = 0; g < o_.generations; ++g) {
      if (g > 0) begin_generation(g);
      for (int p = 0; p < n_pops; ++p) {
        std::vector<Individual>& pop = pops[static_cast<std::size_t>(p)];
        pop = g == 0 || o_.method == Method::kRandom ? initial(o_.method == Method::kRandom) : vary(pop);
        if (Status s = assess(pop, p); !s) return s;
      }
      if (auto s = finish_generation(); !s) return s.status();
    }
    return res_;
  }

 private:
  // ---- fitness with cache and screening ----
  struct Known {
    std::string key;
    std::string screen;  // non-empty: why the formula cannot be used
  };
  const Known& know(const std::string& formula) {
    auto it = known_.find(formula);
    if (it != known_.end()) return it->second;
    Known k;
    auto e = activations::parse_formula(formula, {.functions = &activations::catalog_functions()});
    if (!e) {
      k.key = formula;
      k.screen = "does not parse: " + e.status().message();
    } else {
      k.key = activations::print(activations::simplify(*e));
      for (int i = 0; i <= 120 && k.screen.empty(); ++i) {
        const double x = -6.0 + 0.1 * i;
        const double y = activations::evaluate(*e, x);
        if (!std::isfinite(y)) k.screen = "not finite at x = " + activations::format_number(x);
      }
    }
    return known_.emplace(formula, std::move(k)).first->second;
  }

  Result<std::vector<FitnessResult>> evaluate(const std::vector<Triple>& triples) {
    std::vector<FitnessResult> out(triples.size());
    std::vector<std::string> keys(triples.size());
    std::vector<Triple> batch;
    std::vector<std::string> batch_keys;
    std::unordered_map<std::string, std::size_t> in_batch;
    for (std::size_t i = 0; i < triples.size(); ++i) {
      std::string key, screen;
      for (int s = 0; s < kSlots; ++s) {
        const Known& k = know(triples[i][static_cast<std::size_t>(s)]);
        key += (s ? " | " : "") + k.key;
        if (screen.empty() && !k.screen.empty()) screen = "slot " + std::to_string(s) + ": " + k.screen;
      }
      keys[i] = key;
      if (cache_.count(key) || in_batch.count(key)) {
        ++gen_.cache_hits;
        continue;
      }
      if (!screen.empty()) {
        cache_.emplace(key, FitnessResult::fail(screen));
        note_failure(triples[i], screen);
        continue;
      }
      in_batch.emplace(key, batch.size());
      batch.push_back(triples[i]);
      batch_keys.push_back(key);
    }
    if (!batch.empty()) {
      std::vector<FitnessResult> r = fit_(batch);
      if (r.size() != batch.size()) {
        return Status::internal("the fitness function returned " + std::to_string(r.size()) +
                                " results for " + std::to_string(batch.size()) + " triples");
      }
      gen_.evaluations += static_cast<int>(batch.size());
      for (std::size_t j = 0; j < batch.size(); ++j) {
        if (r[j].value && !std::isfinite(*r[j].value)) r[j] = FitnessResult::fail("non-finite fitness");
        if (!r[j].value) note_failure(batch[j], r[j].reason);
        cache_.emplace(batch_keys[j], std::move(r[j]));
      }
    }
    for (std::size_t i = 0; i < triples.size(); ++i) out[i] = cache_.at(keys[i]);
    return out;
  }

  void note_failure(const Triple& t, const std::string& reason) {
    ++gen_.failures;
    if (res_.failure_reasons.size() < kMaxReasons) res_.failure_reasons.emplace(to_string(t), reason);
  }

  // ---- populations ----
  Individual make(Tree t) {
    Individual ind;
    ind.tree = std::move(t);
    ind.formula = to_formula(ind.tree, ps_);
    return ind;
  }
  Individual make(CgpGenome g) {
    Individual ind = make(g.decode(ps_));
    ind.genome = std::move(g);
    return ind;
  }
  Individual random_individual() {
    if (o_.gp == GpKind::kCgp) return make(CgpGenome::random(ps_, o_.cgp, rng_));
    return make(generate(ps_, o_.tree.init_min, o_.tree.init_max, GenMethod::kHalfAndHalf, rng_));
  }
  // Generation 0 (and every generation of `random`): tree GP and random search start from `population`
  // random individuals, CGP from one random parent.
  std::vector<Individual> initial(bool full) {
    const int n = o_.gp == GpKind::kCgp && !full ? 1 : o_.population;
    std::vector<Individual> pop;
    for (int i = 0; i < n; ++i) pop.push_back(random_individual());
    return pop;
  }

  std::vector<Individual> vary(const std::vector<Individual>& pop) {
    if (o_.gp == GpKind::kCgp) {
      // (1+λ): the parent is the best of the last assessment (ties to the earlier-listed offspring).
      const Individual& parent = pop[best_index(pop)];
      std::vector<Individual> next;
      for (int i = 0; i + 1 < o_.population; ++i)
        next.push_back(make(parent.genome.mutate_active(ps_, rng_)));
      next.push_back(parent);
      return next;
    }
    const TreeGpOptions& t = o_.tree;
    std::vector<double> fit(pop.size());
    for (std::size_t i = 0; i < pop.size(); ++i) fit[i] = pop[i].fitness;
    std::vector<std::size_t> order(pop.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return fit[a] > fit[b]; });
    std::vector<Individual> next;
    const std::size_t elite = std::min<std::size_t>(static_cast<std::size_t>(t.elitism), pop.size());
    for (std::size_t i = 0; i < elite; ++i) next.push_back(pop[order[i]]);
    std::vector<Tree> off;
    while (off.size() + next.size() < static_cast<std::size_t>(o_.population))
      off.push_back(pop[select_tournament(fit, t.tournament, rng_)].tree);
    for (std::size_t i = 1; i < off.size(); i += 2) {
      if (rng_.uniform() < t.crossover) {
        auto [a, b] = crossover_one_point(off[i - 1], off[i], ps_, rng_, t.height_limit);
        off[i - 1] = std::move(a);
        off[i] = std::move(b);
      }
    }
    auto mutate = [&](const Tree& tr) {
      return rng_.below(2) == 0 ? mutate_uniform(tr, ps_, rng_, t.height_limit, t.mutation_max_height)
                                : mutate_point(tr, ps_, rng_);
    };
    std::unordered_set<std::string> seen;
    for (const Individual& e : next) seen.insert(know(e.formula).key);
    for (Tree& tr : off) {
      if (rng_.uniform() < t.mutation) tr = mutate(tr);
      Individual ind = make(std::move(tr));
      // A copy of a function already in the population costs nothing (cache) but explores nothing: mutate
      // it until it is new (a few tries).
      for (int k = 0; t.unique && k < 10 && seen.count(know(ind.formula).key); ++k)
        ind = make(mutate(ind.tree));
      seen.insert(know(ind.formula).key);
      next.push_back(std::move(ind));
    }
    return next;
  }

  static std::size_t best_index(const std::vector<Individual>& pop) {
    std::size_t b = 0;
    for (std::size_t i = 1; i < pop.size(); ++i)
      if (pop[i].fitness > pop[b].fitness) b = i;
    return b;
  }

  // Evaluates population p's individuals in their places and updates T.
  Status assess(std::vector<Individual>& pop, int p) {
    const Placement place = o_.method == Method::kCoevo       ? Placement::kSlot
                            : o_.method == Method::kEvoSingle ? Placement::kAllSlots
                                                              : Placement::kRandomSlot;
    std::vector<Triple> triples;
    std::vector<int> slots;
    for (const Individual& ind : pop) {
      Triple t = best_;
      int slot = -1;
      if (place == Placement::kAllSlots) {
        t.fill(ind.formula);
      } else {
        slot = place == Placement::kSlot ? p : static_cast<int>(rng_.below(kSlots));
        t[static_cast<std::size_t>(slot)] = ind.formula;
      }
      triples.push_back(std::move(t));
      slots.push_back(slot);
    }
    auto r = evaluate(triples);
    if (!r) return r.status();
    for (std::size_t i = 0; i < pop.size(); ++i) {
      pop[i].fitness = (*r)[i].value.value_or(kWorst);
      for (int s = 0; s < kSlots; ++s) {
        if (slots[i] != -1 && slots[i] != s) continue;
        double& b = gen_.slot_best[static_cast<std::size_t>(s)];
        if (std::isnan(b) || pop[i].fitness > b) {
          b = pop[i].fitness;
          gen_.slot_best_formula[static_cast<std::size_t>(s)] = pop[i].formula;
        }
      }
    }
    const std::size_t b = best_index(pop);
    if (pop[b].fitness > best_fit_) {
      best_ = triples[b];
      best_fit_ = pop[b].fitness;
    }
    return Status::ok();
  }

  void begin_generation(int g) {
    gen_ = GenerationRecord{};
    gen_.generation = g;
    gen_.slot_best.fill(std::nan(""));
  }

  Result<EvolveResult> finish_generation() {
    gen_.best = best_;
    gen_.fitness = best_fit_;
    gen_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    res_.evaluations += gen_.evaluations;
    res_.cache_hits += gen_.cache_hits;
    res_.failures += gen_.failures;
    res_.history.push_back(gen_);
    res_.best = best_;
    res_.fitness = best_fit_;
    if (on_gen_) on_gen_(gen_);
    return res_;
  }

  const PrimitiveSet& ps_;
  const EvolveOptions& o_;
  const BatchFitness& fit_;
  const std::function<void(const GenerationRecord&)>& on_gen_;
  Rng rng_;
  std::unordered_map<std::string, Known> known_;
  std::unordered_map<std::string, FitnessResult> cache_;
  Triple best_;
  double best_fit_ = kWorst;
  EvolveResult res_;
  GenerationRecord gen_;
  std::chrono::steady_clock::time_point start_;
};

Status check(const PrimitiveSet& ps, const EvolveOptions& o) {
  if (o.population < 2)
    return Status::invalid("population must be at least 2, got " + std::to_string(o.population));
  if (o.generations < 1)
    return Status::invalid("generations must be at least 1, got " + std::to_string(o.generations));
  const TreeGpOptions& t = o.tree;
  if (t.height_limit < 1)
    return Status::invalid("height limit must be at least 1, got " + std::to_string(t.height_limit));
  if (t.init_min < 0 || t.init_min > t.init_max || t.init_max > t.height_limit) {
    return Status::invalid("initial heights need 0 <= min <= max <= height limit (got " +
                           std::to_string(t.init_min) + ".." + std::to_string(t.init_max) + ", limit " +
                           std::to_string(t.height_limit) + ")");
  }
  if (t.tournament < 1 || t.elitism < 0 || t.elitism >= o.population) {
    return Status::invalid("need tournament >= 1 and 0 <= elitism < population");
  }
  if (!(t.crossover >= 0 && t.crossover <= 1 && t.mutation >= 0 && t.mutation <= 1)) {
    return Status::invalid("crossover and mutation probabilities must lie in [0, 1]");
  }
  if (o.gp == GpKind::kCgp) {
    if (o.cgp.rows < 1 || o.cgp.cols < 1 || o.cgp.levels_back < 1) {
      return Status::invalid("the CGP grid needs rows, cols and levels-back >= 1");
    }
    if (ps.constants().enabled)
      return Status::invalid_field("gp", "Cartesian GP has no constants (use tree)");
  }
  auto base = activations::parse_formula(o.baseline, {.functions = &activations::catalog_functions()});
  if (!base) return base.status().with_context("baseline '" + o.baseline + "'");
  return Status::ok();
}

}  // namespace

Result<EvolveResult> evolve(const PrimitiveSet& ps, const EvolveOptions& options, const BatchFitness& fitness,
                            const std::function<void(const GenerationRecord&)>& on_generation) {
  if (Status s = check(ps, options); !s) return s;
  return Engine(ps, options, fitness, on_generation).run();
}

}  // namespace actlab::evolve
