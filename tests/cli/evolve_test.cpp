// actlab evolve, evolve show, evolve work: the whole command on iris (small and fast), stored runs resumed.
#include <gtest/gtest.h>

#include "activations/activation.hpp"
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
