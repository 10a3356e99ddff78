// What `dfdg serve` runs beside the API (docs/delivery.md "In dfdg serve"): the delivery worker and the daily
// job, each on a thread of its own with its own store connection (never the API writer's), stopped by Stop().
//
// Daily job contract: every `daily_check_ms`, when the wall clock's time of day (UTC) is at or after
// `daily_at_minutes` and the store's last completed daily run (store.h LastDailyRun) is before the clock's
// today, it runs `dfdg daily --date <today>` (automation::RunDaily: catches up missed days, idempotent through
// daily_runs). A run started by `dfdg daily` from outside for the same day makes it do nothing; a failed run is
// logged and tried again at the next check.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "automation/rules.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "delivery/config.h"
#include "store/store.h"

namespace dfdg::delivery {

struct BackgroundOptions {
  std::string db;                          // SQLite file or postgresql:// URL (a connection per thread)
  std::optional<DeliveryConfig> delivery;  // nullopt: no delivery thread
  bool daily = false;                      // run the daily job (needs catalog and rules)
  std::shared_ptr<const catalog::Catalog> catalog;
  std::shared_ptr<const automation::Rules> rules;
  const Clock* clock = nullptr;  // "today" for the daily job; REQUIRES: outlives the jobs
  int daily_at_minutes = 0;      // earliest minute of the UTC day for the daily run
  int64_t daily_check_ms = 60000;
  std::function<void(const std::string&)> log;  // one JSON object per line; REQUIRES: thread-safe
};

class BackgroundJobs {
 public:
  // Opens the stores and starts the threads. Error (nothing started) when a store cannot be opened or the
  // daily job lacks its catalogue or rules.
  static Result<std::unique_ptr<BackgroundJobs>> Start(BackgroundOptions options);
  ~BackgroundJobs();  // Stop()
  BackgroundJobs(const BackgroundJobs&) = delete;
  BackgroundJobs& operator=(const BackgroundJobs&) = delete;

  // Asks both threads to stop after their current step and joins them. Idempotent.
  void Stop();

 private:
  explicit BackgroundJobs(BackgroundOptions options) : options_(std::move(options)) {}
  void DeliveryLoop(std::unique_ptr<store::Store> store);
  void DailyLoop(std::unique_ptr<store::Store> store);
  // Sleeps up to `ms`; false when asked to stop.
  bool Sleep(int64_t ms);

  BackgroundOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread delivery_thread_, daily_thread_;
};

}  // namespace dfdg::delivery
