// Explaining a ReLU (or piecewise-linear) network exactly, in memory: model → deep ReLU net → activation
// regions → the exact 3-hidden-layer extended-real network (M. J. Villani & N. Schoots, "Any Deep ReLU
// Network is Shallow", arXiv:2306.11827) and exact interventional SHAP values (Lundberg & Lee, NeurIPS 2017).
// One conversion of the model serves every part of the plan (docs/shallow.md).
//
//   lab::ExplainPlan p;
//   p.model = "m.json";                  // or .onnx; explain(model, p) takes an nn::Model in memory
//   p.regions = lab::RegionPlan{};       // enumerate the regions (DFS, all threads)
//   p.shallow = true;                    // build the shallow network from them
//   p.verify = lab::VerifyPlan{.points = 300};                // check it against the deep net
//   p.shap = lab::ShapPlan{.x = {0.3, -0.7}, .background = z};  // SHAP values of one input
//   auto r = lab::explain(p);
//   r->regions->regions.size();  r->regions->lps;  r->verify->mismatches;  r->shap->phi;
//   shallow::save_shallow(*r->shallow, "s.json");
//
// Errors name the plan's field ("method: expected dfs or brute, ...", "x: 3 values, the network's input has
// 2"); the CLI turns the field into its flag.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/matrix.hpp"
#include "core/status.hpp"
#include "core/thread_pool.hpp"
#include "nn/model.hpp"
#include "report/figure.hpp"
#include "shallow/deep_net.hpp"
#include "shallow/regions.hpp"
#include "shallow/shallow_net.hpp"
#include "shallow/shap.hpp"
#include "shallow/verify.hpp"

namespace actlab::lab {

struct RegionPlan {
  std::string method = "dfs";                      // dfs (output-sensitive) | brute (all 2^N patterns)
  std::optional<std::pair<double, double>> box{};  // only the input box [lo, hi]^n (exact inside it only)
  long max_regions = 1'000'000;                    // memory budget: stop past this many regions
  int threads = default_thread_count();            // DFS workers, >= 1; the result is the same for any count
  bool plot = false;                               // also the figure of the regions of a 2-D input: an
  int grid = 300;                                  // exact grid × grid raster (report::Image), one colour
                                                   // per region at each pixel's centre
};

struct VerifyPlan {
  std::string shallow{};  // a shallow network file to check; "" = the one this plan builds
  long points = 1000;
  bool boundary = false;  // integer points exactly on hyperplanes instead of random ones
  std::uint64_t seed = 0;
};

struct ShapPlan {
  std::vector<double> x{};       // the input to explain
  MatrixD background{};          // B × n background rows, or (when empty)
  std::string background_csv{};  // a CSV file of them, read with the network's input width
  int output = 0;
  std::string method = "exact";  // exact | sampling (approximate)
  long samples = 200;            // sampling: permutations
  std::uint64_t seed = 0;        // sampling
};

struct ExplainPlan {
  std::string model{};                  // .json (actlab model) or .onnx; unused by the in-memory overloads
  std::optional<RegionPlan> regions{};  // enumerate the activation regions
  bool shallow = false;                 // build the shallow network (needs regions)
  std::optional<VerifyPlan> verify{};   // compare a shallow network with the deep one
  std::optional<ShapPlan> shap{};       // SHAP values of one input
};

struct ExplainResult {
  shallow::DeepReluNet net;                   // the one conversion everything below comes from
  std::optional<shallow::RegionSet> regions;  // counts: regions.size(), full_dim_regions, c.size() rows, lps
  std::optional<shallow::ShallowNet> shallow;
  std::optional<report::Figure> figure;  // the regions of a 2-D input (RegionPlan::plot)
  std::optional<shallow::VerifyReport> verify;
  std::optional<shallow::ShapResult> shap;
  long background_rows = 0;  // of the SHAP background

  // The shallow network equals the deep one on every point checked.
  bool verified() const {
    return verify && verify->mismatches == 0 && verify->nan == 0 && verify->open_gates_not_one == 0;
  }
};

// The model from a file (plan.model: an actlab model, its input standardisation folded in, or ONNX).
// Errors of the region enumeration are prefixed with the file's name.
Result<ExplainResult> explain(const ExplainPlan& plan);
// The same for a model in memory (dense, flatten, dropout and piecewise-linear activation layers:
// shallow/piecewise.hpp).
Result<ExplainResult> explain(const nn::Model<float>& model, const ExplainPlan& plan);
// The same for a network already converted.
Result<ExplainResult> explain(shallow::DeepReluNet net, const ExplainPlan& plan);

// A shallow network file evaluated at one input: the output, the open gates, NaN. Errors: the file's own,
// and the field "x" when its size is not the network's input size.
Result<shallow::ShallowEval> eval_shallow(const std::string& path, const std::vector<double>& x);

}  // namespace actlab::lab
