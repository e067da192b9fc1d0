// Results record themselves (docs/cli.md): every command's --json carries its plan, "actlab_version" and
// "command", and running the recorded plan — or the recorded command line — again gives the same numbers.
// Negative and out-of-range seeds are refused, not wrapped.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "support/process.hpp"

namespace actlab::testing {
namespace {

// The recorded command line's words as a POSIX shell reads them (plain words, '...' quoting, \' outside
// quotes: what shell_join writes), without the program name.
std::vector<std::string> command_words(const Json& j) {
  const std::string line = j.at("command").get<std::string>();
  std::vector<std::string> words;
  std::string w;
  bool in_word = false, quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\'')
        quoted = false;
      else
        w += c;
    } else if (c == '\'') {
      quoted = in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      w += line[++i];
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(w);
      w.clear();
      in_word = false;
    } else {
      w += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(w);
  EXPECT_FALSE(words.empty());
  if (!words.empty()) {
    EXPECT_EQ(words.front(), "actlab");
    words.erase(words.begin());
  }
  return words;
}

// j without the keys that say when or how fast it ran.
Json without_time(Json j) {
  if (j.is_object()) {
    for (const char* k : {"seconds", "search_seconds", "evaluations_per_minute"}) j.erase(k);
    for (auto& [k, v] : j.items()) v = without_time(v);
  } else if (j.is_array()) {
    for (auto& v : j) v = without_time(v);
  }
  return j;
}

void expect_recorded(const Json& j, const std::vector<std::string>& args) {
  EXPECT_EQ(j.at("actlab_version").get<std::string>().empty(), false);
  EXPECT_EQ(command_words(j), args);
}

TEST(RecordedResults, TrainJsonCarriesThePlanAndItsRerunIsTheSameRun) {
  const std::vector<std::string> args = {
      "train", "--data", "iris", "--model", "mlp:8x2", "--act",      "tanh",     "--init", "glorot",
      "--opt", "sgd",    "--lr", "0.05",    "--batch", "16",         "--epochs", "5",      "--seed",
      "7",     "--test", "0.25", "--val",   "0.1",     "--momentum", "0.5",      "--json"};
  const Json a = run_json(args);
  expect_recorded(a, args);
  const Json& p = a.at("plan");
  EXPECT_EQ(p["seed"], 7);
  EXPECT_EQ(p["model"]["acts"], "tanh");
  EXPECT_EQ(p["model"]["init"], "glorot");
  EXPECT_EQ(p["model"]["spec"], "mlp:8x2");
  EXPECT_EQ(p["optimizer"]["kind"], "sgd");
  EXPECT_DOUBLE_EQ(p["optimizer"]["lr"].get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(p["optimizer"]["momentum"].get<double>(), 0.5);
  EXPECT_EQ(p["batch"], 16);
  EXPECT_EQ(p["epochs"], 5);
  EXPECT_EQ(p["data"]["source"], "iris");
  EXPECT_DOUBLE_EQ(p["data"]["test"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(p["data"]["val"].get<double>(), 0.1);

  // The plan alone (not the flags we gave) as flags again: the same run, epoch by epoch.
  const Json b = run_json({"train",
                           "--data",
                           p["data"]["source"],
                           "--model",
                           p["model"]["spec"],
                           "--act",
                           p["model"]["acts"],
                           "--init",
                           p["model"]["init"],
                           "--opt",
                           p["optimizer"]["kind"],
                           "--lr",
                           json_dump(p["optimizer"]["lr"], false),
                           "--momentum",
                           json_dump(p["optimizer"]["momentum"], false),
                           "--batch",
                           json_dump(p["batch"], false),
                           "--epochs",
                           json_dump(p["epochs"], false),
                           "--seed",
                           json_dump(p["seed"], false),
                           "--test",
                           json_dump(p["data"]["test"], false),
                           "--val",
                           json_dump(p["data"]["val"], false),
                           "--standardize",
                           p["data"]["standardize"],
                           "--lr-schedule",
                           p["lr_schedule"],
                           "--threads",
                           json_dump(p["threads"], false),
                           "--json"});
  EXPECT_EQ(without_time(b.at("plan")), without_time(p));
  EXPECT_EQ(without_time(b.at("epochs")), without_time(a.at("epochs")));
  EXPECT_EQ(b.at("test_acc"), a.at("test_acc"));
  // And the recorded command line, run again.
  const Json c = run_json(command_words(a));
  EXPECT_EQ(without_time(c.at("epochs")), without_time(a.at("epochs")));
}

// Each study command: plan (or settings) in the JSON, and the recorded command repeats the result.
TEST(RecordedResults, EveryStudyCommandRepeatsFromItsCommandLine) {
  const std::vector<std::vector<std::string>> runs = {
      {"compare", "--data", "iris", "--model", "mlp:8x2", "--epochs", "3", "--lr", "0.03", "--seeds", "2",
       "--seed", "2", "--resamples", "100", "--arms", "relu; tanh@torch", "--json"},
      {"alacarte", "--data", "iris", "--layers", "2", "--replicates", "2", "--trials", "2", "--rounds", "50",
       "--seed", "2", "--json"},
      {"evolve", "--data", "iris", "--generations", "2", "--population", "4", "--epochs", "2",
       "--final-epochs", "0", "--seed", "2", "--workers", "1", "--json"},
      {"converge", "--acts", "tanh", "--opt", "adam", "--reflect", "off", "--seeds", "2", "--budget", "200",
       "--seed", "4", "--threads", "1", "--json"},
      {"theory", "eoc", "tanh", "--sigma-b", "0.1,0.3", "--json"},
  };
  for (const auto& args : runs) {
    SCOPED_TRACE(args[0]);
    const Json a = run_json(args);
    expect_recorded(a, args);
    if (args[0] != "theory") {
      const Json& plan = a.contains("plan") ? a["plan"] : a.at("settings");
      EXPECT_FALSE(plan.empty());
      const auto at = std::find(args.begin(), args.end(), "--seed");
      ASSERT_NE(at, args.end());
      EXPECT_EQ(plan.at("seed").dump(), *(at + 1));
    }
    const Json b = run_json(command_words(a));
    EXPECT_EQ(without_time(b), without_time(a));
  }
}

TEST(RecordedResults, NegativeOrOutOfRangeSeedsAreRefusedNamingTheFlag) {
  for (const char* seed : {"-1", "-7", "18446744073709551616", "1e3", "seven"}) {
    for (const std::vector<std::string>& cmd :
         {std::vector<std::string>{"train", "--data", "iris", "--epochs", "1"},
          std::vector<std::string>{"evolve", "--data", "iris"},
          std::vector<std::string>{"converge", "--acts", "tanh"},
          std::vector<std::string>{"theory", "kernel", "tanh"}}) {
      std::vector<std::string> args = cmd;
      args.insert(args.end(), {"--seed", seed});
      const ProcessResult r = run_actlab(args);
      EXPECT_EQ(r.exit_code, 2) << cmd[0] << " --seed " << seed << "\n" << r.err;
      EXPECT_NE(r.err.find("--seed: must be a whole number from 0 to 18446744073709551615"),
                std::string::npos)
          << r.err;
    }
  }
  // The largest seed is a seed.
  EXPECT_EQ(
      run_actlab({"train", "--data", "iris", "--epochs", "1", "--seed", "18446744073709551615"}).exit_code,
      0);
}

}  // namespace
}  // namespace actlab::testing
