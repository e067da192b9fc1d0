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
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j[0]["activation"], "relu");
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

TEST(Init, RowWiseActivationsHaveNoCriticalPoint) {
  auto r = recommend_init("critical", mlp("softmax"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("row-wise"), std::string::npos);
}

}  // namespace
}  // namespace actlab::lab
