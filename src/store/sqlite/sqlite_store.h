// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit that returns is durable.
// Schema migrations are versioned (schema_migrations); Open() applies the missing ones in order.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.h"

namespace dfdg::store {

// When the background checkpointer (SqliteStore::StartCheckpointer) checkpoints, in WAL pages (16 KB each).
struct CheckpointPolicy {
  int passive_pages = 2000;  // a PASSIVE checkpoint when this many pages were appended since the last one
  // A commit that finds the WAL this long checkpoints itself (the checkpointer cannot keep up): bounds the WAL.
  int max_pages = 40000;
  std::chrono::milliseconds idle{1000};  // no commit for this long: a TRUNCATE checkpoint (WAL back to 0 bytes)
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database file and migrates it to the latest schema.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<registry::PersonHistory> LoadPerson(const std::string& cpr) override;
  Result<std::optional<CommandRecord>> FindCommand(const std::string& id) override;
  // Whole-registry readers (`dfdg measure --db`): calls `visit` once for every stored person in rowid order
  // (one pass, no index look-ups) with the CPR (10 digits) and the person's encoded fact history
  // (docs/storage.md "persons.facts"; decode with fact_codec.h). The views are valid only during the call. A
  // non-ok status from `visit` stops the scan and is returned. Outside Begin()/Commit(). SQLite only: not
  // part of the Store interface (other backends are read with LoadPerson).
  Status ScanPersons(const std::function<Status(std::string_view cpr, std::string_view facts)>& visit);
  // Another connection to the same file (WAL: it reads while this one commits), with a 32 MiB page cache.
  Result<std::unique_ptr<Store>> OpenReader() override;
  Result<bool> Begin() override;
  Status Commit() override;
  void Rollback() override;
  Status Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                std::vector<registry::Fact>* facts, CommandRecord* command) override;

  // DFDG's own actions (store.h; sqlite_outbox.cc).
  Status AppendOutbox(std::vector<OutboxMessage>* messages) override;
  Result<std::vector<OutboxMessage>> ListOutbox(int64_t after_seq, int64_t limit) override;
  Result<std::optional<OutboxMessage>> FindOutbox(const std::string& id) override;
  Result<std::vector<std::string>> ListPersons(const std::string& after, int64_t limit) override;
  Result<std::vector<registry::PersonHistory>> LoadPersons(const std::string& after, int64_t limit) override;
  Result<std::optional<std::string>> LastDailyRun() override;
  Status RecordDailyRun(const std::string& date, const std::string& summary) override;
  // Outbox delivery (store.h; sqlite_outbox.cc).
  Result<std::vector<OutboxMessage>> ListPendingOutbox(int64_t after_seq, int64_t limit) override;
  Status RecordDeliveryAttempt(const DeliveryAttempt& attempt) override;
  Result<std::vector<DeliveryAttempt>> ListDeliveryAttempts(const std::string& message_id) override;
  Result<int64_t> RequeueOutbox(const std::string& id, const std::string& from_day, const std::string& to_day) override;
  // Audit trail (sqlite_audit.cc): rows staged until Commit, chained under the write lock of BEGIN IMMEDIATE.
  Result<int64_t> CountOutbox(const std::string& state) override;
  Result<int64_t> EraseEntity(const std::string& cpr, int64_t entity_id, const std::string& trace) override;
  Status AppendAudit(const std::vector<audit::AuditEntry>& rows) override;
  Result<std::vector<audit::AuditEntry>> ReadAudit(const std::string& cpr, int64_t after_seq, int64_t limit) override;
  Result<audit::AuditEntry> AuditHead() override;

  // Moves what the WAL holds into the database file and truncates the WAL to zero bytes (a TRUNCATE
  // checkpoint), without waiting: returns Conflict and leaves the WAL as it is when another connection
  // reads or writes. Called after a bulk load (`dfdg apply`): later processes then neither rebuild
  // the WAL index from the file nor read its pages (which SQLite copies) instead of the memory-mapped file.
  // Outside Begin()/Commit().
  Status Checkpoint();

  // Moves checkpoints off the commit path (`dfdg serve`; docs/storage.md "WAL checkpoints"). Without this call
  // a commit that leaves the WAL at 10,000 pages or more runs a PASSIVE checkpoint itself, inside Commit() (as
  // SQLite's automatic checkpoint did; `dfdg apply` and the tools). After it, a thread with its own connection
  // runs the checkpoints of `policy`; a commit checkpoints itself only when the WAL reaches
  // policy.max_pages. Durability is unchanged: both connections use synchronous=FULL, and a checkpoint never
  // removes a commit from the WAL before it is in the database file. The thread stops in the destructor.
  // REQUIRES: called once, outside Begin()/Commit(); the store is a file (not ":memory:").
  Status StartCheckpointer(const CheckpointPolicy& policy = {});

  // The schema version after migrations.
  int schema_version() const { return schema_version_; }
  // Number of persons / facts / commands (for tools and tests).
  Result<int64_t> Count(const std::string& table);

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql);
  // The schema's migrations and the per-connection statements (sqlite_schema.cc).
  Status Migrate();
  Status Prepare();
  Result<int64_t> DataVersion();
  Status FlushPersons();
  // sqlite3_wal_hook: after each commit on db_ (sqlite_checkpoint.cc).
  static int WalHook(void* store, sqlite3* db, const char* name, int frames);
  struct Checkpointer;  // sqlite_checkpoint.cc
  struct StopCheckpointer {
    void operator()(Checkpointer* checkpointer) const;  // stops its thread, closes its connection
  };
  std::unique_ptr<Checkpointer, StopCheckpointer> checkpointer_;

  struct StagedPerson {
    int64_t base_version;  // version when this transaction first touched the person
    int64_t new_version;
    int64_t next_entity_id;
    std::string new_facts;  // encoded facts appended in this transaction (fact_codec.h)
  };
  std::unordered_map<std::string, StagedPerson> staged_persons_;

  sqlite3* db_;
  std::string path_;
  int schema_version_ = 0;
  int64_t last_data_version_ = -1;
  bool in_transaction_ = false;
  sqlite3_stmt* load_person_ = nullptr;
  sqlite3_stmt* find_command_ = nullptr;
  sqlite3_stmt* update_person_ = nullptr;
  sqlite3_stmt* insert_person_ = nullptr;
  sqlite3_stmt* insert_fact_ = nullptr;
  sqlite3_stmt* insert_command_ = nullptr;
  sqlite3_stmt* insert_outbox_ = nullptr;  // AppendOutbox (a counter report writes one message: prepared once)
  // Prepared on first use and kept (every commit of reads writes audit rows; Prepared): the audit chain's head,
  // an audit row's insert, PRAGMA data_version.
  sqlite3_stmt* audit_head_ = nullptr;
  sqlite3_stmt* insert_audit_ = nullptr;
  sqlite3_stmt* data_version_ = nullptr;
  // `*stmt`, prepared from `sql` when not yet; false (with the connection's error) when it cannot be.
  bool Prepared(sqlite3_stmt** stmt, const char* sql);

  Status FlushAudit();  // REQUIRES: inside the write transaction
  std::vector<audit::AuditEntry> staged_audit_;
};

}  // namespace dfdg::store
