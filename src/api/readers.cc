#include "api/readers.h"

namespace dfdg::api {

Result<std::unique_ptr<Readers::Reader>> Readers::OpenOne() {
  auto opened = store_->OpenReader();
  if (!opened.ok()) return opened.status();
  if (!*opened) return std::unique_ptr<Reader>();
  auto reader = std::make_unique<Reader>();
  reader->store = std::move(opened).value();
  reader->registry = std::make_unique<registry::Registry>(catalog_, reader->store.get(), clock_);
  return reader;
}

Result<std::unique_ptr<Readers>> Readers::Open(std::shared_ptr<const catalog::Catalog> catalog, store::Store* store,
                                               const Clock* clock, size_t max) {
  std::unique_ptr<Readers> readers(new Readers(std::move(catalog), store, clock, max < 1 ? 1 : max));
  auto first = readers->OpenOne();
  if (!first.ok()) return first.status();
  if (!*first) return std::unique_ptr<Readers>();
  readers->free_.push_back(first->get());
  readers->all_.push_back(std::move(first).value());
  return readers;
}

Result<Readers::Lease> Readers::Acquire() {
  std::unique_lock lock(mu_);
  freed_.wait(lock, [&] { return !free_.empty() || all_.size() + opening_ < max_; });
  Reader* reader = nullptr;
  if (!free_.empty()) {
    reader = free_.back();
    free_.pop_back();
  } else {
    ++opening_;
    lock.unlock();  // opening a connection reads the schema: not under the pool's lock
    auto opened = OpenOne();
    lock.lock();
    --opening_;
    if (!opened.ok() || !*opened) {
      freed_.notify_one();  // the slot is free again
      return opened.ok() ? Status::IOError("the store offers no reader") : opened.status();
    }
    reader = opened->get();
    all_.push_back(std::move(opened).value());
  }
  return Lease(reader, [this](Reader* r) { Release(r); });
}

void Readers::Release(Reader* reader) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(reader);
  }
  freed_.notify_one();
}

size_t Readers::opened() const {
  std::lock_guard lock(mu_);
  return all_.size();
}

}  // namespace dfdg::api
