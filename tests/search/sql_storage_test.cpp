// The storage suite, run unchanged against both backends: SQLite (a temp file) and PostgreSQL (a throwaway
// cluster started by scripts/pg-test-cluster.sh; without the server package the PostgreSQL cases FAIL and say
// to run scripts/install-deps.sh). Covers studies, the trial state machine, FIFO claims, the trial budget,
// stale-trial retry, intermediate values (NaN kept), reading from a trial number on, the schema version
// guard, and 4 processes racing on one study: no trial claimed twice, numbers 0..199 dense, integrity check
// clean.
#include "search/sql_storage.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>

#include "core/rng.hpp"
#include "search/postgres_storage.hpp"
#include "search/sqlite_storage.hpp"
#include "search/study.hpp"
#include "support/pg_cluster.hpp"

namespace actlab::search {
namespace {

class StorageSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      char dir[] = "/tmp/actlab_storage_XXXXXX";
      ASSERT_NE(mkdtemp(dir), nullptr);
      dir_ = dir;
      url_ = "sqlite://" + dir_ + "/study.db";
    } else {
      const auto& pg = testing::pg_cluster();
      ASSERT_TRUE(pg.error.empty()) << pg.error;
      url_ = pg.url;
    }
    auto st = open_storage(url_, OpenMode::kCreate);
    ASSERT_TRUE(st) << st.status().message();
    storage_ = std::move(*st);
  }
  void TearDown() override {
    storage_.reset();
    if (!dir_.empty()) (void)std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  // A study name unique within the shared PostgreSQL database.
  std::string unique(const std::string& base) {
    static std::atomic<int> counter{0};
    return base + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  }
  StudyRecord make_study(const std::string& base) {
    StudyRecord r;
    r.name = unique(base);
    r.direction = Direction::kMinimize;
    r.sampler = "random";
    r.seed = 7;
    r.space = Json{{"params", Json::array()}};
    r.objective = Json{{"name", "test"}};
    auto s = storage_->create_study(r);
    EXPECT_TRUE(s) << s.status().message();
    return s ? *s : r;
  }
  std::unique_ptr<SqlConnection> raw() {
    if (GetParam() == "sqlite")
      return std::move(*open_sqlite(dir_ + "/study.db", 1000, OpenMode::kReadWrite, url_));
    return std::move(*open_postgres(url_, OpenMode::kReadWrite));
  }

  std::string dir_, url_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(StorageSuite, StudiesAreCreatedOnceAndFoundByName) {
  const StudyRecord s = make_study("alpha");
  EXPECT_GT(s.id, 0);
  EXPECT_GT(s.created, 1.6e9);
  auto again = storage_->create_study(s);
  ASSERT_FALSE(again);
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos);
  auto got = storage_->get_study(s.name);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->seed, 7u);
  EXPECT_EQ(got->objective["name"], "test");
  auto missing = storage_->get_study("nope");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.status().is_bad_input());
  EXPECT_NE(missing.status().message().find(s.name), std::string::npos);  // lists the known studies
  auto all = storage_->list_studies();
  ASSERT_TRUE(all);
  EXPECT_GE(all->size(), 1u);
}

TEST_P(StorageSuite, TrialLifecycleAndIntermediateValues) {
  const StudyRecord s = make_study("life");
  auto t0 = storage_->create_running(s.id, "w:1:0", -1);
  auto t1 = storage_->create_running(s.id, "w:1:0", -1);
  ASSERT_TRUE(t0 && *t0 && t1 && *t1);
  EXPECT_EQ((*t0)->number, 0);
  EXPECT_EQ((*t1)->number, 1);
  EXPECT_EQ((*t0)->state, TrialState::kRunning);
  ASSERT_TRUE(storage_->set_params((*t0)->id, Json{{"x", 0.5}}));
  ASSERT_TRUE(storage_->report((*t0)->id, 0, 2.5));
  ASSERT_TRUE(storage_->report((*t0)->id, 3, std::nan("")));
  ASSERT_TRUE(storage_->report((*t0)->id, 3, 1.25));  // a repeated step replaces the value
  ASSERT_TRUE(storage_->report((*t1)->id, 1, std::nan("")));
  auto done = storage_->finish((*t0)->id, TrialState::kComplete, 0.1 + 0.2, "");
  ASSERT_TRUE(done);
  EXPECT_TRUE(*done);
  auto twice = storage_->finish((*t0)->id, TrialState::kFail, std::nullopt, "late");
  ASSERT_TRUE(twice);
  EXPECT_FALSE(*twice);                                     // finished trials never change
  const Status late = storage_->report((*t0)->id, 4, 9.0);  // nor take intermediate values
  EXPECT_FALSE(late.is_ok());
  EXPECT_NE(late.message().find("is COMPLETE, not RUNNING"), std::string::npos) << late.message();
  ASSERT_TRUE(*storage_->finish((*t1)->id, TrialState::kComplete, -INFINITY, ""));
  auto all = storage_->trials(s.id, true);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const TrialRecord& a = (*all)[0];
  EXPECT_EQ(a.state, TrialState::kComplete);
  EXPECT_EQ(*a.value, 0.1 + 0.2);  // exact round trip
  EXPECT_EQ(a.params["x"], 0.5);
  ASSERT_EQ(a.intermediate.size(), 2u);
  EXPECT_EQ(a.intermediate[1], (std::pair<std::int64_t, double>{3, 1.25}));
  EXPECT_EQ(*(*all)[1].value, -INFINITY);
  EXPECT_TRUE(std::isnan((*all)[1].intermediate[0].second));
  EXPECT_TRUE(a.finished && a.started && *a.finished >= *a.started);
}

TEST_P(StorageSuite, TrialsFromReadsTheTrialsNumberedFromOn) {
  const StudyRecord s = make_study("from");
  for (int k = 0; k < 3; ++k) {
    auto t = storage_->create_running(s.id, "w:1:0", -1);
    ASSERT_TRUE(t && *t);
    ASSERT_TRUE(storage_->report((*t)->id, k, 10.0 + k));
  }
  auto tail = storage_->trials_from(s.id, 1, true);
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ((*tail)[0].number, 1);
  EXPECT_EQ((*tail)[1].number, 2);
  EXPECT_EQ((*tail)[1].intermediate, (std::vector<std::pair<std::int64_t, double>>{{2, 12.0}}));
  auto none = storage_->trials_from(s.id, 3, true);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(StorageSuite, WaitingTrialsAreClaimedOldestFirstAndOnce) {
  const StudyRecord s = make_study("claim");
  ASSERT_TRUE(storage_->enqueue(s.id, Json{{"x", 1}}, std::nullopt, 0));
  ASSERT_TRUE(storage_->enqueue(s.id, Json{{"x", 2}}, std::nullopt, 0));
  auto a = storage_->claim_waiting(s.id, "w:1:0");
  auto b = storage_->claim_waiting(s.id, "w:2:0");
  auto c = storage_->claim_waiting(s.id, "w:3:0");
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(*a && *b);
  EXPECT_EQ((*a)->params["x"], 1);
  EXPECT_EQ((*b)->params["x"], 2);
  EXPECT_EQ((*b)->worker, "w:2:0");
  EXPECT_EQ((*a)->state, TrialState::kRunning);
  EXPECT_FALSE(*c);
}

TEST_P(StorageSuite, BudgetCountsOriginalTrialsOnly) {
  const StudyRecord s = make_study("budget");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(*storage_->create_running(s.id, "w", 3));
  auto over = storage_->create_running(s.id, "w", 3);
  ASSERT_TRUE(over);
  EXPECT_FALSE(*over);
  ASSERT_TRUE(storage_->enqueue(s.id, Json{{"x", 1}}, 0, 1));  // a retry: outside the budget
  auto all = storage_->trials(s.id, false);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[3].retry_of, 0);
  EXPECT_FALSE(*storage_->create_running(s.id, "w", 3));
}

TEST_P(StorageSuite, SummaryIsStudyBestAndTheStateCountsOverEveryTrial) {
  // Bulk-appended finished trials (ties, ±inf, NaN, FAIL and PRUNED among them) and a few live ones: the
  // summary read from the indexes agrees with Study::best and a count over trials() in both directions.
  const StudyRecord s = make_study("summary");
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<TrialRecord> batch;
  Rng rng(5);
  for (int i = 0; i < 450; ++i) {
    TrialRecord t;
    t.state = i % 7 == 3 ? TrialState::kFail : i % 11 == 5 ? TrialState::kPruned : TrialState::kComplete;
    t.params = Json{{"x", i}};
    t.value = std::round(100 * rng.uniform()) / 10;  // many ties
    if (i == 17) t.value = -inf;
    if (i == 18) t.value = inf;
    if (i == 19 || i == 20) t.state = TrialState::kPruned;  // (a COMPLETE trial has a value, not NaN)
    if (i == 19) t.value = std::nan("");
    if (i == 20) t.value.reset();
    t.reason = t.state == TrialState::kFail ? "bad" : "";
    t.worker = "bulk";
    t.finished = 1.7e9 + i;
    batch.push_back(t);
  }
  ASSERT_TRUE(storage_->append_finished(s.id, batch));
  ASSERT_TRUE(storage_->enqueue(s.id, Json{{"x", -1}}, std::nullopt, 0));
  ASSERT_TRUE(*storage_->create_running(s.id, "w", -1));
  ASSERT_TRUE(storage_->enqueue(s.id, Json{{"x", 0}}, 3, 1));  // a retry
  auto all = storage_->trials(s.id, false);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 453u);
  EXPECT_EQ((*all)[449].number, 449);
  EXPECT_EQ((*all)[449].params, batch[449].params);
  EXPECT_EQ((*all)[17].value, -inf);
  std::map<TrialState, std::int64_t> by_state;
  for (const TrialRecord& t : *all) ++by_state[t.state];
  for (Direction d : {Direction::kMinimize, Direction::kMaximize}) {
    auto sum = storage_->summary(s.id, d);
    ASSERT_TRUE(sum) << sum.status().message();
    EXPECT_EQ(sum->n_trials, 453);
    EXPECT_EQ(sum->complete, by_state[TrialState::kComplete]);
    EXPECT_EQ(sum->pruned, by_state[TrialState::kPruned]);
    EXPECT_EQ(sum->failed, by_state[TrialState::kFail]);
    EXPECT_EQ(sum->waiting, 2);
    EXPECT_EQ(sum->running, 1);
    const auto best = Study::best(*all, d);
    ASSERT_TRUE(best && sum->best);
    EXPECT_EQ(sum->best->number, best->number);
    EXPECT_EQ(sum->best->value, best->value);
  }
  auto counts = storage_->counts(s.id);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->originals, 452);
  EXPECT_EQ(counts->waiting, 2);
  EXPECT_EQ(counts->running, 1);
  // A study without a finite COMPLETE value has no best.
  const StudyRecord empty = make_study("summary_empty");
  auto none = storage_->summary(empty.id, Direction::kMinimize);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->n_trials, 0);
  EXPECT_FALSE(none->best);
  TrialRecord running;
  running.state = TrialState::kRunning;
  EXPECT_FALSE(storage_->append_finished(empty.id, {running}));
  TrialRecord no_value;
  no_value.state = TrialState::kComplete;
  EXPECT_FALSE(storage_->append_finished(empty.id, {no_value}));
  EXPECT_EQ(storage_->trials(empty.id, false)->size(), 0u);
}

// Issue 18: a new trial and its parameters are one transaction. Parameters that cannot be made leave no
// trial behind (before, a trial was committed RUNNING without parameters, then they were written); the
// budget is checked before the parameters are asked for.
TEST_P(StorageSuite, CreateRunningWritesTheParametersInTheSameTransaction) {
  const StudyRecord s = make_study("atomic");
  auto params = [](std::int64_t n) -> Result<Json> { return Json{{"x", 0.5 * static_cast<double>(n)}}; };
  ASSERT_TRUE(*storage_->create_running(s.id, "w", 2, params));
  auto t = storage_->create_running(s.id, "w", 2, params);
  ASSERT_TRUE(t && *t) << t.status().message();
  EXPECT_EQ((*t)->number, 1);
  EXPECT_EQ((*t)->params["x"], 0.5);
  int asked = 0;
  auto over = storage_->create_running(s.id, "w", 2, [&](std::int64_t) -> Result<Json> {
    ++asked;
    return Json{{"x", 1}};
  });
  ASSERT_TRUE(over);
  EXPECT_FALSE(*over);
  EXPECT_EQ(asked, 0);
  auto bad = storage_->create_running(s.id, "w", -1,
                                      [](std::int64_t) -> Result<Json> { return Status::invalid("no"); });
  ASSERT_FALSE(bad);
  auto all = storage_->trials(s.id, false);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].params["x"], 0.0);
}

TEST_P(StorageSuite, StaleTrialsFailAndComeBackWithTheSameParameters) {
  const StudyRecord s = make_study("stale");
  auto t = *storage_->create_running(s.id, "gone:1:0", -1);
  ASSERT_TRUE(storage_->set_params(t->id, Json{{"x", 0.25}}));
  auto wrong = storage_->fail_stale(t->id, *t->heartbeat + 1, "stale", 3);
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->first);  // the heartbeat moved on: a live worker keeps its trial
  auto r = storage_->fail_stale(t->id, *t->heartbeat, "no heartbeat", 3);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->first);
  ASSERT_TRUE(r->second);
  EXPECT_EQ(r->second->state, TrialState::kWaiting);
  EXPECT_EQ(r->second->params["x"], 0.25);
  EXPECT_EQ(r->second->retry_of, t->number);
  EXPECT_EQ(r->second->retries, 1);
  auto again = *storage_->claim_waiting(s.id, "w:2:0");
  ASSERT_TRUE(again);
  auto no_retry = storage_->fail_stale(again->id, *again->heartbeat, "no heartbeat", 1);
  ASSERT_TRUE(no_retry);
  EXPECT_TRUE(no_retry->first);
  EXPECT_FALSE(no_retry->second);  // retries exhausted
  auto all = *storage_->trials(s.id, false);
  EXPECT_EQ(all[0].state, TrialState::kFail);
  EXPECT_EQ(all[0].reason, "no heartbeat");
}

// Issue 18: an interrupted worker gives its trial back as it was before the claim (same number, parameters
// and retries; no worker, start, heartbeat or intermediate values), and only its own trial.
TEST_P(StorageSuite, RequeueGivesAClaimedTrialBackUnderItsNumber) {
  const StudyRecord s = make_study("requeue");
  auto t = *storage_->create_running(s.id, "me:1:0", -1, [](std::int64_t) -> Result<Json> {
    return Json{{"x", 0.5}};
  });
  ASSERT_TRUE(t);
  ASSERT_TRUE(storage_->report(t->id, 0, 0.25));
  auto other = storage_->requeue(t->id, "someone:2:0");
  ASSERT_TRUE(other) << other.status().message();
  EXPECT_FALSE(*other);  // not that worker's trial
  auto mine = storage_->requeue(t->id, "me:1:0");
  ASSERT_TRUE(mine) << mine.status().message();
  EXPECT_TRUE(*mine);
  auto again = storage_->requeue(t->id, "me:1:0");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);  // WAITING now
  const auto all = *storage_->trials(s.id, true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, TrialState::kWaiting);
  EXPECT_EQ(all[0].number, t->number);
  EXPECT_EQ(all[0].params["x"], 0.5);
  EXPECT_EQ(all[0].retries, 0);
  EXPECT_TRUE(all[0].worker.empty());
  EXPECT_FALSE(all[0].started);
  EXPECT_FALSE(all[0].heartbeat);
  EXPECT_TRUE(all[0].intermediate.empty());
  auto claimed = *storage_->claim_waiting(s.id, "w:3:0");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, t->id);
  auto c = *storage_->counts(s.id);
  EXPECT_EQ(c.originals, 1);
}

TEST_P(StorageSuite, NewerSchemaIsRefused) {
  auto conn = raw();
  ASSERT_TRUE(conn->query("UPDATE actlab_schema SET version = 99", {}));
  auto st = open_storage(url_, OpenMode::kReadWrite);
  ASSERT_TRUE(conn->query("UPDATE actlab_schema SET version = " + std::to_string(kSchemaVersion), {}));
  ASSERT_FALSE(st);
  EXPECT_NE(st.status().message().find("schema version 99, newer than this actlab (" +
                                       std::to_string(kSchemaVersion) + ")"),
            std::string::npos)
      << st.status().message();
}

// Issue 18: schema 1 named actlab's tables studies / trials / intermediate_values, Optuna's names. A database
// made with that schema (its DDL written out here, as actlab 1 wrote it) is read as it is when opened
// read-only, and renamed to actlab_* when opened for writing; its studies, trials and numbering carry on.
TEST_P(StorageSuite, SchemaOneDatabaseIsReadAndMigrated) {
  std::string url;
  std::unique_ptr<SqlConnection> conn;
  const bool pg = GetParam() == "postgresql";
  if (pg) {
    const std::string db = "old" + std::to_string(getpid());
    ASSERT_TRUE(raw()->query("CREATE DATABASE " + db, {}));
    url = url_.substr(0, url_.rfind('/') + 1) + db;
    conn = std::move(*open_postgres(url, OpenMode::kReadWrite));
  } else {
    url = "sqlite://" + dir_ + "/old.db";
    conn = std::move(*open_sqlite(dir_ + "/old.db", 1000, OpenMode::kCreate, url));
  }
  const std::string id = pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY",
                    real = pg ? "DOUBLE PRECISION" : "REAL";
  for (const std::string& stmt :
       {std::string("CREATE TABLE actlab_schema (version INTEGER NOT NULL)"),
        "CREATE TABLE studies (study_id " + id +
            ", name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL, "
            "sampler TEXT NOT NULL, seed BIGINT NOT NULL, space_json TEXT NOT NULL, objective_json TEXT NOT "
            "NULL, created " +
            real + " NOT NULL)",
        "CREATE TABLE trials (trial_id " + id +
            ", study_id BIGINT NOT NULL REFERENCES studies(study_id), "
            "number BIGINT NOT NULL, state TEXT NOT NULL, params_json TEXT, value " +
            real +
            ", reason TEXT, "
            "worker TEXT, retry_of BIGINT, retries INTEGER NOT NULL DEFAULT 0, created " +
            real + ", started " + real + ", finished " + real + ", heartbeat " + real +
            ", UNIQUE (study_id, number))",
        std::string("CREATE INDEX trials_by_state ON trials (study_id, state, number)"),
        "CREATE TABLE intermediate_values (trial_id BIGINT NOT NULL REFERENCES trials(trial_id), step BIGINT "
        "NOT NULL, value " +
            real + ", PRIMARY KEY (trial_id, step))",
        std::string("INSERT INTO actlab_schema (version) VALUES (1)"),
        std::string(
            "INSERT INTO studies (name, direction, sampler, seed, space_json, objective_json, created) "
            "VALUES ('old', 'minimize', 'random', 3, '{\"params\":[]}', '{\"name\":\"test\"}', 1.7e9)"),
        std::string("INSERT INTO trials (study_id, number, state, params_json, value, retries, created, "
                    "finished) VALUES (1, 0, 'COMPLETE', '{\"x\":1}', 0.25, 0, 1.7e9, 1.7e9)"),
        std::string("INSERT INTO intermediate_values (trial_id, step, value) VALUES (1, 0, 0.5)")}) {
    auto r = conn->query(stmt, {});
    ASSERT_TRUE(r) << stmt << ": " << r.status().message();
  }
  {
    auto ro = open_storage(url, OpenMode::kReadOnly);
    ASSERT_TRUE(ro) << ro.status().message();
    auto study = (*ro)->get_study("old");
    ASSERT_TRUE(study) << study.status().message();
    auto trials = (*ro)->trials(study->id, true);
    ASSERT_TRUE(trials && trials->size() == 1u);
    EXPECT_EQ((*trials)[0].value, 0.25);
  }
  auto rw = open_storage(url, OpenMode::kReadWrite);
  ASSERT_TRUE(rw) << rw.status().message();
  auto study = (*rw)->get_study("old");
  ASSERT_TRUE(study) << study.status().message();
  auto t = (*rw)->create_running(study->id, "w", -1, [](std::int64_t n) -> Result<Json> {
    return Json{{"x", n}};
  });
  ASSERT_TRUE(t && *t) << t.status().message();
  EXPECT_EQ((*t)->number, 1);
  auto trials = (*rw)->trials(study->id, true);
  ASSERT_TRUE(trials && trials->size() == 2u);
  ASSERT_EQ((*trials)[0].intermediate.size(), 1u);
  EXPECT_EQ((*trials)[0].intermediate[0].second, 0.5);
  EXPECT_TRUE((*rw)->check_integrity()->empty());
  auto version = conn->query("SELECT version FROM actlab_schema", {});
  ASSERT_TRUE(version);
  EXPECT_EQ((*version)[0][0], std::to_string(kSchemaVersion));
  EXPECT_FALSE(conn->query("SELECT COUNT(*) FROM studies", {}));  // Optuna's table name is free again
  EXPECT_TRUE(conn->query("SELECT COUNT(*) FROM actlab_studies", {}));
}

TEST_P(StorageSuite, FourProcessesNeverClaimATrialTwice) {
  const StudyRecord s = make_study("race");
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(storage_->enqueue(s.id, Json{{"x", i}}, std::nullopt, 0));
  constexpr int kProcs = 4, kBudget = 200;
  int fds[kProcs][2];
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    ASSERT_EQ(pipe(fds[p]), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[p][0]);
      auto st = open_storage(url_, OpenMode::kReadWrite);
      if (!st) _exit(3);
      const std::string worker = "proc:" + std::to_string(getpid()) + ":0";
      for (;;) {
        auto t = (*st)->claim_waiting(s.id, worker);
        if (!t) _exit(4);
        if (!*t) {
          t = (*st)->create_running(s.id, worker, kBudget);
          if (!t) _exit(5);
          if (!*t) break;
        }
        usleep(500);  // an objective's worth of time, so that the four processes interleave
        if (!(*st)->finish((**t).id, TrialState::kComplete, static_cast<double>((**t).number), "")) _exit(6);
        const std::int64_t n = (**t).number;
        if (write(fds[p][1], &n, sizeof n) != sizeof n) _exit(7);
      }
      _exit(0);
    }
    close(fds[p][1]);
    pids.push_back(pid);
  }
  std::multiset<std::int64_t> numbers;
  std::vector<int> per_proc(kProcs, 0);
  for (int p = 0; p < kProcs; ++p) {
    std::int64_t n;
    while (read(fds[p][0], &n, sizeof n) == sizeof n) {
      numbers.insert(n);
      ++per_proc[p];
    }
    close(fds[p][0]);
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child exit " << WEXITSTATUS(status);
  }
  EXPECT_EQ(numbers.size(), static_cast<std::size_t>(kBudget));
  EXPECT_EQ(std::set<std::int64_t>(numbers.begin(), numbers.end()).size(), numbers.size())
      << "a trial ran twice";
  EXPECT_EQ(*numbers.begin(), 0);
  EXPECT_EQ(*numbers.rbegin(), kBudget - 1);
  auto all = *storage_->trials(s.id, false);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kBudget));
  for (const auto& t : all) EXPECT_EQ(t.state, TrialState::kComplete);
  auto problems = storage_->check_integrity();
  ASSERT_TRUE(problems);
  EXPECT_TRUE(problems->empty()) << (*problems)[0];
  std::printf("trials per process: %d %d %d %d\n", per_proc[0], per_proc[1], per_proc[2], per_proc[3]);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageSuite, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace actlab::search
