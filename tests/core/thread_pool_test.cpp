#include "core/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/rng.hpp"
#include "support/scoped_env.hpp"

namespace actlab {
namespace {

using testing::ScopedEnv;

TEST(ThreadPool, CoversEveryIndexExactlyOnce) {
  for (int threads : {1, 2, 7}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{1000}}) {
      std::vector<std::atomic<int>> hits(n);
      std::vector<std::atomic<int>> bad_worker(1);
      pool.parallel_for(n, [&](std::size_t i, int worker) {
        hits[i].fetch_add(1);
        if (worker < 0 || worker >= threads) bad_worker[0].fetch_add(1);
      });
      for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(hits[i].load(), 1) << threads << " threads, index " << i;
      EXPECT_EQ(bad_worker[0].load(), 0);
    }
  }
}

TEST(ThreadPool, SingleThreadRunsInlineInOrder) {
  ThreadPool pool(1);
  const auto caller = std::this_thread::get_id();
  std::vector<std::size_t> order;
  pool.parallel_for(10, [&](std::size_t i, int worker) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    EXPECT_EQ(worker, 0);
    order.push_back(i);
  });
  std::vector<std::size_t> expected(10);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(order, expected);
}

TEST(ThreadPool, UsesMoreThanOneThreadWhenItCan) {
  ThreadPool pool(4);
  std::mutex m;
  std::set<std::thread::id> ids;
  std::atomic<int> arrived{0};
  // Each item waits (bounded) until a second item has started, so one thread cannot run them all alone.
  pool.parallel_for(8, [&](std::size_t, int) {
    {
      std::lock_guard<std::mutex> lock(m);
      ids.insert(std::this_thread::get_id());
    }
    arrived.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (arrived.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  });
  EXPECT_GE(ids.size(), 2u);
}

TEST(ThreadPool, RethrowsTheExceptionAndStaysUsable) {
  for (int threads : {1, 2, 7}) {
    ThreadPool pool(threads);
    std::atomic<int> calls{0};
    EXPECT_THROW(pool.parallel_for(100,
                                   [&](std::size_t i, int) {
                                     calls.fetch_add(1);
                                     if (i == 13) throw std::runtime_error("item 13");
                                   }),
                 std::runtime_error);
    EXPECT_GE(calls.load(), 1);
    try {
      pool.parallel_for(50, [](std::size_t i, int) {
        if (i % 10 == 3) throw std::invalid_argument("bad " + std::to_string(i));
      });
      ADD_FAILURE() << "no exception";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("bad ", 0), 0u);
    }
    std::atomic<int> after{0};
    pool.parallel_for(100, [&](std::size_t, int) { after.fetch_add(1); });
    EXPECT_EQ(after.load(), 100);
  }
}

TEST(ThreadPool, IndexedResultsAreIdenticalForAnyThreadCount) {
  // Each item draws from its own derived stream and writes its own slot; the sum is taken in index order.
  auto run = [](int threads) {
    ThreadPool pool(threads);
    std::vector<double> out(2000);
    pool.parallel_for(out.size(), [&](std::size_t i, int) {
      Rng rng = Rng::derive(123, "item", i);
      double acc = 0.0;
      const int draws = 1 + static_cast<int>(i % 37);  // uneven work
      for (int k = 0; k < draws; ++k) acc += rng.normal() * rng.uniform();
      out[i] = acc;
    });
    return std::accumulate(out.begin(), out.end(), 0.0);
  };
  const double one = run(1);
  EXPECT_EQ(run(2), one);
  EXPECT_EQ(run(7), one);
}

TEST(ThreadPool, NestedParallelForRunsInline) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(10 * 10);
  pool.parallel_for(10, [&](std::size_t i, int outer_worker) {
    pool.parallel_for(10, [&](std::size_t j, int inner_worker) {
      EXPECT_EQ(inner_worker, outer_worker);
      hits[i * 10 + j].fetch_add(1);
    });
  });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPool, ManySmallJobsInARow) {
  ThreadPool pool(4);
  std::atomic<long> total{0};
  for (int round = 0; round < 2000; ++round) {
    pool.parallel_for(3, [&](std::size_t i, int) { total.fetch_add(static_cast<long>(i) + 1); });
  }
  EXPECT_EQ(total.load(), 2000L * 6);
}

TEST(ThreadPool, CallsFromSeveralThreadsAreSerialized) {
  ThreadPool pool(3);
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round)
        pool.parallel_for(20, [&](std::size_t, int) { total.fetch_add(1); });
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4L * 50 * 20);
}

TEST(ThreadPool, NonPositiveSizeMeansDefault) {
  ScopedEnv env("ACTLAB_THREADS", "3");
  EXPECT_EQ(ThreadPool(0).size(), 3);
  EXPECT_EQ(ThreadPool(-1).size(), 3);
}

TEST(DefaultThreadCount, ReadsEnvironmentElseHardware) {
  {
    ScopedEnv env("ACTLAB_THREADS", "5");
    EXPECT_EQ(default_thread_count(), 5);
  }
  const unsigned hw = std::thread::hardware_concurrency();
  const int fallback = hw > 0 ? static_cast<int>(hw) : 1;
  for (const char* bad : {"", "0", "-2", "abc", "4x"}) {
    ScopedEnv env("ACTLAB_THREADS", bad);
    EXPECT_EQ(default_thread_count(), fallback) << "ACTLAB_THREADS=" << bad;
  }
  ScopedEnv env("ACTLAB_THREADS", nullptr);
  EXPECT_EQ(default_thread_count(), fallback);
  EXPECT_GE(default_thread_count(), 1);
}

}  // namespace
}  // namespace actlab
