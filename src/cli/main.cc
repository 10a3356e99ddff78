// dfdg: the command-line entry point. Exit codes: 0 ok, 1 bad usage or input, 2 not found, 3 broken catalogue,
// 5 store failure.
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/cli.h"
#include "core/danish_time.h"
#include "registry/record_rules.h"

#ifndef DFDG_DEFAULT_CATALOG_DIR
#define DFDG_DEFAULT_CATALOG_DIR "catalog"
#endif

namespace dfdg::cli {

std::shared_ptr<const catalog::Catalog> Context::LoadCatalog() {
  auto loaded = catalog::Catalog::Load(catalog_dir);
  if (!loaded.ok()) {
    std::cerr << "dfdg: " << loaded.status().message() << "\n";
    exit_code = 3;
    return nullptr;
  }
  // The registry's own checks of the record declarations (rule modules, built-in names).
  std::vector<std::string> problems = registry::CheckRecordDeclarations(**loaded);
  if (!problems.empty()) {
    std::cerr << "dfdg: the rule catalogue in '" << catalog_dir << "' is broken (" << problems.size() << " problem"
              << (problems.size() == 1 ? "" : "s") << "):";
    for (const auto& problem : problems) std::cerr << "\n  " << problem;
    std::cerr << "\n";
    exit_code = 3;
    return nullptr;
  }
  return *loaded;
}

}  // namespace dfdg::cli

int main(int argc, char** argv) {
  dfdg::cli::Context context;
  const char* env_catalog = std::getenv("DFDG_CATALOG");
  context.catalog_dir = env_catalog ? env_catalog : DFDG_DEFAULT_CATALOG_DIR;
  context.clock = std::make_unique<dfdg::SystemClock>();
  // DFDG_TODAY=YYYY-MM-DD fixes the day; YYYY-MM-DDTHH:MM[:SS] (Danish time) or ...Z (UTC) fixes the moment,
  // and the day is its UTC day (core/clock.h).
  if (const char* today = std::getenv("DFDG_TODAY")) {
    if (std::string_view(today).size() > 10) {
      auto at = dfdg::ParseInstant(today);
      if (!at.ok()) {
        std::cerr << "dfdg: DFDG_TODAY: " << at.status().message() << "\n";
        return 1;
      }
      context.clock = std::make_unique<dfdg::FixedClock>(*at);
    } else {
      auto date = dfdg::ParseDate(today);
      if (!date.ok()) {
        std::cerr << "dfdg: DFDG_TODAY: " << date.status().message() << "\n";
        return 1;
      }
      context.clock = std::make_unique<dfdg::FixedClock>(*date);
    }
  }

  CLI::App app{"dfdg — Det Fælles Datagrundlag: registry, rules and measurements"};
  app.require_subcommand(1);
  app.add_option("--catalog", context.catalog_dir, "Rule catalogue directory")->capture_default_str();
  dfdg::cli::AddCatalogCommand(app, context);
  dfdg::cli::AddRegistryCommands(app, context);
  dfdg::cli::AddMeasureCommand(app, context);
  dfdg::cli::AddSynthCommand(app, context);
  dfdg::cli::AddServeCommands(app, context);
  dfdg::cli::AddAutomationCommands(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  return context.exit_code;
}
