// The à-la-carte objective in `actlab study` and the `actlab alacarte` protocol, through the real binary
// (small: a few trials on iris).
#include "lab/alacarte.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

#include "core/json.hpp"
#include "search/storage.hpp"
#include "search/study.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::run_actlab;
using testing::TempDir;

Json ok_json(const testing::ProcessResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

Json trials_of(const std::string& url, const std::string& name) {
  return ok_json(run_actlab({"study", "trials", "--storage", url, "--name", name, "--json"}));
}

TEST(AlacarteCli, StudyTrialsAreMenuNamesWithAccuracies) {
  TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  Json c = ok_json(run_actlab({"study", "create", "--storage", url, "--name", "a", "--space", "alacarte",
                               "--data", "iris", "--layers", "3", "--seed", "1", "--json"}));
  EXPECT_EQ(c["direction"], "maximize");
  EXPECT_EQ(c["space"]["params"].size(), 3u);
  EXPECT_EQ(c["objective"]["name"], "alacarte");
  ok_json(run_actlab({"study", "optimize", "--storage", url, "--name", "a", "--trials", "12", "--json"}));
  const Json t = trials_of(url, "a");
  ASSERT_EQ(t.size(), 12u);
  const auto& menu = lab::alacarte_menu();
  int complete = 0;
  for (const Json& trial : t) {
    ASSERT_EQ(trial["params"].size(), 3u);
    for (const auto& [k, v] : trial["params"].items()) {
      EXPECT_TRUE(k.rfind("activation", 0) == 0) << k;
      EXPECT_NE(std::find(menu.begin(), menu.end(), v.get<std::string>()), menu.end()) << v;
    }
    if (trial["state"] == "COMPLETE") {
      ++complete;
      const double v = trial["value"].get<double>();
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0);
    } else {
      EXPECT_EQ(trial["state"], "FAIL");
      EXPECT_FALSE(trial["reason"].get<std::string>().empty());
    }
  }
  EXPECT_GT(complete, 0);
}

TEST(AlacarteCli, TwoProcessesJoiningOneStudySeeTheSameSplit) {
  TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  ok_json(run_actlab({"study", "create", "--storage", url, "--name", "j", "--space", "alacarte", "--data",
                      "iris", "--layers", "3", "--seed", "4", "--sampler", "random", "--json"}));
  const std::vector<std::string> opt = {"study", "optimize", "--storage", url,     "--name",
                                        "j",     "--trials", "10",        "--json"};
  auto a = std::async(std::launch::async, [&] { return run_actlab(opt); });
  auto b = std::async(std::launch::async, [&] { return run_actlab(opt); });
  const Json ja = ok_json(a.get()), jb = ok_json(b.get());
  const Json shown = ok_json(run_actlab({"study", "show", "--storage", url, "--name", "j", "--json"}));
  const std::string stored = shown["objective"]["fingerprint"];
  EXPECT_EQ(stored.size(), 16u);
  EXPECT_EQ(ja["data"]["fingerprint"], stored);
  EXPECT_EQ(jb["data"]["fingerprint"], stored);
  EXPECT_EQ(ja["data"]["rows"], jb["data"]["rows"]);
  EXPECT_EQ(trials_of(url, "j").size(), 10u);  // one shared budget
}

TEST(AlacarteCli, ChangedDataIsRefusedWhenJoining) {
  TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db", csv = dir / "d.csv";
  std::string text = "a,b,label\n";
  for (int i = 0; i < 60; ++i)
    text += std::to_string(i % 7) + "," + std::to_string(i % 5) + "," + (i % 2 ? "x" : "y") + "\n";
  testing::write_text(csv, text);
  ok_json(run_actlab({"study", "create", "--storage", url, "--name", "c", "--space", "alacarte", "--data",
                      csv, "--layers", "2", "--json"}));
  testing::write_text(csv, text + "9,9,x\n");
  expect_bad_input({"study", "optimize", "--storage", url, "--name", "c", "--trials", "2"}, "--data");
  EXPECT_EQ(trials_of(url, "c").size(), 0u);
}

TEST(AlacarteCli, DivergingChoiceIsFailWithReason) {
  TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  ok_json(run_actlab({"study", "create", "--storage", url, "--name", "d", "--space", "alacarte", "--data",
                      "iris", "--layers", "3", "--json"}));
  {
    auto study = search::Study::open(url, "d");
    ASSERT_TRUE(study) << study.status().message();
    ASSERT_TRUE(study->enqueue(Json{{"activation0", "log"}, {"activation1", "log"}, {"activation2", "log"}}));
  }
  ok_json(run_actlab({"study", "optimize", "--storage", url, "--name", "d", "--trials", "1", "--json"}));
  const Json t = trials_of(url, "d");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]["state"], "FAIL");
  EXPECT_NE(t[0]["reason"].get<std::string>().find("diverged"), std::string::npos) << t[0]["reason"];
}

TEST(AlacarteCli, ProtocolTableHasThePapersColumns) {
  TempDir dir;
  const Json j = ok_json(run_actlab({"alacarte", "--data", "iris", "--layers", "3", "--replicates", "2",
                                     "--trials", "4", "--rounds", "200", "--seed", "2", "--csv",
                                     dir / "t.csv", "--markdown", dir / "t.md", "--json"}));
  ASSERT_EQ(j["table"].size(), 1u);
  EXPECT_EQ(j["settings"]["tpe_failed"], "worst");  // the TPE arm learns from NaN networks by default
  const Json& row = j["table"][0];
  EXPECT_EQ(row["dataset"], "iris");
  EXPECT_EQ(row["n"], 150);
  EXPECT_EQ(row["features"], 4);
  EXPECT_EQ(row["classes"], 3);
  EXPECT_EQ(row["layers"], 3);
  for (const char* arm : {"standard", "random", "tpe"}) {
    const double m = json_to_double(row["medians"][arm]);
    EXPECT_GE(m, 0.0);
    EXPECT_LE(m, 1.0);
  }
  EXPECT_TRUE(row["p_vs_standard"].contains("tpe"));
  const std::string w = row["winner"];
  EXPECT_TRUE(w == "standard" || w == "random" || w == "tpe");
  const double p = json_to_double(row["p"]);
  EXPECT_GE(p, 0.0);
  EXPECT_LE(p, 1.0);
  ASSERT_EQ(row["replicates"].size(), 2u);
  EXPECT_EQ(row["replicates"][0]["standard"]["activations"], (Json{"relu", "relu", "softmax"}));
  std::ifstream csv(dir / "t.csv"), md(dir / "t.md");
  std::string header, mdline;
  std::getline(csv, header);
  std::getline(md, mdline);
  EXPECT_EQ(header.rfind("dataset,n,features,classes,layers,standard,random,tpe,winner,p", 0), 0u) << header;
  EXPECT_EQ(mdline.rfind("| dataset | n | features | classes | layers |", 0), 0u) << mdline;
  ASSERT_EQ(j["summary"].size(), 2u);
  EXPECT_EQ(j["summary"][0]["arm"], "random");
}

TEST(AlacarteCli, RSetsAndTheWinsSummary) {
  // Two small R sets, one replicate: a row each and one summary line per search arm.
  auto r = run_actlab({"alacarte", "--data", "zoo,promoter-gene", "--layers", "3", "--replicates", "1",
                       "--trials", "2", "--arms", "standard,tpe", "--rounds", "100", "--seed", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| zoo | 101 | 16 | 7 | 3 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| promoter-gene | 106 | 228 | 2 | 3 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tpe vs standard, 3 layers, 2 data sets: "), std::string::npos) << r.out;
  expect_bad_input({"alacarte", "--data", "suite:tabluar", "--trials", "2"}, "--data: unknown suite");
}

// Trials by state over every study in a storage.
std::map<search::TrialState, int> states(const std::string& url) {
  std::map<search::TrialState, int> n;
  auto st = search::open_storage(url, search::OpenMode::kReadOnly);
  if (!st) return n;
  auto studies = (*st)->list_studies();
  if (!studies) return n;
  for (const auto& s : *studies) {
    auto t = (*st)->trials(s.id, false);
    if (t)
      for (const auto& r : *t) ++n[r.state];
  }
  return n;
}

// Issue 18: Ctrl-C of `actlab alacarte --storage` ends it cleanly (exit 130, the running trial back to
// WAITING, nothing RUNNING, a message with the command that resumes), and that command then ends with the
// same table as an uninterrupted run with the same seed.
TEST(AlacarteCli, InterruptedRunResumesToTheSameResult) {
  TempDir dir;
  const std::string url = "sqlite://" + dir / "a.db";
  const std::vector<std::string> run = {"alacarte",     "--data", "iris",     "--layers", "3",
                                        "--replicates", "2",      "--trials", "25",       "--rounds",
                                        "200",          "--seed", "5",        "--json"};
  auto with_storage = [&](const std::string& u) {
    std::vector<std::string> a = run;
    a.insert(a.end(), {"--storage", u});
    return a;
  };
  auto a = testing::start_actlab(with_storage(url));
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (states(url)[search::TrialState::kComplete] < 10 && !a.exited() &&
         std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_FALSE(a.exited()) << "the run ended before it could be interrupted";
  kill(a.pid, SIGINT);
  const auto r = a.wait(60);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("interrupted by SIGINT"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("resume with the same command:\n  actlab alacarte --data iris --layers 3"),
            std::string::npos)
      << r.err;
  auto left = states(url);
  EXPECT_EQ(left[search::TrialState::kRunning], 0);
  EXPECT_GT(left[search::TrialState::kComplete], 0);

  const Json resumed = ok_json(run_actlab(with_storage(url)));
  const Json plain = ok_json(run_actlab(with_storage("sqlite://" + dir / "b.db")));
  EXPECT_EQ(resumed["table"], plain["table"]);
  EXPECT_EQ(resumed["summary"], plain["summary"]);
  left = states(url);
  EXPECT_EQ(left[search::TrialState::kRunning] + left[search::TrialState::kWaiting], 0);
  auto fresh = states("sqlite://" + dir / "b.db");  // the same trials: the interruption added none
  EXPECT_EQ(left[search::TrialState::kComplete], fresh[search::TrialState::kComplete]);
  EXPECT_EQ(left[search::TrialState::kFail], fresh[search::TrialState::kFail]);
}

TEST(AlacarteCli, BadInputExits2NamingTheFlag) {
  TempDir dir;
  const std::string url = "sqlite://" + dir / "s.db";
  expect_bad_input({"alacarte", "--data", "irsi", "--trials", "2"}, "--data");
  expect_bad_input({"alacarte", "--data", "iris", "--layers", "0", "--trials", "2"}, "--layers");
  expect_bad_input({"alacarte", "--data", "iris", "--arms", "cmaes"}, "--arms");
  expect_bad_input({"alacarte", "--data", "iris", "--failed", "best"}, "--failed");
  expect_bad_input({"study", "create", "--storage", url, "--name", "x", "--objective", "synthetic",
                    "--sampler", "tpe:fail-best"},
                   "--sampler");
  expect_bad_input(
      {"study", "create", "--storage", url, "--name", "x", "--space", "alacarte", "--data", "irsi"},
      "--data");
  expect_bad_input({"study", "create", "--storage", url, "--name", "x", "--space", "alacarte", "--data",
                    "iris", "--layers", "0"},
                   "--layers");
  expect_bad_input({"study", "create", "--storage", url, "--name", "x", "--space", "alacarte", "--data",
                    "iris", "--direction", "minimize"},
                   "--direction");
  EXPECT_FALSE(std::filesystem::exists(dir / "s.db"));  // nothing written
  // Resuming the protocol on a storage whose study of that name has another space.
  ok_json(run_actlab({"study", "create", "--storage", url, "--name", "alacarte-iris-L3-r0-s0-random",
                      "--objective", "synthetic", "--json"}));
  expect_bad_input({"alacarte", "--data", "iris", "--layers", "3", "--replicates", "1", "--trials", "2",
                    "--arms", "standard,random", "--storage", url},
                   "--storage");
}

}  // namespace
}  // namespace actlab::cli
