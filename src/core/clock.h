// "Today" as an injectable dependency. Production code asks a Clock; tests and replays use a FixedClock.
#pragma once

#include <chrono>

#include "core/date.h"

namespace dfdg {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current civil day (UTC).
  virtual Date Today() const = 0;
};

class SystemClock final : public Clock {
 public:
  Date Today() const override { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Date today) : today_(today) {}
  Date Today() const override { return today_; }
  void Set(Date today) { today_ = today; }

 private:
  Date today_;
};

}  // namespace dfdg
