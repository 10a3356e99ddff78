// The binary per-person fact list (persons.facts): round trip, appendability, corruption detection.
#include "store/sqlite/fact_codec.h"

#include <gtest/gtest.h>

namespace dfdg::store {
namespace {

registry::Fact Sample(int64_t seq) {
  registry::Fact f;
  f.seq = seq;
  f.entity_id = 7;
  f.command_seq = seq / 1000;
  f.kind = registry::FactKind::kSummons;
  f.recorded_on = MakeDate(2025, 8, 1);
  f.deleted = seq % 2 == 0;
  f.channel = catalog::Channel::kAkasse;
  f.actor = "a-kasse 42";
  f.start = MakeDate(2025, 9, 1);
  f.end = MakeDate(2025, 9, 1);
  f.code = -3;
  f.text = "jobsamtale";
  f.comment = "æøå \"quoted\"";
  f.extra = {{"start_time", "09:00"}, {"rebooking_possible", true}};
  return f;
}

TEST(FactCodecTest, RoundTripsEveryField) {
  std::string bytes;
  EncodeFact(Sample(1001), &bytes);
  registry::Fact open = Sample(2002);
  open.end.reset();
  open.event_date = MakeDate(1999, 12, 31);
  open.extra = nullptr;
  EncodeFact(open, &bytes);  // appending = concatenating
  std::vector<registry::Fact> out;
  ASSERT_TRUE(DecodeFacts(bytes, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  const registry::Fact& a = out[0];
  registry::Fact expected = Sample(1001);
  EXPECT_EQ(a.seq, expected.seq);
  EXPECT_EQ(a.entity_id, expected.entity_id);
  EXPECT_EQ(a.command_seq, expected.command_seq);
  EXPECT_EQ(a.kind, expected.kind);
  EXPECT_EQ(a.recorded_on, expected.recorded_on);
  EXPECT_EQ(a.deleted, expected.deleted);
  EXPECT_EQ(a.channel, expected.channel);
  EXPECT_EQ(a.actor, expected.actor);
  EXPECT_EQ(a.start, expected.start);
  EXPECT_EQ(a.end, expected.end);
  EXPECT_FALSE(a.event_date.has_value());
  EXPECT_EQ(a.code, expected.code);
  EXPECT_EQ(a.text, expected.text);
  EXPECT_EQ(a.comment, expected.comment);
  EXPECT_EQ(a.extra, expected.extra);
  EXPECT_FALSE(out[1].end.has_value());
  EXPECT_EQ(out[1].event_date, MakeDate(1999, 12, 31));
  EXPECT_TRUE(out[1].extra.is_null());
}

TEST(FactCodecTest, TruncatedOrUnknownRecordsAreCorruption) {
  std::string bytes;
  EncodeFact(Sample(1001), &bytes);
  std::vector<registry::Fact> out;
  EXPECT_EQ(DecodeFacts(std::string_view(bytes).substr(0, bytes.size() - 3), &out).code(), Status::Code::kCorruption);
  std::string wrong_version = bytes;
  wrong_version[0] = 9;
  EXPECT_EQ(DecodeFacts(wrong_version, &out).code(), Status::Code::kCorruption);
  std::string bad_kind = bytes;
  bad_kind[1 + 8 * 3] = 99;
  EXPECT_EQ(DecodeFacts(bad_kind, &out).code(), Status::Code::kCorruption);
  out.clear();
  EXPECT_TRUE(DecodeFacts("", &out).ok());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace dfdg::store
