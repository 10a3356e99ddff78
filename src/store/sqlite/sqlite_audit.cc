// The audit trail in the SQLite store (docs/storage.md "Audit trail"): table `audit`, written at Commit inside
// the BEGIN IMMEDIATE transaction that also writes the facts, so the chain's head read there cannot move.
#include "store/sqlite/sqlite_store.h"

namespace dfdg::store {
namespace {

constexpr const char* kSelect =
    "SELECT seq, at, system, controller, cpr, operation, outcome, request_id, hash FROM audit ";

std::string Text(sqlite3_stmt* stmt, int col) {
  const unsigned char* text = sqlite3_column_text(stmt, col);
  return text ? reinterpret_cast<const char*>(text) : std::string();
}

audit::AuditEntry ReadRow(sqlite3_stmt* stmt) {
  return {sqlite3_column_int64(stmt, 0),
          Text(stmt, 1),
          Text(stmt, 2),
          Text(stmt, 3),
          Text(stmt, 4),
          Text(stmt, 5),
          Text(stmt, 6),
          Text(stmt, 7),
          Text(stmt, 8)};
}

}  // namespace

Status SqliteStore::AppendAudit(const std::vector<audit::AuditEntry>& rows) {
  if (!in_transaction_) return Status::InvalidArgument("AppendAudit outside a transaction");
  staged_audit_.insert(staged_audit_.end(), rows.begin(), rows.end());
  return Status::Ok();
}

Status SqliteStore::FlushAudit() {
  if (staged_audit_.empty()) return Status::Ok();
  auto head = AuditHead();
  if (!head.ok()) return head.status();
  if (!Prepared(&insert_audit_,
                "INSERT INTO audit (seq, at, system, controller, cpr, operation, outcome, request_id, hash)"
                " VALUES (?,?,?,?,?,?,?,?,?)")) {
    return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  sqlite3_stmt* insert = insert_audit_;
  std::string prev = head->hash;
  int64_t seq = head->seq;
  Status result;
  for (audit::AuditEntry& e : staged_audit_) {
    e.seq = ++seq;
    e.hash = audit::RowHash(prev, e);
    prev = e.hash;
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, e.seq);
    const std::string* fields[] = {&e.at,        &e.system,  &e.controller, &e.cpr,
                                   &e.operation, &e.outcome, &e.request_id, &e.hash};
    for (int i = 0; i < 8; ++i) {
      sqlite3_bind_text(insert, i + 2, fields[i]->data(), static_cast<int>(fields[i]->size()), SQLITE_STATIC);
    }
    if (sqlite3_step(insert) != SQLITE_DONE) {
      result = Status::IOError(std::string("sqlite: audit: ") + sqlite3_errmsg(db_));
      break;
    }
  }
  sqlite3_reset(insert);
  sqlite3_clear_bindings(insert);  // the bound texts are the staged rows', cleared below
  staged_audit_.clear();
  return result;
}

Result<std::vector<audit::AuditEntry>> SqliteStore::ReadAudit(const std::string& cpr, int64_t after_seq,
                                                              int64_t limit) {
  std::string sql =
      std::string(kSelect) + "WHERE seq > ?1 " + (cpr.empty() ? "" : "AND cpr = ?3 ") + "ORDER BY seq LIMIT ?2";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  sqlite3_bind_int64(stmt, 1, after_seq);
  sqlite3_bind_int64(stmt, 2, limit);
  if (!cpr.empty()) sqlite3_bind_text(stmt, 3, cpr.data(), static_cast<int>(cpr.size()), SQLITE_STATIC);
  std::vector<audit::AuditEntry> out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) out.push_back(ReadRow(stmt));
  Status s = rc == SQLITE_DONE ? Status::Ok() : Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  sqlite3_finalize(stmt);
  if (!s.ok()) return s;
  return out;
}

Result<audit::AuditEntry> SqliteStore::AuditHead() {
  static const std::string sql = std::string(kSelect) + "ORDER BY seq DESC LIMIT 1";
  if (!Prepared(&audit_head_, sql.c_str())) return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  sqlite3_stmt* stmt = audit_head_;
  audit::AuditEntry head;
  head.hash = audit::kZeroHash;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) head = ReadRow(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  return head;
}

}  // namespace dfdg::store
