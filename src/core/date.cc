#include "core/date.h"

#include <cassert>
#include <charconv>
#include <cstdio>

namespace dfdg {
namespace {

bool ParseInt(std::string_view text, int* out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

Date AddMonths(Date date, int months) {
  using namespace std::chrono;
  year_month_day ymd{date};
  year_month target = year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  day last = year_month_day_last{target.year(), month_day_last{target.month()}}.day();
  day d = ymd.day() > last ? last : ymd.day();
  return sys_days{year_month_day{target.year(), target.month(), d}};
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return Status::InvalidArgument("invalid date '" + std::string(text) + "': expected YYYY-MM-DD")
        .WithDanish("ugyldig dato '" + std::string(text) + "': forventede ÅÅÅÅ-MM-DD");
  }
  int y = 0;
  int m = 0;
  int d = 0;
  if (!ParseInt(text.substr(0, 4), &y) || !ParseInt(text.substr(5, 2), &m) || !ParseInt(text.substr(8, 2), &d)) {
    return Status::InvalidArgument("invalid date '" + std::string(text) + "': expected YYYY-MM-DD")
        .WithDanish("ugyldig dato '" + std::string(text) + "': forventede ÅÅÅÅ-MM-DD");
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (y < 1800 || y > 2999 || !ymd.ok()) {
    return Status::InvalidArgument("invalid date '" + std::string(text) + "': no such day")
        .WithDanish("ugyldig dato '" + std::string(text) + "': dagen findes ikke");
  }
  return sys_days{ymd};
}

std::string FormatDate(Date date) {
  std::chrono::year_month_day ymd{date};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month());
  unsigned d = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) return "0000-00-00";  // outside the range ParseDate accepts
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

Date MakeDate(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  assert(ymd.ok());
  return std::chrono::sys_days{ymd};
}

bool Validity::Contains(Date date) const {
  if (from && date < *from) return false;
  if (to && date >= *to) return false;
  return true;
}

bool Validity::Overlaps(const Validity& other) const {
  // [a,b) and [c,d) overlap iff a < d and c < b (open ends are infinite).
  bool starts_before_other_ends = !from || !other.to || *from < *other.to;
  bool other_starts_before_end = !other.from || !to || *other.from < *to;
  return starts_before_other_ends && other_starts_before_end;
}

bool Validity::IsWellFormed() const { return !from || !to || *from < *to; }

std::string Validity::ToString() const {
  return (from ? FormatDate(*from) : std::string()) + ".." + (to ? FormatDate(*to) : std::string());
}

std::string Duration::ToString() const {
  if (unlimited) return "unlimited";
  const char* suffix = "d";
  switch (unit) {
    case Unit::kDays:
      suffix = "d";
      break;
    case Unit::kWeeks:
      suffix = "w";
      break;
    case Unit::kMonths:
      suffix = "m";
      break;
    case Unit::kYears:
      suffix = "y";
      break;
  }
  return std::to_string(count) + suffix;
}

std::string Duration::ToDanish() const {
  if (unlimited) return "ubegrænset";
  bool one = count == 1;
  switch (unit) {
    case Unit::kDays:
      return std::to_string(count) + (one ? " dag" : " dage");
    case Unit::kWeeks:
      return std::to_string(count) + (one ? " uge" : " uger");
    case Unit::kMonths:
      return std::to_string(count) + (one ? " måned" : " måneder");
    case Unit::kYears:
      return std::to_string(count) + " år";
  }
  return ToString();
}

Result<Duration> ParseDuration(std::string_view text) {
  Duration out;
  if (text == "unlimited") {
    out.unlimited = true;
    return out;
  }
  if (text.size() < 2) return Status::InvalidArgument("invalid duration '" + std::string(text) + "'");
  char unit = text.back();
  int count = 0;
  if (!ParseInt(text.substr(0, text.size() - 1), &count)) {
    return Status::InvalidArgument("invalid duration '" + std::string(text) + "': expected <n>d|w|m|y or unlimited");
  }
  out.count = count;
  switch (unit) {
    case 'd':
      out.unit = Duration::Unit::kDays;
      break;
    case 'w':
      out.unit = Duration::Unit::kWeeks;
      break;
    case 'm':
      out.unit = Duration::Unit::kMonths;
      break;
    case 'y':
      out.unit = Duration::Unit::kYears;
      break;
    default:
      return Status::InvalidArgument("invalid duration '" + std::string(text) + "': unit must be d, w, m or y");
  }
  return out;
}

Date AddDuration(Date date, const Duration& duration) {
  assert(!duration.unlimited);
  switch (duration.unit) {
    case Duration::Unit::kDays:
      return date + std::chrono::days{duration.count};
    case Duration::Unit::kWeeks:
      return date + std::chrono::days{7 * duration.count};
    case Duration::Unit::kMonths:
      return AddMonths(date, duration.count);
    case Duration::Unit::kYears:
      return AddMonths(date, 12 * duration.count);
  }
  return date;
}

Date SubtractDuration(Date date, const Duration& duration) {
  Duration negated = duration;
  negated.count = -duration.count;
  return AddDuration(date, negated);
}

}  // namespace dfdg
