// lab::explain without the CLI: one conversion of a model in memory (or a file) serves the regions, the
// shallow network, its verification and SHAP values; errors name the plan's field.
#include "lab/explain.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "lab/model.hpp"
#include "nn/model.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

nn::Model<float> relu_model(const std::string& arch, std::uint64_t seed) {
  auto m = random_model({.arch = arch, .integer_weights = std::pair{-3.0, 3.0}, .seed = seed});
  EXPECT_TRUE(m) << m.status().message();
  return std::move(*m);
}

TEST(Explain, OneConversionServesRegionsShallowVerifyAndShap) {
  const nn::Model<float> m = relu_model("2-4-4-1", 3);
  ExplainPlan p;
  p.regions = RegionPlan{.threads = 2};
  p.shallow = true;
  p.verify = VerifyPlan{.points = 200};
  MatrixD bg(3, 2);
  bg << 0, 0, 1, -1, -0.5, 2;
  p.shap = ShapPlan{.x = {0.3, -0.7}, .background = bg};
  auto r = explain(m, p);
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_TRUE(r->regions && r->shallow && r->verify && r->shap);
  EXPECT_EQ(r->net.hidden(), 8);
  EXPECT_GT(r->regions->regions.size(), 1u);
  EXPECT_GE(r->regions->regions.size(), static_cast<std::size_t>(r->regions->full_dim_regions));
  EXPECT_GT(r->regions->lps, 0);
  EXPECT_EQ(r->shallow->regions, static_cast<int>(r->regions->regions.size()));
  EXPECT_EQ(r->verify->points, 200);
  EXPECT_TRUE(r->verified());
  EXPECT_EQ(r->shap->method, "exact");
  EXPECT_EQ(r->background_rows, 3);
  EXPECT_LT(r->shap->efficiency_error, 1e-9);
  EXPECT_FALSE(r->figure);

  // Boundary points of an integer-weight net, and the same counts from brute force.
  p.verify = VerifyPlan{.points = 200, .boundary = true};
  p.regions->method = "brute";
  p.shap.reset();
  auto b = explain(m, p);
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_GT(b->verify->points, 0);
  EXPECT_TRUE(b->verified());
  EXPECT_EQ(b->regions->regions.size(), r->regions->regions.size());
  EXPECT_EQ(b->regions->c.size(), r->regions->c.size());
}

TEST(Explain, FromFilesAsTheCliDoes) {
  actlab::testing::TempDir dir;
  const std::string model = dir / "m.json", sh = dir / "s.json";
  ASSERT_TRUE(nn::save_model(relu_model("2-5-1", 1), model).is_ok());
  auto c = explain({.model = model, .regions = RegionPlan{.plot = true, .grid = 20}, .shallow = true});
  ASSERT_TRUE(c) << c.status().message();
  ASSERT_TRUE(c->figure);
  // One exact raster: pixel (i, j) has the colour of the region of its centre, one colour per region.
  ASSERT_TRUE(c->figure->image);
  const report::Image& im = *c->figure->image;
  EXPECT_TRUE(c->figure->series.empty());
  ASSERT_EQ(im.nx, 20);
  ASSERT_EQ(im.ny, 20);
  ASSERT_EQ(im.rgb.size(), 400u);
  EXPECT_EQ(c->figure->xlabel, "x1");
  const shallow::RegionIndex index(*c->regions);
  std::map<int, std::uint32_t> colour_of;
  std::set<std::uint32_t> colours;
  for (int j = 0; j < 20; ++j) {
    for (int i = 0; i < 20; ++i) {
      const Eigen::Vector2d x(im.x0 + (i + 0.5) * (im.x1 - im.x0) / 20,
                              im.y0 + (j + 0.5) * (im.y1 - im.y0) / 20);
      const int r = index.find(c->net.pattern(x));
      ASSERT_GE(r, 0);
      const std::uint32_t rgb = im.rgb[static_cast<std::size_t>(j * 20 + i)];
      EXPECT_EQ(colour_of.emplace(r, rgb).first->second, rgb) << "region " << r;
      colours.insert(rgb);
    }
  }
  EXPECT_GT(colour_of.size(), 1u);
  EXPECT_EQ(colours.size(), colour_of.size());  // distinct regions, distinct colours
  ASSERT_TRUE(shallow::save_shallow(*c->shallow, sh).is_ok());
  auto v = explain({.model = model, .verify = VerifyPlan{.shallow = sh, .points = 100}});
  ASSERT_TRUE(v) << v.status().message();
  EXPECT_TRUE(v->verified());
  EXPECT_FALSE(v->regions);  // nothing enumerated for a check of a file
  const Eigen::VectorXd x = Eigen::Vector2d(0.5, -1.25);
  auto e = eval_shallow(sh, {0.5, -1.25});
  ASSERT_TRUE(e) << e.status().message();
  EXPECT_EQ(e->open_gates, 1);
  EXPECT_NEAR(e->y[0], c->net.forward(x)[0], 1e-9);
  EXPECT_EQ(eval_shallow(sh, {1.0}).status().field(), "x");
}

TEST(Explain, ErrorsNameTheField) {
  const nn::Model<float> m = relu_model("3-4-1", 2);
  const auto field = [&](const ExplainPlan& p) {
    auto r = explain(m, p);
    return r ? std::string("ok") : r.status().field();
  };
  EXPECT_EQ(field({.regions = RegionPlan{.method = "magic"}}), "method");
  EXPECT_EQ(field({.regions = RegionPlan{.max_regions = 0}}), "max_regions");
  EXPECT_EQ(field({.regions = RegionPlan{.threads = 0}}), "threads");
  EXPECT_EQ(field({.regions = RegionPlan{.plot = true}}), "plot");  // 3-D input
  EXPECT_EQ(field({.regions = RegionPlan{}, .shallow = true, .verify = VerifyPlan{.points = 0}}), "points");
  MatrixD bg = MatrixD::Zero(1, 3);
  EXPECT_EQ(field({.shap = ShapPlan{.x = {1, 2}, .background = bg}}), "x");
  EXPECT_EQ(field({.shap = ShapPlan{.x = {1, 2, 3}, .background = bg, .method = "guess"}}), "method");
  EXPECT_EQ(field({.shap = ShapPlan{.x = {1, 2, 3}, .background_csv = "/nonexistent/bg.csv"}}), "background");
  EXPECT_EQ(field({.shap = ShapPlan{.x = {1, 2, 3}, .background = bg}}), "ok");
  // A model that is not ReLU is refused by the conversion.
  RandomModelPlan tp;
  tp.arch = "2-4-1";
  tp.acts = "tanh";
  tp.seed = 1;
  auto tanh = random_model(tp);
  ASSERT_TRUE(tanh);
  auto r = explain(*tanh, {.regions = RegionPlan{}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("tanh"), std::string::npos);
}

}  // namespace
}  // namespace actlab::lab
