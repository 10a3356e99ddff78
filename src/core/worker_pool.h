// A fixed set of threads that run the tasks of one call together with the calling thread (fork-join).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dfdg {

class WorkerPool {
 public:
  // `threads` helpers besides the caller (0: Run executes everything on the calling thread).
  explicit WorkerPool(int threads);
  ~WorkerPool();  // joins the helpers
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Calls task(i) once for every i in [0, count), on the helpers and the calling thread, and returns when all
  // calls returned. Each i is taken by exactly one thread. REQUIRES: task does not throw; one Run at a time.
  void Run(size_t count, const std::function<void(size_t)>& task);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();
  void Work();  // takes indices until none is left

  std::mutex mu_;
  std::condition_variable start_, done_;
  std::vector<std::thread> threads_;
  const std::function<void(size_t)>* task_ = nullptr;
  size_t count_ = 0, next_ = 0, finished_ = 0;
  size_t busy_ = 0;          // helpers inside the current round
  unsigned long round_ = 0;  // incremented per Run; a helper joins each round once
  bool stopping_ = false;
};

}  // namespace dfdg
