#include "core/cpr.h"

namespace dfdg {
namespace {

// Century from the 7th digit and the two-digit year (CPR office rule).
int FullYear(int seventh, int yy) {
  if (seventh <= 3) return 1900 + yy;
  if (seventh == 4 || seventh == 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  // 5-8
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

}  // namespace

Result<Cpr> Cpr::Parse(std::string_view text) {
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '-' && i == 6 && digits.size() == 6) continue;
    if (c < '0' || c > '9') return Status::InvalidArgument("a CPR number has 10 digits (DDMMYYSSSS)").WithDanish("et CPR-nummer har 10 cifre (DDMMÅÅLLLL)");
    digits.push_back(c);
  }
  if (digits.size() != 10) return Status::InvalidArgument("a CPR number has 10 digits (DDMMYYSSSS)").WithDanish("et CPR-nummer har 10 cifre (DDMMÅÅLLLL)");
  auto two = [&](size_t pos) { return (digits[pos] - '0') * 10 + (digits[pos + 1] - '0'); };
  int day = two(0);
  int month = two(2);
  int year = FullYear(digits[6] - '0', two(4));
  if (year < 1800) return Status::InvalidArgument("the date part of the CPR number is not a real day").WithDanish("CPR-nummerets datodel er ikke en rigtig dag");
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return Status::InvalidArgument("the date part of the CPR number is not a real day").WithDanish("CPR-nummerets datodel er ikke en rigtig dag");
  return Cpr(std::move(digits), std::chrono::sys_days{ymd});
}

}  // namespace dfdg
