// The SQLite side of DFDG's own actions: the outbox and daily-run tables (migration 2, docs/storage.md) and
// the outbox's delivery state and attempts (migration 4, docs/delivery.md).
// Statements are prepared per call: these paths run once per message or per day, not per registration.
#include "store/sqlite/sqlite_stmt.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::store {
namespace {

using sqlite::Stmt;

constexpr const char* kOutboxColumns =
    "SELECT seq, id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, state, attempts, "
    "next_attempt_ms, delivered_at, last_error FROM outbox ";

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
  m.attempts = sqlite3_column_int64(s.get(), 11);
  m.next_attempt_ms = sqlite3_column_int64(s.get(), 12);
  m.delivered_at = s.Text(13);
  m.last_error = s.Text(14);
  return m;
}

// The outbox rows matching `where` (which binds ?1 = after_seq and ?2 = limit), in the order it gives.
Result<std::vector<OutboxMessage>> ListOutboxWhere(sqlite3* db, const char* where, int64_t after_seq, int64_t limit) {
  Stmt s(db, (std::string(kOutboxColumns) + where).c_str());
  if (!s.ok()) return s.Error();
  sqlite3_bind_int64(s.get(), 1, after_seq);
  sqlite3_bind_int64(s.get(), 2, limit);
  std::vector<OutboxMessage> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.push_back(ReadMessage(s));
  if (rc != SQLITE_DONE) return s.Error();
  return out;
}

}  // namespace

Status SqliteStore::AppendOutbox(std::vector<OutboxMessage>* messages) {
  if (!in_transaction_) return Status::InvalidArgument("AppendOutbox outside a transaction");
  if (messages->empty()) return Status::Ok();
  sqlite3_stmt* s = insert_outbox_;  // prepared once (sqlite_schema.cc Prepare)
  for (OutboxMessage& m : *messages) {
    sqlite3_reset(s);
    // SQLITE_STATIC: the strings outlive the step below (no copy).
    sqlite3_bind_text(s, 1, m.id.data(), static_cast<int>(m.id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, m.command_seq);
    const std::string* texts[] = {&m.type,       &m.recipient_kind, &m.recipient, &m.cpr,
                                  &m.created_on, &m.payload,        &m.cause,     &m.state};
    for (int i = 0; i < 8; ++i) {
      sqlite3_bind_text(s, 3 + i, texts[i]->data(), static_cast<int>(texts[i]->size()), SQLITE_STATIC);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_CONSTRAINT) return Status::Conflict("outbox message id already used: " + m.id);
    if (rc != SQLITE_DONE) return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    m.seq = sqlite3_last_insert_rowid(db_);
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> SqliteStore::ListOutbox(int64_t after_seq, int64_t limit) {
  return ListOutboxWhere(db_, "WHERE seq > ?1 ORDER BY seq LIMIT ?2", after_seq, limit);
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

// ---- Delivery (migration 4) ----

Result<std::vector<OutboxMessage>> SqliteStore::ListPendingOutbox(int64_t after_seq, int64_t limit) {
  return ListOutboxWhere(db_, "WHERE state = 'pending' AND seq > ?1 ORDER BY seq LIMIT ?2", after_seq, limit);
}

Status SqliteStore::RecordDeliveryAttempt(const DeliveryAttempt& a) {
  if (in_transaction_) return Status::InvalidArgument("RecordDeliveryAttempt inside a transaction");
  Status status = Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  auto fail = [this](Status s) {
    Exec("ROLLBACK");
    return s;
  };
  {
    Stmt u(db_,
           "UPDATE outbox SET state = ?2, attempts = ?3, next_attempt_ms = ?4, last_error = ?5, "
           "delivered_at = CASE WHEN ?2 = 'delivered' THEN ?6 ELSE delivered_at END WHERE id = ?1 AND state = "
           "'pending'");
    if (!u.ok()) return fail(u.Error());
    u.Bind(1, a.message_id);
    u.Bind(2, a.outcome == "retry" ? std::string("pending") : a.outcome);
    sqlite3_bind_int64(u.get(), 3, a.attempt);
    sqlite3_bind_int64(u.get(), 4, a.next_attempt_ms);
    u.Bind(5, a.error);
    u.Bind(6, a.at);
    if (sqlite3_step(u.get()) != SQLITE_DONE) return fail(u.Error());
    if (sqlite3_changes(db_) != 1) return fail(Status::NotFound("no pending outbox message " + a.message_id));
  }
  Stmt i(db_,
         "INSERT INTO outbox_attempts (message_id, attempt, at_ms, duration_ms, url, http_status, error, outcome, "
         "next_attempt_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!i.ok()) return fail(i.Error());
  i.Bind(1, a.message_id);
  sqlite3_bind_int64(i.get(), 2, a.attempt);
  sqlite3_bind_int64(i.get(), 3, a.at_ms);
  sqlite3_bind_int64(i.get(), 4, a.duration_ms);
  i.Bind(5, a.url);
  sqlite3_bind_int(i.get(), 6, a.http_status);
  i.Bind(7, a.error);
  i.Bind(8, a.outcome);
  sqlite3_bind_int64(i.get(), 9, a.next_attempt_ms);
  if (sqlite3_step(i.get()) != SQLITE_DONE) return fail(i.Error());
  status = Exec("COMMIT");
  if (!status.ok()) return fail(status);
  return Status::Ok();
}

Result<std::vector<DeliveryAttempt>> SqliteStore::ListDeliveryAttempts(const std::string& message_id) {
  Stmt s(db_,
         "SELECT seq, message_id, attempt, at_ms, duration_ms, url, http_status, error, outcome, next_attempt_ms "
         "FROM outbox_attempts WHERE message_id = ?1 ORDER BY seq");
  if (!s.ok()) return s.Error();
  s.Bind(1, message_id);
  std::vector<DeliveryAttempt> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    DeliveryAttempt a;
    a.seq = sqlite3_column_int64(s.get(), 0);
    a.message_id = s.Text(1);
    a.attempt = sqlite3_column_int64(s.get(), 2);
    a.at_ms = sqlite3_column_int64(s.get(), 3);
    a.duration_ms = sqlite3_column_int64(s.get(), 4);
    a.url = s.Text(5);
    a.http_status = sqlite3_column_int(s.get(), 6);
    a.error = s.Text(7);
    a.outcome = s.Text(8);
    a.next_attempt_ms = sqlite3_column_int64(s.get(), 9);
    out.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return s.Error();
  return out;
}

Result<int64_t> SqliteStore::RequeueOutbox(const std::string& id, const std::string& from_day,
                                           const std::string& to_day) {
  if (in_transaction_) return Status::InvalidArgument("RequeueOutbox inside a transaction");
  const char* sql = id.empty() ? "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0, "
                                 "last_error = '' WHERE state = 'delivered' AND substr(delivered_at, 1, 10) "
                                 "BETWEEN ?1 AND ?2"
                               : "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0, "
                                 "last_error = '' WHERE id = ?1 AND state IN ('pending', 'dead')";
  Stmt s(db_, sql);
  if (!s.ok()) return s.Error();
  if (id.empty()) {
    s.Bind(1, from_day);
    s.Bind(2, to_day);
  } else {
    s.Bind(1, id);
  }
  if (sqlite3_step(s.get()) != SQLITE_DONE) return s.Error();
  return static_cast<int64_t>(sqlite3_changes(db_));
}

}  // namespace dfdg::store
