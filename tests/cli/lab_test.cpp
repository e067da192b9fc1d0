// actlab lab through the real executable on iris: the summary, the files of the run directory, bad input
// naming its flag, Ctrl-C's exit code and message, and a run killed (SIGKILL) in the middle of the search
// that the same command finishes with the uninterrupted result.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) ++n;
  return n;
}

std::vector<std::string> iris(const std::string& out, std::initializer_list<std::string> more = {}) {
  std::vector<std::string> a = {"lab",
                                "--data",
                                "iris",
                                "--depth",
                                "3",
                                "--width",
                                "8",
                                "--candidates",
                                "relu,tanh,repu,swish",
                                "--epochs",
                                "15",
                                "--lr",
                                "0.03",
                                "--screen-seeds",
                                "1",
                                "--screen-epochs",
                                "5",
                                "--seeds",
                                "3",
                                "--seed",
                                "4",
                                "--explain-points",
                                "2",
                                "--out",
                                out};
  a.insert(a.end(), more);
  return a;
}

// The stages' results without times, paths and run counts; the search as its finished trials in order.
Json essence(Json j) {
  for (const char* k : {"seconds", "runs_trained", "runs_reused", "settings", "command", "actlab_version"})
    j.erase(k);
  j["confirm"].erase("seconds");
  j["search"].erase("storage");
  Json kept = Json::array();
  for (const Json& t : j["search"]["trials"])
    if (t["reason"].get<std::string>().find("worker") == std::string::npos)
      kept.push_back({{"activations", t["activations"]}, {"val_acc", t["val_acc"]}, {"state", t["state"]}});
  j["search"]["trials"] = kept;
  j["summary"].erase("text");
  return j;
}

TEST(LabCli, SummaryReportAndResults) {
  TempDir dir;
  const std::string out = dir / "run";
  const ProcessResult r = run_actlab(iris(out, {"--trials", "8"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* s :
       {"1 theory", "2 screen", "3 search", "4 confirm", "5 explain", "Recommendation for iris", "report: "})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  // Redirected: one plain line per stage on stderr.
  for (const char* s : {"lab: stage 1/5 theory", "lab: stage 3/5 search", "lab: stage 5/5 explain"})
    EXPECT_NE(r.err.find(s), std::string::npos) << s << "\n" << r.err;
  const Json j = Json::parse(slurp(out + "/results.json"));
  for (const char* k : {"settings", "data", "theory", "screen", "search", "confirm", "explain", "summary"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["settings"]["command"].get<std::string>().rfind("actlab lab --data iris", 0), 0u);
  EXPECT_EQ(j["search"]["trials"].size(), 8u);
  const std::string html = slurp(out + "/report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(slurp(out + "/report.md").find("## 4. Confirmation"), std::string::npos);
  EXPECT_GT(lines(out + "/runs.jsonl"), 10u);

  // --json prints the same results (read back from the run directory: nothing is trained again).
  const Json again = run_json(iris(out, {"--trials", "8", "--json"}));
  EXPECT_EQ(again["runs_trained"], 0);
  EXPECT_EQ(essence(again), essence(j));
}

TEST(LabCli, BadInputNamesTheFlag) {
  TempDir dir;
  expect_bad_input(iris(dir / "a", {"--candidates", "relu,nosuch"}), "--candidates");
  expect_bad_input(iris(dir / "b", {"--seeds", "1"}), "--seeds");
  expect_bad_input(iris(dir / "c", {"--screen-seeds", "0"}), "--screen-seeds");
  expect_bad_input({"lab", "--data", "no-such-set", "--out", dir / "d"}, "--data");
  expect_bad_input(iris(dir / "e", {"--trials", "8", "--storage", "nonsense"}),
                   "--storage: 'nonsense' is not a storage URL");
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir / "e") / "runs.jsonl"));  // before any run
}

// Killed with SIGKILL after a few search trials (nothing released, a trial left RUNNING): the same command
// retries that trial in its place and ends exactly where an uninterrupted run ends.
TEST(LabCli, KilledInTheSearchResumesToTheUninterruptedResult) {
  TempDir dir;
  const std::string whole = dir / "whole", cut = dir / "cut";
  const Json expected = run_json(iris(whole, {"--trials", "12", "--json"}));

  Background b = start_actlab(iris(cut, {"--trials", "12"}));
  // Wait for the search to have finished a few trials: the screen has 8 runs, so > 10 lines in runs.jsonl.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (lines(cut + "/runs.jsonl") < 11 && std::chrono::steady_clock::now() < deadline && !b.exited())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_FALSE(b.exited()) << "finished before it could be killed";
  kill(b.pid, SIGKILL);
  EXPECT_EQ(b.wait(20).exit_code, 128 + SIGKILL);

  const Json resumed = run_json(iris(cut, {"--trials", "12", "--json"}));
  EXPECT_GT(resumed["runs_reused"].get<int>(), 0);
  EXPECT_EQ(essence(resumed), essence(expected));
}

TEST(LabCli, CtrlCStopsAndSaysHowToResume) {
  TempDir dir;
  const std::string out = dir / "run";
  Background b = start_actlab(iris(out, {"--trials", "400"}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (lines(out + "/runs.jsonl") < 12 && std::chrono::steady_clock::now() < deadline && !b.exited())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_FALSE(b.exited());
  kill(b.pid, SIGINT);
  const ProcessResult r = b.wait(30);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.err.find("interrupted by SIGINT"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("run the same command again"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("actlab lab --data iris"), std::string::npos) << r.err;
}

// The report as a browser sees it: scripts/check_report.sh opens it in headless Chromium (no request may
// leave the page), keeps a screenshot under build/lab-report-check/ and dumps the DOM, which must hold every
// section, its tables and its inline SVG figures. Skipped only where chromium is not installed.
TEST(LabCli, ReportOpensInChromiumWithEverySectionTableAndFigure) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium not installed (scripts/install-deps.sh installs it)";
  TempDir dir;
  const std::string out = dir / "run";
  const ProcessResult r = run_actlab(iris(out, {"--trials", "8"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::filesystem::path check = std::filesystem::path(ACTLAB_BINARY).parent_path() / "lab-report-check";
  std::filesystem::create_directories(check);
  const std::string cmd = std::string("'") + ACTLAB_SOURCE_DIR + "/scripts/check_report.sh' '" + out +
                          "/report.html' '" + check.string() + "'";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << cmd << " (see " << (check / "chromium.log") << ")";
  EXPECT_GT(std::filesystem::file_size(check / "report.png"), 30000u);
  const std::string dom = slurp((check / "report.dom.html").string());
  for (const char* s : {"actlab lab: which activation for iris?", "Question and answer", "1. Theory screen",
                        "2. Quick screen", "3. Search", "4. Confirmation", "5. Explanation", "Reproduce",
                        "Recommendation for iris", "cannot be stabilised", "actlab lab --data iris"})
    EXPECT_NE(dom.find(s), std::string::npos) << s;
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = dom.find(what); at != std::string::npos; at = dom.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_GE(count("<table"),
            7u);  // answer (confirmation, settings), theory, screen, search, confirmation, SHAP
  EXPECT_GE(count("<svg"), 4u);  // edge of chaos, screen, search, confirmation
}

}  // namespace
}  // namespace actlab::testing
