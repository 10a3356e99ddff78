// `dfdg catalog list|show|export|check`.
#include <iostream>

#include "catalog/export.h"
#include "cli/cli.h"
#include "registry/record_reference.h"
#include "registry/record_schema.h"

namespace dfdg::cli {
namespace {

struct CatalogOptions {
  std::string date;
  std::string id;
  std::string format = "json";
};

// Parses --date, or takes today from the clock. Returns false (and sets exit code 1) on a bad date.
bool ResolveDate(Context& context, const std::string& text, Date* out) {
  if (text.empty()) {
    *out = context.clock->Today();
    return true;
  }
  auto date = ParseDate(text);
  if (!date.ok()) {
    std::cerr << "dfdg: --date: " << date.status().message() << "\n";
    context.exit_code = 1;
    return false;
  }
  *out = *date;
  return true;
}

// Parses --date when given; none = nullopt (everything, whatever its validity). Returns false (and sets exit
// code 1) on a bad date.
bool ResolveOptionalDate(Context& context, const std::string& text, std::optional<Date>* out) {
  out->reset();
  if (text.empty()) return true;
  Date parsed;
  if (!ResolveDate(context, text, &parsed)) return false;
  *out = parsed;
  return true;
}

}  // namespace

void AddCatalogCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand("catalog", "Show and export the rule catalogue");
  cmd->require_subcommand(1);

  CLI::App* check = cmd->add_subcommand("check", "Load and check the catalogue; print its version");
  check->callback([&context]() {
    if (auto catalog = context.LoadCatalog()) {
      std::cout << "catalogue " << catalog->version() << " ok: " << catalog->model().absences.size() << " reasons, "
                << catalog->model().contact_groups.size() << " contact groups\n";
    }
  });

  CLI::App* list = cmd->add_subcommand("list", "List reasons and contact groups (Danish)");
  list->add_option("--date", options->date, "Date YYYY-MM-DD (default today)");
  list->callback([&context, options]() {
    auto catalog = context.LoadCatalog();
    Date date;
    if (!catalog || !ResolveDate(context, options->date, &date)) return;
    std::cout << catalog::ListText(*catalog, date);
  });

  CLI::App* show = cmd->add_subcommand("show", "Show one reason (id), contact group (kgN), obligation or code list");
  show->add_option("id", options->id, "Reason id, kg<N>, obligation key or code-list key")->required();
  show->add_option("--date", options->date, "Only what is in force on this date");
  show->callback([&context, options]() {
    auto catalog = context.LoadCatalog();
    if (!catalog) return;
    std::optional<Date> date;
    if (!ResolveOptionalDate(context, options->date, &date)) return;
    auto text = catalog::ShowText(*catalog, options->id, date);
    if (!text.ok()) {
      std::cerr << "dfdg: " << text.status().message() << "\n";
      context.exit_code = 2;
      return;
    }
    std::cout << *text;
  });

  CLI::App* schema =
      cmd->add_subcommand("schema", "JSON Schema of the record commands of every declared type, or of TYPE");
  schema->add_option("type", options->id, "Record type key (catalog/records/)");
  schema->add_option("--date", options->date, "Only fields and codes in force on this date");
  schema->callback([&context, options]() {
    auto catalog = context.LoadCatalog();
    if (!catalog) return;
    std::optional<Date> date;
    if (!ResolveOptionalDate(context, options->date, &date)) return;
    const catalog::RecordType* only = nullptr;
    if (!options->id.empty() && !(only = catalog->FindRecordType(options->id))) {
      std::cerr << "dfdg: unknown record type '" << options->id << "'\n";
      context.exit_code = 2;
      return;
    }
    std::cout << registry::RecordSchema(*catalog, only, date).dump(2) << "\n";
  });

  CLI::App* reference =
      cmd->add_subcommand("reference", "Markdown reference of the declared record types (docs/records.md)");
  reference->callback([&context]() {
    if (auto catalog = context.LoadCatalog()) std::cout << registry::RecordReference(*catalog);
  });

  CLI::App* exp = cmd->add_subcommand("export", "Export the catalogue as JSON or CSV");
  exp->add_option("--format", options->format, "json or csv")->check(CLI::IsMember({"json", "csv"}));
  exp->add_option("--date", options->date, "Only what is in force on this date");
  exp->callback([&context, options]() {
    auto catalog = context.LoadCatalog();
    if (!catalog) return;
    std::optional<Date> date;
    if (!ResolveOptionalDate(context, options->date, &date)) return;
    if (options->format == "csv") {
      std::cout << catalog::ExportCsv(*catalog, date);
    } else {
      std::cout << catalog::ExportJson(*catalog, date).dump(2) << "\n";
    }
  });
}

}  // namespace dfdg::cli
