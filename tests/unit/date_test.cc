#include "core/date.h"

#include <gtest/gtest.h>

namespace dfdg {
namespace {

Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }

TEST(DateTest, ParsesAndFormatsIsoDays) {
  auto date = ParseDate("2025-07-01");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(*date, D(2025, 7, 1));
  EXPECT_EQ(FormatDate(*date), "2025-07-01");
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
}

TEST(DateTest, RejectsMalformedAndImpossibleDays) {
  for (const char* bad : {"2025-7-01", "2025/07/01", "20250701", "2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31",
                          "abcd-ef-gh", "", "2025-07-01x", "1700-01-01"}) {
    auto date = ParseDate(bad);
    EXPECT_FALSE(date.ok()) << bad;
    EXPECT_EQ(date.status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

TEST(DateTest, MonthArithmeticClampsToEndOfMonth) {
  Duration one_month{1, Duration::Unit::kMonths, false};
  EXPECT_EQ(AddDuration(D(2024, 1, 31), one_month), D(2024, 2, 29));
  EXPECT_EQ(AddDuration(D(2023, 1, 31), one_month), D(2023, 2, 28));
  EXPECT_EQ(AddDuration(D(2024, 1, 15), one_month), D(2024, 2, 15));
  EXPECT_EQ(SubtractDuration(D(2024, 3, 31), one_month), D(2024, 2, 29));
  Duration sixteen{16, Duration::Unit::kMonths, false};
  EXPECT_EQ(AddDuration(D(2024, 10, 31), sixteen), D(2026, 2, 28));
  Duration year{1, Duration::Unit::kYears, false};
  EXPECT_EQ(AddDuration(D(2024, 2, 29), year), D(2025, 2, 28));
}

TEST(DateTest, DaysAndWeeks) {
  EXPECT_EQ(SubtractDuration(D(2025, 3, 1), Duration{28, Duration::Unit::kDays, false}), D(2025, 2, 1));
  EXPECT_EQ(SubtractDuration(D(2025, 3, 1), Duration{8, Duration::Unit::kWeeks, false}), D(2025, 1, 4));
}

TEST(DateTest, ParsesDurations) {
  EXPECT_EQ(*ParseDuration("28d"), (Duration{28, Duration::Unit::kDays, false}));
  EXPECT_EQ(*ParseDuration("8w"), (Duration{8, Duration::Unit::kWeeks, false}));
  EXPECT_EQ(*ParseDuration("16m"), (Duration{16, Duration::Unit::kMonths, false}));
  EXPECT_EQ(*ParseDuration("2y"), (Duration{2, Duration::Unit::kYears, false}));
  EXPECT_TRUE(ParseDuration("unlimited")->unlimited);
  EXPECT_EQ(ParseDuration("16m")->ToString(), "16m");
  EXPECT_EQ(ParseDuration("16m")->ToDanish(), "16 måneder");
  for (const char* bad : {"", "m", "16", "16x", "-3d", "1.5w", "d16"}) EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
}

TEST(ValidityTest, HalfOpenBoundaries) {
  Validity v{D(2020, 1, 1), D(2025, 7, 1)};
  EXPECT_FALSE(v.Contains(D(2019, 12, 31)));
  EXPECT_TRUE(v.Contains(D(2020, 1, 1)));
  EXPECT_TRUE(v.Contains(D(2025, 6, 30)));
  EXPECT_FALSE(v.Contains(D(2025, 7, 1)));
  EXPECT_TRUE(Validity{}.Contains(D(1900, 1, 1)));
}

TEST(ValidityTest, Overlaps) {
  Validity before{std::nullopt, D(2025, 7, 1)};
  Validity after{D(2025, 7, 1), std::nullopt};
  EXPECT_FALSE(before.Overlaps(after));
  EXPECT_FALSE(after.Overlaps(before));
  Validity late{D(2025, 6, 30), std::nullopt};
  EXPECT_TRUE(before.Overlaps(late));
  EXPECT_TRUE(Validity{}.Overlaps(after));
  EXPECT_FALSE((Validity{D(2025, 7, 1), D(2025, 7, 1)}).IsWellFormed());
}

}  // namespace
}  // namespace dfdg
