// The audit trail in the PostgreSQL store (docs/storage.md "Audit trail"): table `audit`, written by Commit in
// the transaction that writes the facts. The chain's head is read with SELECT ... FOR UPDATE from the one-row
// table audit_head and moved in the same transaction, so writers in several processes queue on that row lock
// and the chain stays one sequence without gaps. Lock order in every transaction: persons, write_clock,
// audit_head (no deadlock between writers).
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

#include "store/postgres/postgres_store.h"

namespace dfdg::store {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

Status Error(PGconn* conn, const PGresult* r) {
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Status::IOError("postgresql: audit: " + message);
}

constexpr const char* kSelect =
    "SELECT seq, at, system, controller, cpr, operation, outcome, request_id, hash FROM audit ";

std::vector<audit::AuditEntry> Rows(const PGresult* r) {
  std::vector<audit::AuditEntry> out;
  for (int row = 0; row < PQntuples(r); ++row) {
    auto text = [&](int col) { return std::string(PQgetvalue(r, row, col)); };
    out.push_back(
        {std::atoll(PQgetvalue(r, row, 0)), text(1), text(2), text(3), text(4), text(5), text(6), text(7), text(8)});
  }
  return out;
}

}  // namespace

Status PostgresStore::AppendAudit(const std::vector<audit::AuditEntry>& rows) {
  if (!in_transaction_) return Status::InvalidArgument("AppendAudit outside a transaction");
  staged_audit_.insert(staged_audit_.end(), rows.begin(), rows.end());
  return Status::Ok();
}

Status PostgresStore::FlushAudit() {
  if (staged_audit_.empty()) return Status::Ok();
  std::vector<audit::AuditEntry> rows = std::move(staged_audit_);
  staged_audit_.clear();
  ResultPtr head(PQexec(conn_, "SELECT seq, hash FROM audit_head FOR UPDATE"), &PQclear);
  if (PQresultStatus(head.get()) != PGRES_TUPLES_OK || PQntuples(head.get()) != 1) return Error(conn_, head.get());
  int64_t seq = std::atoll(PQgetvalue(head.get(), 0, 0));
  std::string prev = PQgetvalue(head.get(), 0, 1);
  std::string copy;
  for (audit::AuditEntry& e : rows) {
    e.seq = ++seq;
    e.hash = audit::RowHash(prev, e);
    prev = e.hash;
    copy += std::to_string(e.seq);
    for (const std::string* field :
         {&e.at, &e.system, &e.controller, &e.cpr, &e.operation, &e.outcome, &e.request_id, &e.hash}) {
      copy.push_back('\t');
      CopyTextForPg(&copy, *field);
    }
    copy.push_back('\n');
  }
  Status s =
      Copy("COPY audit (seq, at, system, controller, cpr, operation, outcome, request_id, hash) FROM STDIN", copy);
  if (!s.ok()) return s;
  std::string seq_text = std::to_string(seq);
  const char* params[] = {seq_text.c_str(), prev.c_str()};
  ResultPtr moved(
      PQexecParams(conn_, "UPDATE audit_head SET seq = $1::bigint, hash = $2", 2, nullptr, params, nullptr, nullptr, 0),
      &PQclear);
  if (PQresultStatus(moved.get()) != PGRES_COMMAND_OK) return Error(conn_, moved.get());
  return Status::Ok();
}

Result<std::vector<audit::AuditEntry>> PostgresStore::ReadAudit(const std::string& cpr, int64_t after_seq,
                                                                int64_t limit) {
  std::string after = std::to_string(after_seq), max = std::to_string(limit);
  std::string sql = std::string(kSelect) + "WHERE seq > $1::bigint " + (cpr.empty() ? "" : "AND cpr = $3 ") +
                    "ORDER BY seq LIMIT $2::bigint";
  const char* params[] = {after.c_str(), max.c_str(), cpr.c_str()};
  ResultPtr r(PQexecParams(conn_, sql.c_str(), cpr.empty() ? 2 : 3, nullptr, params, nullptr, nullptr, 0), &PQclear);
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Error(conn_, r.get());
  return Rows(r.get());
}

// The stored head (audit_head), not the table's last row: a tail removed from `audit` shows against it.
Result<audit::AuditEntry> PostgresStore::AuditHead() {
  ResultPtr r(PQexec(conn_, "SELECT seq, hash FROM audit_head"), &PQclear);
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) return Error(conn_, r.get());
  audit::AuditEntry head;
  head.seq = std::atoll(PQgetvalue(r.get(), 0, 0));
  head.hash = PQgetvalue(r.get(), 0, 1);
  return head;
}

}  // namespace dfdg::store
