// actlab study, run as a user would: the JSON shapes, bad input (exit 2 naming the flag, nothing written),
// and on both backends (SQLite file; PostgreSQL cluster from scripts/pg-test-cluster.sh) the issue's
// acceptance runs: 4 optimize processes on one study with 200 trials → numbers 0..199 dense, none lost or
// doubled; kill -9 of a worker in the middle of a trial → the next optimize re-runs it with the same
// parameters and the study completes; the database passes its integrity check.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/json.hpp"
#include "search/storage.hpp"
#include "support/pg_cluster.hpp"
#include "support/process.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::output_json;
using testing::run_actlab;

class StudyCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/actlab_cli_study_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    if (GetParam() == "sqlite") {
      url_ = "sqlite://" + dir_ + "/s.db";
    } else {
      const auto& pg = testing::pg_cluster();
      ASSERT_TRUE(pg.error.empty()) << pg.error;
      url_ = pg.url;
    }
    name_ = "s" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name_) c = c == '/' ? '_' : c;
  }
  void TearDown() override { (void)std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::vector<search::TrialRecord> trials() {
    auto st = search::open_storage(url_, search::OpenMode::kReadOnly);
    EXPECT_TRUE(st) << st.status().message();
    auto study = (*st)->get_study(name_);
    EXPECT_TRUE(study);
    auto t = (*st)->trials(study->id, false);
    EXPECT_TRUE(t);
    auto problems = (*st)->check_integrity();
    EXPECT_TRUE(problems && problems->empty()) << (problems && !problems->empty() ? (*problems)[0] : "");
    return *t;
  }
  std::string dir_, url_, name_;
};

TEST_P(StudyCli, CreateShowListTrials) {
  Json c = output_json(
      run_actlab({"study", "create", "--storage", url_, "--name", name_, "--objective", "synthetic",
                  "--sampler", "random", "--seed", "5", "--categorical", "3", "--choices", "4", "--json"}));
  EXPECT_EQ(c["name"], name_);
  EXPECT_EQ(c["space"]["params"].size(), 5u);
  Json o = output_json(
      run_actlab({"study", "optimize", "--storage", url_, "--name", name_, "--trials", "12", "--json"}));
  EXPECT_EQ(o["this_run"]["complete"], 12);
  EXPECT_EQ(o["states"]["COMPLETE"], 12);
  Json s = output_json(run_actlab({"study", "show", "--storage", url_, "--name", name_, "--json"}));
  EXPECT_EQ(s["n_trials"], 12);
  for (const char* key : {"number", "state", "params", "value", "retries", "worker", "started", "finished"}) {
    EXPECT_TRUE(s["best"].contains(key)) << key;
  }
  Json t = output_json(run_actlab({"study", "trials", "--storage", url_, "--name", name_, "--json"}));
  ASSERT_EQ(t.size(), 12u);
  EXPECT_EQ(t[11]["number"], 11);
  Json l = output_json(run_actlab({"study", "list", "--storage", url_, "--json"}));
  bool found = false;
  for (const Json& row : l) found |= row["name"] == name_;
  EXPECT_TRUE(found);
  auto table = run_actlab({"study", "trials", "--storage", url_, "--name", name_});
  EXPECT_NE(table.out.find("COMPLETE"), std::string::npos);
  // The same name again: refused, and the first study is untouched.
  expect_bad_input({"study", "create", "--storage", url_, "--name", name_, "--objective", "synthetic"},
                   "already exists");
  EXPECT_EQ(trials().size(), 12u);
}

TEST_P(StudyCli, FourProcessesShareOneStudy) {
  output_json(run_actlab({"study", "create", "--storage", url_, "--name", name_, "--objective", "synthetic",
                          "--seed", "1", "--json"}));
  std::vector<std::thread> procs;
  std::vector<testing::ProcessResult> results(4);
  for (int p = 0; p < 4; ++p) {
    procs.emplace_back([&, p] {
      results[p] = run_actlab({"study", "optimize", "--storage", url_, "--name", name_, "--trials", "200",
                               "--delay-ms", "2", "--json"});
    });
  }
  for (auto& t : procs) t.join();
  int total = 0;
  for (const auto& r : results) total += output_json(r)["this_run"]["complete"].get<int>();
  EXPECT_EQ(total, 200);
  const auto all = trials();
  ASSERT_EQ(all.size(), 200u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].number, static_cast<std::int64_t>(i));
    EXPECT_EQ(all[i].state, search::TrialState::kComplete);
  }
}

TEST_P(StudyCli, KilledWorkersTrialIsRetriedWithTheSameParameters) {
  output_json(run_actlab(
      {"study", "create", "--storage", url_, "--name", name_, "--objective", "synthetic", "--json"}));
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(ACTLAB_BINARY, ACTLAB_BINARY, "study", "optimize", "--storage", url_.c_str(), "--name",
          name_.c_str(), "--trials", "5", "--delay-ms", "3000", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the worker is inside its first trial, then kill it without warning.
  Json running_params;
  for (int i = 0; i < 200 && running_params.is_null(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& t : trials()) {
      if (t.state == search::TrialState::kRunning && !t.params.is_null()) running_params = t.params;
    }
  }
  ASSERT_FALSE(running_params.is_null()) << "the worker never started a trial";
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  Json o = output_json(
      run_actlab({"study", "optimize", "--storage", url_, "--name", name_, "--trials", "5", "--json"}));
  EXPECT_EQ(o["this_run"]["retried"], 1);
  const auto all = trials();
  ASSERT_EQ(all.size(), 6u);  // 5 originals + 1 retry
  EXPECT_EQ(all[0].state, search::TrialState::kFail);
  EXPECT_NE(all[0].reason.find("exited"), std::string::npos) << all[0].reason;
  EXPECT_EQ(all[0].params, running_params);
  int complete = 0;
  for (const auto& t : all) {
    complete += t.state == search::TrialState::kComplete;
    if (t.retry_of) {
      EXPECT_EQ(*t.retry_of, 0);
      EXPECT_EQ(t.params, running_params);
      EXPECT_EQ(t.state, search::TrialState::kComplete);
    }
  }
  EXPECT_EQ(complete, 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, StudyCli, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(StudyCliInput, BadInputExitsTwoNamingTheFlagAndWritesNothing) {
  char dir[] = "/tmp/actlab_cli_bad_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string url = std::string("sqlite://") + dir + "/s.db";
  expect_bad_input({"study", "create", "--storage", url, "--name", "a", "--objective", "bogus"},
                   "--objective");
  expect_bad_input({"study", "create", "--storage", url, "--name", "a", "--objective", "alacarte"}, "--data");
  expect_bad_input(
      {"study", "create", "--storage", url, "--name", "a", "--objective", "synthetic", "--sampler", "cmaes"},
      "--sampler");
  expect_bad_input(
      {"study", "create", "--storage", url, "--name", "a", "--objective", "synthetic", "--direction", "up"},
      "--direction");
  expect_bad_input(
      {"study", "create", "--storage", url, "--name", "a", "--objective", "synthetic", "--choices", "1"},
      "--choices");
  expect_bad_input({"study", "create", "--storage", "mysql://x/y", "--name", "a", "--objective", "synthetic"},
                   "--storage");
  EXPECT_NE(access((std::string(dir) + "/s.db").c_str(), F_OK), 0) << "bad input wrote a database";
  expect_bad_input({"study", "optimize", "--storage", url, "--name", "a", "--trials", "5"}, "no database");
  EXPECT_NE(access((std::string(dir) + "/s.db").c_str(), F_OK), 0) << "optimize created a database";
  output_json(
      run_actlab({"study", "create", "--storage", url, "--name", "a", "--objective", "synthetic", "--json"}));
  expect_bad_input({"study", "optimize", "--storage", url, "--name", "b", "--trials", "5"},
                   "no study named 'b'");
  expect_bad_input({"study", "optimize", "--storage", url, "--name", "a", "--trials", "0"}, "--trials");
  expect_bad_input({"study", "optimize", "--storage", url, "--name", "a", "--trials", "5", "--workers", "0"},
                   "--workers");
  expect_bad_input({"study", "show", "--storage", url, "--name", "zz"}, "--name");
  (void)std::system((std::string("rm -rf ") + dir).c_str());
}

}  // namespace
}  // namespace actlab::cli
