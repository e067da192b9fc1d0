// lab/evolve without the CLI: the data split, the fitness, the final training, a whole (small) run, a stored
// run read back, joined by a worker and shown.
#include "lab/evolve.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cmath>

#include "search/storage.hpp"
#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

using testing::TempDir;
using testing::write_text;

EvolveConfig iris() {
  EvolveConfig c;
  c.data = "iris";
  c.epochs = 5;
  return c;
}

// iris: 150 rows, no official test set → 45 test rows (30%, stratified); of the other 105, 21 validate.
TEST(EvolveFitness, SplitsAndNormalisesOnTheTrainingRowsOnly) {
  auto d = prepare_evolve_data(iris());
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->test.rows(), 45u);
  EXPECT_EQ(d->val.rows(), 21u);
  EXPECT_EQ(d->train.rows(), 84u);
  EXPECT_EQ(d->train_val.rows(), 105u);
  EXPECT_EQ(d->batch, 10);  // a tenth of train ∪ val, the paper's ten minibatches per epoch
  for (Eigen::Index j = 0; j < d->train.x.cols(); ++j) EXPECT_NEAR(d->train.x.col(j).mean(), 0.0, 1e-5);
  auto half = iris();
  half.train_fraction = 0.5;
  auto h = prepare_evolve_data(half);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->train.rows() + h->val.rows(), 53u);  // round(0.5 × 105)
}

TEST(EvolveFitness, FitnessIsTheBestValidationAccuracyAndRepeats) {
  auto d = prepare_evolve_data(iris());
  ASSERT_TRUE(d);
  const evolve::Triple t = {"relu(x)", "tanh(x)", "elu(x)"};
  const evolve::FitnessResult a = evolve_fitness(iris(), *d, t), b = evolve_fitness(iris(), *d, t);
  ASSERT_TRUE(a.value) << a.reason;
  EXPECT_GT(*a.value, 0.5);  // 5 epochs of Adam 0.01 learn iris well beyond chance (1/3)
  EXPECT_LE(*a.value, 1.0);
  EXPECT_EQ(a.value, b.value);  // common random numbers: same seed for every candidate
  const auto f = final_training(iris(), *d, t, 10, 0);
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_GE(f->peak_acc, f->test_acc);
}

TEST(EvolveFitness, ExplodingActivationsFailWithTheReason) {
  auto d = prepare_evolve_data(iris());
  ASSERT_TRUE(d);
  const evolve::FitnessResult r = evolve_fitness(iris(), *d, {"exp(exp(exp(x)))", "exp(exp(x))", "x"});
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.reason.find("epoch"), std::string::npos) << r.reason;
  const evolve::FitnessResult bad = evolve_fitness(iris(), *d, {"relu(x", "x", "x"});
  EXPECT_FALSE(bad.value);
  EXPECT_NE(bad.reason.find("slot 0"), std::string::npos) << bad.reason;
  // The final training says the same with a status code.
  const auto f = final_training(iris(), *d, {"relu(x", "x", "x"}, 2, 0);
  ASSERT_FALSE(f);
  EXPECT_TRUE(f.status().is_bad_input());
  const auto e = final_training(iris(), *d, {"exp(exp(exp(x)))", "exp(exp(x))", "x"}, 2, 0);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.status().code(), StatusCode::kNumerical) << e.status().message();
}

TEST(EvolveFitness, BadDataAndFractionsAreErrors) {
  TempDir dir;
  write_text(dir / "one.csv", "a,b,label\n1,2,yes\n3,4,yes\n5,6,yes\n");
  EvolveConfig c = iris();
  c.data = dir / "one.csv";
  auto r = prepare_evolve_data(c);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("1 class"), std::string::npos) << r.status().message();
  c = iris();
  c.train_fraction = 0;
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.val_fraction = 1;
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.train_fraction = 0.01;  // 1 row: nothing left to train on
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.data = "no-such-set";
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.net = "foo:bar";  // was recorded and run as if valid
  auto net = prepare_evolve_data(c);
  ASSERT_FALSE(net);
  EXPECT_EQ(net.status().field(), "net");
  EXPECT_NE(net.status().message().find("fcn:lapid or cnn:lapid"), std::string::npos);
}

TEST(EvolveFitness, ConfigRoundTripsThroughJson) {
  EvolveConfig c = iris();
  c.net = "cnn:lapid";
  c.lr = 0.003;
  auto back = EvolveConfig::from_json(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json());
  EXPECT_FALSE(EvolveConfig::from_json(Json{{"data", "iris"}}));
}

// Errors name the plan's field, so that every front end can say it in its own words.
TEST(EvolveFitness, PlanErrorsNameTheField) {
  auto c = iris();
  c.train_fraction = 2;
  EXPECT_EQ(prepare_evolve_data(c).status().field(), "train_fraction");
  c = iris();
  c.train_fraction = 0.01;
  EXPECT_EQ(prepare_evolve_data(c).status().field(), "train_fraction");
  c = iris();
  c.data = "no-such-set";
  EXPECT_EQ(prepare_evolve_data(c).status().field(), "data");
  EvolvePlan p;
  p.config = iris();
  p.population = 1;
  EXPECT_EQ(run_evolution(p).status().field(), "population");
  p = {};
  p.config = iris();
  p.name = "x";
  EXPECT_EQ(run_evolution(p).status().field(), "storage");
  p = {};
  EXPECT_EQ(run_evolution(p).status().field(), "data");
}

EvolvePlan small_plan() {
  EvolvePlan p;
  p.config = iris();
  p.config.epochs = 2;
  p.config.seed = 4;
  p.generations = 2;
  p.population = 3;
  p.workers = 2;
  p.final_epochs = 3;
  p.replicates = 2;
  return p;
}

TEST(EvolveRun, ReportsTheHistoryTheBestTripleItsTheoryAndTheFinalComparison) {
  int generations = 0, last_final = -1;
  auto r =
      run_evolution(small_plan(), {.on_generation = [&](const evolve::GenerationRecord&) { ++generations; },
                                   .on_final = [&](int done, int) { last_final = done; }});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(generations, 2);
  EXPECT_EQ(last_final, 4);
  EXPECT_EQ(r->run.history.size(), 2u);
  EXPECT_GE(r->run.fitness, *r->run.baseline.value);
  EXPECT_EQ(r->baseline, "relu(x)");
  EXPECT_EQ(r->data.test, 45u);
  EXPECT_EQ(r->settings["kind"], "evolve");
  EXPECT_FALSE(r->from_storage);
  ASSERT_EQ(r->theory.size(), 3u);
  EXPECT_TRUE(r->theory[0].classification) << r->theory[0].error;
  ASSERT_TRUE(r->final);
  EXPECT_EQ(r->final->evolved.test.size(), 2u);
  EXPECT_EQ(r->final->baseline.test.size(), 2u);
  EXPECT_TRUE(std::isfinite(r->final->permutation_p));
}

// A stored run: every evaluation is a trial; the same plan again reads them back and trains nothing; a
// worker joining it finds nothing to do and stops when idle; show reads the history and the best.
TEST(EvolveRun, StoredRunResumesIsJoinedAndShown) {
  TempDir dir;
  EvolvePlan p = small_plan();
  p.final_epochs = 0;
  p.storage = "sqlite:///" + (dir / "ev.db");
  p.name = "r";
  auto first = run_evolution(p);
  ASSERT_TRUE(first) << first.status().message();
  EXPECT_EQ(first->from_storage, 0);
  auto again = run_evolution(p);
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ(*again->from_storage, again->run.evaluations);
  EXPECT_EQ(again->run.best, first->run.best);
  p.storage.clear();
  p.name.clear();
  auto plain = run_evolution(p);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->run.best, first->run.best);  // the same run, stored or not

  auto worked =
      evolve_work({.storage = "sqlite:///" + (dir / "ev.db"), .name = "r", .workers = 1, .idle = 0.3});
  ASSERT_TRUE(worked) << worked.status().message();
  EXPECT_EQ(worked->stopped, "idle");
  auto shown = evolve_show({.storage = "sqlite:///" + (dir / "ev.db"), .name = "r"});
  ASSERT_TRUE(shown) << shown.status().message();
  EXPECT_EQ(shown->pending, 0);
  EXPECT_EQ(shown->complete + shown->failed, first->run.evaluations);
  ASSERT_FALSE(shown->top.empty());
  EXPECT_EQ(shown->top.front().fitness, first->run.fitness);
  EXPECT_EQ(shown->theory.size(), 3u);
  EXPECT_EQ(evolve_show({.storage = "sqlite:///" + (dir / "ev.db"), .name = "zz"}).status().field(), "name");
}

// Issue 18: a plan whose `interrupted` reports a signal returns a result that says so (no error, no search
// result), with nothing left RUNNING in the study; the same plan then ends where an uninterrupted run ends.
TEST(EvolveRun, InterruptedStoredRunSaysSoAndResumes) {
  TempDir dir;
  EvolvePlan p = small_plan();
  p.generations = 3;
  p.storage = "sqlite:///" + (dir / "ev.db");
  p.name = "i";
  std::atomic<int> signal{0};
  p.interrupted = [&] { return signal.load(); };
  EvolveProgress progress;
  progress.on_generation = [&](const evolve::GenerationRecord& g) {
    if (g.generation == 0) signal = SIGTERM;
  };
  auto stopped = run_evolution(p, progress);
  ASSERT_TRUE(stopped) << stopped.status().message();
  EXPECT_EQ(stopped->interrupted, SIGTERM);
  EXPECT_EQ(stopped->completed, 1);
  EXPECT_FALSE(stopped->final);
  auto shown = evolve_show({.storage = p.storage, .name = "i"});
  ASSERT_TRUE(shown) << shown.status().message();
  EXPECT_GT(shown->complete, 0);
  auto st = search::open_storage(p.storage, search::OpenMode::kReadOnly);
  ASSERT_TRUE(st);
  auto rec = (*st)->get_study("i");
  ASSERT_TRUE(rec);
  auto all = (*st)->trials(rec->id, false);
  ASSERT_TRUE(all) << all.status().message();
  EXPECT_FALSE(all->empty());
  for (const auto& t : *all) EXPECT_NE(t.state, search::TrialState::kRunning);

  signal = 0;
  auto resumed = run_evolution(p);
  ASSERT_TRUE(resumed) << resumed.status().message();
  EXPECT_EQ(resumed->interrupted, 0);
  EXPECT_GT(*resumed->from_storage, 0);
  p.storage.clear();
  p.name.clear();
  p.interrupted = {};
  auto plain = run_evolution(p);
  ASSERT_TRUE(plain);
  EXPECT_EQ(resumed->run.best, plain->run.best);
  EXPECT_EQ(resumed->run.fitness, plain->run.fitness);
  ASSERT_TRUE(resumed->final && plain->final);
  EXPECT_EQ(resumed->final->evolved.test, plain->final->evolved.test);
}

}  // namespace
}  // namespace actlab::lab
