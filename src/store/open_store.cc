#include "store/open_store.h"

#include "store/postgres/postgres_store.h"
#include "store/postgres/routed_store.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::store {

bool IsPostgresUrl(const std::string& location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const std::string& read_location) {
  if (!read_location.empty()) {
    if (!IsPostgresUrl(location) || !IsPostgresUrl(read_location)) {
      return Status::InvalidArgument("--read-db needs PostgreSQL URLs for both --db and --read-db");
    }
    auto primary = PostgresStore::Open(location);
    if (!primary.ok()) return primary.status();
    auto replica = PostgresStore::OpenReplica(read_location);
    if (!replica.ok()) return replica.status();
    return std::unique_ptr<Store>(
        std::make_unique<RoutedStore>(std::move(primary).value(), std::move(replica).value(), 1000));
  }
  if (IsPostgresUrl(location)) {
    auto pg = PostgresStore::Open(location);
    if (!pg.ok()) return pg.status();
    return std::unique_ptr<Store>(std::move(pg).value());
  }
  auto lite = SqliteStore::Open(location);
  if (!lite.ok()) return lite.status();
  return std::unique_ptr<Store>(std::move(lite).value());
}

Result<int64_t> CountRows(Store& store, const std::string& table) {
  if (auto* pg = dynamic_cast<PostgresStore*>(&store)) return pg->Count(table);
  if (auto* routed = dynamic_cast<RoutedStore*>(&store)) return routed->primary().Count(table);
  if (auto* lite = dynamic_cast<SqliteStore*>(&store)) return lite->Count(table);
  return Status::InvalidArgument("unknown store backend");
}

}  // namespace dfdg::store
