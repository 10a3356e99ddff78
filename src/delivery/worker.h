// The delivery worker: POSTs pending outbox messages to their recipients' webhooks, at least once, in order
// per person and recipient, with exponential backoff and a dead-letter state (docs/delivery.md).
//
// Contract: a message is marked delivered only after its receiver answered 2xx, in a transaction of its own
// (store.h RecordDeliveryAttempt) — so a crash between the POST and that write leaves it pending and it is
// sent again (at least once; receivers de-duplicate on the message id, header Idempotency-Key). Within one
// (person, recipient kind, recipient), a message is attempted only when every earlier pending one was
// delivered in the same pass: a failing or not yet due message holds back the later ones. Dead letters hold
// back nothing. The store must be this worker's own (not shared with another thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "delivery/config.h"
#include "store/store.h"

namespace httplib {
class Client;
}

namespace dfdg::delivery {

// What one pass did.
struct PassReport {
  int64_t delivered = 0;   // 2xx
  int64_t retrying = 0;    // failed, will be tried again
  int64_t dead = 0;        // failed for the max_attempts-th time
  int64_t waiting = 0;     // not due yet, or held back by an earlier message of the same person and recipient
  int64_t unroutable = 0;  // no endpoint configured for the recipient (stays pending)
  int64_t store_errors = 0;
  int64_t total() const { return delivered + retrying + dead; }
};

// The wire body of a message (docs/delivery.md "Wire format"): the same bytes on every attempt.
std::string WireBody(const store::OutboxMessage& message);

// The wait a Retry-After header value asks for, in ms from `now_ms`: delta-seconds ("120") or an HTTP-date
// ("Fri, 05 Dec 2025 16:05:00 GMT"). nullopt when malformed; 0 for a date in the past.
std::optional<int64_t> ParseRetryAfter(const std::string& value, int64_t now_ms);

// Unix milliseconds of the system clock.
int64_t SystemNowMs();

// ISO 8601 UTC with milliseconds, e.g. 2026-12-05T21:40:00.123Z.
std::string FormatUtcMs(int64_t unix_ms);

class Deliverer {
 public:
  // `now_ms` is the clock (injectable for tests); `random` returns a value in [0, 1) for the jitter.
  Deliverer(DeliveryConfig config, store::Store* store, std::function<int64_t()> now_ms = SystemNowMs,
            std::function<double()> random = nullptr);
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // One pass over every pending message, in seq order. Store failures are counted and end the pass.
  PassReport RunPass();

  // The wait after the `attempt`-th failure (1-based), before jitter: min(max, initial * 2^(attempt-1)).
  int64_t Backoff(int64_t attempt) const;

 private:
  // Sends one message; fills status/error, and retry_after_ms (0 = none) from a failed answer's Retry-After.
  // Returns true on 2xx.
  bool Post(const Endpoint& endpoint, const store::OutboxMessage& message, int64_t attempt, int* http_status,
            std::string* error, int64_t* retry_after_ms);

  DeliveryConfig config_;
  store::Store* store_;
  std::function<int64_t()> now_ms_;
  std::function<double()> random_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;  // by scheme://host:port, kept alive
};

}  // namespace dfdg::delivery
