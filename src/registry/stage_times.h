// Wall time of Registry::ExecuteAdmitted's stages in this process, for /metrics (docs/performance.md): parsing,
// stage A (Begin, loading persons and idempotency ids), B (admit, validate, plan), C (the store's inserts and
// rendering), before_commit (the service's audit rows), the commit; with pipelined commits (pipelined_batch.cc)
// also the calling thread's wait for the commit in flight (commit_ns is then the committer thread's time) and
// how many batches were validated again because the commit before them failed or another process wrote.
// Relaxed counters: safe to read anywhere.
#pragma once

#include <atomic>
#include <cstdint>

namespace dfdg::registry {

struct StageTimes {
  std::atomic<uint64_t> parse_ns{0}, load_ns{0}, validate_ns{0}, write_ns{0}, before_commit_ns{0}, commit_ns{0};
  std::atomic<uint64_t> commit_wait_ns{0}, restaged{0};
};

// The process's counters (every Registry of the process adds to them).
StageTimes& ProcessStageTimes();

}  // namespace dfdg::registry
