// Read routing (`--read-db`): reads go to a streaming replica, writes to the primary, and a read never sees a
// state older than any write acknowledged before it started (read your writes, docs/storage.md "Read routing").
//
// Contract: outside a write transaction, LoadPerson/FindCommand first ask the primary for its current WAL
// position (pg_current_wal_lsn(), one cheap round trip), then wait until the replica has replayed up to it
// (pg_last_wal_replay_lsn(), polled every 2 ms, at most `max_wait_ms`), then read on the replica; when the
// replica is not there in time (or fails), the read goes to the primary. Inside Begin()/Commit() every call
// goes to the primary, so validation always sees the primary's state.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/postgres_store.h"

namespace dfdg::store {

class RoutedStore final : public Store {
 public:
  RoutedStore(std::unique_ptr<PostgresStore> primary, std::unique_ptr<PostgresStore> replica, int max_wait_ms)
      : primary_(std::move(primary)), replica_(std::move(replica)), max_wait_ms_(max_wait_ms) {}

  Result<registry::PersonHistory> LoadPerson(const std::string& cpr) override;
  Result<std::optional<CommandRecord>> FindCommand(const std::string& id) override;
  Status Prefetch(const std::vector<std::string>& cprs) override { return primary_->Prefetch(cprs); }
  Status PrefetchCommands(const std::vector<std::string>& ids) override { return primary_->PrefetchCommands(ids); }
  Result<bool> Begin() override;
  Status Commit() override;
  void Rollback() override;
  Status Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                std::vector<registry::Fact>* facts, CommandRecord* command) override;

  // DFDG's own actions: always on the primary (the outbox is read for delivery, which must see every write).
  Status AppendOutbox(std::vector<OutboxMessage>* messages) override { return primary_->AppendOutbox(messages); }
  Result<std::vector<OutboxMessage>> ListOutbox(int64_t after_seq, int64_t limit) override {
    return primary_->ListOutbox(after_seq, limit);
  }
  Result<std::optional<OutboxMessage>> FindOutbox(const std::string& id) override { return primary_->FindOutbox(id); }
  Result<std::vector<std::string>> ListPersons(const std::string& after, int64_t limit) override {
    return primary_->ListPersons(after, limit);
  }
  Result<std::vector<registry::PersonHistory>> LoadPersons(const std::string& after, int64_t limit) override {
    return primary_->LoadPersons(after, limit);
  }
  Result<std::optional<std::string>> LastDailyRun() override { return primary_->LastDailyRun(); }
  Result<std::vector<OutboxMessage>> ListPendingOutbox(int64_t after_seq, int64_t limit) override {
    return primary_->ListPendingOutbox(after_seq, limit);
  }
  Status RecordDeliveryAttempt(const DeliveryAttempt& attempt) override {
    return primary_->RecordDeliveryAttempt(attempt);
  }
  Result<std::vector<DeliveryAttempt>> ListDeliveryAttempts(const std::string& message_id) override {
    return primary_->ListDeliveryAttempts(message_id);
  }
  Result<int64_t> RequeueOutbox(const std::string& id, const std::string& from_day,
                                const std::string& to_day) override {
    return primary_->RequeueOutbox(id, from_day, to_day);
  }
  Status RecordDailyRun(const std::string& date, const std::string& summary) override {
    return primary_->RecordDailyRun(date, summary);
  }
  // The audit trail lives on the primary (written in its transactions; read there too).
  Result<int64_t> CountOutbox(const std::string& state) override { return primary_->CountOutbox(state); }
  Result<int64_t> EraseEntity(const std::string& cpr, int64_t entity_id, const std::string& trace) override {
    return primary_->EraseEntity(cpr, entity_id, trace);
  }
  Status AppendAudit(const std::vector<audit::AuditEntry>& rows) override { return primary_->AppendAudit(rows); }
  Result<std::vector<audit::AuditEntry>> ReadAudit(const std::string& cpr, int64_t after_seq, int64_t limit) override {
    return primary_->ReadAudit(cpr, after_seq, limit);
  }
  Result<audit::AuditEntry> AuditHead() override { return primary_->AuditHead(); }

  // Reads served by the replica / by the primary (fallback or inside a transaction); for tests and tools.
  int64_t replica_reads() const { return replica_reads_; }
  int64_t primary_reads() const { return primary_reads_; }
  PostgresStore& primary() { return *primary_; }

 private:
  // The store to read from now (see the contract above).
  PostgresStore* ReadTarget();

  std::unique_ptr<PostgresStore> primary_;
  std::unique_ptr<PostgresStore> replica_;
  int max_wait_ms_;
  bool in_transaction_ = false;
  int64_t replica_reads_ = 0;
  int64_t primary_reads_ = 0;
};

}  // namespace dfdg::store
