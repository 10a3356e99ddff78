// The binary per-person fact list (persons.facts): round trip, appendability, corruption detection.
#include "store/sqlite/fact_codec.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

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

// Equal values of equal types at every level (nlohmann's == takes 1 and 1u as equal; the types matter here).
bool Same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a != b) return false;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key()) || !Same(*it, b[it.key()])) return false;
    }
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Same(a[i], b[i])) return false;
    }
  }
  return true;
}

// ParseFactExtra reads every text as nlohmann::json::parse does: what it reads itself and what it hands on.
TEST(FactCodecTest, ExtraIsReadAsNlohmannReadsIt) {
  const std::string texts[] = {
      R"({"fields":{"akasse_code":"10","hours_used":160,"start":"2025-01-01"},"action":"create"})",
      R"({})",
      R"([])",
      R"({"a":[]})",
      R"({"a":{}})",
      R"([1,-2,0,-0,"x",true,false,null,[],{}])",
      R"("text")",
      R"(17)",
      R"(-17)",
      R"(true)",
      R"(null)",
      R"({"a":1,"a":2})",                                       // a repeated key: the last value
      R"({"n":123456789012345678,"m":-123456789012345678})",    // 18 digits: read directly
      R"({"n":1234567890123456789,"u":18446744073709551615})",  // longer: handed on
      R"({"n":99999999999999999999999})",
      R"({"f":1.5,"e":1e3,"E":-2E-2})",
      R"({"s":"a\"b\\c\n\u00e6"})",
      "{\"s\":\"K\xc3\xb8"
      "benhavn \xe2\x82\xac \xf0\x9f\x98\x80\"}",
      "{\"bad\":\"\xc3\"}",
      "{\"bad\":\"\xed\xa0\x80\"}",
      "{\"bad\":\"\xf4\x90\x80\x80\"}",
      "{\"bad\":\"\xe0\x80\xaf\"}",
      "{\"bad\":\"\xc0\xaf\"}",
      "{\"ctl\":\"a\x01\"}",
      R"({"a":01})",
      R"({"a":-})",
      R"({"a":1.})",
      R"({"a" :1})",
      R"({ "a":1})",
      R"({"a":1} )",
      R"({"a":1}x)",
      R"({"a":1,})",
      R"([1,])",
      R"({"a")",
      R"({"a":)",
      R"({"a":tru})",
      R"({"a":nul)",
      R"([)",
      R"(")",
      R"()",
      R"({"a":[1,2)",
      R"({1:2})",
      R"({"a":1)",
      R"(-)"};
  for (const std::string& text : texts) {
    nlohmann::json want = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    nlohmann::json got;
    bool read = ParseFactExtra(text, &got);
    EXPECT_EQ(read, !want.is_discarded()) << text;
    if (read && !want.is_discarded()) {
      EXPECT_TRUE(Same(got, want)) << text << " -> " << got.dump();
    }
  }
}

// Random documents in the form EncodeFact writes (nlohmann's dump), with numbers of every size and strings with
// escapes and non-ASCII text: read to the same values and types as by nlohmann::json::parse.
TEST(FactCodecTest, RandomExtrasAreReadAsNlohmannReadsThem) {
  std::mt19937_64 random(14);
  const std::string pieces[] = {"a", "æøå", "\"", "\\", "\n", "€", "\x01", "😀", "KG 1", "2025-09-15", ""};
  std::function<nlohmann::json(int)> make = [&](int depth) -> nlohmann::json {
    switch (random() % (depth > 3 ? 5 : 7)) {
      case 0: {
        std::string text;
        for (uint64_t i = random() % 4; i > 0; --i) text += pieces[random() % std::size(pieces)];
        return text;
      }
      case 1:
        return static_cast<int64_t>(random()) >> (random() % 64);
      case 2:
        return random() >> (random() % 64);
      case 3:
        return static_cast<double>(static_cast<int64_t>(random() % 2000000) - 1000000) / 64.0;
      case 4:
        return random() % 3 == 0 ? nlohmann::json(nullptr) : nlohmann::json(random() % 2 == 0);
      case 5: {
        nlohmann::json array = nlohmann::json::array();
        for (uint64_t i = random() % 4; i > 0; --i) array.push_back(make(depth + 1));
        return array;
      }
      default: {
        nlohmann::json object = nlohmann::json::object();
        for (uint64_t i = random() % 5; i > 0; --i)
          object[pieces[random() % std::size(pieces)] + "k"] = make(depth + 1);
        return object;
      }
    }
  };
  for (int n = 0; n < 3000; ++n) {
    std::string text = make(0).dump();
    nlohmann::json want = nlohmann::json::parse(text);
    nlohmann::json got;
    ASSERT_TRUE(ParseFactExtra(text, &got)) << text;
    ASSERT_TRUE(Same(got, want)) << text << " -> " << got.dump();
  }
}

}  // namespace
}  // namespace dfdg::store
