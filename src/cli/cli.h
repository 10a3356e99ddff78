// Subcommand registration for the dfdg binary. Each Add*Command adds its subcommand to the CLI11 app and
// sets the callback that runs it; callbacks return through an exit code stored in `Context`.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "core/clock.h"

namespace dfdg::automation {
struct Rules;
}

namespace dfdg::cli {

struct Context {
  std::string catalog_dir;       // --catalog, $DFDG_CATALOG, or the built-in default
  std::unique_ptr<Clock> clock;  // $DFDG_TODAY fixes "today" (YYYY-MM-DD) for replays and tests
  int exit_code = 0;

  // Loads the catalogue, printing every problem and setting exit code 3 when it is broken.
  std::shared_ptr<const catalog::Catalog> LoadCatalog();
};

// DFDG's own actions (automation_cmd.cc): `dfdg daily`, `dfdg outbox list|show`.
void AddAutomationCommands(CLI::App& app, Context& context);
// Delivery of the outbox (delivery_cmd.cc): `dfdg outbox deliver|retry|replay`, added under `outbox`.
void AddDeliveryCommands(CLI::App* outbox, Context& context);
// The rules of catalog/automation.yaml in the context's catalogue directory; nullptr (no automation) when the
// file is absent; nullptr with exit code 3 and every problem printed when it is broken.
std::shared_ptr<const automation::Rules> LoadAutomationRules(Context& context, const catalog::Catalog& catalog);

void AddCatalogCommand(CLI::App& app, Context& context);
void AddRegistryCommands(CLI::App& app, Context& context);
void AddMeasureCommand(CLI::App& app, Context& context);
void AddSynthCommand(CLI::App& app, Context& context);
void AddServeCommands(CLI::App& app, Context& context);

}  // namespace dfdg::cli
