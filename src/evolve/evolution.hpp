// Evolving activation functions for the three slots of a network — input layer, hidden layers, output layer —
// by the methods of Lapid & Sipper (GECCO '22 Companion, arXiv 2206.12089), over tree GP (DEAP's operators)
// or Cartesian GP with the (1+λ) strategy, always maximising (docs/evolution.md, "The paper and its code").
//
//   auto ps = PrimitiveSet::make(PrimitiveSet::paper_names()).value();
//   BatchFitness fit = [&](const std::vector<Triple>& batch) { ... train each, return val accuracies ... };
//   auto r = evolve(ps, {.method = Method::kCoevo, .generations = 10, .population = 10, .seed = 1}, fit);
//   r->best   // {"relu(x)", "max(x, tanh(x))", "elu(x)"}, r->fitness, r->history (one record per generation)
//
// Methods (T is the current best triple, T₀ = baseline in every slot; a candidate replaces its slot of T when
// its fitness beats T's strictly):
//   standard   T₀ only (evaluated once)
//   random     each generation, `population` random individuals, each tried in a random slot of T
//   evo-single one population; an individual c is evaluated as (c, c, c)
//   evo-triple one population; each evaluation puts the individual into a random slot of T
//   coevo      three populations, one per slot; an individual of population s is evaluated as T with slot s
//              replaced — the current best collaborators of the other two — and the populations take turns
//              every generation (slot 0, 1, 2; a slot's update is seen by the next slot at once). The paper's
//              code runs the three phases one after the other instead; turns within each generation
//              let every slot adapt to the others' progress.
// Tree GP generation: elitism, then tournament selection, one-point crossover of consecutive pairs with
// probability `crossover`, and mutation with probability `mutation` (uniform subtree or point mutation, half
// each), every operator under the static height limit; offspring that repeat a function already in the
// population are mutated until new (`unique`). CGP: the population is the (1+λ) strategy with
// λ = population − 1 offspring of one parent by one active-gene mutation each; the best of offspring and
// parent becomes the parent, ties going to the offspring (neutral drift).
//
// Fitness is computed by the caller's BatchFitness over the unique triples not seen before: results are
// cached by the triple of simplified formulas (relu(x) and 1*relu(x) + 0 share one entry), and a formula that
// is not finite somewhere on [-6, 6] fails without a call. Failures get fitness −∞ and keep their reason. The
// run is deterministic for a seed if the BatchFitness is.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "evolve/cgp.hpp"
#include "evolve/primitive_set.hpp"
#include "evolve/tree.hpp"

namespace actlab::evolve {

constexpr int kSlots = 3;
using Triple = std::array<std::string, kSlots>;  // formulas of the input, hidden and output slots
// "input", "hidden", "output".
const char* slot_name(int slot);
// "f0 | f1 | f2", how a triple is shown.
std::string to_string(const Triple& t);

enum class Method { kStandard, kRandom, kEvoSingle, kEvoTriple, kCoevo };
enum class GpKind { kTree, kCgp };
Result<Method> parse_method(std::string_view name);
Result<GpKind> parse_gp(std::string_view name);
std::string to_string(Method m);
std::string to_string(GpKind g);

struct FitnessResult {
  std::optional<double> value;  // nullopt: failed
  std::string reason;           // why it failed
  static FitnessResult ok(double v) { return {v, ""}; }
  static FitnessResult fail(std::string why) { return {std::nullopt, std::move(why)}; }
};
// Evaluates every triple of a batch (in parallel if it likes); result i belongs to triple i.
using BatchFitness = std::function<std::vector<FitnessResult>(const std::vector<Triple>&)>;

struct TreeGpOptions {
  double crossover = 0.5;          // DEAP's cxpb
  double mutation = 0.2;           // DEAP's mutpb
  int tournament = 3;              // tournament size
  int elitism = 1;                 // best individuals copied unchanged into the next generation
  int init_min = 1, init_max = 3;  // ramped half-and-half heights
  int height_limit = 8;         // static limit on every variation (DEAP/Koza: 17; activations rarely need 6)
  int mutation_max_height = 2;  // height of the subtrees mutate_uniform grows
  // Offspring that repeat a function already in the new population (same simplified formula) are mutated
  // until they are new (up to 10 tries). DEAP keeps such clones; with a fitness cache they are free but
  // explore nothing, and small populations collapse onto a few formulas within generations.
  bool unique = true;
};

struct EvolveOptions {
  Method method = Method::kCoevo;
  GpKind gp = GpKind::kTree;
  int generations = 10;
  int population = 10;  // per population; CGP: 1 parent + population − 1 offspring
  std::uint64_t seed = 0;
  TreeGpOptions tree = {};
  CgpShape cgp = {};
  std::string baseline = "relu(x)";  // T₀ in every slot
};

struct GenerationRecord {
  int generation = 0;
  int evaluations = 0;  // calls to the BatchFitness's triples (new ones)
  int cache_hits = 0;
  int failures = 0;  // among the new evaluations and the screened-out formulas
  // Best fitness among the candidates tried in each slot this generation (NaN: none tried there), and the
  // formula that reached it.
  std::array<double, kSlots> slot_best;
  Triple slot_best_formula;
  Triple best;  // T after this generation
  double fitness = 0;
  double seconds = 0;
};

struct EvolveResult {
  Triple best;
  double fitness = 0;
  FitnessResult baseline;  // T₀'s fitness
  std::vector<GenerationRecord> history;
  int evaluations = 0, cache_hits = 0, failures = 0;
  std::map<std::string, std::string> failure_reasons;  // "f0 | f1 | f2" → reason (the first 20)
};

// Invalid options (population < 2, height limit < 1, generations < 1, init heights out of order, ...) are
// errors; so is a BatchFitness that returns the wrong number of results.
Result<EvolveResult> evolve(const PrimitiveSet& ps, const EvolveOptions& options, const BatchFitness& fitness,
                            const std::function<void(const GenerationRecord&)>& on_generation = {});

// The cache key of a formula: the simplified Expr printed ("relu(x)" → "where(x > 0, x, 0)"); the formula
// unchanged when it does not parse.
std::string canonical(const std::string& formula);

}  // namespace actlab::evolve
