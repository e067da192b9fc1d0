// The initialisation answer for a model: one (σ_w, σ_b) per weighted layer and the reason for each
// (docs/training.md, "Critical initialisation"; docs/theory.md for the theory behind it).
//
//   auto m = nn::build_model("mlp:8x3", nn::Shape{{4}}, 2, acts);
//   auto r = lab::recommend_init("critical", *m);   // or he, torch, glorot, lecun, orthogonal, gaussian:...
//   nn::initialize(*m, r->specs, /*seed=*/1);
//   r->to_json();                                    // [{"activation":"tanh","sigma_w":1,"sigma_b":0}, ...]
//
// Schemes:
// - a named scheme (torch, he, glorot, lecun, orthogonal, gaussian:sigma_w=W,sigma_b=B) applies to every
//   layer;
// - critical: theory::recommend's answer for the activation at the model's depth (its universality class,
//   the mean-field edge of chaos where no class applies, the input-kernel rule for MRePU-like φ, the
//   labelled least-bad option where nothing can be stabilised; docs/theory.md, "One initialisation
//   answer"), including the first layer's weight scale that puts K^(1) on the kernel the layers hold;
// - critical:sigma_b=B: the edge of chaos χ₁ = σ_w² E[φ'(h)²] = 1 at that σ_b (Poole et al., NeurIPS 2016;
//   Schoenholz et al., ICLR 2017) with a stable variance fixed point, else an error saying where one is.
// The activation whose output a weighted layer consumes decides its (σ_w, σ_b): χ₁ pairs the weights of layer
// l+1 with φ of layer l. The first layer reads data, so it takes the activation right after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "nn/init.hpp"
#include "nn/model.hpp"
#include "theory/kernel_profile.hpp"
#include "theory/recommend.hpp"

namespace actlab::lab {

// One weighted layer's choice.
struct LayerInit {
  std::string activation;  // the activation whose statistics decide it
  nn::InitSpec spec;
  std::string verdict;  // critical schemes: "critical", "marginal" or "cannot be stabilised"
};

struct InitRecommendation {
  std::string scheme;               // as asked: "he", "critical", "critical:sigma_b=0.3", ...
  std::vector<nn::InitSpec> specs;  // for nn::initialize: one for every layer, or one per weighted layer
  std::vector<LayerInit> layers;    // critical schemes: the choice per weighted layer, in order
  double input_scale = 1.0;         // a factor on the first layer's weights (1: none)
  std::vector<theory::Recommendation> answers;  // critical: the answer per distinct activation

  // A named scheme's name, or {"layers": [{"activation", "sigma_w", "sigma_b", "verdict"}, ...],
  // "input_scale", "answers": [theory::Recommendation::to_json(), ...]}.
  Json to_json() const;
};

struct InitOptions {
  double input_var = 1.0;                  // mean squared input feature (1 for standardised data)
  std::optional<double> input_scale = {};  // overrides the recommendation's first-layer scale
};

// Errors name the field "init" (a malformed scheme, no stable edge of chaos at the asked σ_b, a row-wise
// activation, a model without activations) or "input_scale".
Result<InitRecommendation> recommend_init(const std::string& scheme, const nn::Model<float>& model,
                                          const InitOptions& options = {});

// Multiplies the first weighted layer's weights (not its bias) by scale.
void scale_first_layer(nn::Model<float>& model, double scale);

// `actlab init`: the recommendation for each activation at one depth, with an optional finite-width Monte
// Carlo of the recommended network's kernel against the theory (theory::kernel_profile).
struct InitAnswerPlan {
  std::vector<std::string> activations;  // catalog names or formulas
  bool all = false;                      // every element-wise catalog entry (and a user catalog)
  int depth = 10;
  double input_var = 1.0;
  std::optional<int> width = {};  // Monte Carlo check at this width
  int mc = 200;                   // ... with this many networks
  std::uint64_t seed = 0;
};

// The correlation of two inputs (c⁰ = kCheckCorrelation) through the recommended network: the infinite-width
// c^l (theory::propagate) against the finite-width Monte Carlo.
constexpr double kCheckCorrelation = 0.5;
struct CorrelationCheck {
  int l = 1;
  double theory = 0.0;
  double mc = 0.0, mc_se = 0.0;
};

struct InitAnswer {
  theory::Recommendation recommendation;
  std::optional<theory::KernelProfile> check;  // with a width: predicted K^(l) against the Monte Carlo
  std::vector<CorrelationCheck> correlation;   // with a width: c^l, theory against the Monte Carlo
  std::string error;                           // --all: an entry the theory cannot handle
};

struct InitAnswers {
  InitAnswerPlan plan;
  std::vector<InitAnswer> answers;  // --all: ranked critical, marginal, cannot be stabilised

  // {"plan": {...}, "recommendations": [recommendation JSON (+ "check": kernel profile JSON)], ...}.
  Json to_json() const;
};

// Errors name the field: "activations", "depth", "input_var", "width", "mc".
Result<InitAnswers> init_answers(const InitAnswerPlan& plan);

// Python code that applies r to a torch.nn.Sequential's Linear/Conv layers (torch.nn.init calls).
std::string torch_init_code(const theory::Recommendation& r);

}  // namespace actlab::lab
