// The SQLite side of DFDG's own actions: the outbox and daily-run tables (migration 2, docs/storage.md).
// Statements are prepared per call: these paths run once per message or per day, not per registration.
#include "store/sqlite/sqlite_store.h"

namespace dfdg::store {
namespace {

// A prepared statement finalized when it goes out of scope.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK; }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  std::string Text(int col) {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    return text ? reinterpret_cast<const char*>(text) : std::string();
  }
  Status Error() const { return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_)); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

constexpr const char* kOutboxColumns =
    "SELECT seq, id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, state FROM outbox ";

OutboxMessage ReadMessage(Stmt& s) {
  OutboxMessage m;
  m.seq = sqlite3_column_int64(s.get(), 0);
  m.id = s.Text(1);
  m.command_seq = sqlite3_column_int64(s.get(), 2);
  m.type = s.Text(3);
  m.recipient_kind = s.Text(4);
  m.recipient = s.Text(5);
  m.cpr = s.Text(6);
  m.created_on = s.Text(7);
  m.payload = s.Text(8);
  m.cause = s.Text(9);
  m.state = s.Text(10);
  return m;
}

}  // namespace

Status SqliteStore::AppendOutbox(std::vector<OutboxMessage>* messages) {
  if (!in_transaction_) return Status::InvalidArgument("AppendOutbox outside a transaction");
  if (messages->empty()) return Status::Ok();
  Stmt s(db_,
         "INSERT INTO outbox (id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, "
         "state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!s.ok()) return s.Error();
  for (OutboxMessage& m : *messages) {
    sqlite3_reset(s.get());
    s.Bind(1, m.id);
    sqlite3_bind_int64(s.get(), 2, m.command_seq);
    const std::string* texts[] = {&m.type,       &m.recipient_kind, &m.recipient, &m.cpr,
                                  &m.created_on, &m.payload,        &m.cause,     &m.state};
    for (int i = 0; i < 8; ++i) s.Bind(3 + i, *texts[i]);
    int rc = sqlite3_step(s.get());
    if (rc == SQLITE_CONSTRAINT) return Status::Conflict("outbox message id already used: " + m.id);
    if (rc != SQLITE_DONE) return s.Error();
    m.seq = sqlite3_last_insert_rowid(db_);
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> SqliteStore::ListOutbox(int64_t after_seq, int64_t limit) {
  Stmt s(db_, (std::string(kOutboxColumns) + "WHERE seq > ?1 ORDER BY seq LIMIT ?2").c_str());
  if (!s.ok()) return s.Error();
  sqlite3_bind_int64(s.get(), 1, after_seq);
  sqlite3_bind_int64(s.get(), 2, limit);
  std::vector<OutboxMessage> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.push_back(ReadMessage(s));
  if (rc != SQLITE_DONE) return s.Error();
  return out;
}

Result<std::optional<OutboxMessage>> SqliteStore::FindOutbox(const std::string& id) {
  Stmt s(db_, (std::string(kOutboxColumns) + "WHERE id = ?1").c_str());
  if (!s.ok()) return s.Error();
  s.Bind(1, id);
  std::optional<OutboxMessage> out;
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_ROW) {
    out = ReadMessage(s);
  } else if (rc != SQLITE_DONE) {
    return s.Error();
  }
  return out;
}

Result<std::vector<std::string>> SqliteStore::ListPersons(const std::string& after, int64_t limit) {
  Stmt s(db_, "SELECT cpr FROM persons WHERE cpr > ?1 ORDER BY cpr LIMIT ?2");
  if (!s.ok()) return s.Error();
  s.Bind(1, after);
  sqlite3_bind_int64(s.get(), 2, limit);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.push_back(s.Text(0));
  if (rc != SQLITE_DONE) return s.Error();
  return out;
}

Result<std::optional<std::string>> SqliteStore::LastDailyRun() {
  Stmt s(db_, "SELECT MAX(date) FROM daily_runs");
  if (!s.ok()) return s.Error();
  std::optional<std::string> out;
  if (sqlite3_step(s.get()) == SQLITE_ROW && sqlite3_column_type(s.get(), 0) != SQLITE_NULL) out = s.Text(0);
  return out;
}

Status SqliteStore::RecordDailyRun(const std::string& date, const std::string& summary) {
  if (!in_transaction_) return Status::InvalidArgument("RecordDailyRun outside a transaction");
  Stmt s(db_, "INSERT INTO daily_runs (date, completed_at, summary) VALUES (?1, datetime('now'), ?2)");
  if (!s.ok()) return s.Error();
  s.Bind(1, date);
  s.Bind(2, summary);
  int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT) return Status::Conflict("daily run " + date + " already recorded");
  if (rc != SQLITE_DONE) return s.Error();
  return Status::Ok();
}

}  // namespace dfdg::store
