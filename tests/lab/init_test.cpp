// The initialisation answer (lab/init) against closed forms and the theory module.
#include "lab/init.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "lab/model.hpp"
#include "nn/architecture.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::lab {
namespace {

nn::Model<float> mlp(const std::string& acts, const std::string& spec = "mlp:8x3") {
  auto a = parse_acts(acts);
  auto m = nn::build_model(spec, nn::Shape{{4}}, 2, *a);
  return std::move(*m);
}

TEST(Init, NamedSchemeForEveryLayer) {
  auto m = mlp("tanh");
  auto he = recommend_init("he", m);
  ASSERT_TRUE(he) << he.status().message();
  EXPECT_EQ(he->specs.size(), 1u);
  EXPECT_TRUE(he->layers.empty());
  EXPECT_EQ(he->to_json(), Json("he"));
  auto bad = recommend_init("bogus", m);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().field(), "init");
}

TEST(Init, CriticalPointsOfKnownClasses) {
  // tanh: K* = 0 class, critical at (C_b, C_W) = (0, 1); ReLU: scale-invariant, (0, 2) (PDLT ch. 5).
  auto t = recommend_init("critical", mlp("tanh"));
  ASSERT_TRUE(t) << t.status().message();
  ASSERT_EQ(t->specs.size(), 3u);
  for (const auto& s : t->specs) {
    EXPECT_NEAR(s.sigma_w, 1.0, 1e-6);
    EXPECT_NEAR(s.sigma_b, 0.0, 1e-6);
  }
  auto r = recommend_init("critical", mlp("relu"));
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_NEAR(r->specs[1].sigma_w, std::sqrt(2.0), 1e-6);
  const Json j = r->to_json();
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["layers"][0]["activation"], "relu");
  EXPECT_EQ(j["layers"][0]["verdict"], "critical");
  EXPECT_EQ(j["answers"][0]["activation"], "relu");
}

TEST(Init, PerLayerActivationsDecideTheirLayers) {
  // The first layer takes the activation after it; layer l+1 the activation of layer l.
  auto r = recommend_init("critical", mlp("relu,tanh"));
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_EQ(r->layers.size(), 3u);
  EXPECT_EQ(r->layers[0].activation, "relu");
  EXPECT_EQ(r->layers[1].activation, "relu");
  EXPECT_EQ(r->layers[2].activation, "tanh");
}

TEST(Init, EdgeOfChaosAtAGivenSigmaB) {
  auto r = recommend_init("critical:sigma_b=0.3", mlp("tanh"));
  ASSERT_TRUE(r) << r.status().message();
  auto a = activations::Activation::make("tanh");
  auto g = theory::GaussianIntegrator::make(*a);
  auto pts = theory::eoc_points(*g, 0.3);
  ASSERT_TRUE(pts && !pts->empty());
  EXPECT_NEAR(r->specs[0].sigma_w, pts->front().sigma_w, 1e-12);
  EXPECT_EQ(r->specs[0].sigma_b, 0.3);
  for (const char* bad : {"critical:sigma_b=x", "critical:sigma_b=-1", "critical:sb=1"}) {
    auto e = recommend_init(bad, mlp("tanh"));
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.status().field(), "init") << bad;
  }
}

// swish's edge of chaos at σ_b = 0.2 is unstable (F'(q*) = 1.099): refused, pointing at a stable σ_b (it
// used to take the unstable root silently, and a depth-50 swish net then diverged).
TEST(Init, UnstableEdgeOfChaosIsRefusedWithAHint) {
  auto r = recommend_init("critical:sigma_b=0.2", mlp("swish"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "init");
  EXPECT_NE(r.status().message().find("unstable"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("critical:sigma_b="), std::string::npos) << r.status().message();
  auto m = recommend_init("critical:sigma_b=0.2", mlp("mrepu"));
  ASSERT_FALSE(m);
  EXPECT_NE(m.status().message().find("plain critical"), std::string::npos) << m.status().message();
}

// repu and mrepu were refused by --init critical; now mrepu gets the input-kernel rule and repu the
// labelled least-bad option.
TEST(Init, RepuAndMrepuGetAnAnswer) {
  auto m = recommend_init("critical", mlp("mrepu", "mlp:8x10"));
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(m->layers[0].verdict, "marginal");
  const double a1 = 18, L = 9;  // 3p(p − 1) + 3p² at p = 2; mlp:8x10 has 10 dense layers, 9 activations
  EXPECT_NEAR(m->input_scale, std::sqrt(0.1 / (a1 * L)), 1e-12);
  auto r = recommend_init("critical", mlp("repu"));
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->layers[0].verdict, "cannot be stabilised");
  ASSERT_EQ(r->answers.size(), 1u);
  EXPECT_TRUE(r->answers[0].least_bad);
}

// build_model applies the first layer's scale to its weights only; --input-scale overrides it.
TEST(Init, FirstLayerScaleIsApplied) {
  auto acts = parse_acts("mrepu");
  auto plain = build_model("mlp:64x10", *acts, "critical", 3, nn::Shape{{200}}, 2,
                           {.input_var = 1.0, .input_scale = 1.0});
  auto scaled = build_model("mlp:64x10", *acts, "critical", 3, nn::Shape{{200}}, 2);
  ASSERT_TRUE(plain && scaled);
  const double s = scaled->init.input_scale;
  EXPECT_LT(s, 0.05);
  const auto wp = plain->model.params(), ws = scaled->model.params();
  EXPECT_TRUE(ws[0]->value.isApprox(wp[0]->value * static_cast<float>(s)));
  EXPECT_TRUE(ws[2]->value.isApprox(wp[2]->value));  // the second layer is untouched
  auto bad = recommend_init("he", mlp("relu"), {.input_var = 1.0, .input_scale = -1.0});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().field(), "input_scale");
}

// `actlab init`'s entry: answers per activation with the Monte Carlo check of the kernel at a finite width.
TEST(Init, InitAnswersWithAMonteCarloCheck) {
  auto a = init_answers({.activations = {"tanh", "mrepu"}, .depth = 6, .width = 64, .mc = 60, .seed = 1});
  ASSERT_TRUE(a) << a.status().message();
  ASSERT_EQ(a->answers.size(), 2u);
  for (const auto& x : a->answers) {
    ASSERT_TRUE(x.check.has_value());
    const auto& p = *x.check;
    ASSERT_EQ(p.monte_carlo.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i) {
      const double K = p.recursion.layers[i].K, mc = p.monte_carlo[i].K, se = p.monte_carlo[i].K_se;
      EXPECT_LT(std::abs(mc - K), 5 * se + 0.05 * K) << x.recommendation.activation << " layer " << i + 1;
    }
  }
  // The correlation of two inputs, theory against the Monte Carlo (finite-width bias allowed).
  for (const auto& x : a->answers) {
    ASSERT_EQ(x.correlation.size(), 6u) << x.recommendation.activation;
    EXPECT_EQ(x.correlation[0].theory, kCheckCorrelation);
    for (const auto& c : x.correlation)
      EXPECT_LT(std::abs(c.mc - c.theory), 5 * c.mc_se + 0.03)
          << x.recommendation.activation << " layer " << c.l;
  }
  const Json j = a->to_json();
  EXPECT_EQ(j["recommendations"][1]["verdict"], "marginal");
  EXPECT_EQ(j["recommendations"][0]["check"]["correlation"]["layers"].size(), 6u);
  EXPECT_TRUE(j["recommendations"][0].contains("check"));
  EXPECT_EQ(init_answers({.activations = {"tanh"}, .all = true}).status().field(), "activations");
  EXPECT_NE(torch_init_code(a->answers[0].recommendation).find("torch.nn.init.normal_"), std::string::npos);
}

TEST(Init, RowWiseActivationsHaveNoCriticalPoint) {
  auto r = recommend_init("critical", mlp("softmax"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("row-wise"), std::string::npos);
}

}  // namespace
}  // namespace actlab::lab
