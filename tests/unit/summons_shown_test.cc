// § 89 stk. 4 ("vises på Jobnet indtil 2 timer efter planlagt samtaletidspunktet"): Danish local time around the
// summer-time switches (core/danish_time.h), and the status view of today by the clock's moment on a real SQLite
// file with the real catalogue: the a-kasse's summons at its planned time + 2 hours is shown, one minute later not;
// a late meeting is shown into the next day; the job centre's summons and a view without a moment go by the day.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "core/danish_time.h"
#include "registry/registry.h"
#include "store/open_store.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

Instant Utc(const char* text) {
  auto at = ParseInstant(text);
  EXPECT_TRUE(at.ok()) << text;
  return at.ok() ? *at : Instant{};
}

TEST(DanishTimeTest, WinterAndSummerTime) {
  // Summer time 2025: from Sunday 30 March 01:00 UTC to Sunday 26 October 01:00 UTC.
  EXPECT_EQ(DanishUtcOffset(Utc("2025-03-30T00:59:59Z")), hours{1});
  EXPECT_EQ(DanishUtcOffset(Utc("2025-03-30T01:00:00Z")), hours{2});
  EXPECT_EQ(DanishUtcOffset(Utc("2025-10-26T00:59:59Z")), hours{2});
  EXPECT_EQ(DanishUtcOffset(Utc("2025-10-26T01:00:00Z")), hours{1});
  EXPECT_EQ(ToDanishTime(Utc("2025-09-15T22:30:00Z")), (DanishTime{MakeDate(2025, 9, 16), 30}));
  EXPECT_EQ(ToDanishTime(Utc("2025-12-31T23:00:00Z")), (DanishTime{MakeDate(2026, 1, 1), 0}));
  EXPECT_EQ(FromDanishTime(MakeDate(2025, 9, 15), 10 * 60), Utc("2025-09-15T08:00:00Z"));
  EXPECT_EQ(FromDanishTime(MakeDate(2025, 1, 15), 10 * 60), Utc("2025-01-15T09:00:00Z"));
  // 02:30 occurs twice on 26 October: the first (summer time); it does not occur on 30 March: read in winter time.
  EXPECT_EQ(FromDanishTime(MakeDate(2025, 10, 26), 150), Utc("2025-10-26T00:30:00Z"));
  EXPECT_EQ(FromDanishTime(MakeDate(2025, 3, 30), 150), Utc("2025-03-30T01:30:00Z"));
  EXPECT_EQ(Utc("2025-09-15T12:00"), Utc("2025-09-15T10:00Z"));
}

TEST(DanishTimeTest, ParsesTimesAndInstants) {
  EXPECT_EQ(*ParseTimeOfDay("00:00"), 0);
  EXPECT_EQ(*ParseTimeOfDay("23:59"), 1439);
  for (const char* bad : {"24:00", "9:00", "09:60", "0900", "", "09:00:00"})
    EXPECT_FALSE(ParseTimeOfDay(bad).ok()) << bad;
  for (const char* bad :
       {"2025-09-15", "2025-09-15 10:00", "2025-09-15T10", "2025-09-15T10:00:60Z", "2025-02-30T10:00"})
    EXPECT_FALSE(ParseInstant(bad).ok()) << bad;
  EXPECT_EQ(*ParseInstant("2025-09-15T10:00:30Z") - *ParseInstant("2025-09-15T10:00Z"), std::chrono::seconds{30});
}

class SummonsShownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dfdg_summons_shown_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    catalog_ = *loaded;
    auto store = store::OpenStore((dir_ / "test.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    registry_ = std::make_unique<registry::Registry>(catalog_, store_.get(), &clock_);
    for (Json c : {Json{{"command", "set_contact_group"}, {"contact_group", 1}, {"start", "2025-01-01"}},
                   Json{{"command", "set_municipality"}, {"municipality", 101}, {"start", "2025-01-01"}},
                   Json{{"command", "register_akasse_intake"},
                        {"channel", "akasse"},
                        {"actor", "10"},
                        {"event", "intake"},
                        {"start", "2025-01-01"},
                        {"insurance_category", "fuldtid"},
                        {"akasse_code", "10"},
                        {"branch", "1"}}}) {
      c["cpr"] = kCpr;
      c["registered_at"] = "2025-01-01";
      ASSERT_EQ(Exec(c)["status"], "accepted");
    }
  }
  void TearDown() override {
    registry_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  nlohmann::ordered_json Exec(const Json& command) {
    auto results = registry_->ExecuteBatch({command});
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? (*results)[0] : nlohmann::ordered_json{};
  }
  // A summons on `date` at `time` by `channel`; its entity id.
  int64_t Summons(const std::string& channel, const std::string& date, const std::string& time) {
    Json c{{"command", "create_summons"}, {"cpr", kCpr},         {"registered_at", "2025-01-02"}, {"date", date},
           {"start_time", time},          {"end_time", "23:59"}, {"form", "telefonisk"},          {"phone", "70101010"},
           {"type", "jobsamtale"}};
    if (channel == "akasse") {
      c["channel"] = "akasse";
      c["actor"] = "10";
    }
    auto result = Exec(c);
    EXPECT_EQ(result["status"], "accepted") << result.dump();
    return result.value("stored", nlohmann::ordered_json::array()).empty()
               ? 0
               : result["stored"][0]["entity_id"].get<int64_t>();
  }
  // The upcoming meetings' ids on `date` (as the clock's today) at `now`.
  std::set<int64_t> Shown(const std::string& date, std::optional<Instant> now) {
    auto status = registry_->PersonStatus(kCpr, *ParseDate(date), std::nullopt, now);
    EXPECT_TRUE(status.ok());
    std::set<int64_t> ids;
    if (status.ok()) {
      for (const auto& m : (*status)["upcoming_meetings"]) ids.insert(m["entity_id"].get<int64_t>());
    }
    return ids;
  }

  static constexpr const char* kCpr = "0101901234";
  FixedClock clock_{MakeDate(2025, 1, 2)};
  fs::path dir_;
  std::shared_ptr<const catalog::Catalog> catalog_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
};

TEST_F(SummonsShownTest, TheAkasseSummonsUntilTwoHoursAfterItsTime) {
  const int64_t summer = Summons("akasse", "2025-09-15", "10:00");
  const int64_t jobcentre = Summons("jobcenter", "2025-09-15", "10:00");
  const int64_t winter = Summons("akasse", "2025-01-15", "10:00");
  // Summer time: 10:00 + 2 h = 12:00 Danish = 10:00 UTC.
  EXPECT_EQ(Shown("2025-09-15", Utc("2025-09-15T10:00:00Z")), (std::set<int64_t>{summer, jobcentre}));
  EXPECT_EQ(Shown("2025-09-15", Utc("2025-09-15T10:00:01Z")), (std::set<int64_t>{jobcentre}));
  EXPECT_EQ(Shown("2025-09-15", Utc("2025-09-15T10:01:00Z")), (std::set<int64_t>{jobcentre}));
  EXPECT_EQ(Shown("2025-09-15", std::nullopt), (std::set<int64_t>{summer, jobcentre})) << "by the day";
  // Winter time: 12:00 Danish = 11:00 UTC.
  EXPECT_EQ(Shown("2025-01-15", Utc("2025-01-15T11:00:00Z")).count(winter), 1u);
  EXPECT_EQ(Shown("2025-01-15", Utc("2025-01-15T11:01:00Z")).count(winter), 0u);
  auto status = registry_->PersonStatus(kCpr, MakeDate(2025, 1, 15), std::nullopt, Utc("2025-01-15T09:00:00Z"));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ((*status)["now"], "2025-01-15T10:00");
  bool found = false;
  for (const auto& m : (*status)["upcoming_meetings"]) {
    if (m["entity_id"] == winter) {
      found = true;
      EXPECT_EQ(m["shown_until"], "2025-01-15T12:00");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SummonsShownTest, ALateMeetingIsShownIntoTheNextDay) {
  const int64_t late = Summons("akasse", "2025-01-15", "23:30");
  // Winter time: 23:30 + 2 h = 01:30 Danish on 16 January = 00:30 UTC on the 16th, the clock's next day: the
  // summons dated the day before is still shown.
  EXPECT_EQ(Shown("2025-01-15", Utc("2025-01-15T23:59:00Z")), (std::set<int64_t>{late}));
  EXPECT_EQ(Shown("2025-01-16", Utc("2025-01-16T00:30:00Z")), (std::set<int64_t>{late}));
  EXPECT_EQ(Shown("2025-01-16", Utc("2025-01-16T00:31:00Z")), (std::set<int64_t>{}));
  EXPECT_EQ(Shown("2025-01-16", std::nullopt), (std::set<int64_t>{})) << "by the day the 15th is past";
}

TEST_F(SummonsShownTest, TheCitizensAcknowledgementKeepsItTheAkassesSummons) {
  const int64_t id = Summons("akasse", "2025-09-15", "10:00");
  auto ack = Exec({{"command", "acknowledge_summons"},
                   {"cpr", kCpr},
                   {"channel", "citizen"},
                   {"registered_at", "2025-01-02"},
                   {"summons_id", id}});
  ASSERT_EQ(ack["status"], "accepted") << ack.dump();
  EXPECT_EQ(Shown("2025-09-15", Utc("2025-09-15T10:01:00Z")), (std::set<int64_t>{}));
}

}  // namespace
}  // namespace dfdg
