// Where and how the outbox is delivered: the `delivery:` section of the service configuration
// (`dfdg serve --config FILE`, `dfdg outbox deliver --config FILE`). Format: docs/delivery.md "Configuration".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/status.h"

namespace dfdg::delivery {

// One receiving system's webhook. `id` is the recipient as stored on the message (the a-kasse number, the
// kommunekode, ...) or "*" for every recipient of `kind` without an entry of its own.
struct Endpoint {
  std::string kind;     // a recipient kind of catalog/recipients.yaml (OutboxMessage::recipient_kind)
  std::string id;       // OutboxMessage::recipient, or "*"
  std::string url;      // http:// or https://host[:port]/path
  std::string key_id;   // names the secret in the signature header (key rotation)
  std::string secret;   // the HMAC-SHA256 key (from secret_file or secret_env; never logged)
  std::string ca_file;  // https: CA bundle to verify the receiver with ("" = the system's)
};

struct DeliveryConfig {
  std::vector<Endpoint> endpoints;
  int64_t max_attempts = 24;             // the 24th failed attempt makes the message a dead letter (≥ 1.2 h)
  int64_t initial_backoff_ms = 1000;     // wait after the first failure; doubled after each further one
  int64_t max_backoff_ms = 600000;       // the doubling stops here (10 minutes)
  int64_t timeout_ms = 10000;            // connect, send and receive, each
  int64_t poll_ms = 1000;                // `dfdg serve` / `dfdg outbox deliver`: pause between passes
  int64_t max_clock_skew_seconds = 300;  // documented for receivers; the sender does not use it
  int64_t dead_letter_alert = 1;         // /metrics raises dfdg_outbox_dead_letter_alert at this many dead letters
  int64_t max_retry_after_ms = 3600000;  // a receiver's Retry-After is honoured up to this wait (1 hour)

  // The endpoint for a recipient: the exact (kind, id) entry, else (kind, "*"), else none.
  const Endpoint* Find(const std::string& kind, const std::string& id) const;
};

// Reads the `delivery:` section of the YAML file at `path` (relative secret_file / ca_file paths are resolved
// against the file's folder). nullopt when the file has no such section. A recipient's `kind` is one of the
// catalogue's `recipient_kinds` (catalog/recipients.yaml). InvalidArgument names the problem (unknown kind, with
// the catalogue's kinds; missing url, key_id or secret, repeated (kind, id), a limit out of range).
Result<std::optional<DeliveryConfig>> LoadDeliveryConfig(const std::string& path, const catalog::Catalog& catalog);

}  // namespace dfdg::delivery
