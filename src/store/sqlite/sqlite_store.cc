#include "store/sqlite/sqlite_store.h"

#include <chrono>
#include <cstring>
#include <thread>

#include "store/sqlite/fact_codec.h"
#include "store/sqlite/sqlite_stmt.h"
#include "store/sqlite/wal_stats.h"

namespace dfdg::store {
namespace {

// A command writes fewer facts than this (docs/storage.md).
constexpr int64_t kFactsPerCommand = 1000;

std::string Column(sqlite3_stmt* stmt, int col) {
  const unsigned char* text = sqlite3_column_text(stmt, col);
  return text ? reinterpret_cast<const char*>(text) : std::string();
}

// A string literal / static text (no copy).
void BindStatic(sqlite3_stmt* stmt, int index, const char* text) {
  sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
}

// REQUIRES: `text` outlives the statement's next sqlite3_step (SQLITE_STATIC: no copy).
void BindText(sqlite3_stmt* stmt, int index, const std::string& text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void BindDate(sqlite3_stmt* stmt, int index, const std::optional<Date>& date) {
  if (date) {
    std::string text = FormatDate(*date);
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(stmt, index);
  }
}

// True when the last statement on `db` failed because another connection holds a lock.
bool IsBusy(sqlite3* db) {
  int code = sqlite3_errcode(db) & 0xff;
  return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot open database '" + path + "': " + message);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_busy_timeout(db, 10000);
  // Closing does not checkpoint: committed transactions are durable in the WAL, and the next writer's commit (or
  // the background checkpointer) moves them into the main file. Keeps the end of a bulk import short.
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  // 4 KiB pages for a new file (docs/decisions/0050: each command dirties a few random B-tree pages, each written
  // whole to the WAL; 4 KiB commits measured shorter than 16 KiB, bulk loads and scans alike). A file that exists
  // keeps the page size it was made with (a WAL file's page size cannot change).
  for (const char* pragma : {"PRAGMA page_size=4096", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA cache_size=-262144", "PRAGMA temp_store=MEMORY"}) {
    // Switching a new file to WAL takes a lock that SQLite does not wait for with the busy handler; when
    // several processes open the same new file at once, retry for up to the busy timeout.
    Status s = store->Exec(pragma);
    for (int attempt = 0; !s.ok() && attempt < 1000 && IsBusy(db); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      s = store->Exec(pragma);
    }
    if (!s.ok()) return s;
  }
  // The automatic checkpoint is the WAL hook's (sqlite_checkpoint.cc): timed, and movable off the commit path.
  sqlite3_wal_hook(db, &SqliteStore::WalHook, store.get());
  Status s = store->Migrate();
  if (!s.ok()) return s;
  s = store->Prepare();
  if (!s.ok()) return s;
  return store;
}

SqliteStore::~SqliteStore() {
  checkpointer_.reset();  // its thread and connection end before this connection closes
  for (sqlite3_stmt* stmt : {load_person_, find_command_, update_person_, insert_person_, insert_fact_, insert_command_,
                             insert_outbox_, audit_head_, insert_audit_, data_version_}) {
    sqlite3_finalize(stmt);
  }
  if (in_transaction_) Exec("ROLLBACK");
  sqlite3_close(db_);
}

Status SqliteStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status::IOError("sqlite: " + message);
  }
  return Status::Ok();
}

Result<registry::PersonHistory> SqliteStore::LoadPerson(const std::string& cpr) {
  registry::PersonHistory history;
  history.cpr = cpr;
  sqlite3_reset(load_person_);
  BindText(load_person_, 1, cpr);
  int rc = sqlite3_step(load_person_);
  if (rc == SQLITE_DONE) {
    sqlite3_reset(load_person_);
    return history;  // unknown person: no facts yet
  }
  if (rc != SQLITE_ROW) {
    sqlite3_reset(load_person_);
    return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  history.version = sqlite3_column_int64(load_person_, 0);
  history.next_entity_id = sqlite3_column_int64(load_person_, 1);
  const void* blob = sqlite3_column_blob(load_person_, 2);
  int size = sqlite3_column_bytes(load_person_, 2);
  Status s = DecodeFacts(std::string_view(static_cast<const char*>(blob), static_cast<size_t>(size)), &history.facts);
  sqlite3_reset(load_person_);
  if (!s.ok()) return Status::Corruption("person " + cpr.substr(0, 6) + "-****: " + s.message());
  return history;
}

Result<std::vector<registry::PersonHistory>> SqliteStore::LoadPersons(const std::string& after, int64_t limit) {
  // One statement for the page: one read lock and one walk of the cpr index, not one per person.
  sqlite::Stmt s(db_, "SELECT cpr, version, next_entity_id, facts FROM persons WHERE cpr > ?1 ORDER BY cpr LIMIT ?2");
  if (!s.ok()) return s.Error();
  s.Bind(1, after);
  sqlite3_bind_int64(s.get(), 2, limit);
  std::vector<registry::PersonHistory> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    registry::PersonHistory& history = out.emplace_back();
    history.cpr = s.Text(0);
    history.version = sqlite3_column_int64(s.get(), 1);
    history.next_entity_id = sqlite3_column_int64(s.get(), 2);
    const void* blob = sqlite3_column_blob(s.get(), 3);
    int size = sqlite3_column_bytes(s.get(), 3);
    Status st =
        DecodeFacts(std::string_view(static_cast<const char*>(blob), static_cast<size_t>(size)), &history.facts);
    if (!st.ok()) return Status::Corruption("person " + history.cpr.substr(0, 6) + "-****: " + st.message());
  }
  if (rc != SQLITE_DONE) return s.Error();
  return out;
}

Status SqliteStore::ScanPersons(const std::function<Status(std::string_view cpr, std::string_view facts)>& visit) {
  // Rowid order: sequential pages, no index look-ups (a person's row is found without the cpr index). The file
  // is memory-mapped for the pass, so its pages are read in place rather than copied by pread (pages still in
  // the WAL file are read as usual); the mapping is given up afterwards.
  Exec("PRAGMA mmap_size=1099511627776");
  struct Unmap {
    SqliteStore* store;
    ~Unmap() { store->Exec("PRAGMA mmap_size=0"); }
  } unmap{this};
  sqlite::Stmt scan(db_, "SELECT cpr, facts FROM persons");
  if (!scan.ok()) return scan.Error();
  int rc;
  while ((rc = sqlite3_step(scan.get())) == SQLITE_ROW) {
    const char* cpr = reinterpret_cast<const char*>(sqlite3_column_text(scan.get(), 0));
    int cpr_size = sqlite3_column_bytes(scan.get(), 0);
    const void* blob = sqlite3_column_blob(scan.get(), 1);
    int size = sqlite3_column_bytes(scan.get(), 1);
    Status st = visit(std::string_view(cpr ? cpr : "", static_cast<size_t>(cpr_size)),
                      std::string_view(static_cast<const char*>(blob), static_cast<size_t>(size)));
    if (!st.ok()) return st;
  }
  return rc == SQLITE_DONE ? Status::Ok() : scan.Error();
}

Result<std::optional<CommandRecord>> SqliteStore::FindCommand(const std::string& id) {
  sqlite3_reset(find_command_);
  BindText(find_command_, 1, id);
  std::optional<CommandRecord> out;
  if (sqlite3_step(find_command_) == SQLITE_ROW) {
    out = CommandRecord{sqlite3_column_int64(find_command_, 0),
                        Column(find_command_, 1),
                        Column(find_command_, 2),
                        Column(find_command_, 3),
                        Column(find_command_, 4),
                        Column(find_command_, 5),
                        Column(find_command_, 6)};
  }
  sqlite3_reset(find_command_);
  return out;
}

bool SqliteStore::Prepared(sqlite3_stmt** stmt, const char* sql) {
  return *stmt || sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr) == SQLITE_OK;
}

Result<int64_t> SqliteStore::DataVersion() {
  if (!Prepared(&data_version_, "PRAGMA data_version")) return int64_t{-1};
  int64_t version = sqlite3_step(data_version_) == SQLITE_ROW ? sqlite3_column_int64(data_version_, 0) : -1;
  sqlite3_reset(data_version_);
  return version;
}

Result<std::unique_ptr<Store>> SqliteStore::OpenReader() {
  auto reader = Open(path_);
  if (!reader.ok()) return reader.status();
  // A smaller page cache than the writer's 256 MiB: `dfdg serve` opens up to one reader per HTTP thread
  // (api/readers.h); the operating system's page cache holds the file for all of them.
  if (Status s = (*reader)->Exec("PRAGMA cache_size=-32768"); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(reader).value());
}

Result<bool> SqliteStore::Begin() {
  Status s = Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  in_transaction_ = true;
  auto version = DataVersion();
  bool others_wrote = *version != last_data_version_;
  last_data_version_ = *version;
  return others_wrote;
}

Status SqliteStore::FlushPersons() {
  for (const auto& [cpr, person] : staged_persons_) {
    bool is_new = person.base_version == 0;
    sqlite3_stmt* stmt = is_new ? insert_person_ : update_person_;
    sqlite3_reset(stmt);
    BindText(stmt, 1, cpr);
    sqlite3_bind_int64(stmt, 2, person.base_version);
    sqlite3_bind_int64(stmt, 3, person.new_version);
    sqlite3_bind_int64(stmt, 4, person.next_entity_id);
    sqlite3_bind_blob(stmt, 5, person.new_facts.data(), static_cast<int>(person.new_facts.size()), SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (is_new && rc == SQLITE_CONSTRAINT) return Status::Conflict("person was created concurrently");
    if (!is_new && rc == SQLITE_DONE && sqlite3_changes(db_) != 1) {
      return Status::Conflict("person was changed concurrently");
    }
    if (rc != SQLITE_DONE) return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  staged_persons_.clear();
  return Status::Ok();
}

Status SqliteStore::Commit() {
  Status flushed = FlushPersons();
  if (flushed.ok()) flushed = FlushAudit();
  if (!flushed.ok()) {
    Rollback();
    return flushed;
  }
  auto started = std::chrono::steady_clock::now();
  Status s = Exec("COMMIT");  // the WAL hook (a checkpoint, when it is the commit's) runs inside
  RecordCommit(std::chrono::steady_clock::now() - started);
  if (!s.ok()) {
    Rollback();
    return s;
  }
  in_transaction_ = false;
  auto version = DataVersion();
  last_data_version_ = *version;  // our own commit does not change data_version for this connection
  return Status::Ok();
}

void SqliteStore::Rollback() {
  staged_persons_.clear();
  staged_audit_.clear();
  if (in_transaction_) Exec("ROLLBACK");
  in_transaction_ = false;
}

Status SqliteStore::Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                           std::vector<registry::Fact>* facts, CommandRecord* command) {
  if (!in_transaction_) return Status::InvalidArgument("Append outside a transaction");
  // Optimistic concurrency on the person's version. Person rows are written once per transaction (at
  // Commit), checked against the version the person had when the transaction first touched it.
  auto staged = staged_persons_.find(cpr);
  if (staged == staged_persons_.end()) {
    staged = staged_persons_.emplace(cpr, StagedPerson{expected_version, expected_version, next_entity_id, {}}).first;
  } else if (staged->second.new_version != expected_version) {
    return Status::Conflict("person was changed concurrently");
  }
  staged->second.new_version = expected_version + 1;
  staged->second.next_entity_id = next_entity_id;
  StagedPerson* person = &staged->second;
  sqlite3_reset(insert_command_);
  if (command->id.empty()) {
    sqlite3_bind_null(insert_command_, 1);
  } else {
    BindText(insert_command_, 1, command->id);
  }
  BindText(insert_command_, 2, cpr);
  BindText(insert_command_, 3, command->registered_at);
  BindText(insert_command_, 4, command->command);
  BindText(insert_command_, 5, command->request);
  BindText(insert_command_, 6, command->result);
  int rc = sqlite3_step(insert_command_);
  sqlite3_reset(insert_command_);
  if (rc == SQLITE_CONSTRAINT) return Status::Conflict("command id already used");
  if (rc != SQLITE_DONE) return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  command->seq = sqlite3_last_insert_rowid(db_);
  if (facts->size() >= kFactsPerCommand) return Status::InvalidArgument("too many facts in one command");
  int64_t index = 0;
  for (registry::Fact& f : *facts) {
    f.command_seq = command->seq;
    sqlite3_stmt* s = insert_fact_;
    sqlite3_reset(s);
    BindText(s, 1, cpr);
    sqlite3_bind_int64(s, 2, f.entity_id);
    sqlite3_bind_int64(s, 3, f.command_seq);
    BindStatic(s, 4, registry::FactKindKey(f.kind));
    BindDate(s, 5, f.recorded_on);
    sqlite3_bind_int(s, 6, f.deleted ? 1 : 0);
    BindStatic(s, 7, catalog::ChannelKey(f.channel));
    BindText(s, 8, f.actor);
    BindDate(s, 9, f.start);
    BindDate(s, 10, f.end);
    BindDate(s, 11, f.event_date);
    sqlite3_bind_int(s, 12, f.code);
    BindText(s, 13, f.text);
    BindText(s, 14, f.comment);
    std::string extra;  // must outlive sqlite3_step below (bound without a copy)
    if (f.extra.is_null()) {
      sqlite3_bind_null(s, 15);
    } else {
      extra = f.extra.dump();
      BindText(s, 15, extra);
    }
    // Fact seq = command seq * kFactsPerCommand + position: globally increasing, no counter to keep.
    f.seq = command->seq * kFactsPerCommand + index++;
    sqlite3_bind_int64(s, 16, f.seq);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    EncodeFact(f, &person->new_facts);  // appended to persons.facts at Commit
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::Count(const std::string& table) {
  if (table != "persons" && table != "facts" && table != "commands") return Status::InvalidArgument("unknown table");
  sqlite3_stmt* stmt = nullptr;
  std::string sql = "SELECT COUNT(*) FROM " + table;
  sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
  int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  return n;
}

}  // namespace dfdg::store
