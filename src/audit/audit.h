// The legacy audit file `<db>.audit` (before the audit chain moved into the store, docs/storage.md "Audit
// trail"): an append-only SQLite table whose rows form the hash chain of chain.h. Still read by
// `dfdg audit verify|show --audit FILE` and imported into the store by `dfdg serve` (serve_cmd.cc).
//
// Verify() detects a changed, removed or reordered row (and a removed tail only when the caller compares the
// head hash with a copy kept elsewhere).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "core/status.h"

namespace dfdg::audit {

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
  // Every row, in seq order (for the import into the store).
  Result<std::vector<AuditEntry>> All();
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

}  // namespace dfdg::audit
