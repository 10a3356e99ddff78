#include "store/postgres/routed_store.h"

#include <chrono>
#include <thread>

namespace dfdg::store {

PostgresStore* RoutedStore::ReadTarget() {
  if (in_transaction_) return primary_.get();
  auto target = primary_->QueryValue("SELECT pg_current_wal_lsn()");
  if (!target.ok() || target->empty()) return primary_.get();
  const std::string check = "SELECT pg_last_wal_replay_lsn() >= '" + *target + "'::pg_lsn";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_wait_ms_);
  for (;;) {  // bounded by the deadline
    auto replayed = replica_->QueryValue(check);
    if (!replayed.ok()) return primary_.get();
    if (*replayed == "t") return replica_.get();
    if (std::chrono::steady_clock::now() >= deadline) return primary_.get();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Result<registry::PersonHistory> RoutedStore::LoadPerson(const std::string& cpr) {
  PostgresStore* target = ReadTarget();
  ++(target == replica_.get() ? replica_reads_ : primary_reads_);
  return target->LoadPerson(cpr);
}

Result<std::optional<CommandRecord>> RoutedStore::FindCommand(const std::string& id) {
  PostgresStore* target = ReadTarget();
  ++(target == replica_.get() ? replica_reads_ : primary_reads_);
  return target->FindCommand(id);
}

Result<bool> RoutedStore::Begin() {
  auto began = primary_->Begin();
  in_transaction_ = began.ok();
  return began;
}

Status RoutedStore::Commit() {
  Status s = primary_->Commit();
  in_transaction_ = false;
  return s;
}

void RoutedStore::Rollback() {
  primary_->Rollback();
  in_transaction_ = false;
}

Status RoutedStore::Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                           std::vector<registry::Fact>* facts, CommandRecord* command) {
  return primary_->Append(cpr, expected_version, next_entity_id, facts, command);
}

}  // namespace dfdg::store
