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
// - critical: the critical point (C_b, C_W) of the activation's universality class, σ_w = √C_W, σ_b = √C_b
//   (Roberts, Yaida & Hanin, "The Principles of Deep Learning Theory", 2022, ch. 5);
// - critical:sigma_b=B: the edge of chaos χ₁ = σ_w² E[φ'(h)²] = 1 at that σ_b (Poole et al., NeurIPS 2016;
//   Schoenholz et al., ICLR 2017), the stable root when there are several.
// The activation whose output a weighted layer consumes decides its (σ_w, σ_b): χ₁ pairs the weights of layer
// l+1 with φ of layer l. The first layer reads data, so it takes the activation right after it.
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "nn/init.hpp"
#include "nn/model.hpp"

namespace actlab::lab {

// One weighted layer's choice.
struct LayerInit {
  std::string activation;  // the activation whose statistics decide it
  nn::InitSpec spec;
};

struct InitRecommendation {
  std::string scheme;               // as asked: "he", "critical", "critical:sigma_b=0.3", ...
  std::vector<nn::InitSpec> specs;  // for nn::initialize: one for every layer, or one per weighted layer
  std::vector<LayerInit> layers;    // critical schemes: the choice per weighted layer, in order
  double input_scale = 1.0;         // a factor on the first layer's weights (1: none)

  // A named scheme's name, or the per-layer list [{"activation", "sigma_w", "sigma_b"}, ...].
  Json to_json() const;
};

// Errors name the field "init" (a malformed scheme, an activation without a critical point or an edge of
// chaos at the asked σ_b, a row-wise activation, a model without activations).
Result<InitRecommendation> recommend_init(const std::string& scheme, const nn::Model<float>& model);

}  // namespace actlab::lab
