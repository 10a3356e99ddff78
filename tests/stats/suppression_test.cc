// Secondary suppression (src/stats/suppression.h): small tables where a hidden cell would otherwise be
// recoverable from a published total.
#include "stats/suppression.h"

#include <gtest/gtest.h>

namespace dfdg::stats {
namespace {

// True when some sum has exactly one hidden term (that term could be recovered by subtraction).
bool Recoverable(const AdditiveTable& t, const std::vector<bool>& hidden) {
  for (const auto& s : t.sums) {
    int n = hidden[s.total] ? 1 : 0;
    for (size_t p : s.parts) n += hidden[p] ? 1 : 0;
    if (n == 1) return true;
  }
  return false;
}

TEST(Suppression, PrimaryHidesOneToFourAndPublishesZero) {
  AdditiveTable t{{0, 1, 4, 5, 100}, {}};
  EXPECT_EQ(Suppress(t, 5), (std::vector<bool>{false, true, true, false, false}));
}

// Region 30 = municipalities 3 + 12 + 15: the 3 alone could be recovered as 30 - 12 - 15; the smallest other
// municipality (12) is hidden too, the region and the 15 stay published.
TEST(Suppression, SecondHidesTheSmallestOtherPart) {
  AdditiveTable t{{30, 3, 12, 15}, {{0, {1, 2, 3}}}};
  auto hidden = Suppress(t, 5);
  EXPECT_EQ(hidden, (std::vector<bool>{false, true, true, false}));
  EXPECT_FALSE(Recoverable(t, hidden));
}

// Two hidden parts already protect each other: nothing more is hidden.
TEST(Suppression, TwoSmallPartsNeedNothingMore) {
  AdditiveTable t{{27, 3, 4, 20}, {{0, {1, 2, 3}}}};
  EXPECT_EQ(Suppress(t, 5), (std::vector<bool>{false, true, true, false}));
}

// A part hidden only for a first sum is the only non-zero part of a second sum: the second sum's total equals
// it, so the total is hidden (zeros cannot be hidden usefully). Values: 9 = 3 + 6 and 6 = 6 + 0.
TEST(Suppression, ZeroSiblingsHideTheTotal) {
  AdditiveTable t{{9, 3, 6, 6, 0}, {{0, {1, 2}}, {3, {2, 4}}}};
  auto hidden = Suppress(t, 5);
  EXPECT_EQ(hidden, (std::vector<bool>{false, true, true, true, false}));
  EXPECT_FALSE(Recoverable(t, hidden));
}

// Zeros are skipped when choosing the part to hide: 50 = 0 + 2 + 0 + 48 hides the 48.
TEST(Suppression, ZeroPartsAreNotChosen) {
  AdditiveTable u{{50, 0, 2, 0, 48}, {{0, {1, 2, 3, 4}}}};
  EXPECT_EQ(Suppress(u, 5), (std::vector<bool>{false, false, true, false, true}));
}

// Cascades: country 100 = regions 40 + 60, region 40 = municipalities 2 + 38 (the 38 is hidden for the 2). Then
// region A = its one municipality of 3 (both hidden): the country = A + B would reveal A, so B is hidden, and
// then one of B's municipalities.
TEST(Suppression, CascadesUntilNoSumHasOneHiddenTerm) {
  // indices: 0 country, 1 region A, 2 region B, 3 A's municipality (2), 4 A's municipality (38), 5 B's only one
  AdditiveTable t{{100, 40, 60, 2, 38, 60}, {{0, {1, 2}}, {1, {3, 4}}, {2, {5}}, {0, {3, 4, 5}}}};
  auto hidden = Suppress(t, 5);
  EXPECT_TRUE(hidden[3] && hidden[4]);
  EXPECT_FALSE(Recoverable(t, hidden));
  // indices: 0 country, 1 region A = its only municipality 3 (value 3), 2 region B = 4 + 5 (values 10, 7)
  AdditiveTable u{{20, 3, 17, 3, 10, 7}, {{0, {1, 2}}, {1, {3}}, {2, {4, 5}}, {0, {3, 4, 5}}}};
  auto h = Suppress(u, 5);
  EXPECT_TRUE(h[1] && h[3]);  // primary
  EXPECT_FALSE(Recoverable(u, h));
  EXPECT_TRUE(h[2]);  // the country = A + B would reveal A: B is hidden, and then one of B's municipalities
  EXPECT_TRUE(h[4] || h[5]);
}

TEST(Suppression, SameTableSameAnswer) {
  AdditiveTable t{{30, 3, 12, 12, 3}, {{0, {1, 2, 3, 4}}}};
  EXPECT_EQ(Suppress(t, 5), Suppress(t, 5));
  EXPECT_EQ(Suppress(t, 5), (std::vector<bool>{false, true, false, false, true}));
}

}  // namespace
}  // namespace dfdg::stats
