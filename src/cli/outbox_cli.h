// Store helpers shared by the outbox subcommands (automation_cmd.cc, delivery_cmd.cc). Each prints its error
// the way every dfdg subcommand does and sets the exit code in `Context`.
#pragma once

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli.h"
#include "store/open_store.h"

namespace dfdg::cli {

// Opens the store at `db` (SQLite file or postgresql:// URL); on failure prints the error, sets exit code 5
// and returns null.
inline std::unique_ptr<store::Store> OpenStoreOrFail(Context& context, const std::string& db) {
  auto store = store::OpenStore(db);
  if (!store.ok()) {
    std::cerr << "dfdg: " << store.status().message() << "\n";
    context.exit_code = 5;
    return nullptr;
  }
  return std::move(store).value();
}

// The outbox message with `id`; on a store error sets exit code 5, when there is no such message exit code 2,
// and returns nothing in both cases (after printing why).
inline std::optional<store::OutboxMessage> FindOutboxOrFail(Context& context, store::Store& store,
                                                            const std::string& id) {
  auto message = store.FindOutbox(id);
  if (!message.ok()) {
    std::cerr << "dfdg: " << message.status().message() << "\n";
    context.exit_code = 5;
    return std::nullopt;
  }
  if (!*message) {
    std::cerr << "dfdg: ingen besked med id '" << id << "' (no message with this id)\n";
    context.exit_code = 2;
    return std::nullopt;
  }
  return *message;
}

}  // namespace dfdg::cli
