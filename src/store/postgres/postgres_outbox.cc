// The PostgreSQL side of DFDG's own actions: the outbox and daily-run tables (migration 2, docs/storage.md).
// Messages are INSERTed inside the open transaction (one round trip per message): they commit or roll back
// with the facts of the command that caused them.
#include <libpq-fe.h>

#include <cstring>

#include "store/postgres/postgres_store.h"

namespace dfdg::store {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
ResultPtr Wrap(PGresult* r) { return ResultPtr(r, &PQclear); }

Status Failure(PGconn* conn, const PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (state && (!std::strcmp(state, "23505") || !std::strcmp(state, "40P01") || !std::strcmp(state, "40001"))) {
    return Status::Conflict("postgresql: " + message);
  }
  return Status::IOError("postgresql: " + message);
}

std::string Text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

constexpr const char* kOutboxColumns =
    "SELECT seq, id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, state FROM outbox ";

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
  return m;
}

}  // namespace

Status PostgresStore::AppendOutbox(std::vector<OutboxMessage>* messages) {
  if (!in_transaction_) return Status::InvalidArgument("AppendOutbox outside a transaction");
  for (OutboxMessage& m : *messages) {
    std::string command_seq = std::to_string(m.command_seq);
    const char* params[] = {m.id.c_str(),        command_seq.c_str(), m.type.c_str(),       m.recipient_kind.c_str(),
                            m.recipient.c_str(), m.cpr.c_str(),       m.created_on.c_str(), m.payload.c_str(),
                            m.cause.c_str(),     m.state.c_str()};
    auto r = Wrap(PQexecParams(conn_,
                               "INSERT INTO outbox (id, command_seq, type, recipient_kind, recipient, cpr, created_on, "
                               "payload, cause, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq",
                               10, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
    m.seq = std::atoll(PQgetvalue(r.get(), 0, 0));
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

}  // namespace dfdg::store
