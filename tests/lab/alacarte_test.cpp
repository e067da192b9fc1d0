// The à-la-carte objective: the menu, the stored setup, the data preparation's fingerprint, and one
// architecture's training (a good one learns iris; one that produces NaN fails with a reason). The protocol
// (run_alacarte) on a small iris run: the result's table and JSON, progress, and bad plans naming the field.
#include "lab/alacarte.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>

#include "search/storage.hpp"
#include "search/study.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

AlacarteSetup iris(int layers = 5, std::uint64_t seed = 1) {
  AlacarteSetup s;
  s.data = "iris";
  s.layers = layers;
  s.split_seed = seed;
  return s;
}

TEST(AlacarteObjective, MenuHas48FunctionsInAlayersOrder) {
  const auto& m = alacarte_menu();
  ASSERT_EQ(m.size(), 48u);
  EXPECT_EQ(m.front(), "elu");
  EXPECT_EQ(m[6], "relu");
  EXPECT_EQ(m.back(), "mish");
  EXPECT_NE(std::find(m.begin(), m.end(), "softmax"), m.end());
}

TEST(AlacarteObjective, SetupRoundTripsAndValidates) {
  AlacarteSetup s = iris(10, 7);
  s.fingerprint = "00112233aabbccdd";
  auto back = AlacarteSetup::from_json(s.to_json());
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->to_json(), s.to_json());
  EXPECT_EQ(s.space().size(), 10u);
  EXPECT_EQ(s.space()[3].name, "activation3");
  EXPECT_EQ(s.space()[3].dist.choices, alacarte_menu());
  AlacarteSetup bad = iris(0);
  EXPECT_NE(bad.validate().message().find("layers: "), std::string::npos);
  EXPECT_FALSE(AlacarteSetup::from_json(Json{{"name", "synthetic"}}));
}

TEST(AlacarteObjective, PreparationIsDeterministicPerSeed) {
  auto a = prepare_alacarte(iris(5, 1)), b = prepare_alacarte(iris(5, 1)), c = prepare_alacarte(iris(5, 2));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->fingerprint, b->fingerprint);
  EXPECT_NE(a->fingerprint, c->fingerprint);
  EXPECT_EQ(a->rows, 150u);
  EXPECT_EQ(a->test.rows(), 45u);                                     // 30 %
  EXPECT_EQ(a->train.rows() + a->val.rows() + a->test.rows(), 150u);  // val ≈ 25 % of the 105
  EXPECT_NEAR(static_cast<double>(a->val.rows()), 26.25, 2.0);
  AlacarteSetup s = iris();
  s.data = "irsi";
  auto bad = prepare_alacarte(s);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.status().is_bad_input());
  EXPECT_EQ(bad.status().message().rfind("data: ", 0), 0u) << bad.status().message();
}

TEST(AlacarteObjective, StandardNetworkLearnsIrisAndNanChoiceFails) {
  const AlacarteSetup s = iris();
  auto d = prepare_alacarte(s);
  ASSERT_TRUE(d);
  const auto good = train_architecture(s, *d, {"relu", "relu", "relu", "relu", "softmax"}, 3, true);
  ASSERT_TRUE(good) << good.status().message();
  // The paper's early stop (10 epochs of < 0.001 gain) often ends training early: well above chance (1/3).
  EXPECT_GT(good->val_acc, 0.6);
  EXPECT_GT(good->test_acc, 0.6);
  EXPECT_LE(good->epochs, 300);
  // log of negative pre-activations is NaN from the first forward pass.
  const auto bad = train_architecture(s, *d, {"log", "log", "log", "log", "log"}, 3, false);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("diverged"), std::string::npos) << bad.status().message();
  EXPECT_EQ(alacarte_acts(Json{{"activation0", "tanh"}, {"activation1", "exp"}}, 2),
            (std::vector<std::string>{"tanh", "exp"}));
  EXPECT_NE(alacarte_trial_seed(1, 0), alacarte_trial_seed(1, 1));
}

TEST(AlacarteObjective, RegisteredObjectivePreparesAndChecksTheFingerprint) {
  search::ObjectiveRegistry reg;
  add_alacarte_objective(reg);
  AlacarteSetup s = iris(3, 1);
  auto o = reg.from_json(s.to_json());
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_EQ((*o)->default_direction(), search::Direction::kMaximize);
  EXPECT_EQ((*o)->check_direction(search::Direction::kMinimize).field(), "direction");
  EXPECT_EQ((*o)->space(), s.space());
  ASSERT_TRUE((*o)->prepare());
  const Json details = (*o)->details();
  EXPECT_EQ(details["fingerprint"], prepare_alacarte(s)->fingerprint);
  EXPECT_EQ((*o)->to_json()["fingerprint"], details["fingerprint"]);  // a new setup takes the one found
  s.fingerprint = "0000000000000000";
  auto stale = reg.from_json(s.to_json());
  ASSERT_TRUE(stale);
  const Status st = (*stale)->prepare();
  EXPECT_EQ(st.field(), "data");
  EXPECT_NE(st.message().find("every worker must see the same rows"), std::string::npos) << st.message();
}

AlacartePlan small_plan() {
  AlacartePlan p;
  p.data = {"iris"};
  p.layers = {3};
  p.replicates = 2;
  p.trials = 4;
  p.rounds = 200;
  p.seed = 2;
  return p;
}

TEST(AlacarteProtocol, SmallIrisRunGivesThePapersTable) {
  const AlacartePlan plan = small_plan();
  std::int64_t last = 0, total = 0;
  auto r = run_alacarte(plan, [&](const AlacarteProgress& e) {
    EXPECT_GE(e.done, last);
    last = e.done;
    total = e.total;
  });
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(total, plan.steps());
  EXPECT_EQ(last, 2 * (1 + 2 * 4));
  ASSERT_EQ(r->rows.size(), 1u);
  const AlacarteRow& row = r->rows[0];
  EXPECT_EQ(row.dataset, "iris");
  EXPECT_EQ(row.n, 150u);
  EXPECT_EQ(row.classes, 3);
  for (const char* arm : {"standard", "random", "tpe"}) {
    ASSERT_EQ(row.runs.at(arm).size(), 2u);
    EXPECT_GE(row.median.at(arm), 0.0);
    EXPECT_LE(row.median.at(arm), 1.0);
  }
  EXPECT_EQ(row.runs.at("standard")[0].acts, (std::vector<std::string>{"relu", "relu", "softmax"}));
  EXPECT_EQ(row.runs.at("tpe")[0].study, "alacarte-iris-L3-r0-s2-tpe");
  EXPECT_TRUE(row.p_vs_standard.count("tpe"));
  EXPECT_FALSE(row.p_vs_standard.count("standard"));

  const report::Table t = r->table();
  EXPECT_EQ(t.markdown().substr(0, t.markdown().find('\n')),
            "| dataset | n | features | classes | layers | standard | random | tpe | winner | p |");
  EXPECT_EQ(
      t.markdown().find("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n| iris | 150 | 4 | 3 | 3 | "),
      t.markdown().find('\n') + 1);
  EXPECT_EQ(t.csv().substr(0, t.csv().find('\n')),
            "dataset,n,features,classes,layers,standard,random,tpe,winner,p,p_random_vs_standard,"
            "p_tpe_vs_standard");

  const Json j = r->to_json();
  EXPECT_EQ(j["settings"]["tpe_failed"], "worst");
  EXPECT_EQ(j["settings"]["storage"], nullptr);
  EXPECT_EQ(j["table"][0]["winner"], row.winner);
  EXPECT_EQ(j["table"][0]["replicates"].size(), 2u);
  // One summary per search arm at L = 3: one data set, a win, tie or loss each.
  ASSERT_EQ(j["summary"].size(), 2u);
  EXPECT_EQ(j["summary"][1]["arm"], "tpe");
  EXPECT_EQ(j["summary"][1]["sets"], 1);
  EXPECT_EQ(j["summary"][1]["wins"].get<int>() + j["summary"][1]["ties"].get<int>() +
                j["summary"][1]["losses"].get<int>(),
            1);
}

TEST(AlacarteProtocol, ASuiteIsItsSetsAndTheSummaryCountsThem) {
  AlacartePlan p = small_plan();
  p.data = {"suite:tabular", "iris"};  // iris is in the suite: once
  p.arms = {"standard"};
  EXPECT_EQ(p.steps(), 23 * 1 * 2);  // 23 sets, one layer count, 2 replicates, one training each
  p.data = {"suite:tabluar"};
  auto bad = run_alacarte(p);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().field(), "data");
  EXPECT_NE(bad.status().message().find("unknown suite 'suite:tabluar'"), std::string::npos);

  // summary() from medians and p-values: tpe beats standard on a (p 0.01), ties on b, loses on c.
  AlacarteResult r;
  r.plan.arms = {"standard", "tpe"};
  r.plan.layers = {5};
  const double med[3][2] = {{0.7, 0.9}, {0.8, 0.8}, {0.9, 0.6}};
  const double pv[3] = {0.01, 1.0, 0.2};
  for (int i = 0; i < 3; ++i) {
    AlacarteRow row;
    row.dataset = std::string(1, static_cast<char>('a' + i));
    row.layers = 5;
    row.median = {{"standard", med[i][0]}, {"tpe", med[i][1]}};
    row.p_vs_standard = {{"tpe", pv[i]}};
    r.rows.push_back(row);
  }
  const auto s = r.summary();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].arm, "tpe");
  EXPECT_EQ(s[0].sets, 3);
  EXPECT_EQ(s[0].tally.wins, 1);
  EXPECT_EQ(s[0].tally.significant_wins, 1);
  EXPECT_EQ(s[0].tally.ties, 1);
  EXPECT_EQ(s[0].tally.losses, 1);
  EXPECT_EQ(s[0].tally.significant_losses, 0);
}

TEST(AlacarteProtocol, BadPlansNameTheField) {
  AlacartePlan p = small_plan();
  p.layers = {0};
  EXPECT_EQ(run_alacarte(p).status().field(), "layers");
  p = small_plan();
  p.arms = {"standard", "cmaes"};
  EXPECT_EQ(run_alacarte(p).status().field(), "arms");
  p = small_plan();
  p.failed = "best";
  EXPECT_EQ(run_alacarte(p).status().field(), "failed");
  p = small_plan();
  p.data = {"irsi"};
  EXPECT_EQ(run_alacarte(p).status().field(), "data");
  p = small_plan();
  p.init = "bogus";  // found before any training
  EXPECT_EQ(run_alacarte(p).status().field(), "init");
}

TEST(AlacarteProtocol, ResumingOnAStudyWithAnotherSpaceIsRefused) {
  testing::TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  search::StudyRecord r;
  r.name = "alacarte-iris-L3-r0-s0-random";
  AlacarteSetup other = iris(2, 0);
  r.space = other.space().to_json();
  r.objective = other.to_json();
  ASSERT_TRUE(search::Study::create(url, r));
  AlacartePlan p = small_plan();
  p.seed = 0;
  p.replicates = 1;
  p.trials = 2;
  p.arms = {"standard", "random"};
  p.storage = url;
  auto res = run_alacarte(p);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.status().field(), "storage");
  EXPECT_NE(res.status().message().find("different search space"), std::string::npos);
}

// Issue 18: a plan whose `interrupted` reports a signal returns a result that says so, nothing RUNNING in its
// storage; the same plan then gives the table of an uninterrupted run.
TEST(AlacarteProtocol, InterruptedRunSaysSoAndResumesToTheSameTable) {
  testing::TempDir dir;
  AlacartePlan p = small_plan();
  p.trials = 8;
  p.storage = "sqlite://" + dir / "a.db";
  std::atomic<int> signal{0};
  p.interrupted = [&] { return signal.load(); };
  auto stopped = run_alacarte(p, [&](const AlacarteProgress& e) {
    if (e.done >= 6) signal = SIGINT;  // inside replicate 0's tpe arm
  });
  ASSERT_TRUE(stopped) << stopped.status().message();
  EXPECT_EQ(stopped->interrupted, SIGINT);
  EXPECT_TRUE(stopped->rows.empty());
  auto st = search::open_storage(p.storage, search::OpenMode::kReadOnly);
  ASSERT_TRUE(st);
  int trials = 0;
  auto studies = (*st)->list_studies();
  ASSERT_TRUE(studies) << studies.status().message();
  for (const auto& study : *studies) {
    auto all = (*st)->trials(study.id, false);
    ASSERT_TRUE(all) << all.status().message();
    for (const auto& t : *all) {
      EXPECT_NE(t.state, search::TrialState::kRunning) << study.name << " " << t.number;
      ++trials;
    }
  }
  EXPECT_GT(trials, 0);

  signal = 0;
  auto resumed = run_alacarte(p);
  ASSERT_TRUE(resumed) << resumed.status().message();
  EXPECT_EQ(resumed->interrupted, 0);
  p.storage = "sqlite://" + dir / "b.db";
  auto plain = run_alacarte(p);
  ASSERT_TRUE(plain) << plain.status().message();
  EXPECT_EQ(resumed->to_json()["table"], plain->to_json()["table"]);
}

}  // namespace
}  // namespace actlab::lab
