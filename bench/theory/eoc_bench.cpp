// Time of one edge-of-chaos curve: theory::eoc_curve over 100 σ_b points in [0, 1] (docs/benchmarks.md
// "Theory: EOC curves"; issue 3 asks for "well under a second" for any formula).
//
//   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 build/bench/bench_theory --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true          (one command line)
//
// One benchmark per activation, named eoc_curve/<activation>; one iteration = eoc_curve(g, 100 σ_b) with the
// integrator g (compiled kernel, kinks) built once outside the timed loop; make/<activation> times that
// build. Verifies, then times (../shared/STYLE.md §4.4): each curve must hold known points before it is timed
// —
//   relu:  σ_b = 0 → σ_w = √2, and no EOC point at σ_b > 0 (specs/theory-edge-of-chaos.md §5 #1, §2.2);
//   tanh:  σ_b = 0.2 → σ_w = 1.30415, q* = 0.51208; σ_b = 0.5 → 1.54967, 1.31794 (spec §2.4 table, ±1e-5);
//   swish: σ_b = 0.7, 0.8 → σ_w = 1.4141, 1.4066 (spec §2.4 Swish table: these σ_b are added to the grid);
//   gelu, x*sigmoid(1.5*x): no published values; every point must have χ₁ = 1 and F(q*) = q* (1e-10).
// On a failed check the benchmark reports an error and is not timed. Single-threaded.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace {

using actlab::activations::Activation;
using namespace actlab::theory;

std::vector<double> sigma_bs(const std::string& spec) {
  std::vector<double> s(100);
  for (int i = 0; i < 100; ++i) s[i] = i / 99.0;
  if (spec == "swish") s[69] = 0.7, s[79] = 0.8;  // the spec's table points
  return s;
}

// Empty string: the curve holds the known values.
std::string verify(const std::string& spec, const GaussianIntegrator& g, const std::vector<EocRow>& rows) {
  auto point = [&](double sb) -> const EocPoint* {
    for (const auto& r : rows)
      if (r.sigma_b == sb && !r.points.empty()) return &r.points.front();
    return nullptr;
  };
  auto near = [](double a, double b, double tol) { return std::abs(a - b) <= tol; };
  for (const auto& r : rows) {
    for (const auto& p : r.points) {
      const double F = p.sigma_b * p.sigma_b + p.sigma_w * p.sigma_w * g.expect(p.q).phi2;
      if (!near(p.chi1, 1.0, 1e-10) || !near(F, p.q, 1e-10 * std::max(1.0, p.q)))
        return "chi1 or F(q*) off at sigma_b = " + std::to_string(p.sigma_b);
    }
  }
  if (spec == "relu") {
    const EocPoint* p = point(0.0);
    if (!p || !near(p->sigma_w, std::sqrt(2.0), 1e-12)) return "relu EOC is not (0, sqrt 2)";
    for (const auto& r : rows)
      if (r.sigma_b > 0 && !r.points.empty()) return "relu has an EOC point at sigma_b > 0";
  } else if (spec == "tanh") {
    const EocPoint* p = point(20 / 99.0);
    auto q = eoc_points(g, 0.2);
    auto h = eoc_points(g, 0.5);
    if (!p || !q || !h) return "tanh: missing points";
    if (!near((*q)[0].sigma_w, 1.30415, 1e-5) || !near((*q)[0].q, 0.51208, 1e-5)) return "tanh at 0.2";
    if (!near((*h)[0].sigma_w, 1.54967, 1e-5) || !near((*h)[0].q, 1.31794, 1e-5)) return "tanh at 0.5";
  } else if (spec == "swish") {
    const EocPoint *a = point(0.7), *b = point(0.8);
    if (!a || !b || !near(a->sigma_w, 1.4141, 1e-4) || !near(b->sigma_w, 1.4066, 1e-4))
      return "swish table points";
  }
  return {};
}

void BM_eoc_curve(benchmark::State& state, std::string spec) {
  auto act = Activation::make(spec);
  if (!act) return state.SkipWithError(act.status().message().c_str());
  auto g = GaussianIntegrator::make(*act);
  if (!g) return state.SkipWithError(g.status().message().c_str());
  const std::vector<double> sbs = sigma_bs(spec);
  auto rows = eoc_curve(*g, sbs);
  if (!rows) return state.SkipWithError(rows.status().message().c_str());
  if (std::string bad = verify(spec, *g, *rows); !bad.empty()) return state.SkipWithError(bad.c_str());
  std::size_t points = 0;
  for (const auto& r : *rows) points += r.points.size();
  for (auto _ : state) {
    auto r = eoc_curve(*g, sbs);
    benchmark::DoNotOptimize(r);
  }
  state.counters["eoc_points"] = static_cast<double>(points);
}

void BM_make(benchmark::State& state, std::string spec) {
  for (auto _ : state) {
    auto act = Activation::make(spec);
    auto g = GaussianIntegrator::make(*act);
    benchmark::DoNotOptimize(g);
  }
}

const char* const kActivations[] = {"relu", "tanh", "swish", "gelu", "x*sigmoid(1.5*x)"};

[[maybe_unused]] const bool kRegistered = [] {
  for (const char* a : kActivations) {
    benchmark::RegisterBenchmark(("eoc_curve/" + std::string(a)).c_str(), BM_eoc_curve, std::string(a))
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("make/" + std::string(a)).c_str(), BM_make, std::string(a))
        ->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
