// The audit chain's rows and hashes, shared by the stores that keep the chain (store/, docs/storage.md
// "Audit trail") and the legacy audit file (audit.h).
//
// Row hash = hex SHA-256 over the previous row's hash and this row's fields (at, system, controller, cpr,
// operation, outcome, request_id, seq), separated by 0x1f; the first row's previous hash is 64 zeros.
// Rows are numbered 1, 2, 3, ... without gaps, so a removed, changed or reordered row breaks the chain.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace dfdg::audit {

struct AuditEntry {
  int64_t seq = 0;         // assigned when the row is written
  std::string at;          // UTC time, ISO 8601 with milliseconds
  std::string system;      // connected system id
  std::string controller;  // data controller
  std::string cpr;         // full CPR (this table is personal data; logs never hold it)
  std::string operation;   // e.g. "POST /v1/Fravaer", "GET /v1/status"
  std::string outcome;     // accepted | rejected | refused | read | replayed | not_found
  std::string request_id;  // x-requestId, may be empty
  std::string hash;        // assigned when the row is written
};

// The previous hash of the first row: 64 zeros.
extern const std::string kZeroHash;

// The row hash of `e` (its seq included) after `prev_hash`.
std::string RowHash(const std::string& prev_hash, const AuditEntry& e);

// Checks rows fed in seq order from the first: ok while the chain holds, Corruption naming the first bad row.
class ChainVerifier {
 public:
  Status Next(const AuditEntry& e);
  int64_t rows() const { return rows_; }
  const std::string& head() const { return head_; }

 private:
  int64_t rows_ = 0;
  std::string head_ = kZeroHash;
};

}  // namespace dfdg::audit
