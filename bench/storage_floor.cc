// The storage floor of the counter load (issue 14, docs/performance.md "The storage floor of a counter report"):
// SQLite alone writing the rows that `dfdg apply` writes for each `create_dagpenge_consumption` report, into a
// registry made by `dfdg apply` (its schema, pragmas and members), with none of dfdg's parsing, validation or
// rendering. Per report, in transactions of BATCH reports (apply's default 10,000):
//   INSERT INTO commands (the request text, ~260 bytes), INSERT INTO facts (the record fact, seq command*1000+1),
//   INSERT INTO outbox (the § 82 stk. 1 message to Danmarks Statistik: payload ~380 bytes, cause ~710 bytes),
//   UPDATE persons (version, next_entity_id, facts || the encoded fact, ~220 bytes),
// the same statements as src/store/sqlite/sqlite_schema.cc prepares. Prints one JSON line with the rate and the
// process's CPU seconds.
// Usage: dfdg_storage_floor DB REPORTS [BATCH [ROWS]]   (DB is changed: run it on a copy). ROWS, a comma-separated
// subset of command,fact,outbox,person (default all four), shows what each kind of row costs.
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

bool Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return true;
  std::fprintf(stderr, "storage_floor: %s: %s\n", sql, error ? error : "?");
  sqlite3_free(error);
  return false;
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "storage_floor: %s: %s\n", sql, sqlite3_errmsg(db));
    std::exit(1);
  }
  return stmt;
}

void Text(sqlite3_stmt* stmt, int i, const std::string& s) {
  sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

bool Step(sqlite3* db, sqlite3_stmt* stmt) {
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE) return true;
  std::fprintf(stderr, "storage_floor: %s\n", sqlite3_errmsg(db));
  return false;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: dfdg_storage_floor DB REPORTS [BATCH [ROWS]]\n");
    return 2;
  }
  const long reports = std::atol(argv[2]);
  const long batch = argc > 3 ? std::atol(argv[3]) : 10000;
  const std::string rows = argc > 4 ? argv[4] : "command,fact,outbox,person";
  auto writes = [&rows](const char* kind) { return rows.find(kind) != std::string::npos; };
  const bool write_command = writes("command"), write_fact = writes("fact"), write_outbox = writes("outbox"),
             write_person = writes("person");
  if (reports <= 0 || batch <= 0) {
    std::fprintf(stderr, "storage_floor: REPORTS and BATCH must be positive\n");
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "storage_floor: cannot open %s\n", argv[1]);
    return 1;
  }
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA cache_size=-262144",
                             "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=10000"}) {
    if (!Exec(db, pragma)) return 1;
  }
  struct Person {
    std::string cpr;
    long version;
    long next_entity;
  };
  std::vector<Person> persons;
  sqlite3_stmt* list = Prepare(db, "SELECT cpr, version, next_entity_id FROM persons ORDER BY id");
  while (sqlite3_step(list) == SQLITE_ROW) {
    persons.push_back({reinterpret_cast<const char*>(sqlite3_column_text(list, 0)), sqlite3_column_int64(list, 1),
                       sqlite3_column_int64(list, 2)});
  }
  sqlite3_finalize(list);
  if (persons.empty()) {
    std::fprintf(stderr, "storage_floor: no persons in %s (load the members with dfdg apply first)\n", argv[1]);
    return 1;
  }
  sqlite3_stmt* command = Prepare(db,
                                  "INSERT INTO commands (id, cpr, registered_at, command, request, result) "
                                  "VALUES (NULL, ?1, '2025-09-15', 'create_dagpenge_consumption', ?2, '')");
  sqlite3_stmt* fact = Prepare(db,
                               "INSERT INTO facts (cpr, entity_id, command_seq, kind, recorded_on, deleted, channel, "
                               "actor, start, end_date, event_date, code, text, comment, extra, seq) VALUES (?1, ?2, "
                               "?3, 'record', '2025-09-15', 0, 'akasse', '01', '2025-09-02', NULL, NULL, 0, "
                               "'dagpenge_consumption', '', ?4, ?5)");
  sqlite3_stmt* outbox = Prepare(db,
                                 "INSERT INTO outbox (id, command_seq, type, recipient_kind, recipient, cpr, "
                                 "created_on, payload, cause, state) VALUES (?1, ?2, 'videregivelse', 'myndighed', "
                                 "'danmarks_statistik', ?3, '2025-09-15', ?4, ?5, 'pending')");
  sqlite3_stmt* person = Prepare(db,
                                 "UPDATE persons SET version = ?2, next_entity_id = ?3, facts = facts || ?4 "
                                 "WHERE cpr = ?1");
  const std::string extra =
      "{\"action\":\"create\",\"fields\":{\"akasse_code\":\"01\",\"computation_date\":\"2025-09-02\","
      "\"consumption_month\":\"2025-08-31\",\"hours_remaining\":2568,\"hours_used\":1280}}";
  const std::string request(260, 'r'), payload(380, 'p'), cause(710, 'c'), encoded(220, 'f');
  long command_seq = 0;
  {
    sqlite3_stmt* last = Prepare(db, "SELECT coalesce(max(seq), 0) FROM commands");
    if (sqlite3_step(last) == SQLITE_ROW) command_seq = sqlite3_column_int64(last, 0);
    sqlite3_finalize(last);
  }
  const double cpu0 = CpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  for (long k = 0; k < reports; k += batch) {
    if (!Exec(db, "BEGIN IMMEDIATE")) return 1;
    for (long r = k; r < k + batch && r < reports; ++r) {
      Person& p = persons[static_cast<size_t>(r) % persons.size()];
      if (write_command) {
        Text(command, 1, p.cpr);
        Text(command, 2, request);
        if (!Step(db, command)) return 1;
        command_seq = sqlite3_last_insert_rowid(db);
      } else {
        ++command_seq;
      }
      if (write_fact) {
        Text(fact, 1, p.cpr);
        sqlite3_bind_int64(fact, 2, p.next_entity);
        sqlite3_bind_int64(fact, 3, command_seq);
        Text(fact, 4, extra);
        sqlite3_bind_int64(fact, 5, command_seq * 1000 + 1);
        if (!Step(db, fact)) return 1;
      }
      if (write_outbox) {
        Text(outbox, 1, std::to_string(command_seq) + "-1");
        sqlite3_bind_int64(outbox, 2, command_seq);
        Text(outbox, 3, p.cpr);
        Text(outbox, 4, payload);
        Text(outbox, 5, cause);
        if (!Step(db, outbox)) return 1;
      }
      ++p.version;
      ++p.next_entity;
      if (write_person) {
        Text(person, 1, p.cpr);
        sqlite3_bind_int64(person, 2, p.version);
        sqlite3_bind_int64(person, 3, p.next_entity);
        sqlite3_bind_blob(person, 4, encoded.data(), static_cast<int>(encoded.size()), SQLITE_STATIC);
        if (!Step(db, person)) return 1;
      }
    }
    if (!Exec(db, "COMMIT")) return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = CpuSeconds() - cpu0;
  std::printf(
      "{\"rows\":\"%s\",\"reports\":%ld,\"persons\":%zu,\"batch\":%ld,\"seconds\":%.2f,\"per_second\":%.0f,"
      "\"cpu_seconds\":%.2f,\"cpu_us_per_report\":%.1f}\n",
      rows.c_str(), reports, persons.size(), batch, seconds, static_cast<double>(reports) / seconds, cpu,
      cpu * 1e6 / static_cast<double>(reports));
  for (sqlite3_stmt* stmt : {command, fact, outbox, person}) sqlite3_finalize(stmt);
  sqlite3_close(db);
  return 0;
}
