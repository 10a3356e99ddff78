// The SQLite schema (docs/storage.md): its migrations, SqliteStore::Migrate, and the statements the store
// prepares once per connection (SqliteStore::Prepare).
#include <iterator>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace dfdg::store {
namespace {

// Migrations, applied in order; never edit one that has shipped, only add.
const char* const kMigrations[] = {
    // 1: persons, facts, accepted commands.
    R"sql(
CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  cpr TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  next_entity_id INTEGER NOT NULL,
  facts BLOB NOT NULL
);
CREATE TABLE commands (
  seq INTEGER PRIMARY KEY,
  id TEXT,
  cpr TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  command TEXT NOT NULL,
  request TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE UNIQUE INDEX commands_by_id ON commands(id) WHERE id IS NOT NULL;
CREATE TABLE facts (
  seq INTEGER PRIMARY KEY,
  cpr TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  command_seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  recorded_on TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  channel TEXT NOT NULL,
  actor TEXT NOT NULL,
  start TEXT NOT NULL,
  end_date TEXT,
  event_date TEXT,
  code INTEGER NOT NULL,
  text TEXT NOT NULL,
  comment TEXT NOT NULL,
  extra TEXT
);
)sql",
    // 2: DFDG's own actions: the outbox and the daily runs (docs/storage.md "Outbox").
    R"sql(
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  command_seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  recipient_kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  cpr TEXT NOT NULL,
  created_on TEXT NOT NULL,
  payload TEXT NOT NULL,
  cause TEXT NOT NULL,
  state TEXT NOT NULL
);
CREATE TABLE daily_runs (
  date TEXT PRIMARY KEY,
  completed_at TEXT NOT NULL,
  summary TEXT NOT NULL
);
)sql",
    // 3: the audit trail, a hash chain (docs/storage.md "Audit trail"; same columns as the legacy <db>.audit).
    R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  system TEXT NOT NULL,
  controller TEXT NOT NULL,
  cpr TEXT NOT NULL,
  operation TEXT NOT NULL,
  outcome TEXT NOT NULL,
  request_id TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_cpr ON audit(cpr, seq);
)sql",
    // 4: delivery of the outbox: state per message and every attempt (docs/storage.md "Outbox delivery").
    R"sql(
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN delivered_at TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';
CREATE INDEX outbox_delivered ON outbox(delivered_at) WHERE state = 'delivered';
CREATE TABLE outbox_attempts (
  seq INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  url TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT NOT NULL,
  outcome TEXT NOT NULL,
  next_attempt_ms INTEGER NOT NULL
);
CREATE INDEX outbox_attempts_by_message ON outbox_attempts(message_id, seq);
)sql",
};

}  // namespace

// Takes the write lock (BEGIN IMMEDIATE) before reading the schema version, so that of two processes opening a
// new file at once one migrates and the other waits (busy timeout) and then finds the schema current.
Status SqliteStore::Migrate() {
  Status s = Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return Status::IOError("cannot lock the database to check its schema: " + s.message());
  s = Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  if (!s.ok()) {
    Exec("ROLLBACK");
    return s;
  }
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", -1, &stmt, nullptr);
  int current = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  int latest = static_cast<int>(std::size(kMigrations));
  if (current > latest) {
    Exec("ROLLBACK");
    return Status::Corruption("database schema version " + std::to_string(current) + " is newer than this dfdg (" +
                              std::to_string(latest) + ")");
  }
  for (int version = current + 1; version <= latest; ++version) {
    std::string sql = std::string(kMigrations[version - 1]) + "INSERT INTO schema_migrations VALUES (" +
                      std::to_string(version) + ", datetime('now'));";
    s = Exec(sql.c_str());
    if (!s.ok()) {
      Exec("ROLLBACK");
      return Status::IOError("migration " + std::to_string(version) + " failed: " + s.message());
    }
  }
  s = Exec("COMMIT");
  if (!s.ok()) {
    Exec("ROLLBACK");
    return s;
  }
  schema_version_ = latest;
  return Status::Ok();
}

Status SqliteStore::Prepare() {
  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } statements[] = {
      {&load_person_, "SELECT version, next_entity_id, facts FROM persons WHERE cpr = ?1"},
      {&find_command_, "SELECT seq, id, cpr, registered_at, command, request, result FROM commands WHERE id = ?1"},
      {&update_person_,
       "UPDATE persons SET version = ?3, next_entity_id = ?4, facts = facts || ?5 WHERE cpr = ?1 AND version = ?2"},
      // Same parameter numbers as update_person_ (?2, the expected version, is unused here).
      {&insert_person_, "INSERT INTO persons (cpr, version, next_entity_id, facts) VALUES (?1, ?3, ?4, ?5)"},
      {&insert_fact_,
       "INSERT INTO facts (cpr, entity_id, command_seq, kind, recorded_on, deleted, channel, actor, start, end_date, "
       "event_date, code, text, comment, extra, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
       "?14, ?15, ?16)"},
      {&insert_command_,
       "INSERT INTO commands (id, cpr, registered_at, command, request, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&insert_outbox_,
       "INSERT INTO outbox (id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, "
       "state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
  };
  for (auto& s : statements) {
    if (sqlite3_prepare_v3(db_, s.sql, -1, SQLITE_PREPARE_PERSISTENT, s.stmt, nullptr) != SQLITE_OK) {
      return Status::IOError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    }
  }
  return Status::Ok();
}

}  // namespace dfdg::store
