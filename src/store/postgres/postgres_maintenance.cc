// The PostgreSQL side of retention (EraseEntity, store/erase.h) and the outbox count of /metrics.
#include <libpq-fe.h>

#include <cstring>
#include <set>

#include "store/erase.h"
#include "store/postgres/pg_result.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/fact_codec.h"

namespace dfdg::store {
namespace {

using pg::ResultPtr;
using pg::Wrap;

using pg::Failure;

// Runs `sql` with text parameters (binary where `binary[i]`); Ok when it returned no error.
Status Run(PGconn* conn, const char* sql, const std::vector<std::string>& params, const std::vector<int>& binary,
           ResultPtr* out = nullptr) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  for (const std::string& p : params) {
    values.push_back(p.data());
    lengths.push_back(static_cast<int>(p.size()));
  }
  auto r = Wrap(PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                             binary.data(), 0));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(conn, r.get());
  if (out) *out = std::move(r);
  return Status::Ok();
}

}  // namespace

Result<int64_t> PostgresStore::CountOutbox(const std::string& state) {
  ResultPtr r(nullptr, &PQclear);
  Status s = Run(conn_, "SELECT count(*) FROM outbox WHERE state = $1", {state}, {0}, &r);
  if (!s.ok()) return s;
  return static_cast<int64_t>(std::atoll(PQgetvalue(r.get(), 0, 0)));
}

Result<int64_t> PostgresStore::EraseEntity(const std::string& cpr, int64_t entity_id, const std::string& trace) {
  if (in_transaction_) return Status::InvalidArgument("EraseEntity inside a transaction");
  auto began = Begin();
  if (!began.ok()) return began.status();
  auto fail = [&](Status s) -> Result<int64_t> {
    Rollback();
    return s;
  };
  ResultPtr r(nullptr, &PQclear);
  // Text result for the bytea column: parse the hex form.
  Status s = Run(conn_, "SELECT encode(facts, 'hex') FROM persons WHERE cpr = $1 FOR UPDATE", {cpr}, {0}, &r);
  if (!s.ok()) return fail(s);
  if (PQntuples(r.get()) == 0) return fail(Status::NotFound("no such person"));
  std::string hex(PQgetvalue(r.get(), 0, 0), static_cast<size_t>(PQgetlength(r.get(), 0, 0)));
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  std::vector<registry::Fact> facts;
  s = DecodeFacts(bytes, &facts);
  if (!s.ok()) return fail(Status::Corruption("person " + cpr.substr(0, 6) + "-****: " + s.message()));
  int64_t erased = 0;
  std::set<int64_t> commands;
  std::string encoded, one;
  for (registry::Fact& f : facts) {
    bool changed = f.entity_id == entity_id && EraseFactContent(&f, trace);
    EncodeFact(f, &encoded);
    if (!changed) continue;
    ++erased;
    commands.insert(f.command_seq);
    one.clear();
    EncodeFact(f, &one);
    s = Run(conn_, "UPDATE facts SET payload = $2 WHERE seq = $1", {std::to_string(f.seq), one}, {0, 1});
    if (!s.ok()) return fail(s);
  }
  if (erased == 0) {
    Rollback();
    return int64_t{0};
  }
  for (int64_t seq : commands) {
    ResultPtr name(nullptr, &PQclear);
    s = Run(conn_, "SELECT command FROM commands WHERE seq = $1", {std::to_string(seq)}, {0}, &name);
    if (!s.ok()) return fail(s);
    std::string command = PQntuples(name.get()) ? PQgetvalue(name.get(), 0, 0) : "";
    s = Run(conn_, "UPDATE commands SET request = $2, result = $3 WHERE seq = $1",
            {std::to_string(seq), ErasedRequest(command), ErasedResult()}, {0, 0, 0});
    if (!s.ok()) return fail(s);
  }
  s = Run(conn_, "UPDATE persons SET version = version + 1, facts = $2 WHERE cpr = $1", {cpr, encoded}, {0, 1});
  if (s.ok()) s = Run(conn_, "UPDATE write_clock SET n = n + 1", {}, {});
  if (s.ok()) s = Commit();
  if (!s.ok()) return fail(s);
  clock_after_commit_ = -1;  // the next Begin reports a change: caches of this connection reload the person
  return erased;
}

}  // namespace dfdg::store
