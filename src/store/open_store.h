// Backend selection: `--db postgresql://...` (or postgres://) opens the PostgreSQL store, anything else is a
// SQLite file path. Both implement store.h with the same semantics (docs/storage.md).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace dfdg::store {

// True when `location` names a PostgreSQL database (a postgresql:// or postgres:// URL).
bool IsPostgresUrl(const std::string& location);

// Opens (and migrates) the store at `location`. SQLite files are created when missing. With a non-empty
// `read_location` (`--read-db`, a streaming replica of the PostgreSQL `location`), reads are routed to it with
// read-your-writes (store/postgres/routed_store.h, waiting at most 1 s for replay); InvalidArgument when
// either is not a postgresql:// URL.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const std::string& read_location = "");

// Rows of persons / facts / commands in `store` (either backend); InvalidArgument for another table.
Result<int64_t> CountRows(Store& store, const std::string& table);

}  // namespace dfdg::store
