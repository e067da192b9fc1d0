// actlab evolve, evolve show, evolve work: the whole command on iris (small and fast), stored runs resumed.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <thread>

#include "activations/activation.hpp"
#include "search/storage.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

std::vector<std::string> small(std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"evolve", "--data",   "iris", "--generations", "3", "--population",
                                "6",      "--epochs", "4",    "--replicates",  "3", "--seed",
                                "2",      "--json"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(EvolveCli, CoevolutionRunReportsHistoryBestTheoryAndTheFinalComparison) {
  const Json j = run_json(small({"--workers", "2", "--final-epochs", "10"}));
  ASSERT_EQ(j["history"].size(), 3u);
  for (const Json& g : j["history"]) ASSERT_EQ(g["slot_best"].size(), 3u);
  const Json& best = j["best"]["formulas"];
  ASSERT_EQ(best.size(), 3u);
  for (const Json& f : best) EXPECT_TRUE(activations::Activation::make(f.get<std::string>())) << f;
  EXPECT_GE(j["best"]["fitness"].get<double>(), j["baseline"]["fitness"].get<double>());
  EXPECT_GT(j["evaluations"].get<int>(), 18);
  ASSERT_EQ(j["theory"].size(), 3u);
  EXPECT_TRUE(j["theory"][0]["classification"].contains("class"));
  const Json& fin = j["final"];
  EXPECT_EQ(fin["evolved"]["test_acc"].size(), 3u);
  EXPECT_EQ(fin["baseline"]["test_acc"].size(), 3u);
  EXPECT_TRUE(fin["baseline"].contains("median"));
}

// Same seed, same run, whatever the number of training threads (each evaluation has its own seeds).
TEST(EvolveCli, SameSeedSameRunWithOneOrTwoWorkers) {
  const Json a = run_json(small({"--workers", "1", "--method", "evo-triple", "--final-epochs", "0"}));
  const Json b = run_json(small({"--workers", "2", "--method", "evo-triple", "--final-epochs", "0"}));
  EXPECT_EQ(a["history"].size(), b["history"].size());
  for (std::size_t g = 0; g < a["history"].size(); ++g) {
    EXPECT_EQ(a["history"][g]["best"], b["history"][g]["best"]);
    EXPECT_EQ(a["history"][g]["slot_best"], b["history"][g]["slot_best"]);
  }
  EXPECT_EQ(a["best"], b["best"]);
}

// A stored run that stopped after 2 generations, resumed for 3: it trains only what is new, and ends exactly
// where an uninterrupted 3-generation run ends.
TEST(EvolveCli, StoredRunResumesFromItsEvaluations) {
  TempDir dir;
  const std::string url = "sqlite:///" + (dir / "ev.db");
  std::vector<std::string> base = {
      "evolve", "--data", "iris", "--population", "5",      "--epochs",  "4", "--final-epochs", "0",
      "--seed", "3",      "--gp", "cgp",          "--json", "--storage", url, "--name",         "r"};
  auto with_gens = [&](const char* g) {
    std::vector<std::string> a = base;
    a.insert(a.end(), {"--generations", g});
    return a;
  };
  const Json first = run_json(with_gens("2"));
  EXPECT_EQ(first["evaluations_from_storage"], 0);
  const Json resumed = run_json(with_gens("3"));
  EXPECT_GT(resumed["evaluations_from_storage"].get<int>(), 0);
  std::vector<std::string> fresh = {
      "evolve", "--data", "iris", "--population", "5",      "--epochs",      "4", "--final-epochs", "0",
      "--seed", "3",      "--gp", "cgp",          "--json", "--generations", "3"};
  const Json plain = run_json(fresh);
  EXPECT_EQ(resumed["best"], plain["best"]);
  EXPECT_EQ(resumed["history"].back()["best"], plain["history"].back()["best"]);

  const Json shown = run_json({"evolve", "show", "--storage", url, "--name", "r", "--json"});
  EXPECT_EQ(shown["pending"], 0);
  EXPECT_EQ(shown["complete"].get<int>() + shown["failed"].get<int>(), resumed["evaluations"].get<int>());
  EXPECT_EQ(shown["best"]["fitness"], resumed["best"]["fitness"]);
  EXPECT_EQ(shown["best"]["theory"].size(), 3u);

  // Other settings under the same name: refused, naming the setting.
  std::vector<std::string> other = with_gens("3");
  other.insert(other.end(), {"--lr", "0.5"});
  expect_bad_input(other, "lr");
}

// Trials of study `name` by state.
std::map<search::TrialState, int> states(const std::string& url, const std::string& name) {
  std::map<search::TrialState, int> n;
  auto st = search::open_storage(url, search::OpenMode::kReadOnly);
  if (!st) return n;
  auto study = (*st)->get_study(name);
  if (!study) return n;
  auto t = (*st)->trials(study->id, false);
  if (t)
    for (const auto& r : *t) ++n[r.state];
  return n;
}

// Issue 18: SIGINT, then SIGTERM, of a stored run: each ends it cleanly (exit 130 / 143, the running
// evaluations back to WAITING, nothing RUNNING, a message with the command that resumes); that command then
// ends exactly where an uninterrupted run with the same seed ends.
TEST(EvolveCli, InterruptedStoredRunResumesToTheSameResult) {
  TempDir dir;
  const std::string url = "sqlite:///" + (dir / "ev.db");
  std::vector<std::string> args = {
      "evolve", "--data", "iris", "--population", "6", "--generations",  "4", "--epochs",     "25", "--seed",
      "4",      "--gp",   "cgp",  "--workers",    "1", "--final-epochs", "3", "--replicates", "2",  "--json"};
  std::vector<std::string> stored = args;
  stored.insert(stored.end(), {"--storage", url, "--name", "r"});
  int complete = 0;
  for (const int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig == SIGINT ? "SIGINT" : "SIGTERM");
    auto a = start_actlab(stored);
    const int target = complete + 4;  // a few evaluations more than the last run left
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (states(url, "r")[search::TrialState::kComplete] < target && !a.exited() &&
           std::chrono::steady_clock::now() < end)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_FALSE(a.exited()) << "the run ended before it could be interrupted";
    kill(a.pid, sig);
    const auto r = a.wait(60);
    EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(sig == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("resume with the same command (it reads them back and trains only the rest):\n  "
                         "actlab evolve --data iris --population 6"),
              std::string::npos)
        << r.err;
    auto left = states(url, "r");
    EXPECT_EQ(left[search::TrialState::kRunning], 0);
    EXPECT_GE(left[search::TrialState::kComplete], target);
    complete = left[search::TrialState::kComplete];
  }
  const Json resumed = run_json(stored);
  const Json plain = run_json(args);
  EXPECT_GT(resumed["evaluations_from_storage"].get<int>(), 0);
  EXPECT_EQ(resumed["best"], plain["best"]);
  EXPECT_EQ(resumed["history"].size(), plain["history"].size());
  for (std::size_t g = 0; g < plain["history"].size(); ++g)
    EXPECT_EQ(resumed["history"][g]["best"], plain["history"][g]["best"]) << g;
  EXPECT_EQ(resumed["final"]["evolved"]["test_acc"], plain["final"]["evolved"]["test_acc"]);
  auto left = states(url, "r");
  EXPECT_EQ(left[search::TrialState::kRunning] + left[search::TrialState::kWaiting], 0);
}

// Without a storage nothing is kept, and the message says how to make a run resumable.
TEST(EvolveCli, InterruptedUnstoredRunSaysNothingIsKept) {
  auto a = start_actlab({"evolve", "--data", "iris", "--population", "6", "--generations", "50", "--epochs",
                         "25", "--workers", "1", "--final-epochs", "0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_FALSE(a.exited());
  kill(a.pid, SIGINT);
  const auto r = a.wait(60);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.err.find("nothing is kept (no --storage)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--storage sqlite:///path/evolve.db --name run1"), std::string::npos) << r.err;
}

TEST(EvolveCli, WorkerJoinsAStoredRunAndStopsWhenIdle) {
  TempDir dir;
  const std::string url = "sqlite:///" + (dir / "w.db");
  run_json({"evolve", "--data", "iris", "--generations", "1", "--population", "3", "--epochs", "2",
            "--final-epochs", "0", "--storage", url, "--name", "w", "--json"});
  const Json j = run_json({"evolve", "work", "--storage", url, "--name", "w", "--idle", "0.5", "--json"});
  EXPECT_EQ(j["stopped"], "idle");
}

// The best triple goes into a user catalog, and other commands take it by name with --catalog.
TEST(EvolveCli, SavedFunctionsAreCatalogEntriesForEveryCommand) {
  TempDir dir;
  const std::string cat = dir / "evolved.json";
  const Json j = run_json(small({"--final-epochs", "0", "--save-catalog", cat, "--catalog-prefix", "evo_t"}));
  ASSERT_EQ(j["saved"]["names"], Json::array({"evo_t_input", "evo_t_hidden", "evo_t_output"}));
  const Json shown = run_json({"--catalog", cat, "act", "show", "evo_t_hidden", "--json"});
  const Json direct = run_json({"act", "show", j["best"]["formulas"][1].get<std::string>(), "--json"});
  EXPECT_EQ(shown["values"], direct["values"]);
  run_json({"--catalog", cat, "theory", "classify", "evo_t_input", "--json"});
  expect_bad_input({"act", "show", "evo_t_hidden"}, "evo_t_hidden");  // not without the catalog
}

TEST(EvolveCli, BadInputIsNamed) {
  expect_bad_input({"evolve", "--data", "iris", "--population", "1"}, "--population");
  expect_bad_input({"evolve", "--data", "iris", "--height-limit", "0"}, "--height-limit");
  expect_bad_input({"evolve", "--data", "iris", "--primitives", "add,relu,swishh"}, "swishh");
  expect_bad_input({"evolve", "--data", "iris", "--method", "coevolution"}, "--method");
  expect_bad_input({"evolve", "--data", "iris", "--gp", "linear"}, "--gp");
  expect_bad_input({"evolve", "--data", "iris", "--cgp-grid", "5by5"}, "--cgp-grid");
  expect_bad_input({"evolve", "--data", "iris", "--gp", "cgp", "--constants"}, "constants");
  expect_bad_input({"evolve", "--data", "nope"}, "--data");
  expect_bad_input({"evolve", "--generations", "2"}, "--data");
  expect_bad_input({"evolve", "--data", "iris", "--name", "x"}, "--storage");
  expect_bad_input({"evolve", "show", "--storage", "sqlite:///nonexistent/dir/x.db", "--name", "x"},
                   "--storage");
  TempDir dir;
  write_text(dir / "one.csv", "a,b,label\n1,2,yes\n3,4,yes\n5,6,yes\n");
  expect_bad_input({"evolve", "--data", dir / "one.csv"}, "1 class");
}

}  // namespace
}  // namespace actlab::testing
