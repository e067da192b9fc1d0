// Studies through lab: create / optimize / read / list of the registered objectives (synthetic and à la
// carte), bad plans naming the field, and a study stored with the older objective key "kind".
#include "lab/study.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "search/export.hpp"
#include "support/optuna.hpp"
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

// A study with every kind of parameter (float, log float, stepped int, log int, a categorical whose choice
// has a comma) and every state: 5 COMPLETE (two with intermediate values), 1 PRUNED, 1 FAIL, 1 RUNNING and
// 1 WAITING. Written by hand through search::Study, so the test does not depend on an objective.
std::string mixed_study(const std::string& url) {
  search::Space space;
  EXPECT_TRUE(space.add_float("x", -5, 5).is_ok());
  EXPECT_TRUE(space.add_float("lr", 1e-4, 1e-1, /*log=*/true).is_ok());
  EXPECT_TRUE(space.add_int("width", 16, 256, false, 16).is_ok());
  EXPECT_TRUE(space.add_int("batch", 1, 1024, /*log=*/true).is_ok());
  EXPECT_TRUE(space.add_categorical("act", {"relu", "tanh", "gelu, fast"}).is_ok());
  search::StudyRecord r;
  r.name = "mixed";
  r.sampler = "random";
  r.seed = 7;
  r.direction = search::Direction::kMaximize;
  r.space = space.to_json();
  r.objective = {{"name", "by hand"}};
  EXPECT_TRUE(search::Study::create(url, r));
  auto study = search::Study::open(url, "mixed");
  EXPECT_TRUE(study) << study.status().message();
  for (int i = 0; i < 8; ++i) {
    auto t = study->ask("test:1");
    EXPECT_TRUE(t && *t);
    if (!t || !*t) break;
    const auto& a = **t;
    if (i == 7) break;  // stays RUNNING
    search::TrialOutcome out = search::TrialOutcome::complete(a.params[0] * a.params[2] + 0.1 * i);
    if (i == 1 || i == 4) {
      for (int step = 0; step < 3; ++step)
        EXPECT_TRUE(study->storage().report(a.record.id, step, 0.25 * step - i).is_ok());
    }
    if (i == 4) out = search::TrialOutcome::pruned("pruned at step 2");
    if (i == 5) out = search::TrialOutcome::fail("diverged at epoch 1: loss is nan");
    EXPECT_TRUE(study->tell(a, out));
  }
  EXPECT_TRUE(
      study->enqueue(Json{{"x", 1.5}, {"lr", 0.01}, {"width", 64}, {"batch", 32}, {"act", "gelu, fast"}}));
  return "mixed";
}

// Optuna's params {name: value} equal actlab's external ones: choices by name, ints as ints, floats exactly.
void expect_same_params(const Json& optuna, const Json& actlab, std::int64_t number) {
  ASSERT_TRUE(actlab.is_object()) << number;
  ASSERT_EQ(optuna.size(), actlab.size()) << number << ": " << optuna.dump() << " vs " << actlab.dump();
  for (const auto& [name, v] : actlab.items()) {
    ASSERT_TRUE(optuna.contains(name)) << number << " " << name;
    const Json& o = optuna[name];
    if (v.is_string()) {
      EXPECT_EQ(o, v) << number << " " << name;
    } else if (v.is_number_integer()) {
      EXPECT_TRUE(o.is_number_integer()) << number << " " << name << ": Optuna gave " << o.dump();
      EXPECT_EQ(o.get<std::int64_t>(), v.get<std::int64_t>()) << number << " " << name;
    } else {
      EXPECT_EQ(o.get<double>(), v.get<double>()) << number << " " << name;  // bit for bit
    }
  }
}

TEST(LabStudy, OptunaExportIsLoadedByOptunaWithTheSameTrials) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  const std::string name = mixed_study(url);
  const std::string to = dir / "optuna.db";
  auto out = export_study({.storage = url, .name = name, .format = "optuna", .to = "sqlite://" + to});
  ASSERT_TRUE(out) << out.status().message();
  EXPECT_EQ(out->trials, 9u);
  EXPECT_EQ(out->to, to);
  EXPECT_FALSE(std::filesystem::exists(to + "-wal"));  // one file, as Optuna leaves it

  auto view = read_study(url, name);
  ASSERT_TRUE(view);
  const Json o = testing::optuna_load_study(to, name);
  ASSERT_FALSE(o.is_null());
  EXPECT_EQ(o["direction"], "MAXIMIZE");
  EXPECT_EQ(o["user_attrs"]["actlab_sampler"], "random");
  EXPECT_EQ(o["user_attrs"]["actlab_seed"], 7);
  const Json& ts = o["trials"];
  ASSERT_EQ(ts.size(), view->trials.size());
  std::map<std::string, int> states;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const Json mine = trial_json(view->trials[i]);
    const Json& theirs = ts[i];
    SCOPED_TRACE("trial " + mine["number"].dump());
    EXPECT_EQ(theirs["number"], mine["number"]);
    EXPECT_EQ(theirs["state"], mine["state"]);
    ++states[theirs["state"].get<std::string>()];
    const std::string state = mine["state"].get<std::string>();
    if (mine["value"].is_null()) {
      EXPECT_TRUE(theirs["value"].is_null()) << theirs["value"].dump();
    } else {
      EXPECT_EQ(theirs["value"].get<double>(), mine["value"].get<double>());
    }
    expect_same_params(theirs["params"], mine["params"], mine["number"].get<std::int64_t>());
    if (theirs["params"].size() == 5) {
      const auto kinds = theirs["distributions"].get<std::map<std::string, std::string>>();
      EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"x", "FloatDistribution"},
                                                           {"lr", "FloatDistribution"},
                                                           {"width", "IntDistribution"},
                                                           {"batch", "IntDistribution"},
                                                           {"act", "CategoricalDistribution"}}));
    }
    EXPECT_EQ(theirs["datetime_start"].is_null(), state == "WAITING");
    EXPECT_EQ(theirs["datetime_complete"].is_null(), state == "WAITING" || state == "RUNNING");
    if (!view->trials[i].reason.empty()) {
      EXPECT_EQ(theirs["user_attrs"]["actlab_reason"], mine["reason"]);
    }
  }
  EXPECT_EQ(states, (std::map<std::string, int>{
                        {"COMPLETE", 5}, {"FAIL", 1}, {"PRUNED", 1}, {"RUNNING", 1}, {"WAITING", 1}}));
  // Intermediate values (trials 1 and 4 reported steps 0..2, value 0.25 step - number).
  EXPECT_EQ(ts[1]["intermediate"], (Json{{"0", -1.0}, {"1", -0.75}, {"2", -0.5}}));
  EXPECT_EQ(ts[4]["intermediate"], (Json{{"0", -4.0}, {"1", -3.75}, {"2", -3.5}}));
  EXPECT_TRUE(ts[0]["intermediate"].empty());

  // A second export to the same file is refused and leaves it as it was.
  auto again = export_study({.storage = url, .name = name, .format = "optuna", .to = to});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.status().field(), "to");
  EXPECT_NE(again.status().message().find("exists"), std::string::npos);
}

TEST(LabStudy, CsvExportHasOneRowPerTrial) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  const std::string name = mixed_study(url);
  const std::string to = dir / "t.csv";
  auto out = export_study({.storage = url, .name = name, .format = "csv", .to = to});
  ASSERT_TRUE(out) << out.status().message();
  std::ifstream in(to);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 10u);  // header + 9 trials
  EXPECT_EQ(lines[0],
            "number,state,value,params_x,params_lr,params_width,params_batch,params_act,datetime_start,"
            "datetime_complete,reason");
  auto view = read_study(url, name);
  ASSERT_TRUE(view);
  // Trial 0: its value and parameters, read back from the text, are the stored ones.
  std::vector<std::string> cells;
  std::stringstream row(lines[1]);
  for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
  const auto& t0 = view->trials[0];
  EXPECT_EQ(cells[0], "0");
  EXPECT_EQ(cells[1], "COMPLETE");
  EXPECT_EQ(std::stod(cells[2]), *t0.value);
  EXPECT_EQ(std::stod(cells[3]), t0.params["x"].get<double>());
  EXPECT_EQ(cells[5], std::to_string(t0.params["width"].get<std::int64_t>()));
  // The FAIL trial has no value and its reason (with a colon, no comma) at the end; the enqueued choice
  // "gelu, fast" is quoted.
  EXPECT_EQ(lines[6].rfind("5,FAIL,,", 0), 0u) << lines[6];
  EXPECT_NE(lines[6].find(",diverged at epoch 1: loss is nan"), std::string::npos) << lines[6];
  EXPECT_NE(lines[9].find(",\"gelu, fast\","), std::string::npos) << lines[9];
  EXPECT_EQ(lines[9].rfind("8,WAITING,,1.5,0.01,64,32,", 0), 0u) << lines[9];

  auto bad = export_study({.storage = url, .name = name, .format = "xml", .to = to});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().field(), "format");
  auto pg = export_study({.storage = url, .name = name, .format = "optuna", .to = "postgresql://u@h/db"});
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.status().field(), "to");
}

}  // namespace
}  // namespace actlab::lab
