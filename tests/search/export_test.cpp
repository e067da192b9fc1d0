// search/export: Optuna's distribution JSON (the shape Optuna 3.1 writes itself: an SQLite file made by
// optuna.create_study with float, log float, stepped int and categorical parameters holds exactly these),
// CSV quoting, export targets, a refused existing target (an SQLite file; a PostgreSQL database holding
// Optuna's tables) and the PostgreSQL export as one transaction. The round trip through Optuna itself is in
// tests/lab/study_test.cpp (OptunaExportIsLoadedByOptunaWithTheSameTrials).
#include "search/export.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "search/postgres_storage.hpp"
#include "search/space.hpp"
#include "support/pg_cluster.hpp"
#include "support/temp_dir.hpp"

namespace actlab::search {
namespace {

TEST(OptunaExport, DistributionsAreOptunasJson) {
  Space s;
  ASSERT_TRUE(s.add_float("x", -5, 5).is_ok());
  ASSERT_TRUE(s.add_float("y", 1e-3, 10, true).is_ok());
  ASSERT_TRUE(s.add_int("n", 1, 9, false, 2).is_ok());
  ASSERT_TRUE(s.add_categorical("c", {"a", "b"}).is_ok());
  // Optuna 3.1's own distribution_json for these four (sorted keys here; Optuna's key order differs and
  // does not matter to its json.loads).
  const char* expected[] = {
      R"({"attributes":{"high":5.0,"log":false,"low":-5.0,"step":null},"name":"FloatDistribution"})",
      R"({"attributes":{"high":10.0,"log":true,"low":0.001,"step":null},"name":"FloatDistribution"})",
      R"({"attributes":{"high":9,"log":false,"low":1,"step":2},"name":"IntDistribution"})",
      R"({"attributes":{"choices":["a","b"]},"name":"CategoricalDistribution"})"};
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse(optuna_distribution(s[i].dist).dump()).dump(), expected[i]) << i;
  }
  ASSERT_TRUE(s.add_float("q", 0, 1, false, 0.25).is_ok());
  EXPECT_EQ(optuna_distribution(s[4].dist)["attributes"]["step"], 0.25);
}

TEST(OptunaExport, CsvQuotesCommasAndQuotes) {
  Space s;
  ASSERT_TRUE(s.add_categorical("c", {"a,b", "say \"hi\""}).is_ok());
  StudyRecord r;
  r.name = "q";
  r.space = s.to_json();
  TrialRecord t0, t1;
  t0.number = 0;
  t0.state = TrialState::kComplete;
  t0.value = 0.5;
  t0.params = {{"c", "a,b"}};
  t0.started = 0.25;
  t0.finished = 1.5;
  t1.number = 1;
  t1.state = TrialState::kFail;
  t1.params = {{"c", "say \"hi\""}};
  t1.reason = "x, y";
  auto csv = trials_csv(r, {t0, t1});
  ASSERT_TRUE(csv) << csv.status().message();
  EXPECT_EQ(*csv,
            "number,state,value,params_c,datetime_start,datetime_complete,reason\n"
            "0,COMPLETE,0.5,\"a,b\",1970-01-01T00:00:00.250000Z,1970-01-01T00:00:01.500000Z,\n"
            "1,FAIL,,\"say \"\"hi\"\"\",,,\"x, y\"\n");
}

TEST(OptunaExport, TargetsAreSqliteFiles) {
  EXPECT_EQ(*sqlite_target_path("sqlite:///tmp/o.db"), "/tmp/o.db");
  EXPECT_EQ(*sqlite_target_path("sqlite:rel/o.db"), "rel/o.db");
  EXPECT_EQ(*sqlite_target_path("o.db"), "o.db");
  for (const char* bad : {"", "postgresql://me:secret@h/db", "sqlite:///x.db?mode=ro"}) {
    auto r = sqlite_target_path(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.status().field(), "to");
    EXPECT_EQ(r.status().message().find("secret"), std::string::npos);
  }
}

TEST(OptunaExport, ExistingTargetIsRefusedAndKept) {
  testing::TempDir dir;
  const std::string path = dir / "o.db";
  std::ofstream(path) << "mine";
  Space s;
  ASSERT_TRUE(s.add_float("x", 0, 1).is_ok());
  StudyRecord r;
  r.name = "s";
  r.space = s.to_json();
  Status st = write_optuna_sqlite(r, {}, path);
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.field(), "to");
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "mine");
  // A missing directory: an error naming the target, and no temporary file left behind.
  Status missing = write_optuna_sqlite(r, {}, dir / "no/such/o.db");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.field(), "to");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

// The PostgreSQL target: written in one transaction (a trial that cannot be encoded leaves no table behind),
// and a database that holds Optuna's tables is refused with its tables named, the password masked.
TEST(OptunaExport, PostgresTargetIsOneTransactionAndRefusesOptunaTables) {
  const auto& pg = testing::pg_cluster();
  ASSERT_TRUE(pg.error.empty()) << pg.error;
  const std::string db = "export_unit_" + std::to_string(getpid());
  auto admin = open_postgres(pg.url, OpenMode::kReadWrite);
  ASSERT_TRUE(admin) << admin.status().message();
  (void)(*admin)->query("DROP DATABASE IF EXISTS " + db);
  ASSERT_TRUE((*admin)->query("CREATE DATABASE " + db));
  const std::string url = pg.url.substr(0, pg.url.rfind('/') + 1) + db;
  Space s;
  ASSERT_TRUE(s.add_categorical("c", {"a", "b"}).is_ok());
  StudyRecord r;
  r.name = "s";
  r.space = s.to_json();
  TrialRecord bad;
  bad.state = TrialState::kComplete;
  bad.value = 1.0;
  bad.params = Json{{"c", "z"}};  // not one of the choices
  Status st = write_optuna_postgres(r, {bad}, url);
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.field(), "to");
  auto conn = open_postgres(url, OpenMode::kReadOnly);
  ASSERT_TRUE(conn);
  auto tables = (*conn)->query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'");
  ASSERT_TRUE(tables);
  EXPECT_EQ((*tables)[0][0], "0");  // rolled back: nothing left

  TrialRecord good = bad;
  good.params = Json{{"c", "b"}};
  ASSERT_TRUE(write_optuna_postgres(r, {good}, url).is_ok());
  const std::string with_password = "postgresql://actlab:secret@" + url.substr(url.find('@') + 1);
  Status again = write_optuna_postgres(r, {good}, with_password);
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.field(), "to");
  EXPECT_NE(again.message().find("already holds Optuna's tables (alembic_version, studies"),
            std::string::npos)
      << again.message();
  EXPECT_EQ(again.message().find("secret"), std::string::npos) << again.message();
  auto trials = (*conn)->query("SELECT COUNT(*) FROM trials");
  ASSERT_TRUE(trials);
  EXPECT_EQ((*trials)[0][0], "1");
}

}  // namespace
}  // namespace actlab::search
