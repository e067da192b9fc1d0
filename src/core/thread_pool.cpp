#include "core/thread_pool.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <exception>

namespace actlab {
namespace {

// The pool whose job this thread is running, and as which worker; lets a nested parallel_for run inline.
thread_local const ThreadPool* tls_pool = nullptr;
thread_local int tls_worker = 0;

// Sets the thread-locals for the duration of a job and restores them after (exceptions included).
class ActiveScope {
 public:
  ActiveScope(const ThreadPool* pool, int worker) : pool_(tls_pool), worker_(tls_worker) {
    tls_pool = pool;
    tls_worker = worker;
  }
  ~ActiveScope() {
    tls_pool = pool_;
    tls_worker = worker_;
  }
  ActiveScope(const ActiveScope&) = delete;
  ActiveScope& operator=(const ActiveScope&) = delete;

 private:
  const ThreadPool* pool_;
  int worker_;
};

}  // namespace

int default_thread_count() {
  if (const char* env = std::getenv("ACTLAB_THREADS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(env, &end, 10);
    if (errno == 0 && *end == '\0' && v > 0 && v <= 4096) return static_cast<int>(v);
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

struct ThreadPool::Job {
  const std::function<void(std::size_t, int)>* fn = nullptr;
  std::size_t n = 0;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;
};

ThreadPool::ThreadPool(int threads) : size_(threads > 0 ? threads : default_thread_count()) {
  threads_.reserve(static_cast<std::size_t>(size_ - 1));
  for (int w = 1; w < size_; ++w) threads_.emplace_back([this, w] { worker_loop(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::worker_loop(int worker) {
  std::uint64_t seen = 0;
  for (;;) {
    Job* job = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      job = job_;
    }
    run_items(*job, worker);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_ == 0) done_cv_.notify_one();
    }
  }
}

void ThreadPool::run_items(Job& job, int worker) {
  ActiveScope scope(this, worker);
  while (!job.failed.load(std::memory_order_relaxed)) {
    const std::size_t i = job.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= job.n) break;
    try {
      (*job.fn)(i, worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(job.error_mutex);
      if (!job.error) job.error = std::current_exception();
      job.failed.store(true, std::memory_order_relaxed);
    }
  }
}

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t, int)>& fn) {
  if (n == 0) return;
  if (tls_pool == this || threads_.empty()) {  // nested call, or a pool of one: run inline
    const int worker = tls_pool == this ? tls_worker : 0;
    ActiveScope scope(this, worker);
    for (std::size_t i = 0; i < n; ++i) fn(i, worker);
    return;
  }
  std::lock_guard<std::mutex> call_lock(call_mutex_);
  Job job;
  job.fn = &fn;
  job.n = n;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &job;
    busy_ = static_cast<int>(threads_.size());
    ++generation_;
  }
  work_cv_.notify_all();
  run_items(job, 0);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return busy_ == 0; });
    job_ = nullptr;
  }
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace actlab
