#include "core/worker_pool.h"

namespace dfdg {

WorkerPool::WorkerPool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  start_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::Work() {
  std::unique_lock lock(mu_);
  while (next_ < count_) {
    size_t i = next_++;
    const auto* task = task_;
    lock.unlock();
    (*task)(i);
    lock.lock();
    ++finished_;
  }
  if (finished_ == count_) done_.notify_all();
}

void WorkerPool::Loop() {
  unsigned long seen = 0;
  std::unique_lock lock(mu_);
  while (true) {
    start_.wait(lock, [&] { return stopping_ || round_ != seen; });
    if (stopping_) return;
    seen = round_;
    ++busy_;
    lock.unlock();
    Work();
    lock.lock();
    if (--busy_ == 0) done_.notify_all();
  }
}

void WorkerPool::Run(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  if (threads_.empty() || count == 1) {
    for (size_t i = 0; i < count; ++i) task(i);
    return;
  }
  {
    std::lock_guard lock(mu_);
    task_ = &task;
    count_ = count;
    next_ = 0;
    finished_ = 0;
    ++round_;
  }
  start_.notify_all();
  Work();
  std::unique_lock lock(mu_);
  // Every index done, and no helper still inside this round (so none touches task_ after we return).
  done_.wait(lock, [&] { return finished_ == count_ && busy_ == 0; });
  task_ = nullptr;
  count_ = 0;
}

}  // namespace dfdg
