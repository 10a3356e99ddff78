// The SQLite side of retention (EraseEntity, store/erase.h) and the outbox count of /metrics. Statements are
// prepared per call: these run once per erased entity or per scrape.
#include <set>

#include "store/erase.h"
#include "store/sqlite/fact_codec.h"
#include "store/sqlite/sqlite_stmt.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::store {
namespace {

using sqlite::Stmt;

}  // namespace

Status SqliteStore::Checkpoint() {
  if (in_transaction_) return Status::InvalidArgument("Checkpoint inside a transaction");
  sqlite3_busy_timeout(db_, 0);  // never wait for other connections: the checkpoint is an optimisation
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_timeout(db_, 10000);
  if (rc == SQLITE_OK) return Status::Ok();
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Status::Conflict("checkpoint: database busy");
  return Status::IOError(std::string("checkpoint: ") + sqlite3_errmsg(db_));
}

Result<int64_t> SqliteStore::CountOutbox(const std::string& state) {
  Stmt s(db_, "SELECT count(*) FROM outbox WHERE state = ?1");
  if (!s.ok()) return s.Error();
  s.Bind(1, state);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return s.Error();
  return static_cast<int64_t>(sqlite3_column_int64(s.get(), 0));
}

Result<int64_t> SqliteStore::EraseEntity(const std::string& cpr, int64_t entity_id, const std::string& trace) {
  if (in_transaction_) return Status::InvalidArgument("EraseEntity inside a transaction");
  auto began = Begin();
  if (!began.ok()) return began.status();
  auto loaded = LoadPerson(cpr);
  if (!loaded.ok()) {
    Rollback();
    return loaded.status();
  }
  registry::PersonHistory history = std::move(loaded).value();
  int64_t erased = 0;
  std::set<int64_t> commands;
  std::string encoded;
  Stmt fact(db_, "UPDATE facts SET comment = '', extra = ?2 WHERE seq = ?1");
  Stmt command(db_, "UPDATE commands SET request = ?2, result = ?3 WHERE seq = ?1");
  Stmt person(db_, "UPDATE persons SET version = version + 1, facts = ?2 WHERE cpr = ?1");
  if (!fact.ok() || !command.ok() || !person.ok()) {
    Rollback();
    return fact.Error();
  }
  Status s = Status::Ok();
  for (registry::Fact& f : history.facts) {
    if (f.entity_id == entity_id && EraseFactContent(&f, trace)) {
      ++erased;
      commands.insert(f.command_seq);
      sqlite3_bind_int64(fact.get(), 1, f.seq);
      fact.Bind(2, f.extra.dump());
      if (s.ok()) s = fact.Run();
    }
    EncodeFact(f, &encoded);
  }
  for (int64_t seq : commands) {
    // The command's name stays; its request and result held the erased data.
    Stmt name(db_, "SELECT command FROM commands WHERE seq = ?1");
    sqlite3_bind_int64(name.get(), 1, seq);
    std::string command_name;
    if (name.ok() && sqlite3_step(name.get()) == SQLITE_ROW) {
      command_name = reinterpret_cast<const char*>(sqlite3_column_text(name.get(), 0));
    }
    sqlite3_bind_int64(command.get(), 1, seq);
    command.Bind(2, ErasedRequest(command_name));
    command.Bind(3, ErasedResult());
    if (s.ok()) s = command.Run();
  }
  if (erased == 0) {
    Rollback();
    return int64_t{0};
  }
  person.Bind(1, cpr);
  sqlite3_bind_blob(person.get(), 2, encoded.data(), static_cast<int>(encoded.size()), SQLITE_TRANSIENT);
  if (s.ok()) s = person.Run();
  if (s.ok()) s = Commit();
  if (!s.ok()) {
    Rollback();
    return s;
  }
  last_data_version_ = -1;  // the next Begin reports a change: caches of this connection reload the person
  return erased;
}

}  // namespace dfdg::store
