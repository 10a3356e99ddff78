#include "core/danish_time.h"

#include <string>

namespace dfdg {
namespace {

using namespace std::chrono;

// 01:00 UTC on the last Sunday of `month` in `year`: where summer time begins (March) or ends (October).
Instant SwitchAt(int year, unsigned month) {
  const Date sunday = sys_days{std::chrono::year{year} / std::chrono::month{month} / Sunday[std::chrono::last]};
  return Instant{sunday} + hours{1};
}

bool Digits(std::string_view text, size_t from, size_t count, int* out) {
  int value = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

Result<int> ParseTimeOfDay(std::string_view text) {
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !Digits(text, 0, 2, &h) || !Digits(text, 3, 2, &m) || h > 23 || m > 59) {
    return Status::InvalidArgument(std::string("expected HH:MM, got '").append(text).append("'"));
  }
  return h * 60 + m;
}

std::chrono::seconds DanishUtcOffset(Instant at) {
  const int year = static_cast<int>(year_month_day{floor<days>(at)}.year());
  const bool summer = at >= SwitchAt(year, 3) && at < SwitchAt(year, 10);
  return summer ? hours{2} : hours{1};
}

DanishTime ToDanishTime(Instant at) {
  const Instant local = at + DanishUtcOffset(at);  // the wall clock read as if it were UTC
  const Date day = floor<days>(local);
  return DanishTime{day, static_cast<int>(duration_cast<minutes>(local - Instant{day}).count())};
}

Instant FromDanishTime(Date day, int minute) {
  const Instant wall = Instant{day} + minutes{minute};
  const Instant summer = wall - hours{2};
  if (DanishUtcOffset(summer) == hours{2}) return summer;
  return wall - hours{1};
}

Result<Instant> ParseInstant(std::string_view text) {
  // YYYY-MM-DDTHH:MM, optionally :SS, optionally Z.
  bool utc = !text.empty() && text.back() == 'Z';
  std::string_view body = utc ? text.substr(0, text.size() - 1) : text;
  auto bad = [&] {
    return Status::InvalidArgument(std::string("expected YYYY-MM-DDTHH:MM[:SS][Z], got '").append(text).append("'"));
  };
  if ((body.size() != 16 && body.size() != 19) || body[10] != 'T') return bad();
  auto day = ParseDate(body.substr(0, 10));
  auto minute = ParseTimeOfDay(body.substr(11, 5));
  if (!day.ok() || !minute.ok()) return bad();
  int second = 0;
  if (body.size() == 19 && (body[16] != ':' || !Digits(body, 17, 2, &second) || second > 59)) return bad();
  const Instant at = utc ? Instant{*day} + minutes{*minute} : FromDanishTime(*day, *minute);
  return at + seconds{second};
}

}  // namespace dfdg
