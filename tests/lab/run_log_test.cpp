// lab::RunLog: a run is trained once, journalled, and read back by a second log on the same file; a torn
// last line (a kill mid-write) is skipped.
#include "lab/run_log.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace actlab::lab {
namespace {

TrainPlan tiny(std::uint64_t seed) {
  TrainPlan p;
  p.data = {.source = "iris", .test = 0.3, .seed = seed};
  p.model = {.spec = "mlp:4x2", .acts = "tanh", .init = "he", .seed = seed};
  p.options.epochs = 3;
  p.options.optimizer.lr = 0.05;
  p.options.threads = 1;
  return p;
}

TEST(RunLog, TrainsOnceAndReadsBackFromTheJournal) {
  testing::TempDir dir;
  const std::string path = dir / "runs.jsonl";
  RunSummary first;
  {
    RunLog log;
    ASSERT_TRUE(log.open(path));
    auto a = log.run(tiny(1));
    ASSERT_TRUE(a) << a.status().message();
    auto again = log.run(tiny(1));  // same plan: from memory
    ASSERT_TRUE(again);
    EXPECT_EQ(again->test_acc, a->test_acc);
    auto b = log.run(tiny(2));
    ASSERT_TRUE(b);
    EXPECT_EQ(log.trained(), 2);
    EXPECT_EQ(log.reused(), 0);
    first = *a;
  }
  std::ofstream(path, std::ios::app) << "{\"key\": {\"torn";  // a kill mid-write
  RunLog log;
  ASSERT_TRUE(log.open(path));
  auto a = log.run(tiny(1));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->test_acc, first.test_acc);
  EXPECT_EQ(a->test_loss, first.test_loss);
  EXPECT_EQ(log.trained(), 0);
  EXPECT_EQ(log.reused(), 1);
  // The runner is the same journal.
  auto r = log.runner()(tiny(2), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(log.trained(), 0);
  EXPECT_EQ(log.reused(), 2);
}

TEST(RunLog, AnUnwritableJournalNamesOut) {
  RunLog log;
  const Status s = log.open("/nonexistent-dir/runs.jsonl");
  EXPECT_FALSE(s);
  EXPECT_EQ(s.field(), "out");
}

}  // namespace
}  // namespace actlab::lab
