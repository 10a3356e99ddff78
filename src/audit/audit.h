// The audit trail: every read and write of personal data through the API — system, data controller, time,
// CPR, operation, outcome — in an append-only SQLite table whose rows form a hash chain (docs/api.md "Audit").
//
// Row hash = SHA-256 over the previous row's hash and this row's fields; the first row's previous hash is 64
// zeros. Verify() detects a changed, removed or reordered row (and a removed tail only when the caller compares
// the head hash with a copy kept elsewhere; the log line at shutdown records it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace dfdg::audit {

struct AuditEntry {
  int64_t seq = 0;         // assigned by Append
  std::string at;          // UTC time, ISO 8601 with milliseconds
  std::string system;      // connected system id
  std::string controller;  // data controller
  std::string cpr;         // full CPR (this table is personal data; logs never hold it)
  std::string operation;   // e.g. "POST /v1/Fravaer", "GET /v1/status"
  std::string outcome;     // accepted | rejected | refused | read | replayed | not_found
  std::string request_id;  // x-requestId, may be empty
  std::string hash;        // assigned by Append
};

class AuditLog {
 public:
  // Opens or creates the audit file (WAL, synchronous=FULL).
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends the entries in one durable transaction, chaining their hashes. Not thread-safe (one writer).
  Status Append(std::vector<AuditEntry>* entries);
  // Rows about one person, oldest first.
  Result<std::vector<AuditEntry>> ForCpr(const std::string& cpr_digits);
  // Checks the whole chain; ok with the row count, or Corruption naming the first bad row.
  Result<int64_t> Verify();
  const std::string& head() const { return head_; }

 private:
  explicit AuditLog(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
  int64_t next_seq_ = 1;
  std::string head_;
};

// The row hash (exposed for tests): hex SHA-256 of prev_hash and the fields, separated by 0x1f.
std::string RowHash(const std::string& prev_hash, const AuditEntry& e);

}  // namespace dfdg::audit
