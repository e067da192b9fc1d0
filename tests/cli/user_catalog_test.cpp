// The user catalog from the command line: --catalog before the command, $ACTLAB_CATALOG, the default file
// under $XDG_CONFIG_HOME (or ~/.config), and exit code 2 for a missing or bad file. Each test points HOME and
// XDG_CONFIG_HOME at a fresh temporary folder, so the developer's own ~/.config is never read.
#include "cli/user_catalog.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::run_actlab;
using testing::run_json;
using testing::TempDir;
using testing::write_text;

using testing::ScopedEnv;

constexpr char kCatalog[] = R"j({"format": "actlab-catalog", "version": 1, "entries": [
  {"name": "evo_1", "formula": "max(relu(x), tanh(x))", "description": "evolved on iris",
   "reference": "actlab evolve --data iris --seed 1"},
  {"name": "evo_2", "formula": "evo_1(x) + a*x", "params": [{"name": "a", "default": 0.5}],
   "range": ["-inf", "inf"], "kinks": "0", "monotone": true}
]}
)j";

class UserCatalogCli : public ::testing::Test {
 protected:
  TempDir home_;
  ScopedEnv h_{"HOME", home_.path().c_str()};
  ScopedEnv x_{"XDG_CONFIG_HOME", (home_ / "config").c_str()};
  ScopedEnv a_{"ACTLAB_CATALOG", nullptr};
  TempDir dir_;
};

TEST_F(UserCatalogCli, CatalogFlagMakesEntriesNamesForActShow) {
  const std::string file = dir_ / "mine.json";
  write_text(file, kCatalog);
  Json j = run_json({"--catalog", file, "act", "show", "evo_1", "--at", "-1,2", "--json"});
  EXPECT_EQ(j["name"], "evo_1");
  EXPECT_EQ(j["source"], "user");
  EXPECT_EQ(j["user_catalog"], file);
  EXPECT_EQ(j["description"], "evolved on iris");
  EXPECT_EQ(j["formula"], "max(relu(x), tanh(x))");
  EXPECT_EQ(j["range_source"], "estimated");  // nothing declared
  EXPECT_EQ(j["kinks"], Json::array({0.0}));
  EXPECT_EQ(j["values"][0]["f"], 0.0);
  EXPECT_EQ(j["values"][1]["f"], 2.0);
  EXPECT_EQ(j["values"][1]["df"], 1.0);

  Json two = run_json({"--catalog", file, "act", "show", "evo_2", "--param", "a=1", "--at", "2", "--json"});
  EXPECT_EQ(two["range_source"], "declared");
  EXPECT_EQ(two["monotone"], true);
  EXPECT_EQ(two["values"][0]["f"], 4.0);
  // Formulas call user entries like built-in ones.
  Json f = run_json({"--catalog", file, "act", "show", "2*evo_2(x, a=0)", "--at", "3", "--json"});
  EXPECT_EQ(f["values"][0]["f"], 6.0);

  auto text = run_actlab({"--catalog", file, "act", "show", "evo_1"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("evo_1  (user catalog " + file + ")"), std::string::npos) << text.out;
  // Without the catalog the name is unknown again.
  expect_bad_input({"act", "show", "evo_1"}, "unknown activation 'evo_1'");
}

TEST_F(UserCatalogCli, ActListMarksUserEntriesAndTheirFile) {
  const std::string file = dir_ / "mine.json";
  write_text(file, kCatalog);
  Json j = run_json({"--catalog", file, "act", "list", "--json"});
  const Json& rows = j["activations"];
  ASSERT_GE(rows.size(), 2u);
  const Json& last = rows[rows.size() - 1];
  EXPECT_EQ(last["name"], "evo_2");
  EXPECT_EQ(last["user_catalog"], file);
  EXPECT_EQ(last["properties_declared"], true);
  EXPECT_EQ(rows[rows.size() - 2]["properties_declared"], false);
  EXPECT_TRUE(rows[0]["user_catalog"].is_null());
  EXPECT_EQ(j["count"].get<std::size_t>(),
            run_json({"act", "list", "--json"})["count"].get<std::size_t>() + 2);

  auto text = run_actlab({"--catalog", file, "act", "list"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("2 user entries (flag \"user\") from " + file), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("user,monotone"), std::string::npos) << text.out;
  // The menu is not changed by user entries.
  EXPECT_EQ(run_json({"--catalog", file, "act", "list", "--menu", "alacarte", "--json"})["count"], 48);
}

TEST_F(UserCatalogCli, EnvironmentVariableAndDefaultFile) {
  const std::string file = dir_ / "env.json";
  write_text(file, kCatalog);
  {
    ScopedEnv env("ACTLAB_CATALOG", file.c_str());
    EXPECT_EQ(run_json({"act", "show", "evo_1", "--json"})["user_catalog"], file);
    // --catalog wins over the variable.
    const std::string other = dir_ / "other.json";
    write_text(other,
               R"j({"format": "actlab-catalog", "version": 1, "entries": [{"name": "o", "formula": "x"}]})j");
    EXPECT_EQ(run_json({"--catalog", other, "act", "show", "o", "--json"})["user_catalog"], other);
    expect_bad_input({"--catalog", other, "act", "show", "evo_1"}, "unknown activation");
  }
  // The default file, read when it exists.
  const std::string def = home_ / "config/actlab/catalog.json";
  EXPECT_EQ(default_catalog_path(), def);
  std::filesystem::create_directories(home_ / "config/actlab");
  write_text(def, kCatalog);
  EXPECT_EQ(run_json({"act", "show", "evo_2", "--json"})["user_catalog"], def);
  {
    // Without XDG_CONFIG_HOME (or with a relative one), ~/.config.
    ScopedEnv rel("XDG_CONFIG_HOME", "relative/dir");
    EXPECT_EQ(default_catalog_path(), home_ / ".config/actlab/catalog.json");
    expect_bad_input({"act", "show", "evo_2"}, "unknown activation");
  }
  // A malformed default file is an error too, named with its line and column.
  write_text(def, "{\"format\": \"actlab-catalog\",\n  \"version\": 1,\n  \"entries\": [}\n");
  expect_bad_input({"act", "list"}, "default user catalog: " + def + ":3:");
}

TEST_F(UserCatalogCli, MissingOrBadFilesExitTwo) {
  expect_bad_input({"--catalog", dir_ / "nope.json", "act", "list"},
                   "--catalog: " + (dir_ / "nope.json") + ": no such catalog file");
  {
    ScopedEnv env("ACTLAB_CATALOG", (dir_ / "gone.json").c_str());
    expect_bad_input({"act", "list"}, "ACTLAB_CATALOG: " + (dir_ / "gone.json") + ": no such catalog file");
  }
  const std::string bad = dir_ / "bad.json";
  write_text(bad, R"j({"format": "actlab-catalog", "version": 1, "entries": [
  {"name": "sigmoid", "formula": "x"}]})j");
  expect_bad_input({"--catalog", bad, "act", "list"}, "entries[0] \"sigmoid\": the name clashes with");
  write_text(bad, R"j({"format": "actlab-catalog", "version": 1, "entries": [
  {"name": "ok", "formula": "relu(x) + sigmod(x)"}]})j");
  expect_bad_input({"--catalog", bad, "act", "show", "relu"},
                   bad + ":2:40: entries[0] \"ok\": formula: unknown function 'sigmod'");
  // Help still works, and does not read the catalog; it lists the option.
  EXPECT_EQ(run_actlab({"--catalog", bad, "--help"}).exit_code, 0);
  auto h = run_actlab({"--help"});
  EXPECT_NE(h.out.find("--catalog"), std::string::npos) << h.out;
}

TEST_F(UserCatalogCli, TrainTakesAUserEntry) {
  const std::string file = dir_ / "mine.json";
  write_text(file, kCatalog);
  const std::string model = dir_ / "m.json";
  Json j = run_json({"--catalog", file, "train", "--data", "iris", "--model", "mlp:8x3", "--act", "evo_1",
                     "--epochs", "2", "--seed", "1", "--out", model, "--json"});
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["epochs"].size(), 2u);
  // The model names its activation, so reading it back needs the same catalog.
  Json ev = run_json({"--catalog", file, "eval", "--model", model, "--data", "iris", "--json"});
  EXPECT_TRUE(ev.contains("accuracy")) << json_dump(ev, true);
  EXPECT_EQ(run_actlab({"eval", "--model", model, "--data", "iris", "--json"}).exit_code, 2);
}

TEST_F(UserCatalogCli, ChoiceOrder) {
  EXPECT_FALSE(choose_catalog("").has_value());  // no default file in the fresh home
  auto flag = choose_catalog("f.json");
  ASSERT_TRUE(flag);
  EXPECT_EQ(flag->origin, "--catalog");
  ScopedEnv env("ACTLAB_CATALOG", "e.json");
  EXPECT_EQ(choose_catalog("")->path, "e.json");
  EXPECT_EQ(choose_catalog("f.json")->path, "f.json");
  ScopedEnv empty("ACTLAB_CATALOG", "");
  EXPECT_FALSE(choose_catalog("").has_value());
}

}  // namespace
}  // namespace actlab::cli
