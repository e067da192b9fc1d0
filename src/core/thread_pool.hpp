// A small pool of persistent worker threads with one operation, a blocking parallel for-loop.
//
//   ThreadPool pool(default_thread_count());
//   std::vector<double> loss(trials);
//   pool.parallel_for(trials, [&](std::size_t i, int worker) {
//     Rng rng = Rng::derive(seed, "trial", i);   // the stream belongs to the item, not to the worker
//     loss[i] = run_trial(rng);                  // written by index
//   });
//   double total = std::accumulate(loss.begin(), loss.end(), 0.0);  // summed in index order
//
// Reproducibility rule: results must not depend on which worker ran an item or in which order items ran.
// Give each item its own RNG stream derived from its index, write each result into slot `index`, and
// reduce afterwards in index order (floating-point sums depend on order). Then the output is identical for
// any thread count, 1 included. `worker` (0 .. size()-1) is only for per-worker scratch buffers.
//
// Items are handed out one at a time from an atomic counter, so uneven items balance themselves.
// The calling thread works too, as worker 0; a pool of size 1 starts no thread and runs items inline.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace actlab {

// ACTLAB_THREADS if it holds a positive integer, else std::thread::hardware_concurrency(); at least 1.
int default_thread_count();

class ThreadPool {
 public:
  // `threads` workers in all, the caller included; threads <= 0 means default_thread_count().
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }

  // Calls fn(index, worker) once for every index in [0, n) and returns when all calls have finished.
  // If calls throw, no new items are started, and the first exception is rethrown here once every worker
  // has stopped. Calls from several threads at once are serialized. A parallel_for issued from inside fn
  // (nested) runs inline on the calling worker, so it cannot deadlock.
  void parallel_for(std::size_t n, const std::function<void(std::size_t index, int worker)>& fn);

 private:
  struct Job;
  void worker_loop(int worker);
  void run_items(Job& job, int worker);

  int size_ = 1;
  std::vector<std::thread> threads_;
  std::mutex call_mutex_;  // one parallel_for at a time
  std::mutex mutex_;       // guards the fields below
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  Job* job_ = nullptr;
  std::uint64_t generation_ = 0;  // bumped for each job, so a worker never runs one job twice
  int busy_ = 0;                  // workers (not counting the caller) still inside the current job
  bool stop_ = false;
};

}  // namespace actlab
