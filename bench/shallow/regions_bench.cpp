// Region enumeration (DFS, one warm-started Clp LP per branch) on the spec's prototype networks
// (../shared/specs/shallow-relu.md §2.3: random He-initialised nets, biases N(0, 0.25²), seed 1).
// Before timing, each case is verified: DFS == brute force (patterns) where 2^N is small enough, the
// shallow network built from the regions equals the deep network on 200 random points, and with K threads
// the result is identical to the single-threaded one. A failed check stops the benchmark with an error.
// Dfs/<arch>/threads:K times the DFS on K workers (wall-clock time).
//   OPENBLAS_NUM_THREADS=1 build/bench/bench_shallow --benchmark_filter=Dfs
#include <benchmark/benchmark.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <set>
#include <string>
#include <vector>

#include "shallow/regions.hpp"
#include "shallow/shallow_net.hpp"
#include "shallow/verify.hpp"

namespace actlab::shallow {
namespace {

std::vector<int> parse_arch(const std::string& s) {
  std::vector<int> w;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t dash = s.find('-', pos);
    w.push_back(std::stoi(s.substr(pos, dash - pos)));
    if (dash == std::string::npos) break;
    pos = dash + 1;
  }
  return w;
}

std::string check(const DeepReluNet& net, const RegionSet& rs) {
  if (net.hidden() <= 16) {
    RegionOptions brute;
    brute.method = RegionMethod::kBrute;
    auto b = enumerate_regions(net, brute);
    if (!b) return b.status().message();
    std::set<std::string> pa, pb;
    for (const Region& r : rs.regions) pa.insert(std::string(r.pattern.begin(), r.pattern.end()));
    for (const Region& r : b->regions) pb.insert(std::string(r.pattern.begin(), r.pattern.end()));
    if (pa != pb) return "DFS and brute force disagree";
  }
  if (rs.regions.size() <= 20000) {
    const ShallowNet s = build_shallow(rs);
    const VerifyReport v = verify(net, s, random_points(net.input_dim(), 200, 1));
    if (v.mismatches || v.nan || v.open_gates_not_one) return "shallow network differs from the deep one";
  }
  return {};
}

bool identical(const RegionSet& a, const RegionSet& b) {
  if (a.regions.size() != b.regions.size() || a.lps != b.lps || a.row_neuron != b.row_neuron || a.h != b.h ||
      a.c != b.c)
    return false;
  for (std::size_t r = 0; r < a.regions.size(); ++r) {
    const Region &x = a.regions[r], &y = b.regions[r];
    if (x.pattern != y.pattern || x.rows != y.rows || x.full_dim != y.full_dim || x.witness != y.witness)
      return false;
  }
  return true;
}

void BM_Dfs(benchmark::State& state, const std::string& arch) {
  const DeepReluNet net = random_relu_net(parse_arch(arch), 1);
  RegionOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  auto first = enumerate_regions(net, opt);
  if (!first) {
    state.SkipWithError(first.status().message().c_str());
    return;
  }
  std::string err = check(net, *first);
  if (err.empty() && opt.threads > 1) {
    RegionOptions one = opt;
    one.threads = 1;
    auto single = enumerate_regions(net, one);
    if (!single || !identical(*single, *first))
      err = "the threaded result differs from the single-threaded one";
  }
  if (!err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }
  long regions = 0, lps = 0;
  for (auto _ : state) {
    auto rs = enumerate_regions(net, opt);
    regions = static_cast<long>(rs->regions.size());
    lps = rs->lps;
    benchmark::DoNotOptimize(rs);
  }
  state.counters["N"] = net.hidden();
  state.counters["regions"] = static_cast<double>(regions);
  state.counters["lps"] = static_cast<double>(lps);
}

void BM_Brute(benchmark::State& state, const std::string& arch) {
  const DeepReluNet net = random_relu_net(parse_arch(arch), 1);
  RegionOptions brute;
  brute.method = RegionMethod::kBrute;
  long regions = 0;
  for (auto _ : state) {
    auto rs = enumerate_regions(net, brute);
    regions = static_cast<long>(rs->regions.size());
    benchmark::DoNotOptimize(rs);
  }
  state.counters["regions"] = static_cast<double>(regions);
}

const char* kArchs[] = {"2-12-1",    "2-6-6-1",      "2-4-4-4-1", "4-6-6-1",   "8-6-6-1",
                        "12-12-1",   "2-8-8-1",      "8-8-8-1",   "2-10-10-1", "8-10-10-1",
                        "2-32-32-1", "2-16-16-16-1", "3-20-20-1", "4-16-16-1"};

[[maybe_unused]] const bool kRegistered = [] {
#if defined(__GLIBC__)
  // The malloc thresholds `actlab shallow convert` sets (src/cli/shallow.cpp, keep_freed_heap), so the times
  // are the command's.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
  for (const char* a : kArchs) {
    benchmark::RegisterBenchmark(("Dfs/" + std::string(a)).c_str(), BM_Dfs, std::string(a))
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* a : {"2-12-1", "2-6-6-1", "12-12-1", "2-8-8-1"}) {
    benchmark::RegisterBenchmark(("Brute/" + std::string(a)).c_str(), BM_Brute, std::string(a))
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
}  // namespace actlab::shallow
