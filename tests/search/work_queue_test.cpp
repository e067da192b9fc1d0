// The work queue on SQLite: map() enqueues, works and reads back by key; a second map() trains nothing;
// serve() drains another process's queue and stops when idle; stale and dead workers' trials are retried.
#include "search/work_queue.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

namespace actlab::search {
namespace {

class WorkQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/actlab_queue_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    url_ = "sqlite://" + dir_ + "/q.db";
    auto st = open_storage(url_, OpenMode::kCreate);
    ASSERT_TRUE(st) << st.status().message();
    StudyRecord r;
    r.name = "q";
    r.sampler = "none";
    r.space = Json::array();
    auto made = (*st)->create_study(r);
    ASSERT_TRUE(made) << made.status().message();
    study_ = made->id;
    st_ = std::move(*st);
  }
  void TearDown() override {
    st_.reset();
    (void)std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  static std::string key(const Json& p) { return p.contains("x") ? json_dump(p["x"], false) : ""; }

  std::string dir_, url_;
  std::int64_t study_ = 0;
  std::unique_ptr<Storage> st_;
};

TEST_F(WorkQueueTest, MapWorksEachKeyOnceAndReadsItBack) {
  const WorkQueue q(url_, study_, {.workers = 3});
  std::atomic<int> calls = 0;
  auto square = [&](const TrialRecord& t) {
    ++calls;
    const double x = t.params["x"].get<double>();
    if (x < 0) return TrialOutcome::fail("negative");
    return TrialOutcome::complete(x * x);
  };
  std::vector<Json> batch;
  for (int x : {1, 2, 3, -1, 4}) batch.push_back(Json{{"x", x}, {"round", 0}});
  auto a = q.map(*st_, batch, key, square);
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(a->from_store, 0);
  ASSERT_EQ(a->outcomes.size(), 5u);
  EXPECT_EQ(a->outcomes[1].value, 4.0);
  EXPECT_EQ(a->outcomes[3].state, TrialState::kFail);
  EXPECT_EQ(a->outcomes[3].reason, "negative");
  // The same keys in another round: read back, not worked again.
  for (Json& p : batch) p["round"] = 1;
  batch.push_back(Json{{"x", 5}, {"round", 1}});
  auto b = q.map(*st_, batch, key, square);
  ASSERT_TRUE(b);
  EXPECT_EQ(calls, 6);
  EXPECT_EQ(b->from_store, 5);
  EXPECT_EQ(b->outcomes[5].value, 25.0);
  auto all = *st_->trials(study_, false);
  EXPECT_EQ(all.size(), 6u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].number, static_cast<std::int64_t>(i));
}

TEST_F(WorkQueueTest, ServeDrainsWaitingTrialsAndStopsWhenIdle) {
  for (int x = 0; x < 4; ++x) ASSERT_TRUE(st_->enqueue(study_, Json{{"x", x}}, std::nullopt, 0));
  const WorkQueue q(url_, study_, {.workers = 2});
  auto s =
      q.serve(0.3, [](const TrialRecord& t) { return TrialOutcome::complete(t.params["x"].get<double>()); });
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->complete, 4);
  const auto all = *st_->trials(study_, false);
  for (const auto& t : all) EXPECT_EQ(t.state, TrialState::kComplete);
}

TEST_F(WorkQueueTest, RunStopsWhenClaimsRunOutAndCountsOutcomes) {
  for (int x = 0; x < 6; ++x) ASSERT_TRUE(st_->enqueue(study_, Json{{"x", x}}, std::nullopt, 0));
  const WorkQueue q(url_, study_, {.workers = 2});
  int done = 0;
  auto work = [](const TrialRecord& t) -> TrialOutcome {
    const int x = t.params["x"].get<int>();
    if (x == 0) throw std::runtime_error("boom");
    if (x == 1) return TrialOutcome::complete(std::nan(""));
    if (x == 2) return TrialOutcome::pruned();
    return TrialOutcome::complete(x);
  };
  auto s =
      q.run([&](Storage& st, const std::string& w) { return WorkQueue::claim_waiting(st, study_, w, work); },
            {}, [&](const TrialRecord&) { ++done; });
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->complete, 3);
  EXPECT_EQ(s->pruned, 1);
  EXPECT_EQ(s->failed, 2);
  EXPECT_EQ(done, 6);
  auto all = *st_->trials(study_, false);
  EXPECT_EQ(all[0].reason, "work threw: boom");
  EXPECT_EQ(all[1].reason, "objective value is nan");
  EXPECT_FALSE(WorkQueue::is_lost_worker_reason(all[0].reason));
  EXPECT_FALSE(WorkQueue(url_, study_, {.workers = 0}).run(nullptr));
  EXPECT_EQ(WorkQueue(url_, study_, {.heartbeat_s = 2, .grace_s = 1}).run(nullptr).status().field(),
            "grace_s");
}

// A trial left RUNNING by a process of this host that has exited is reaped and retried with its parameters;
// map() then finds the key finished through the retry.
TEST_F(WorkQueueTest, DeadWorkersTrialIsRetriedAndMapWaitsForIt) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  ASSERT_TRUE(st_->enqueue(study_, Json{{"x", 7}}, std::nullopt, 0));
  auto claimed = st_->claim_waiting(study_, std::string(host) + ":" + std::to_string(child) + ":0");
  ASSERT_TRUE(claimed && *claimed);
  const WorkQueue q(url_, study_, {.workers = 1});
  auto r = q.map(*st_, {Json{{"x", 7}}}, key, [](const TrialRecord&) { return TrialOutcome::complete(49); });
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->outcomes[0].value, 49.0);
  auto all = *st_->trials(study_, false);
  ASSERT_EQ(all.size(), 2u);  // the lost run and its retry; no new enqueue (it was pending)
  EXPECT_EQ(all[0].state, TrialState::kFail);
  EXPECT_TRUE(WorkQueue::is_lost_worker_reason(all[0].reason)) << all[0].reason;
  EXPECT_EQ(all[1].retry_of, 0);
  EXPECT_TRUE(st_->check_integrity()->empty());
}

// Issue 18: a worker's name carries this machine's boot id and PID namespace, so a PID is taken as dead only
// where it means the same process: containers sharing a host name (their own PID namespaces) no longer reap
// each other's live trials. A zombie (exited, not yet waited for) is dead.
TEST_F(WorkQueueTest, WorkerIdentityScopesThePidCheckAndZombiesAreDead) {
  const std::string me = WorkQueue::worker_name(0);
  const auto scope = me.substr(me.find(':', me.find(':', me.find(':') + 1) + 1) + 1);
  ASSERT_FALSE(scope.empty()) << me;
  const std::string host = me.substr(0, me.find(':'));
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const std::string dead = host + ":" + std::to_string(gone) + ":0:" + scope;
  const std::string elsewhere = host + ":" + std::to_string(gone) + ":0:ffffffff-1";
  EXPECT_TRUE(WorkQueue::worker_is_dead(dead));
  EXPECT_FALSE(WorkQueue::worker_is_dead(elsewhere));  // another container's PID 'gone' may well be alive
  EXPECT_FALSE(WorkQueue::worker_is_dead(me));
  EXPECT_FALSE(WorkQueue::worker_is_dead("otherhost:" + std::to_string(gone) + ":0:" + scope));

  const pid_t zombie = fork();
  if (zombie == 0) _exit(0);
  const std::string z = host + ":" + std::to_string(zombie) + ":0:" + scope;
  for (int i = 0; i < 200 && !WorkQueue::worker_is_dead(z); ++i) usleep(10000);
  EXPECT_TRUE(WorkQueue::worker_is_dead(z));
  EXPECT_EQ(kill(zombie, 0), 0);  // its PID still exists
  waitpid(zombie, nullptr, 0);

  // The reaper leaves the other container's trial alone (its heartbeat is fresh) and takes the dead one's.
  ASSERT_TRUE(st_->enqueue(study_, Json{{"x", 1}}, std::nullopt, 0));
  ASSERT_TRUE(st_->enqueue(study_, Json{{"x", 2}}, std::nullopt, 0));
  ASSERT_TRUE(*st_->claim_waiting(study_, elsewhere));
  ASSERT_TRUE(*st_->claim_waiting(study_, dead));
  auto reaped = WorkQueue::reap(*st_, study_, 100, 3);
  ASSERT_TRUE(reaped) << reaped.status().message();
  EXPECT_EQ(reaped->first, 1);
  auto all = *st_->trials(study_, false);
  EXPECT_EQ(all[0].state, TrialState::kRunning);
  EXPECT_EQ(all[1].state, TrialState::kFail);
}

}  // namespace
}  // namespace actlab::search
