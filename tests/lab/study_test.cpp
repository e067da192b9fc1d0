// Studies through lab: create / optimize / read / list of the registered objectives (synthetic and à la
// carte), bad plans naming the field, and a study stored with the older objective key "kind".
#include "lab/study.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

Json synthetic(int categorical = 3) {
  return {{"name", "synthetic"}, {"categorical", categorical}, {"choices", 4}, {"floats", 1}};
}

StudyPlan plan(const std::string& url, const std::string& name, Json objective,
               const std::string& direction = "") {
  StudyPlan p;
  p.storage = url;
  p.name = name;
  p.objective = std::move(objective);
  p.direction = direction;
  return p;
}

StudyRunPlan run_plan(const std::string& url, const std::string& name, std::int64_t trials) {
  StudyRunPlan p;
  p.storage = url;
  p.name = name;
  p.trials = trials;
  return p;
}

TEST(LabStudy, RegistryHasAlacarteAndSynthetic) {
  EXPECT_EQ(objective_registry().names(), (std::vector<std::string>{"alacarte", "synthetic"}));
  EXPECT_EQ(utc_time(std::nullopt), "-");
  EXPECT_EQ(utc_time(0.0), "1970-01-01T00:00:00Z");
}

TEST(LabStudy, CreateOptimizeReadList) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  StudyPlan p = plan(url, "a", synthetic());
  p.sampler = "random";
  p.seed = 5;
  auto made = create_study(p);
  ASSERT_TRUE(made) << made.status().message();
  EXPECT_EQ(made->direction, search::Direction::kMinimize);
  EXPECT_EQ(made->space["params"].size(), 4u);
  int done = 0;
  StudyRunPlan rp = run_plan(url, "a", 6);
  rp.workers = 2;
  auto run = optimize_study(rp, [&](const search::TrialRecord&) { ++done; });
  ASSERT_TRUE(run) << run.status().message();
  EXPECT_EQ(done, 6);
  EXPECT_EQ(run->summary.complete, 6);
  EXPECT_TRUE(run->data.is_null());
  const Json j = run->to_json();
  EXPECT_EQ(j["this_run"]["workers"], 2);
  EXPECT_EQ(j["states"]["COMPLETE"], 6);
  EXPECT_FALSE(j.contains("data"));
  auto shown = read_study(url, "a");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->trials.size(), 6u);
  ASSERT_TRUE(shown->best());
  EXPECT_EQ(shown->to_json()["best"]["number"], shown->best()->number);
  auto all = list_studies(url);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].record.name, "a");
}

Json iris(const std::string& data = "iris") {
  return {{"name", "alacarte"}, {"data", data}, {"layers", 2}, {"split_seed", 1}};
}

TEST(LabStudy, AlacarteStudyReportsItsData) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  StudyPlan p = plan(url, "i", iris());
  p.seed = 1;
  auto made = create_study(p);
  ASSERT_TRUE(made) << made.status().message();
  EXPECT_EQ(made->direction, search::Direction::kMaximize);
  EXPECT_EQ(made->objective["fingerprint"].get<std::string>().size(), 16u);
  auto run = optimize_study(run_plan(url, "i", 2));
  ASSERT_TRUE(run) << run.status().message();
  EXPECT_EQ(run->data["fingerprint"], made->objective["fingerprint"]);
  EXPECT_EQ(run->data["rows"]["test"], 45);
  EXPECT_EQ(run->study.trials.size(), 2u);
}

TEST(LabStudy, BadPlansNameTheFieldAndWriteNothing) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  EXPECT_EQ(create_study(plan(url, "x", {{"name", "bogus"}})).status().field(), "objective");
  EXPECT_EQ(create_study(plan(url, "x", iris(), "minimize")).status().field(), "direction");
  EXPECT_EQ(create_study(plan(url, "x", iris("irsi"))).status().field(), "data");
  EXPECT_FALSE(std::filesystem::exists(dir / "s.db"));
  ASSERT_TRUE(create_study(plan(url, "x", synthetic())));
  auto field_of = [&](auto&& change) {
    StudyRunPlan rp = run_plan(url, "x", 1);
    change(rp);
    return optimize_study(rp).status().field();
  };
  EXPECT_EQ(field_of([](StudyRunPlan& p) { p.trials = 0; }), "trials");
  EXPECT_EQ(field_of([](StudyRunPlan& p) { p.workers = 0; }), "workers");
  EXPECT_EQ(field_of([](StudyRunPlan& p) { p.timeout = -1; }), "timeout");
  EXPECT_EQ(field_of([](StudyRunPlan& p) { p.heartbeat = 0; }), "heartbeat");
  EXPECT_EQ(field_of([](StudyRunPlan& p) { p.max_retries = -1; }), "max_retries");
  EXPECT_EQ(field_of([](StudyRunPlan& p) { p.delay_ms = -1; }), "delay_ms");
}

TEST(LabStudy, StudyStoredWithTheOlderKeyKindStillRuns) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  search::StudyRecord r;
  r.name = "old";
  r.space = (*objective_registry().from_json(synthetic(2)))->space().to_json();
  r.objective = {{"kind", "synthetic"}, {"categorical", 2}, {"choices", 4}, {"floats", 1}};
  ASSERT_TRUE(search::Study::create(url, r));
  auto run = optimize_study(run_plan(url, "old", 3));
  ASSERT_TRUE(run) << run.status().message();
  EXPECT_EQ(run->summary.complete, 3);
  // An objective nobody registered (an evolution run) is refused with what it is.
  r.name = "evo";
  r.objective = {{"kind", "evolve"}};
  ASSERT_TRUE(search::Study::create(url, r));
  auto evo = optimize_study(run_plan(url, "evo", 1));
  ASSERT_FALSE(evo);
  EXPECT_NE(evo.status().message().find("cannot run"), std::string::npos) << evo.status().message();
}

}  // namespace
}  // namespace actlab::lab
