// Throughput of a GP population's formulas: compile every tree, then evaluate every compiled kernel over one
// layer's pre-activations. The side-by-side with DEAP 1.3 (gp.compile + numpy) is
// bench/compare/run_evolve_compare.sh (docs/benchmarks.md, "Evolution: formula throughput vs DEAP 1.3").
//
//   population  kTrees = 300 trees over Lapid & Sipper's 15 primitives, evolve::generate ramped
//               half-and-half, heights 1..4, Rng(kSeed)
//   x           kPoints = 128 × 1000 floats (a minibatch of 128 rows through a 1000-unit layer), uniform in
//               [-6, 6] (std::mt19937, seed 42); the eval benchmarks also run on its first kSmallPoints =
//               128 × 64 (a 64-unit hidden layer, as in the à-la-carte nets), where numpy's per-call overhead
//               shows
// One iteration = the whole population; items = trees, so items_per_second is trees/s.
//
//   compile_make  to_formula + Activation::make for every tree: parse, f' and f'' derived and simplified,
//                 Kernel<double>(f, f', f'') and Kernel<float>(f, f') compiled — what training does
//   compile_f     to_expr + Kernel<float>::compile({f}) for every tree: no text, no derivative; the least
//                 work that gives a forward-only evaluator, the like-for-like with DEAP's gp.compile
//   eval_f/n      every tree's Kernel<float> of f (compiled from act.f_expr()) over the first n points of x
//   eval_fdf/n    every tree's act.kernel_f32() over the first n points: f and f' in one pass, as training
//                 uses it
//
// Verify, then time (../shared/STYLE.md §4.4): before the first benchmark, every tree's float kernels are
// checked against the double tree interpreter (evolve::evaluate) and Activation::df at kCheckPoints points of
// x; on a mismatch the benchmark prints the tree and the point and stops with an error.
//
// --out=DIR writes what the Python side (bench/compare/evolve_deap.py) needs to evaluate exactly the same
// trees on exactly the same points:
//   DIR/population.txt  one tree a line: DEAP's prefix form, a tab, actlab's formula
//                       ("max(relu(x), tanh(x))\tmax(relu(x), tanh(x))", "add(x, x)\tx + x")
//   DIR/x.f32           the kPoints inputs, raw little-endian float32
//   DIR/check.txt       "tree index value" lines: eval_f's output at kCheckPoints indices per tree (%.9g)
// The kernels are single-threaded; the run script sets OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1 all the same.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "activations/activation.hpp"
#include "activations/kernel.hpp"
#include "core/rng.hpp"
#include "evolve/primitive_set.hpp"
#include "evolve/tree.hpp"
#include "evolve/tree_ops.hpp"

namespace actlab::evolve {
namespace {

using activations::Activation;
using activations::Kernel;

constexpr int kTrees = 300;
constexpr std::uint64_t kSeed = 8;
constexpr int kMinHeight = 1, kMaxHeight = 4;
constexpr std::size_t kPoints = 128 * 1000;
constexpr std::size_t kSmallPoints = 128 * 64;
constexpr std::size_t kCheckPoints = 64;
// float kernel against the double interpreter: float rounding through up to 4 levels of nesting, values up
// to ~6^16 for mul chains; relative to max(1, |want|).
constexpr double kRel = 1e-4;

// DEAP's prefix text of a tree: name(arg, arg) for functions, x for the input.
std::size_t write_prefix(const Tree& t, const PrimitiveSet& ps, std::size_t i, std::string& out) {
  const Gene& g = t.genes[i];
  if (g.terminal()) {
    out += "x";
    return i + 1;
  }
  const Primitive& p = ps[static_cast<std::size_t>(g.prim)];
  out += p.name;
  out += '(';
  std::size_t next = i + 1;
  for (int a = 0; a < p.arity; ++a) {
    if (a > 0) out += ", ";
    next = write_prefix(t, ps, next, out);
  }
  out += ')';
  return next;
}

std::size_t check_index(std::size_t k) { return k * (kPoints / kCheckPoints) + 7; }

struct Population {
  PrimitiveSet ps;
  std::vector<Tree> trees;
  std::vector<std::string> formulas, prefix;
  std::vector<float> x;
  std::vector<Activation> acts;
  std::vector<Kernel<float>> f_kernels;
  std::string error;  // non-empty: construction or verification failed

  Population() : ps(PrimitiveSet::make(PrimitiveSet::paper_names()).value()) {
    Rng rng(kSeed);
    for (int i = 0; i < kTrees; ++i) {
      trees.push_back(generate(ps, kMinHeight, kMaxHeight, GenMethod::kHalfAndHalf, rng));
      formulas.push_back(to_formula(trees.back(), ps));
      std::string p;
      write_prefix(trees.back(), ps, 0, p);
      prefix.push_back(std::move(p));
    }
    std::mt19937 gen(42);
    std::uniform_real_distribution<float> u(-6.f, 6.f);
    x.resize(kPoints);
    for (float& v : x) v = u(gen);
    for (int i = 0; i < kTrees && error.empty(); ++i) {
      auto a = Activation::make(formulas[i]);
      if (!a) {
        error = "Activation::make(" + formulas[i] + "): " + a.status().message();
        break;
      }
      auto k = Kernel<float>::compile({a->f_expr()});
      if (!k) {
        error = "compile(" + formulas[i] + "): " + k.status().message();
        break;
      }
      acts.push_back(std::move(*a));
      f_kernels.push_back(std::move(*k));
    }
    if (error.empty()) verify();
  }

  // Every kernel against the interpreter (f) and the double scalar derivative (f') at kCheckPoints points.
  void verify() {
    std::vector<float> y(kPoints), y2(kPoints), dy(kPoints);
    char buf[512];
    for (int i = 0; i < kTrees && error.empty(); ++i) {
      f_kernels[i].eval(x, y);
      float* outs[] = {y2.data(), dy.data()};
      acts[i].kernel_f32().eval(x, outs);
      for (std::size_t k = 0; k < kCheckPoints; ++k) {
        const std::size_t j = check_index(k);
        const double want = evaluate(trees[i], ps, x[j]);
        const double dwant = acts[i].df(x[j]);
        const double tol = kRel * std::max(1.0, std::abs(want)), dtol = kRel * std::max(1.0, std::abs(dwant));
        const bool ok = std::abs(y[j] - want) <= tol && std::abs(y2[j] - want) <= tol &&
                        std::abs(dy[j] - dwant) <= dtol;
        if (!ok) {
          std::snprintf(buf, sizeof buf,
                        "tree %d %s at x=%.9g: f %.9g (f+f' pass %.9g), interpreter %.9g; f' %.9g, df %.9g", i,
                        formulas[i].c_str(), double(x[j]), double(y[j]), double(y2[j]), want, double(dy[j]),
                        dwant);
          error = buf;
          break;
        }
      }
    }
  }

  bool write(const std::string& dir) const {
    std::FILE* pop = std::fopen((dir + "/population.txt").c_str(), "w");
    std::FILE* xs = std::fopen((dir + "/x.f32").c_str(), "wb");
    std::FILE* chk = std::fopen((dir + "/check.txt").c_str(), "w");
    bool ok = pop && xs && chk;
    if (ok) {
      for (int i = 0; i < kTrees; ++i) std::fprintf(pop, "%s\t%s\n", prefix[i].c_str(), formulas[i].c_str());
      ok = std::fwrite(x.data(), sizeof(float), x.size(), xs) == x.size();
      std::vector<float> y(kPoints);
      for (int i = 0; i < kTrees; ++i) {
        f_kernels[i].eval(x, y);
        for (std::size_t k = 0; k < kCheckPoints; ++k)
          std::fprintf(chk, "%d %zu %.9g\n", i, check_index(k), double(y[check_index(k)]));
      }
    }
    for (std::FILE* f : {pop, xs, chk})
      if (f && std::fclose(f) != 0) ok = false;
    return ok;
  }
};

const Population& population() {
  static const Population p;
  return p;
}

bool ready(benchmark::State& state) {
  const Population& p = population();
  if (!p.error.empty()) state.SkipWithError(p.error.c_str());
  return p.error.empty();
}

// Mean genes per tree, and mean kernel instructions per tree (of f alone, or of f and f').
double mean_genes() {
  double n = 0;
  for (const Tree& t : population().trees) n += double(t.size());
  return n / kTrees;
}
double mean_instrs(bool fdf) {
  const Population& p = population();
  double n = 0;
  for (int i = 0; i < kTrees; ++i)
    n += double(fdf ? p.acts[i].kernel_f32().program().code.size() : p.f_kernels[i].program().code.size());
  return n / kTrees;
}

void set_counters(benchmark::State& state, std::size_t elements, bool fdf = false) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kTrees);
  state.counters["trees"] = kTrees;
  state.counters["genes_per_tree"] = mean_genes();
  if (elements) {
    state.counters["elements_per_second"] =
        benchmark::Counter(double(kTrees) * double(elements), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["instrs_per_tree"] = mean_instrs(fdf);
  }
}

void compile_make(benchmark::State& state) {
  if (!ready(state)) return;
  const Population& p = population();
  for (auto _ : state) {
    for (const Tree& t : p.trees) {
      auto a = Activation::make(to_formula(t, p.ps));
      benchmark::DoNotOptimize(a);
    }
  }
  set_counters(state, 0);
}

void compile_f(benchmark::State& state) {
  if (!ready(state)) return;
  const Population& p = population();
  for (auto _ : state) {
    for (const Tree& t : p.trees) {
      auto k = Kernel<float>::compile({to_expr(t, p.ps).value()});
      benchmark::DoNotOptimize(k);
    }
  }
  set_counters(state, 0);
}

// state.range(0): how many of the kPoints inputs.
void eval_f(benchmark::State& state) {
  if (!ready(state)) return;
  const Population& p = population();
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::span<const float> x = std::span<const float>(p.x).first(n);
  std::vector<float> y(n);
  for (auto _ : state) {
    for (const auto& k : p.f_kernels) {
      k.eval(x, y);
      benchmark::DoNotOptimize(y.data());
      benchmark::ClobberMemory();
    }
  }
  set_counters(state, n);
}

void eval_fdf(benchmark::State& state) {
  if (!ready(state)) return;
  const Population& p = population();
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::span<const float> x = std::span<const float>(p.x).first(n);
  std::vector<float> y(n), dy(n);
  float* outs[] = {y.data(), dy.data()};
  for (auto _ : state) {
    for (const auto& a : p.acts) {
      a.kernel_f32().eval(x, outs);
      benchmark::DoNotOptimize(y.data());
      benchmark::ClobberMemory();
    }
  }
  set_counters(state, n, true);
}

BENCHMARK(compile_make)->Unit(benchmark::kMillisecond);
BENCHMARK(compile_f)->Unit(benchmark::kMillisecond);
BENCHMARK(eval_f)->Arg(kPoints)->Arg(kSmallPoints)->Unit(benchmark::kMillisecond);
BENCHMARK(eval_fdf)->Arg(kPoints)->Arg(kSmallPoints)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace actlab::evolve

// Google Benchmark's flags, plus --out=DIR (write the population, x and check values, then run).
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--out=")) {
      out = std::string(a.substr(6));
    } else {
      std::fprintf(stderr, "bench_evolve: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  const auto& p = actlab::evolve::population();
  if (!p.error.empty()) {
    std::fprintf(stderr, "bench_evolve: check failed: %s\n", p.error.c_str());
    return 1;
  }
  if (!out.empty() && !p.write(out)) {
    std::fprintf(stderr, "bench_evolve: cannot write %s\n", out.c_str());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
