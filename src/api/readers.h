// The reader connections of `dfdg serve`: reads are answered on the HTTP threads, in parallel, each against a
// reader of its own (docs/decisions/0050-reads-off-the-writer.md). A reader is a second connection to the
// store's database (Store::OpenReader: it sees the committed state, never the writer's open transaction) with
// a Registry of its own over it. The registry's reads (PersonStatus, CitizenRecords, RecordHistory,
// LookupRecords) load the person from the store every time (no person cache), and a reader's statements are
// reset after each query, so no read transaction stays open across requests: a read that starts after a
// write's response sees that write (read-your-writes).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/status.h"
#include "registry/registry.h"
#include "store/store.h"

namespace dfdg::api {

class Readers {
 public:
  struct Reader {
    std::unique_ptr<store::Store> store;
    std::unique_ptr<registry::Registry> registry;
  };
  // A reader lent to one thread; back to the pool when the last copy is destroyed.
  using Lease = std::shared_ptr<Reader>;

  // Opens the first reader of `store`. nullptr when the store offers none (Store::OpenReader: PostgreSQL, a
  // routed store with --read-db): the reads then stay on the writer thread. At most `max` (>= 1) readers are
  // ever open (`dfdg serve`: one per HTTP thread, so no request waits for one); more are opened on demand.
  // REQUIRES: catalog, store and clock outlive the Readers, and the Readers every Lease.
  static Result<std::unique_ptr<Readers>> Open(std::shared_ptr<const catalog::Catalog> catalog, store::Store* store,
                                               const Clock* clock, size_t max);

  // A free reader (opened now when none is free and fewer than `max` are open; else waits for one). Error when
  // opening a reader fails. Thread-safe.
  Result<Lease> Acquire();
  // How many readers are open.
  size_t opened() const;

 private:
  Readers(std::shared_ptr<const catalog::Catalog> catalog, store::Store* store, const Clock* clock, size_t max)
      : catalog_(std::move(catalog)), store_(store), clock_(clock), max_(max) {}
  // A new reader over store_->OpenReader(): nullptr when the store has none.
  Result<std::unique_ptr<Reader>> OpenOne();
  void Release(Reader* reader);

  std::shared_ptr<const catalog::Catalog> catalog_;
  store::Store* store_;
  const Clock* clock_;
  size_t max_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Reader>> all_;  // every open reader (under mu_)
  std::vector<Reader*> free_;                 // the ones not lent (under mu_)
  size_t opening_ = 0;                        // being opened outside the lock (counted against max_)
};

}  // namespace dfdg::api
