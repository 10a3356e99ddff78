// "Today" (and "now") as an injectable dependency. Production code asks a Clock; tests and replays use a
// FixedClock.
#pragma once

#include <chrono>
#include <optional>

#include "core/date.h"

namespace dfdg {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current civil day (UTC). Every date rule of the registry reads this day.
  virtual Date Today() const = 0;
  // The current moment (UTC), for the rules that speak of a time of day (§ 89 stk. 4, core/danish_time.h);
  // nullopt when the clock knows only the day (a FixedClock without a moment): such rules then go by the day.
  virtual std::optional<std::chrono::sys_seconds> Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Date Today() const override { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); }
  std::optional<std::chrono::sys_seconds> Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Date today) : today_(today) {}
  // A clock fixed at a moment: Today() is its UTC day.
  explicit FixedClock(std::chrono::sys_seconds now) : today_(std::chrono::floor<std::chrono::days>(now)), now_(now) {}
  Date Today() const override { return today_; }
  std::optional<std::chrono::sys_seconds> Now() const override { return now_; }
  // Sets the day and forgets the moment.
  void Set(Date today) {
    today_ = today;
    now_.reset();
  }
  // Sets the moment (and the day: its UTC day).
  void SetNow(std::chrono::sys_seconds now) {
    today_ = std::chrono::floor<std::chrono::days>(now);
    now_ = now;
  }

 private:
  Date today_;
  std::optional<std::chrono::sys_seconds> now_;
};

}  // namespace dfdg
