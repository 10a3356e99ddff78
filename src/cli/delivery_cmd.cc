// `dfdg outbox deliver|retry|replay` (delivery of the outbox, docs/delivery.md).
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "cli/outbox_cli.h"
#include "delivery/config.h"
#include "delivery/worker.h"
#include "store/open_store.h"

namespace dfdg::cli {
namespace {

std::atomic<bool> g_stop_delivery{false};
extern "C" void OnDeliverySignal(int) { g_stop_delivery = true; }

struct DeliveryCliOptions {
  std::string db;
  std::string config;
  bool once = false;
  std::string id;
  std::string from, to;
};

nlohmann::ordered_json ReportJson(const delivery::PassReport& r) {
  return {{"delivered", r.delivered}, {"retrying", r.retrying},     {"dead", r.dead},
          {"waiting", r.waiting},     {"unroutable", r.unroutable}, {"store_errors", r.store_errors}};
}

void RunDeliver(Context& context, const DeliveryCliOptions& o) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  auto config = delivery::LoadDeliveryConfig(o.config, *catalog);
  if (!config.ok()) {
    std::cerr << "dfdg: " << config.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  if (!*config) {
    std::cerr << "dfdg: " << o.config << " has no delivery: section (docs/delivery.md)\n";
    context.exit_code = 1;
    return;
  }
  auto store = OpenStoreOrFail(context, o.db);
  if (!store) return;
  delivery::Deliverer deliverer(**config, store.get());
  if (o.once) {
    delivery::PassReport r = deliverer.RunPass();
    std::cout << ReportJson(r).dump() << "\n";
    if (r.store_errors > 0) context.exit_code = 5;
    return;
  }
  std::signal(SIGTERM, OnDeliverySignal);
  std::signal(SIGINT, OnDeliverySignal);
  std::signal(SIGPIPE, SIG_IGN);
  while (!g_stop_delivery) {
    delivery::PassReport r = deliverer.RunPass();
    if (r.total() > 0 || r.store_errors > 0) std::cout << ReportJson(r).dump() << std::endl;
    for (int64_t waited = 0; waited < (*config)->poll_ms && !g_stop_delivery; waited += 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void RunRetry(Context& context, const DeliveryCliOptions& o) {
  auto store = OpenStoreOrFail(context, o.db);
  if (!store) return;
  auto message = FindOutboxOrFail(context, *store, o.id);
  if (!message) return;
  if (message->state == "delivered") {
    std::cerr << "dfdg: beskeden er allerede leveret; brug `dfdg outbox replay` (already delivered: use replay)\n";
    context.exit_code = 1;
    return;
  }
  auto n = store->RequeueOutbox(o.id, "", "");
  if (!n.ok()) {
    std::cerr << "dfdg: " << n.status().message() << "\n";
    context.exit_code = 5;
    return;
  }
  std::cout << nlohmann::ordered_json{{"requeued", *n}}.dump() << "\n";
}

void RunReplay(Context& context, const DeliveryCliOptions& o) {
  auto from = ParseDate(o.from);
  auto to = ParseDate(o.to.empty() ? std::string("2999-12-31") : o.to);  // --since alone: the last day ParseDate takes
  if (!from.ok() || !to.ok() || *to < *from) {
    std::cerr << "dfdg: --from/--since and --to must be dates (YYYY-MM-DD) with --from not after --to\n";
    context.exit_code = 1;
    return;
  }
  auto store = OpenStoreOrFail(context, o.db);
  if (!store) return;
  auto n = store->RequeueOutbox("", FormatDate(*from), FormatDate(*to));
  if (!n.ok()) {
    std::cerr << "dfdg: " << n.status().message() << "\n";
    context.exit_code = 5;
    return;
  }
  std::cout << nlohmann::ordered_json{{"requeued", *n}}.dump() << "\n";
}

}  // namespace

void AddDeliveryCommands(CLI::App* outbox, Context& context) {
  auto o = std::make_shared<DeliveryCliOptions>();
  CLI::App* deliver = outbox->add_subcommand("deliver", "POST pending messages to the recipients' webhooks");
  deliver->add_option("--db", o->db, "SQLite file or postgresql:// URL")->required();
  deliver->add_option("--config", o->config, "Configuration with a delivery: section (docs/delivery.md)")->required();
  deliver->add_flag("--once", o->once, "One pass over the pending messages, then exit");
  deliver->callback([&context, o] { RunDeliver(context, *o); });
  CLI::App* retry = outbox->add_subcommand("retry", "Send a dead (or waiting) message again, due now");
  retry->add_option("--db", o->db, "SQLite file or postgresql:// URL")->required();
  retry->add_option("id", o->id, "Message id")->required();
  retry->callback([&context, o] { RunRetry(context, *o); });
  CLI::App* replay =
      outbox->add_subcommand("replay", "Send delivered messages again (delivered from/since..to, UTC days)");
  replay->add_option("--db", o->db, "SQLite file or postgresql:// URL")->required();
  replay->add_option("--from,--since", o->from, "First day of delivery (YYYY-MM-DD, inclusive)")->required();
  replay->add_option("--to", o->to, "Last day of delivery (YYYY-MM-DD, inclusive; default: 2999-12-31)");
  replay->callback([&context, o] { RunReplay(context, *o); });
}

}  // namespace dfdg::cli
