// The PostgreSQL schema (docs/storage.md): its migrations, and PostgresStore::Migrate.
#include <libpq-fe.h>

#include <cstdlib>

#include "store/postgres/pg_result.h"
#include "store/postgres/postgres_store.h"

namespace dfdg::store {
namespace {

// Migrations, applied in order under an advisory lock; never edit one that has shipped, only add.
// Fact payloads use the binary fact codec (store/sqlite/fact_codec.h), as persons.facts does: the Fact struct
// may grow without a schema change.
const char* const kMigrations[] = {
    // 1: persons, commands, facts, the write clock.
    R"sql(
CREATE TABLE persons (
  cpr text PRIMARY KEY,
  version bigint NOT NULL,
  next_entity_id bigint NOT NULL,
  facts bytea NOT NULL
);
CREATE SEQUENCE command_seq INCREMENT BY 1000 START 1;
CREATE TABLE commands (
  seq bigint PRIMARY KEY,
  id text UNIQUE,
  cpr text NOT NULL,
  registered_at text NOT NULL,
  command text NOT NULL,
  request text NOT NULL,
  result text NOT NULL
);
CREATE TABLE facts (
  seq bigint PRIMARY KEY,
  cpr text NOT NULL,
  entity_id bigint NOT NULL,
  command_seq bigint NOT NULL,
  payload bytea NOT NULL
);
CREATE TABLE write_clock (one boolean PRIMARY KEY DEFAULT true CHECK (one), n bigint NOT NULL);
INSERT INTO write_clock VALUES (true, 0);
)sql",
    // 2: DFDG's own actions: the outbox and the daily runs (docs/storage.md "Outbox").
    R"sql(
CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  command_seq bigint NOT NULL,
  type text NOT NULL,
  recipient_kind text NOT NULL,
  recipient text NOT NULL,
  cpr text NOT NULL,
  created_on text NOT NULL,
  payload text NOT NULL,
  cause text NOT NULL,
  state text NOT NULL
);
CREATE TABLE daily_runs (date text PRIMARY KEY, completed_at timestamptz NOT NULL DEFAULT now(), summary text NOT NULL);
)sql",
    // 3: the audit trail, a hash chain (docs/storage.md "Audit trail"); audit_head's row lock orders the
    // chain's writers across processes.
    R"sql(
CREATE TABLE audit (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  system text NOT NULL,
  controller text NOT NULL,
  cpr text NOT NULL,
  operation text NOT NULL,
  outcome text NOT NULL,
  request_id text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_by_cpr ON audit (cpr, seq);
CREATE TABLE audit_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL, hash text NOT NULL);
INSERT INTO audit_head VALUES (true, 0, repeat('0', 64));
)sql",
    // 4: delivery of the outbox: state per message and every attempt (docs/storage.md "Outbox delivery").
    R"sql(
ALTER TABLE outbox ADD COLUMN attempts bigint NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_ms bigint NOT NULL DEFAULT 0,
  ADD COLUMN delivered_at text NOT NULL DEFAULT '',
  ADD COLUMN last_error text NOT NULL DEFAULT '';
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE state = 'delivered';
CREATE TABLE outbox_attempts (
  seq bigserial PRIMARY KEY,
  message_id text NOT NULL,
  attempt bigint NOT NULL,
  at_ms bigint NOT NULL,
  duration_ms bigint NOT NULL,
  url text NOT NULL,
  http_status integer NOT NULL,
  error text NOT NULL,
  outcome text NOT NULL,
  next_attempt_ms bigint NOT NULL
);
CREATE INDEX outbox_attempts_by_message ON outbox_attempts (message_id, seq);
)sql",
    // 5: the idempotency id's uniqueness as a partial index: commands without an id (bulk loads) add no index
    // entry. Same constraint for every id; `WHERE id = $1` lookups use the index.
    R"sql(
CREATE UNIQUE INDEX commands_id ON commands (id) WHERE id IS NOT NULL;
ALTER TABLE commands DROP CONSTRAINT commands_id_key;
)sql",
};

// Advisory lock key of the migration step ("dfdg" in ASCII).
constexpr const char* kMigrationLock = "1684432487";

using pg::Failure;
using pg::Wrap;

}  // namespace

Status PostgresStore::Migrate() {
  Status s = Exec(std::string("BEGIN; SELECT pg_advisory_xact_lock(") + kMigrationLock +
                  "); CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at "
                  "timestamptz NOT NULL DEFAULT now())");
  if (!s.ok()) {
    Exec("ROLLBACK");
    return s;
  }
  auto r = Wrap(PQexec(conn_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    Status failed = Failure(conn_, r.get());
    Exec("ROLLBACK");
    return failed;
  }
  int current = std::atoi(PQgetvalue(r.get(), 0, 0));
  int latest = static_cast<int>(std::size(kMigrations));
  if (current > latest) {
    Exec("ROLLBACK");
    return Status::Corruption("database schema version " + std::to_string(current) + " is newer than this dfdg (" +
                              std::to_string(latest) + ")");
  }
  for (int version = current + 1; version <= latest; ++version) {
    s = Exec(std::string(kMigrations[version - 1]) + "; INSERT INTO schema_migrations (version) VALUES (" +
             std::to_string(version) + ")");
    if (!s.ok()) {
      Exec("ROLLBACK");
      return Status::IOError("migration " + std::to_string(version) + " failed: " + s.message());
    }
  }
  s = Exec("COMMIT");
  if (!s.ok()) return s;
  schema_version_ = latest;
  return Status::Ok();
}

}  // namespace dfdg::store
