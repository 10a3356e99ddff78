// Shared by the SQLite store's per-call paths (outbox, retention): a prepared statement finalized when it goes
// out of scope. Internal to src/store/sqlite.
#pragma once

#include <sqlite3.h>

#include <string>

#include "core/status.h"

namespace dfdg::store::sqlite {

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK; }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  // False when the statement did not prepare; Error() says why.
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  // Column `col` of the current row as text ("" for NULL).
  std::string Text(int col) {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    return text ? reinterpret_cast<const char*>(text) : std::string();
  }
  // Runs a statement that returns no rows, then resets it.
  Status Run() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    return rc == SQLITE_DONE ? Status::Ok() : Error();
  }
  Status Error() const { return Status::IOError(std::string("sqlite: ") + sqlite3_errmsg(db_)); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

}  // namespace dfdg::store::sqlite
