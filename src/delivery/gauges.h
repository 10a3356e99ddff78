// Process-wide outbox gauges: the delivery thread of `dfdg serve` sets them after each pass (from its own store
// connection), /metrics reads them (docs/delivery.md "Dead-letter alert"). -1 = not measured yet (no delivery
// thread in this process).
#pragma once

#include <atomic>
#include <cstdint>

namespace dfdg::delivery {

struct OutboxGauges {
  std::atomic<int64_t> dead{-1};     // messages in state dead
  std::atomic<int64_t> pending{-1};  // messages in state pending
  std::atomic<int64_t> alert_at{1};  // the alert is raised when dead >= alert_at (DeliveryConfig::dead_letter_alert)
};

// The one instance of the process.
inline OutboxGauges& ProcessOutboxGauges() {
  static OutboxGauges gauges;
  return gauges;
}

}  // namespace dfdg::delivery
