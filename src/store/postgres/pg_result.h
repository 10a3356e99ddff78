// Shared by the PostgreSQL store's files: an owning PGresult pointer and the mapping of a failed statement to a
// Status. Internal to src/store/postgres.
#pragma once

#include <libpq-fe.h>

#include <cstring>
#include <memory>
#include <string>

#include "core/status.h"

namespace dfdg::store::pg {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Takes ownership of `r` (may be nullptr).
inline ResultPtr Wrap(PGresult* r) { return ResultPtr(r, &PQclear); }

// Conflict for the SQLSTATEs that mean "another writer got there first" (unique violation, deadlock,
// serialization failure); IOError otherwise. `r` may be nullptr (then the connection's message is used).
inline Status Failure(PGconn* conn, const PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (state && (!std::strcmp(state, "23505") || !std::strcmp(state, "40P01") || !std::strcmp(state, "40001"))) {
    return Status::Conflict("postgresql: " + message);
  }
  return Status::IOError("postgresql: " + message);
}

}  // namespace dfdg::store::pg
