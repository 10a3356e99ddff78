// Commit and WAL-checkpoint counters of the SQLite store in this process, for /metrics (docs/performance.md
// "Checkpoints off the commit path"): how long each Commit() took (a histogram), and the checkpoints that ran
// inside a commit (SQLite's automatic checkpoint, on the committing thread) or on the background checkpointer
// (SqliteStore::StartCheckpointer). Relaxed counters: safe to read anywhere.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ostream>

namespace dfdg::store {

struct WalStats {
  // Upper bounds in seconds of the commit histogram's buckets; one more bucket counts the rest (+Inf).
  static constexpr double kCommitBuckets[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1};
  static constexpr int kCommitBucketCount = 10;
  std::atomic<uint64_t> commit_hist[kCommitBucketCount] = {};
  std::atomic<uint64_t> commits{0}, commit_ns{0}, commit_max_ns{0};
  // Checkpoints inside a commit (path "commit") and on the checkpointer thread (path "background"): how many,
  // their total and longest wall time, and the pages they moved into the database file.
  std::atomic<uint64_t> inline_checkpoints{0}, inline_checkpoint_ns{0}, inline_checkpoint_max_ns{0};
  std::atomic<uint64_t> background_checkpoints{0}, background_checkpoint_ns{0}, background_checkpoint_max_ns{0};
  std::atomic<uint64_t> background_busy{0};                // background checkpoints that found the database busy
  std::atomic<uint64_t> wal_frames{0}, wal_frames_max{0};  // frames in the WAL after the last commit; the most seen
};

// The process's counters (every SqliteStore of the process adds to them).
WalStats& ProcessWalStats();

// Adds one observation of `ns` to a max counter.
inline void RecordMax(std::atomic<uint64_t>& max, uint64_t ns) {
  uint64_t seen = max.load(std::memory_order_relaxed);
  while (ns > seen && !max.compare_exchange_weak(seen, ns, std::memory_order_relaxed)) {
  }
}

// Counts one Commit() that took `took` (the histogram, total and longest).
void RecordCommit(std::chrono::steady_clock::duration took);

// The counters as Prometheus text (dfdg_store_commit_seconds histogram, dfdg_wal_checkpoints_total{path},
// dfdg_wal_checkpoint_seconds_total{path}, dfdg_wal_checkpoint_max_seconds{path}, dfdg_wal_frames).
void WriteWalMetrics(std::ostream& out);

}  // namespace dfdg::store
