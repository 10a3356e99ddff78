// The PostgreSQL side of DFDG's own actions: the outbox and daily-run tables (migration 2, docs/storage.md) and
// the outbox's delivery state and attempts (migration 4, docs/delivery.md).
// Messages are staged as COPY rows and written by Commit in the transaction of the facts that caused them (no
// round trip per message): they commit or roll back with those facts.
#include <libpq-fe.h>

#include <cstring>

#include "store/postgres/pg_result.h"
#include "store/postgres/postgres_store.h"

namespace dfdg::store {
namespace {

using pg::ResultPtr;
using pg::Wrap;

using pg::Failure;

std::string Text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

constexpr const char* kOutboxColumns =
    "SELECT seq, id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, state, attempts, "
    "next_attempt_ms, delivered_at, last_error FROM outbox ";

OutboxMessage ReadMessage(const PGresult* r, int row) {
  OutboxMessage m;
  m.seq = std::atoll(PQgetvalue(r, row, 0));
  m.id = Text(r, row, 1);
  m.command_seq = std::atoll(PQgetvalue(r, row, 2));
  m.type = Text(r, row, 3);
  m.recipient_kind = Text(r, row, 4);
  m.recipient = Text(r, row, 5);
  m.cpr = Text(r, row, 6);
  m.created_on = Text(r, row, 7);
  m.payload = Text(r, row, 8);
  m.cause = Text(r, row, 9);
  m.state = Text(r, row, 10);
  m.attempts = std::atoll(PQgetvalue(r, row, 11));
  m.next_attempt_ms = std::atoll(PQgetvalue(r, row, 12));
  m.delivered_at = Text(r, row, 13);
  m.last_error = Text(r, row, 14);
  return m;
}

}  // namespace

Status PostgresStore::AppendOutbox(std::vector<OutboxMessage>* messages) {
  if (!in_transaction_) return Status::InvalidArgument("AppendOutbox outside a transaction");
  for (OutboxMessage& m : *messages) {
    std::string& r = outbox_rows_;
    CopyTextForPg(&r, m.id);
    r.push_back('\t');
    r.append(std::to_string(m.command_seq));
    for (const std::string* field :
         {&m.type, &m.recipient_kind, &m.recipient, &m.cpr, &m.created_on, &m.payload, &m.cause, &m.state}) {
      r.push_back('\t');
      CopyTextForPg(&r, *field);
    }
    r.push_back('\n');
    m.seq = 0;  // assigned at Commit (store.h)
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> PostgresStore::ListOutbox(int64_t after_seq, int64_t limit) {
  std::string after = std::to_string(after_seq), max = std::to_string(limit);
  const char* params[] = {after.c_str(), max.c_str()};
  auto r = Wrap(PQexecParams(conn_, (std::string(kOutboxColumns) + "WHERE seq > $1 ORDER BY seq LIMIT $2").c_str(), 2,
                             nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::vector<OutboxMessage> out;
  out.reserve(PQntuples(r.get()));
  for (int row = 0; row < PQntuples(r.get()); ++row) out.push_back(ReadMessage(r.get(), row));
  return out;
}

Result<std::optional<OutboxMessage>> PostgresStore::FindOutbox(const std::string& id) {
  const char* params[] = {id.c_str()};
  auto r = Wrap(PQexecParams(conn_, (std::string(kOutboxColumns) + "WHERE id = $1").c_str(), 1, nullptr, params,
                             nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::optional<OutboxMessage> out;
  if (PQntuples(r.get()) == 1) out = ReadMessage(r.get(), 0);
  return out;
}

Result<std::vector<std::string>> PostgresStore::ListPersons(const std::string& after, int64_t limit) {
  std::string max = std::to_string(limit);
  const char* params[] = {after.c_str(), max.c_str()};
  auto r = Wrap(PQexecParams(conn_, "SELECT cpr FROM persons WHERE cpr > $1 ORDER BY cpr LIMIT $2", 2, nullptr, params,
                             nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::vector<std::string> out;
  out.reserve(PQntuples(r.get()));
  for (int row = 0; row < PQntuples(r.get()); ++row) out.push_back(Text(r.get(), row, 0));
  return out;
}

Result<std::optional<std::string>> PostgresStore::LastDailyRun() {
  auto r = Wrap(PQexec(conn_, "SELECT MAX(date) FROM daily_runs"));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::optional<std::string> out;
  if (PQntuples(r.get()) == 1 && !PQgetisnull(r.get(), 0, 0)) out = Text(r.get(), 0, 0);
  return out;
}

Status PostgresStore::RecordDailyRun(const std::string& date, const std::string& summary) {
  if (!in_transaction_) return Status::InvalidArgument("RecordDailyRun outside a transaction");
  const char* params[] = {date.c_str(), summary.c_str()};
  auto r = Wrap(PQexecParams(conn_, "INSERT INTO daily_runs (date, summary) VALUES ($1, $2)", 2, nullptr, params,
                             nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Failure(conn_, r.get());
  return Status::Ok();
}

// ---- Delivery (migration 4) ----

Result<std::vector<OutboxMessage>> PostgresStore::ListPendingOutbox(int64_t after_seq, int64_t limit) {
  std::string after = std::to_string(after_seq), max = std::to_string(limit);
  const char* params[] = {after.c_str(), max.c_str()};
  auto r = Wrap(PQexecParams(
      conn_, (std::string(kOutboxColumns) + "WHERE state = 'pending' AND seq > $1 ORDER BY seq LIMIT $2").c_str(), 2,
      nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::vector<OutboxMessage> out;
  out.reserve(PQntuples(r.get()));
  for (int row = 0; row < PQntuples(r.get()); ++row) out.push_back(ReadMessage(r.get(), row));
  return out;
}

// One statement (a data-modifying CTE) is one transaction: the attempt row is written only when the message
// was pending.
Status PostgresStore::RecordDeliveryAttempt(const DeliveryAttempt& a) {
  if (in_transaction_) return Status::InvalidArgument("RecordDeliveryAttempt inside a transaction");
  std::string state = a.outcome == "retry" ? "pending" : a.outcome;
  std::string attempt = std::to_string(a.attempt), at_ms = std::to_string(a.at_ms),
              duration = std::to_string(a.duration_ms), http = std::to_string(a.http_status),
              next = std::to_string(a.next_attempt_ms);
  const char* params[] = {a.message_id.c_str(), state.c_str(), attempt.c_str(),  next.c_str(),
                          a.error.c_str(),      a.at.c_str(),  at_ms.c_str(),    duration.c_str(),
                          a.url.c_str(),        http.c_str(),  a.outcome.c_str()};
  auto r = Wrap(PQexecParams(
      conn_,
      "WITH moved AS (UPDATE outbox SET state = $2::text, attempts = $3::bigint, next_attempt_ms = $4::bigint, "
      "last_error = $5::text, delivered_at = CASE WHEN $2::text = 'delivered' THEN $6::text ELSE delivered_at END "
      "WHERE id = $1::text AND state = 'pending' RETURNING id) INSERT INTO outbox_attempts (message_id, attempt, "
      "at_ms, duration_ms, url, http_status, error, outcome, next_attempt_ms) SELECT id, $3::bigint, $7::bigint, "
      "$8::bigint, $9::text, $10::integer, $5::text, $11::text, $4::bigint FROM moved",
      11, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Failure(conn_, r.get());
  if (std::atoll(PQcmdTuples(r.get())) != 1) return Status::NotFound("no pending outbox message " + a.message_id);
  return Status::Ok();
}

Result<std::vector<DeliveryAttempt>> PostgresStore::ListDeliveryAttempts(const std::string& message_id) {
  const char* params[] = {message_id.c_str()};
  auto r = Wrap(PQexecParams(conn_,
                             "SELECT seq, message_id, attempt, at_ms, duration_ms, url, http_status, error, outcome, "
                             "next_attempt_ms FROM outbox_attempts WHERE message_id = $1 ORDER BY seq",
                             1, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::vector<DeliveryAttempt> out;
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    DeliveryAttempt a;
    a.seq = std::atoll(PQgetvalue(r.get(), row, 0));
    a.message_id = Text(r.get(), row, 1);
    a.attempt = std::atoll(PQgetvalue(r.get(), row, 2));
    a.at_ms = std::atoll(PQgetvalue(r.get(), row, 3));
    a.duration_ms = std::atoll(PQgetvalue(r.get(), row, 4));
    a.url = Text(r.get(), row, 5);
    a.http_status = std::atoi(PQgetvalue(r.get(), row, 6));
    a.error = Text(r.get(), row, 7);
    a.outcome = Text(r.get(), row, 8);
    a.next_attempt_ms = std::atoll(PQgetvalue(r.get(), row, 9));
    out.push_back(std::move(a));
  }
  return out;
}

Result<int64_t> PostgresStore::RequeueOutbox(const std::string& id, const std::string& from_day,
                                             const std::string& to_day) {
  if (in_transaction_) return Status::InvalidArgument("RequeueOutbox inside a transaction");
  const char* set = "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0, last_error = '' ";
  ResultPtr r(nullptr, &PQclear);
  if (id.empty()) {
    const char* params[] = {from_day.c_str(), to_day.c_str()};
    r = Wrap(PQexecParams(
        conn_,
        (std::string(set) + "WHERE state = 'delivered' AND substr(delivered_at, 1, 10) BETWEEN $1 AND $2").c_str(), 2,
        nullptr, params, nullptr, nullptr, 0));
  } else {
    const char* params[] = {id.c_str()};
    r = Wrap(PQexecParams(conn_, (std::string(set) + "WHERE id = $1 AND state IN ('pending', 'dead')").c_str(), 1,
                          nullptr, params, nullptr, nullptr, 0));
  }
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Failure(conn_, r.get());
  return static_cast<int64_t>(std::atoll(PQcmdTuples(r.get())));
}

}  // namespace dfdg::store
