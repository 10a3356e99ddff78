// CPR numbers (Danish personal identification numbers).
//
// Format: 10 digits DDMMYYSSSS, optionally written DDMMYY-SSSS. The date part must be a real day; the century
// follows from the 7th digit (the first of SSSS) as in the CPR office's table. No modulus-11 check: numbers
// without it have been issued since 2007. A full CPR number must never be printed in logs: use Masked().
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"

namespace dfdg {

class Cpr {
 public:
  // Parses and validates. Errors: InvalidArgument with a reason that does not repeat the number.
  static Result<Cpr> Parse(std::string_view text);

  // The 10 digits, no dash.
  const std::string& digits() const { return digits_; }
  // "DDMMYY-****": safe for logs and results.
  std::string Masked() const { return digits_.substr(0, 6) + "-****"; }
  Date birth_date() const { return birth_date_; }

  bool operator==(const Cpr& other) const { return digits_ == other.digits_; }

 private:
  Cpr(std::string digits, Date birth_date) : digits_(std::move(digits)), birth_date_(birth_date) {}

  std::string digits_;
  Date birth_date_;
};

}  // namespace dfdg
