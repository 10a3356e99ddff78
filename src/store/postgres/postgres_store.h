// The PostgreSQL store: the same contract as the SQLite store (store.h, docs/storage.md "PostgreSQL"), for one
// database shared by several processes. Writes are buffered per transaction and sent at Commit() with COPY
// (commands, facts) and one set-based person update whose `WHERE version = base` check is the optimistic
// concurrency check across processes. Durability is the server's: with synchronous_commit=on and a synchronous
// standby, Commit() returns only after the standby has flushed the commit (scripts/pg-cluster.sh).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.h"

struct pg_conn;

namespace dfdg::store {

class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgresql://...) and migrates the schema. Two processes opening at once apply each
  // migration once (pg_advisory_xact_lock). Error when unreachable or the schema is newer than this dfdg.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url);
  // Connects to a read-only standby (`--read-db`): no migration, no temporary table; for reads only.
  static Result<std::unique_ptr<PostgresStore>> OpenReplica(const std::string& url);
  ~PostgresStore() override;

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  Result<registry::PersonHistory> LoadPerson(const std::string& cpr) override;
  Result<std::optional<CommandRecord>> FindCommand(const std::string& id) override;
  // Returns true when any writer (another process included) committed since this store's last commit.
  // Loads `cprs` (unknown ones as empty histories) with one query; LoadPerson serves them until Commit/Rollback.
  Status Prefetch(const std::vector<std::string>& cprs) override;
  // Looks `ids` up with one query; FindCommand serves them (found or not) until Commit/Rollback.
  Status PrefetchCommands(const std::vector<std::string>& ids) override;
  Result<bool> Begin() override;
  // Conflict when a person's version moved, an idempotency id was used concurrently, or the server reports a
  // deadlock / serialization failure; nothing is then written.
  Status Commit() override;
  void Rollback() override;
  Status Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                std::vector<registry::Fact>* facts, CommandRecord* command) override;

  // DFDG's own actions (store.h; postgres_outbox.cc). Written with INSERT inside the open transaction.
  Status AppendOutbox(std::vector<OutboxMessage>* messages) override;
  Result<std::vector<OutboxMessage>> ListOutbox(int64_t after_seq, int64_t limit) override;
  Result<std::optional<OutboxMessage>> FindOutbox(const std::string& id) override;
  Result<std::vector<std::string>> ListPersons(const std::string& after, int64_t limit) override;
  Result<std::vector<registry::PersonHistory>> LoadPersons(const std::string& after, int64_t limit) override;
  Result<std::optional<std::string>> LastDailyRun() override;
  Status RecordDailyRun(const std::string& date, const std::string& summary) override;
  // Outbox delivery (store.h; postgres_outbox.cc): each call is its own statement, outside Begin()/Commit().
  Result<std::vector<OutboxMessage>> ListPendingOutbox(int64_t after_seq, int64_t limit) override;
  Status RecordDeliveryAttempt(const DeliveryAttempt& attempt) override;
  Result<std::vector<DeliveryAttempt>> ListDeliveryAttempts(const std::string& message_id) override;
  Result<int64_t> RequeueOutbox(const std::string& id, const std::string& from_day, const std::string& to_day) override;
  // Audit trail (postgres_audit.cc): rows staged until Commit, chained under the row lock of audit_head.
  Result<int64_t> CountOutbox(const std::string& state) override;
  Result<int64_t> EraseEntity(const std::string& cpr, int64_t entity_id, const std::string& trace) override;
  Status AppendAudit(const std::vector<audit::AuditEntry>& rows) override;
  Result<std::vector<audit::AuditEntry>> ReadAudit(const std::string& cpr, int64_t after_seq, int64_t limit) override;
  Result<audit::AuditEntry> AuditHead() override;

  int schema_version() const { return schema_version_; }
  // The first column of the first row of `sql` (a read-only query), as text; empty when no row.
  Result<std::string> QueryValue(const std::string& sql);
  // Number of rows of persons / facts / commands (for tools and tests).
  Result<int64_t> Count(const std::string& table);

 private:
  explicit PostgresStore(pg_conn* conn) : conn_(conn) {}
  Status Exec(const std::string& sql);
  Status Migrate();
  Status Copy(const std::string& copy_sql, const std::string& rows);
  Result<int64_t> NextCommandSeq();
  Status FlushAll();

  struct StagedPerson {
    int64_t base_version;
    int64_t new_version;
    int64_t next_entity_id;
    std::string new_facts;  // fact_codec.h encoding of the facts appended in this transaction
  };
  std::unordered_map<std::string, StagedPerson> staged_persons_;
  std::unordered_map<std::string, registry::PersonHistory> prefetched_;
  std::unordered_map<std::string, std::optional<CommandRecord>> prefetched_commands_;
  std::string command_rows_;  // COPY text rows for `commands`
  std::string fact_rows_;     // COPY text rows for `facts`
  std::string outbox_rows_;   // COPY text rows for `outbox` (AppendOutbox), written at Commit after the facts

  pg_conn* conn_;
  int schema_version_ = 0;
  bool in_transaction_ = false;
  int64_t clock_at_begin_ = -1;
  int64_t clock_after_commit_ = -1;
  int64_t seq_next_ = 0;  // reserved command seqs [seq_next_, seq_end_)
  int64_t seq_end_ = 0;

  Status FlushAudit();  // REQUIRES: inside the transaction, after the write_clock update
  std::vector<audit::AuditEntry> staged_audit_;
};

// Appends `text` escaped for COPY's text format (backslash, tab, newline, carriage return); shared by the
// backend's COPY writers.
void CopyTextForPg(std::string* out, std::string_view text);

}  // namespace dfdg::store
