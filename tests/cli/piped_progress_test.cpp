// Long commands through a pipe or into a log file (docs/cli.md): one plain line per epoch, generation or
// batch of trials as it happens, so a killed run's log already has them; a terminal keeps its progress bar.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "support/process.hpp"

namespace actlab::testing {
namespace {

struct Piped {
  std::string text;
  int status = -1;  // the pipeline's exit code
};

// `args` through `timeout -s KILL <seconds>`, stdout and stderr into a pipe read to its end.
Piped run_killed(const std::string& args, int seconds) {
  const std::string cmd =
      "timeout -s KILL " + std::to_string(seconds) + " " + std::string(ACTLAB_BINARY) + " " + args + " 2>&1";
  Piped p;
  std::FILE* in = popen(cmd.c_str(), "r");
  if (in == nullptr) return p;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, in)) > 0;) p.text.append(buf, n);
  const int st = pclose(in);
  p.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return p;
}

int count_lines_starting(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (std::size_t at = 0; at < text.size();) {
    if (text.compare(at, prefix.size(), prefix) == 0) ++n;
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return n;
}

TEST(PipedProgress, KilledTrainingLeavesOneLinePerFinishedEpoch) {
  // A million epochs of one-row steps: far longer than the 3 s it is given.
  const Piped p = run_killed("train --data iris --model mlp:32x3 --batch 1 --epochs 1000000 --seed 1", 3);
  EXPECT_EQ(p.status, 137) << p.text.substr(0, 400);  // killed by SIGKILL, as `timeout` reports it
  EXPECT_GE(count_lines_starting(p.text, "epoch 1/1000000 "), 1) << p.text.substr(0, 400);
  EXPECT_GE(count_lines_starting(p.text, "epoch "), 2) << p.text.substr(0, 400);
  EXPECT_NE(p.text.find(" train_loss "), std::string::npos);
  EXPECT_EQ(p.text.find('\r'), std::string::npos);  // no bar redraws in a log
}

TEST(PipedProgress, EvolveJsonLogsEachGenerationOnStderr) {
  const ProcessResult r =
      run_actlab({"evolve", "--data", "iris", "--generations", "3", "--population", "4", "--epochs", "1",
                  "--final-epochs", "0", "--seed", "1", "--workers", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_lines_starting(r.err, "generation "), 3) << r.err;
  EXPECT_EQ(count_lines_starting(r.err, "generation 3/3 "), 1) << r.err;
  output_json(r);  // stdout stays one JSON document
}

TEST(PipedProgress, AlacarteLogsBatchesOfTrials) {
  const ProcessResult r = run_actlab({"alacarte", "--data", "iris", "--layers", "2", "--replicates", "1",
                                      "--trials", "3", "--rounds", "50", "--seed", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(count_lines_starting(r.err, "alacarte "), 2) << r.err;
  output_json(r);
}

}  // namespace
}  // namespace actlab::testing
