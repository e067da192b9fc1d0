// lab::run_lab with tiny budgets on iris: every stage's result, the tie-break by validation loss, the
// confirmation arms, resuming from the run directory (no run trained twice) and an interrupted run that
// continues to the uninterrupted result.
#include "lab/laboratory.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>

#include "report/significance.hpp"

namespace actlab::lab {
namespace {

class LabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/actlab_lab_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  LabPlan tiny(const std::string& sub) const {
    LabPlan p;
    p.data = "iris";
    p.depth = 3;
    p.width = 8;
    p.candidates = "relu,tanh,repu,swish,leaky_relu";
    p.epochs = 15;
    p.lr = 0.03;
    p.screen_seeds = 1;
    p.screen_epochs = 5;
    p.trials = 8;
    p.seeds = 3;
    p.explain_points = 2;
    p.max_regions = 5000;
    p.out = dir_ + "/" + sub;
    p.seed = 4;
    return p;
  }
  // What a result says, without its times, its directory and its run counts.
  static Json essence(const LabResult& r) {
    Json j = r.to_json();
    j.erase("seconds");
    j.erase("runs_trained");
    j.erase("runs_reused");
    j.erase("settings");
    j["confirm"].erase("seconds");
    j["search"].erase("storage");
    // A trial whose worker was lost and its retry: keep the finished trials in original order.
    Json kept = Json::array();
    for (const Json& t : j["search"]["trials"])
      if (t["state"] == "COMPLETE" ||
          (t["state"] == "FAIL" && t["reason"].get<std::string>().find("worker") == std::string::npos))
        kept.push_back({{"activations", t["activations"]}, {"val_acc", t["val_acc"]}});
    j["search"]["trials"] = kept;
    return j;
  }
  std::string dir_;
};

TEST_F(LabTest, FiveStagesOnIris) {
  LabPlan p = tiny("a");
  std::vector<int> stages;
  auto r = run_lab(p, [&](const LabProgress& e) {
    if (stages.empty() || stages.back() != e.stage) stages.push_back(e.stage);
    EXPECT_LE(e.done, e.total) << e.name;
  });
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(stages, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(r->data, "iris");
  EXPECT_EQ(r->features, 4u);
  EXPECT_EQ(r->classes, 3);

  // 1. RePU cannot be stabilised (Kim & Kang): set aside with the proof; the others are kept.
  ASSERT_EQ(r->theory.size(), 5u);
  for (const TheoryRow& t : r->theory) {
    if (t.name == "repu") {
      EXPECT_EQ(t.verdict, "cannot be stabilised");
      EXPECT_FALSE(t.kept);
      EXPECT_NE(t.why.find("cannot be stabilised at depth 3"), std::string::npos) << t.why;
    } else {
      EXPECT_TRUE(t.kept) << t.name << ": " << t.why;
      EXPECT_TRUE(std::isfinite(t.sigma_w)) << t.name;
    }
  }
  // 2. Every candidate screened at both inits; rho recomputed from the rows.
  ASSERT_EQ(r->screen.rows.size(), 5u);
  std::vector<double> x, y;
  for (const ScreenRow& s : r->screen.rows) {
    EXPECT_EQ(s.critical.size(), 1u) << s.name;
    EXPECT_EQ(s.standard.size(), 1u) << s.name;
    const int o = s.verdict == "critical" ? 2 : s.verdict == "marginal" ? 1 : 0;
    x.push_back(o);
    y.push_back(s.median_critical);
  }
  EXPECT_EQ(r->screen.n, 5);
  const double rho = report::spearman(x, y);
  if (std::isnan(rho)) {
    EXPECT_TRUE(std::isnan(r->screen.rho));
  } else {
    EXPECT_DOUBLE_EQ(r->screen.rho, rho);
  }
  EXPECT_NE(r->screen.best_uniform, "repu");
  // 3. Eight trials over the kept candidates; the winner has the best accuracy and, among ties, the lowest
  // validation loss.
  EXPECT_EQ(r->search.trials.size(), 8u);
  EXPECT_EQ(r->search.space.size(), 4u);
  ASSERT_EQ(r->search.best.size(), 3u);
  for (const SearchTrial& t : r->search.trials) {
    if (t.state != "COMPLETE") continue;
    EXPECT_LE(t.val_acc, r->search.best_val_acc);
    if (t.val_acc == r->search.best_val_acc) {
      EXPECT_GE(t.val_loss, r->search.best_val_loss);
    }
  }
  // 4. ReLU at the default init first (the tests' reference), then the winner, the best uniform and Swish at
  // the critical init (duplicates dropped); the recommendation is the best median.
  ASSERT_GE(r->confirm.arms.size(), 3u);
  EXPECT_EQ(r->confirm.arms[0].arm.acts, "relu");
  EXPECT_EQ(r->confirm.arms[0].arm.init, "he");
  EXPECT_EQ(r->confirm.arms[1].arm.acts, r->winner);
  EXPECT_EQ(r->confirm.arms[1].arm.init, "critical");
  EXPECT_EQ(r->confirm.seeds.size(), 3u);
  const CompareArmResult* best = r->recommended();
  ASSERT_NE(best, nullptr);
  for (const auto& a : r->confirm.arms) EXPECT_LE(a.median, best->median);
  EXPECT_NE(r->summary().find(best->arm.acts), std::string::npos) << r->summary();
  // 5. Two test points explained, one value per feature.
  ASSERT_EQ(r->explain.shap.size(), 2u);
  EXPECT_EQ(r->explain.shap[0].phi.size(), 4u);
  const bool pl = std::all_of(r->search.best.begin(), r->search.best.end(),
                              [](const std::string& a) { return a == "relu"; });
  if (pl) {
    EXPECT_TRUE(r->explain.piecewise_linear);
    // Exact SHAP: efficiency, Σφ = f(x) − E f.
    double sum = 0;
    for (double v : r->explain.shap[0].phi) sum += v;
    EXPECT_NEAR(sum, r->explain.shap[0].value - r->explain.shap[0].base, 1e-6);
  }
  // The report has every section.
  const std::string html = r->report().html();
  for (const char* s : {"Question and answer", "1. Theory screen", "2. Quick screen", "3. Search",
                        "4. Confirmation", "5. Explanation", "Reproduce"})
    EXPECT_NE(html.find(s), std::string::npos) << s;

  // The same plan again reads every run back: nothing is trained twice, the result is the same.
  auto again = run_lab(p);
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ(again->runs_trained, 0);
  EXPECT_GT(again->runs_reused, 0);
  EXPECT_EQ(essence(*again), essence(*r));
}

TEST_F(LabTest, InterruptedInTheSearchContinuesToTheSameResult) {
  auto whole = run_lab(tiny("whole"));
  ASSERT_TRUE(whole) << whole.status().message();

  LabPlan p = tiny("cut");
  std::atomic<int> signal{0};
  auto cut = run_lab(
      p,
      [&](const LabProgress& e) {
        if (e.stage == 3 && e.done >= 3) signal = SIGINT;
      },
      [&] { return signal.load(); });
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.status().message().find("interrupted"), std::string::npos) << cut.status().message();
  auto resumed = run_lab(p);
  ASSERT_TRUE(resumed) << resumed.status().message();
  EXPECT_EQ(essence(*resumed), essence(*whole));
}

TEST_F(LabTest, BadPlansNameTheirField) {
  LabPlan p = tiny("bad");
  p.data = "no-such-set";
  auto r = run_lab(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "data");
  p = tiny("bad");
  p.candidates = "relu,nosuchfunction";
  r = run_lab(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "candidates");
  EXPECT_NE(r.status().message().find("nosuchfunction"), std::string::npos);
  p = tiny("bad");
  p.candidates = "repu";  // everything set aside
  r = run_lab(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "candidates");
  p = tiny("bad");
  p.seeds = 1;
  EXPECT_EQ(run_lab(p).status().field(), "seeds");
  p = tiny("bad");
  p.data = "poly:x*y";  // regression
  r = run_lab(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "data");
}

}  // namespace
}  // namespace actlab::lab
