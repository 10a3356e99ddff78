// The storage interface of the registry. SQLite (embedded, default) and PostgreSQL (store/postgres) implement
// the same contract. Persisted format: docs/storage.md.
//
// Contract: all writes happen inside Begin()/Commit(). Commit() returns ok only when the transaction is durable.
// Append() checks the person's version (optimistic concurrency): it fails with Conflict when the stored version
// differs from `expected_version`, so two writers cannot both apply a command based on the same state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "core/status.h"
#include "registry/person.h"

namespace dfdg::store {

// An accepted command as stored (for idempotency and audit).
struct CommandRecord {
  int64_t seq = 0;  // assigned by Append
  std::string id;   // client idempotency key, may be empty
  std::string cpr;
  std::string registered_at;
  std::string command;  // command name
  std::string request;  // canonical request JSON
  std::string result;   // the result JSON returned to the client
};

class Store {
 public:
  virtual ~Store() = default;

  // The person's full history (empty history with version 0 when unknown).
  virtual Result<registry::PersonHistory> LoadPerson(const std::string& cpr) = 0;
  // The stored command with this idempotency id, if any.
  virtual Result<std::optional<CommandRecord>> FindCommand(const std::string& id) = 0;

  // Optional hint, inside Begin()/Commit(): the persons the transaction is about to load. A backend with
  // per-query latency (PostgreSQL) loads them in one round trip; LoadPerson then serves them. Default: nothing.
  virtual Status Prefetch(const std::vector<std::string>& cprs) {
    (void)cprs;
    return Status::Ok();
  }

  // Starts a write transaction (exclusive for the writer). Returns whether other writers committed since this
  // store's last commit (then cached person histories must be reloaded).
  virtual Result<bool> Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // REQUIRES: inside Begin()/Commit(). Appends `facts` (their seq and command_seq are assigned and written back)
  // and the command record for person `cpr`, moving its version from expected_version to expected_version + 1.
  // Conflict (here or at Commit) if the stored version is not expected_version.
  virtual Status Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                        std::vector<registry::Fact>* facts, CommandRecord* command) = 0;

  // ---- Audit trail in the store (docs/storage.md "Audit trail"; `dfdg serve`, `dfdg audit`) ----
  // REQUIRES: inside Begin()/Commit(). Stages `rows` (seq and hash ignored); Commit() writes them in the same
  // transaction as the transaction's facts, numbered and chained after the stored head under a lock that
  // every writer of the chain takes (so several processes on one database keep ONE chain). Rollback() and a
  // failed Commit() drop them. Default: IOError.
  virtual Status AppendAudit(const std::vector<audit::AuditEntry>& rows) {
    (void)rows;
    return Status::IOError("this store keeps no audit trail");
  }
  // Stored audit rows with seq > after_seq in seq order, at most `limit`; only the person's when `cpr` (digits)
  // is not empty. Default: IOError.
  virtual Result<std::vector<audit::AuditEntry>> ReadAudit(const std::string& cpr, int64_t after_seq, int64_t limit) {
    (void)cpr, (void)after_seq, (void)limit;
    return Status::IOError("this store keeps no audit trail");
  }
  // The last stored audit row (seq 0 and 64 zeros as hash when there is none).
  virtual Result<audit::AuditEntry> AuditHead() { return Status::IOError("this store keeps no audit trail"); }
  // ---- end of audit trail ----
};

}  // namespace dfdg::store
