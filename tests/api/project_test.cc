// Own person-group projects over HTTP (§ 135 stk. 4-5, docs/decisions/0039): the owner creates and closes its
// project as batch lines, the access rule `project_owner` refuses another job centre or a-kasse, and a person
// is marked on the project only while it exists.
#include <string>
#include <vector>

#include "api_fixture.h"

namespace dfdg::api::testing {
namespace {

Json Create(const std::string& project, const std::string& kind, const std::string& owner, const std::string& start) {
  return {{"command", "create_project"}, {"project", project}, {"name", "Hold " + project},
          {"project_kind", kind},       {"owner", owner},     {"start", start}};
}

Json Mark(const std::string& cpr, const std::string& project, const std::string& marking, const std::string& start) {
  return {{"command", "add_marking"}, {"cpr", cpr}, {"project", project}, {"marking", marking}, {"start", start}};
}

std::vector<int> Codes(const Json& result) {
  std::vector<int> out;
  for (const auto& v : result.value("violations", Json::array())) out.push_back(v["code"].get<int>());
  return out;
}

TEST_F(ApiServerTest, ProjectCreatedByItsOwnerAndMarkedOverHttp) {
  // Another job centre cannot create Copenhagen's project; Copenhagen can.
  auto r = Batch("jc-147", {Create("kbh_hold_http", "jobcenter", "101", "2025-09-10")});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["status"], "refused") << r[0].dump();
  r = Batch("jc-101", {Create("kbh_hold_http", "jobcenter", "101", "2025-09-10")});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]["status"], "accepted") << r[0].dump();
  EXPECT_EQ(r[0]["subject"], "projekter");
  EXPECT_EQ(r[0]["stored"][0]["kind"], "project");

  // Marking on the creation day, not the day before; Frederiksberg's citizen is no Copenhagen citizen (3049).
  r = Batch("jc-101", {Mark(kPersonA, "kbh_hold_http", "Hold HTTP", "2025-09-10"),
                       Mark(kPersonA, "kbh_hold_http", "Hold HTTP før", "2025-09-09")});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["status"], "accepted") << r[0].dump();
  EXPECT_EQ(Codes(r[1]), std::vector<int>{3044}) << r[1].dump();
  r = Batch("jc-147", {Mark(kPersonB, "kbh_hold_http", "Hold HTTP", "2025-09-10")});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(Codes(r[0]), std::vector<int>{3049}) << r[0].dump();

  // Closing: another job centre naming Copenhagen as owner is refused by the access rule; naming itself as owner
  // it passes the rule and the registry refuses it (3055); the owner closes it.
  Json close{{"command", "close_project"}, {"project", "kbh_hold_http"}, {"project_kind", "jobcenter"},
             {"owner", "101"},             {"end", "2025-09-12"}};
  r = Batch("jc-147", {close});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["status"], "refused") << r[0].dump();
  Json close_as_147 = close;
  close_as_147["owner"] = "147";
  r = Batch("jc-147", {close_as_147});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(Codes(r[0]), std::vector<int>{3055}) << r[0].dump();
  // The close and the markings after it in ONE batch: the markings see the close (same group, in order).
  r = Batch("jc-101", {close, Mark(kPersonA, "kbh_hold_http", "Hold HTTP sidste dag", "2025-09-12"),
                       Mark(kPersonA, "kbh_hold_http", "Hold HTTP efter", "2025-09-13")});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0]["status"], "accepted") << r[0].dump();
  EXPECT_EQ(r[1]["status"], "accepted") << r[1].dump();
  EXPECT_EQ(Codes(r[2]), std::vector<int>{3044}) << r[2].dump();

  // An a-kasse creates its own project, not a job centre's, and marks its member on it.
  r = Batch("ak-10", {Create("ak10_hold_http", "jobcenter", "101", "2025-09-10"),
                      Create("ak10_hold_http", "akasse", "10", "2025-09-10")});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["status"], "refused") << r[0].dump();
  EXPECT_EQ(r[1]["status"], "accepted") << r[1].dump();
}

}  // namespace
}  // namespace dfdg::api::testing
