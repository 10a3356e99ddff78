#include "delivery/background.h"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "automation/daily.h"
#include "delivery/gauges.h"
#include "delivery/worker.h"
#include "registry/registry.h"
#include "store/open_store.h"

namespace dfdg::delivery {
namespace {

int MinuteOfUtcDay() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_hour * 60 + tm.tm_min;
}

}  // namespace

Result<std::unique_ptr<BackgroundJobs>> BackgroundJobs::Start(BackgroundOptions options) {
  if (options.daily && (!options.catalog || !options.rules || !options.clock)) {
    return Status::InvalidArgument("the daily job needs the catalogue with automation.yaml");
  }
  if (!options.log) options.log = [](const std::string&) {};
  std::unique_ptr<store::Store> delivery_store, daily_store;
  if (options.delivery) {
    auto s = store::OpenStore(options.db);
    if (!s.ok()) return s.status();
    delivery_store = std::move(s).value();
  }
  if (options.daily) {
    auto s = store::OpenStore(options.db);
    if (!s.ok()) return s.status();
    daily_store = std::move(s).value();
  }
  std::unique_ptr<BackgroundJobs> jobs(new BackgroundJobs(std::move(options)));
  BackgroundJobs* raw = jobs.get();
  if (delivery_store) {
    jobs->delivery_thread_ =
        std::thread([raw, s = std::move(delivery_store)]() mutable { raw->DeliveryLoop(std::move(s)); });
  }
  if (daily_store) {
    jobs->daily_thread_ = std::thread([raw, s = std::move(daily_store)]() mutable { raw->DailyLoop(std::move(s)); });
  }
  return jobs;
}

BackgroundJobs::~BackgroundJobs() { Stop(); }

void BackgroundJobs::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (delivery_thread_.joinable()) delivery_thread_.join();
  if (daily_thread_.joinable()) daily_thread_.join();
}

bool BackgroundJobs::Sleep(int64_t ms) {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
  return !stopping_;
}

void BackgroundJobs::DeliveryLoop(std::unique_ptr<store::Store> store) {
  Deliverer deliverer(*options_.delivery, store.get());
  do {
    PassReport r = deliverer.RunPass();
    // The dead-letter gauge and alert of /metrics (delivery/gauges.h).
    OutboxGauges& gauges = ProcessOutboxGauges();
    gauges.alert_at = options_.delivery->dead_letter_alert;
    if (auto dead = store->CountOutbox("dead"); dead.ok()) gauges.dead = *dead;
    if (auto pending = store->CountOutbox("pending"); pending.ok()) gauges.pending = *pending;
    if (r.total() > 0 || r.store_errors > 0) {
      options_.log(nlohmann::ordered_json{{"msg", "outbox delivery"},
                                          {"delivered", r.delivered},
                                          {"retrying", r.retrying},
                                          {"dead", r.dead},
                                          {"waiting", r.waiting},
                                          {"unroutable", r.unroutable},
                                          {"store_errors", r.store_errors}}
                       .dump());
    }
  } while (Sleep(options_.delivery->poll_ms));
}

void BackgroundJobs::DailyLoop(std::unique_ptr<store::Store> store) {
  registry::Registry registry(options_.catalog, store.get(), options_.clock);
  registry.SetAutomation(options_.rules);
  do {
    if (MinuteOfUtcDay() < options_.daily_at_minutes) continue;
    Date today = options_.clock->Today();
    auto last = store->LastDailyRun();
    if (!last.ok()) {
      options_.log(nlohmann::ordered_json{{"msg", "daily run failed"}, {"error", last.status().message()}}.dump());
      continue;
    }
    if (*last && **last >= FormatDate(today)) continue;
    automation::DailyOptions daily{today, false};
    auto report = automation::RunDaily(*options_.catalog, *options_.rules, store.get(), &registry, today, daily);
    if (!report.ok()) {
      options_.log(nlohmann::ordered_json{{"msg", "daily run failed"}, {"error", report.status().message()}}.dump());
      continue;
    }
    int64_t actions = 0;
    for (const auto& day : (*report)["days"]) actions += static_cast<int64_t>(day["actions"].size());
    options_.log(nlohmann::ordered_json{
        {"msg", "daily run"}, {"date", FormatDate(today)}, {"days", (*report)["days"].size()}, {"actions", actions}}
                     .dump());
  } while (Sleep(options_.daily_check_ms));
}

}  // namespace dfdg::delivery
