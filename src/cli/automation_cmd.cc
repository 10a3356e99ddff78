// `dfdg daily` (DFDG's date-driven actions) and `dfdg outbox list|show` (messages DFDG must send);
// docs/automation.md.
#include <iostream>

#include "automation/daily.h"
#include "automation/rules.h"
#include "cli/cli.h"
#include "cli/outbox_cli.h"
#include "notify/notifications.h"
#include "registry/registry.h"
#include "store/open_store.h"

namespace dfdg::cli {

std::shared_ptr<const automation::Rules> LoadAutomationRules(Context& context, const catalog::Catalog& catalog) {
  auto rules = automation::Rules::Load(context.catalog_dir, catalog);
  if (rules.ok()) return *rules;
  if (rules.status().code() == Status::Code::kNotFound) return nullptr;
  std::cerr << "dfdg: the rule catalogue in '" << context.catalog_dir << "' is broken:\n  " << rules.status().message()
            << "\n";
  context.exit_code = 3;
  return nullptr;
}

namespace {

struct AutomationOptions {
  std::string db = "dfdg.db";
  std::string date;
  bool dry_run = false;
  int64_t after = 0;
  int64_t limit = 100;
  std::string id;
};

void RunDaily(Context& context, const AutomationOptions& options) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  auto rules = LoadAutomationRules(context, *catalog);
  if (context.exit_code != 0) return;
  if (!rules) {
    std::cerr << "dfdg: no catalog/automation.yaml in '" << context.catalog_dir << "'\n";
    context.exit_code = 3;
    return;
  }
  auto date = ParseDate(options.date);
  if (!date.ok()) {
    std::cerr << "dfdg: --date: " << date.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  auto store = OpenStoreOrFail(context, options.db);
  if (!store) return;
  registry::Registry registry(catalog, store.get(), context.clock.get());
  registry.SetAutomation(rules);
  automation::DailyOptions daily{*date, options.dry_run};
  auto report = automation::RunDaily(*catalog, *rules, store.get(), &registry, context.clock->Today(), daily);
  if (!report.ok()) {
    std::cerr << "dfdg: " << report.status().message() << "\n";
    context.exit_code = report.status().code() == Status::Code::kInvalidArgument ? 1 : 5;
    return;
  }
  std::cout << report->dump(2) << "\n";
}

// The delivery state (docs/delivery.md) beside the message.
nlohmann::ordered_json WithDelivery(nlohmann::ordered_json json, const store::OutboxMessage& m) {
  json["attempts"] = m.attempts;
  if (m.next_attempt_ms > 0 && m.state == "pending") json["next_attempt_ms"] = m.next_attempt_ms;
  if (!m.delivered_at.empty()) json["delivered_at"] = m.delivered_at;
  if (!m.last_error.empty()) json["last_error"] = m.last_error;
  return json;
}

void RunOutboxList(Context& context, const AutomationOptions& options) {
  auto store = OpenStoreOrFail(context, options.db);
  if (!store) return;
  auto messages = store->ListOutbox(options.after, options.limit);
  if (!messages.ok()) {
    std::cerr << "dfdg: " << messages.status().message() << "\n";
    context.exit_code = 5;
    return;
  }
  for (const auto& m : *messages) std::cout << WithDelivery(notify::MessageJson(m), m).dump() << "\n";
}

void RunOutboxShow(Context& context, const AutomationOptions& options) {
  auto store = OpenStoreOrFail(context, options.db);
  if (!store) return;
  auto message = FindOutboxOrFail(context, *store, options.id);
  if (!message) return;
  nlohmann::ordered_json out = WithDelivery(notify::MessageJson(*message), *message);
  auto attempts = store->ListDeliveryAttempts(options.id);
  if (attempts.ok()) {
    out["delivery_attempts"] = nlohmann::ordered_json::array();
    for (const auto& a : *attempts) {
      out["delivery_attempts"].push_back({{"attempt", a.attempt},
                                          {"at_ms", a.at_ms},
                                          {"duration_ms", a.duration_ms},
                                          {"url", a.url},
                                          {"http_status", a.http_status},
                                          {"error", a.error},
                                          {"outcome", a.outcome}});
    }
  }
  std::cout << out.dump(2) << "\n";
}

}  // namespace

void AddAutomationCommands(CLI::App& app, Context& context) {
  auto options = std::make_shared<AutomationOptions>();
  CLI::App* daily = app.add_subcommand("daily", "DFDG's date-driven actions for a day, catching up missed days");
  daily->add_option("--db", options->db, "SQLite file or postgresql:// URL")->required();
  daily->add_option("--date", options->date, "The last day to run (YYYY-MM-DD), not after today")->required();
  daily->add_flag("--dry-run", options->dry_run, "List what would happen; change nothing");
  daily->callback([&context, options] { RunDaily(context, *options); });

  CLI::App* outbox = app.add_subcommand("outbox", "Messages DFDG must send (docs/automation.md)");
  outbox->require_subcommand(1);
  CLI::App* list = outbox->add_subcommand("list", "Messages in delivery order, one JSON object a line");
  list->add_option("--db", options->db, "SQLite file or postgresql:// URL")->required();
  list->add_option("--after", options->after, "Only messages with seq greater than this");
  list->add_option("--limit", options->limit, "At most this many messages")->capture_default_str();
  list->callback([&context, options] { RunOutboxList(context, *options); });
  CLI::App* show = outbox->add_subcommand("show", "One message by id");
  show->add_option("--db", options->db, "SQLite file or postgresql:// URL")->required();
  show->add_option("id", options->id, "Message id")->required();
  show->callback([&context, options] { RunOutboxShow(context, *options); });
  AddDeliveryCommands(outbox, context);
}

}  // namespace dfdg::cli
