#include "audit/audit.h"

namespace dfdg::audit {
namespace {

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "sqlite error";
    sqlite3_free(err);
    return Status::IOError("audit: " + message);
  }
  return Status::Ok();
}

std::string Column(sqlite3_stmt* stmt, int i) {
  const unsigned char* text = sqlite3_column_text(stmt, i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    return Status::IOError("audit " + path + ": " + message);
  }
  std::unique_ptr<AuditLog> log(new AuditLog(db));
  sqlite3_busy_timeout(db, 5000);
  Status s = Exec(db,
                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                  "CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, system TEXT NOT NULL,"
                  " controller TEXT NOT NULL, cpr TEXT NOT NULL, operation TEXT NOT NULL, outcome TEXT NOT NULL,"
                  " request_id TEXT NOT NULL, hash TEXT NOT NULL);"
                  "CREATE INDEX IF NOT EXISTS audit_cpr ON audit(cpr);");
  if (!s.ok()) return s;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO audit (seq, at, system, controller, cpr, operation, outcome, request_id, hash)"
                         " VALUES (?,?,?,?,?,?,?,?,?)",
                         -1, &log->insert_, nullptr) != SQLITE_OK) {
    return Status::IOError(std::string("audit: ") + sqlite3_errmsg(db));
  }
  sqlite3_stmt* last = nullptr;
  sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &last, nullptr);
  log->head_ = kZeroHash;
  if (last && sqlite3_step(last) == SQLITE_ROW) {
    log->next_seq_ = sqlite3_column_int64(last, 0) + 1;
    log->head_ = Column(last, 1);
  }
  sqlite3_finalize(last);
  return log;
}

AuditLog::~AuditLog() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

Status AuditLog::Append(std::vector<AuditEntry>* entries) {
  if (entries->empty()) return Status::Ok();
  Status s = Exec(db_, "BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  std::string head = head_;
  int64_t seq = next_seq_;
  for (AuditEntry& e : *entries) {
    e.seq = seq++;
    e.hash = RowHash(head, e);
    head = e.hash;
    sqlite3_reset(insert_);
    sqlite3_bind_int64(insert_, 1, e.seq);
    const std::string* fields[] = {&e.at,        &e.system,  &e.controller, &e.cpr,
                                   &e.operation, &e.outcome, &e.request_id, &e.hash};
    for (int i = 0; i < 8; ++i) sqlite3_bind_text(insert_, i + 2, fields[i]->c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert_) != SQLITE_DONE) {
      std::string message = sqlite3_errmsg(db_);
      Exec(db_, "ROLLBACK");
      return Status::IOError("audit: " + message);
    }
  }
  s = Exec(db_, "COMMIT");
  if (!s.ok()) {
    Exec(db_, "ROLLBACK");
    return s;
  }
  head_ = head;
  next_seq_ = seq;
  return Status::Ok();
}

namespace {
AuditEntry Read(sqlite3_stmt* stmt) {
  AuditEntry e;
  e.seq = sqlite3_column_int64(stmt, 0);
  e.at = Column(stmt, 1);
  e.system = Column(stmt, 2);
  e.controller = Column(stmt, 3);
  e.cpr = Column(stmt, 4);
  e.operation = Column(stmt, 5);
  e.outcome = Column(stmt, 6);
  e.request_id = Column(stmt, 7);
  e.hash = Column(stmt, 8);
  return e;
}
constexpr const char* kSelect =
    "SELECT seq, at, system, controller, cpr, operation, outcome, request_id, hash FROM audit ";
}  // namespace

Result<std::vector<AuditEntry>> AuditLog::All() { return ForCpr(""); }

Result<std::vector<AuditEntry>> AuditLog::ForCpr(const std::string& cpr_digits) {
  sqlite3_stmt* stmt = nullptr;
  std::string sql = std::string(kSelect) + (cpr_digits.empty() ? "ORDER BY seq" : "WHERE cpr = ? ORDER BY seq");
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::IOError(std::string("audit: ") + sqlite3_errmsg(db_));
  }
  if (!cpr_digits.empty()) sqlite3_bind_text(stmt, 1, cpr_digits.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<AuditEntry> out;
  while (sqlite3_step(stmt) == SQLITE_ROW) out.push_back(Read(stmt));
  sqlite3_finalize(stmt);
  return out;
}

Result<int64_t> AuditLog::Verify() {
  sqlite3_stmt* stmt = nullptr;
  std::string sql = std::string(kSelect) + "ORDER BY seq";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::IOError(std::string("audit: ") + sqlite3_errmsg(db_));
  }
  std::string prev = kZeroHash;
  int64_t expected = 1, rows = 0;
  Status bad;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    AuditEntry e = Read(stmt);
    if (e.seq != expected) {
      bad = Status::Corruption("audit row " + std::to_string(expected) + " is missing (next row is " +
                               std::to_string(e.seq) + ")");
      break;
    }
    if (RowHash(prev, e) != e.hash) {
      bad = Status::Corruption("audit row " + std::to_string(e.seq) + " does not match its hash (changed or moved)");
      break;
    }
    prev = e.hash;
    ++expected;
    ++rows;
  }
  sqlite3_finalize(stmt);
  if (!bad.ok()) return bad;
  return rows;
}

}  // namespace dfdg::audit
