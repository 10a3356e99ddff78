// A fresh, empty registry database for one test on either backend ("sqlite" or "postgresql"), so the store
// and registry tests run as one test list on both. SQLite: a temp file. PostgreSQL: a new schema in the test
// cluster's database (scripts/pg-cluster.sh, started by the ctest fixture `pg_cluster`), reached through a
// URL whose search_path names it; dropped afterwards. The cluster is found through DFDG_TEST_PG_ENV (the
// cluster's env file; default: the build's DFDG_PG_TEST_ENV_FILE) or DFDG_TEST_PG_URL.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace dfdg::testdb {

// The primary's URL of the test cluster; empty when no cluster is configured.
inline std::string TestPostgresUrl(const std::string& key = "PRIMARY_URL") {
  if (const char* url = std::getenv("DFDG_TEST_PG_URL"); url && key == "PRIMARY_URL") return url;
  const char* env = std::getenv("DFDG_TEST_PG_ENV");
#ifdef DFDG_PG_TEST_ENV_FILE
  if (!env) env = DFDG_PG_TEST_ENV_FILE;
#endif
  if (!env) return "";
  std::ifstream in(env);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return "";
}

// Runs `sql` on `url`; returns the first value of the result (empty on none) or "ERROR: ..." on failure.
inline std::string RunSql(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string out;
  if (PQstatus(conn) != CONNECTION_OK) {
    out = std::string("ERROR: ") + PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      out = PQgetvalue(r, 0, 0);
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      out = std::string("ERROR: ") + PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return out;
}

class TestDb {
 public:
  explicit TestDb(std::string backend) : backend_(std::move(backend)) {
    static int counter = 0;
    std::string name = "dfdg_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (backend_ == "postgresql") {
      base_url_ = TestPostgresUrl();
      schema_ = name;
      error_ = RunSql(base_url_, "CREATE SCHEMA " + schema_);
      location_ = base_url_ + "?options=-csearch_path%3D" + schema_;
    } else {
      location_ = (std::filesystem::temp_directory_path() / (name + ".db")).string();
      RemoveFiles();
    }
  }
  ~TestDb() {
    if (backend_ == "postgresql") {
      RunSql(base_url_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } else {
      RemoveFiles();
    }
  }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  // What `--db` takes: a file path or a postgresql:// URL.
  const std::string& location() const { return location_; }
  // Non-empty when the database could not be prepared.
  const std::string& error() const { return error_; }
  // Runs SQL in this test's schema (PostgreSQL only).
  std::string Sql(const std::string& sql) const { return RunSql(location_, sql); }

 private:
  void RemoveFiles() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(location_ + suffix);
  }
  std::string backend_, base_url_, schema_, location_, error_;
};

}  // namespace dfdg::testdb
