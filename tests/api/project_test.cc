// Own person-group projects over HTTP (§ 135 stk. 4-5, docs/decisions/0039): the owner creates and closes its
// project as batch lines, the access rule `project_owner` refuses another job centre or a-kasse, and a person
// is marked on the project only while it exists; the projects are read by their owner and audited (0044).
#include <algorithm>
#include <string>
#include <tuple>
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
  Json last_day = Mark(kPersonA, "kbh_hold_http", "Hold HTTP sidste dag", "2025-09-12");
  last_day["end"] = "2025-09-12";  // on a closed project a marking ends by the closing (3056, decision 0044)
  r = Batch("jc-101", {close, last_day, Mark(kPersonA, "kbh_hold_http", "Hold HTTP efter", "2025-09-13")});
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

// The audit rows of one subject ("projekter", "projekter/<id>"; docs/decisions/0044) as (system, operation, outcome).
std::vector<std::vector<std::string>> AuditRows(const std::string& subject) {
  std::vector<std::vector<std::string>> out;
  auto opened = store::OpenStore(ApiServerTest::db->location());
  if (!opened.ok()) return out;
  auto rows = (*opened)->ReadAudit(subject, 0, 1000);
  if (!rows.ok()) return out;
  for (const auto& row : *rows) out.push_back({row.system, row.operation, row.outcome});
  return out;
}

// GET with the system's certificate: (status, parsed body or null).
std::pair<int, Json> Get(const std::string& system, const std::string& path) {
  auto res = ApiServerTest::Client(system)->Get(path);
  if (!res) return {0, nullptr};
  return {res->status, Json::parse(res->body, nullptr, false)};
}

// The project ids of a list answer.
std::vector<std::string> Ids(const Json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& p : list) out.push_back(p.value("project", ""));
  return out;
}

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_F(ApiServerTest, ProjectsReadByTheirOwnerAndAuditedOverHttp) {
  // Creating, a refused create, closing and correcting: each line an audit row under "projekter/<id>".
  auto r = Batch("jc-147", {Create("kbh_laes", "jobcenter", "101", "2025-09-01")});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["status"], "refused") << r[0].dump();
  r = Batch("jc-101", {Create("kbh_laes", "jobcenter", "101", "2025-09-01")});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]["status"], "accepted") << r[0].dump();
  r = Batch("jc-147", {Create("frb_laes", "jobcenter", "147", "2025-09-01")});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]["status"], "accepted") << r[0].dump();
  r = Batch("ak-10", {Create("ak10_laes", "akasse", "10", "2025-09-01")});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]["status"], "accepted") << r[0].dump();
  Json close{{"command", "close_project"},
             {"project", "kbh_laes"},
             {"project_kind", "jobcenter"},
             {"owner", "101"},
             {"end", "2025-09-30"}};
  Json correct{{"command", "correct_project"}, {"project", "kbh_laes"},
               {"project_kind", "jobcenter"},  {"owner", "101"},
               {"name", "Læsehold"},           {"comment", "Navnet rettet"}};
  r = Batch("jc-101", {close, correct});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["status"], "accepted") << r[0].dump();
  EXPECT_EQ(r[1]["status"], "accepted") << r[1].dump();
  using Row = std::vector<std::string>;
  EXPECT_EQ(AuditRows("projekter/kbh_laes"), (std::vector<Row>{{"jc-147", "POST /v1/batch", "refused"},
                                                               {"jc-101", "POST /v1/batch", "accepted"},
                                                               {"jc-101", "POST /v1/batch", "accepted"},
                                                               {"jc-101", "POST /v1/batch", "accepted"}}));
  EXPECT_EQ(AuditRows("projekter/frb_laes"), (std::vector<Row>{{"jc-147", "POST /v1/batch", "accepted"}}));

  // The list: each system its own projects, the agency all (relation project_owner per project, or any).
  auto [status, list] = Get("jc-101", "/v1/Projekter");
  ASSERT_EQ(status, 200) << list.dump();
  EXPECT_TRUE(Has(Ids(list), "kbh_laes")) << list.dump();
  EXPECT_FALSE(Has(Ids(list), "frb_laes")) << list.dump();
  EXPECT_FALSE(Has(Ids(list), "ak10_laes")) << list.dump();
  for (const auto& p : list)
    EXPECT_EQ(p["project_kind"].get<std::string>() + "/" + p["owner"].get<std::string>(), "jobcenter/101");
  std::tie(status, list) = Get("ak-10", "/v1/Projekter");
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(Has(Ids(list), "ak10_laes")) << list.dump();
  EXPECT_FALSE(Has(Ids(list), "kbh_laes")) << list.dump();
  std::tie(status, list) = Get("agency", "/v1/Projekter");
  ASSERT_EQ(status, 200);
  for (const char* id : {"kbh_laes", "frb_laes", "ak10_laes"}) EXPECT_TRUE(Has(Ids(list), id)) << list.dump();
  // Systems that own no project and have no rule: refused, not an empty list.
  EXPECT_EQ(Get("jobnet", "/v1/Projekter").first, 403);
  EXPECT_EQ(Get("ksd-101", "/v1/Projekter").first, 403);
  // ?dato=: the projects that exist on the day (the closing day inclusive); ?kendt_pr=: as known then.
  std::tie(status, list) = Get("jc-101", "/v1/Projekter?dato=2025-09-30");
  EXPECT_TRUE(Has(Ids(list), "kbh_laes")) << list.dump();
  std::tie(status, list) = Get("jc-101", "/v1/Projekter?dato=2025-10-01");
  EXPECT_FALSE(Has(Ids(list), "kbh_laes")) << list.dump();
  std::tie(status, list) = Get("jc-101", "/v1/Projekter?kendt_pr=2025-09-14");
  EXPECT_FALSE(Has(Ids(list), "kbh_laes")) << list.dump();
  EXPECT_EQ(Get("jc-101", "/v1/Projekter?dato=2025-13-01").first, 400);

  // One project and its history; another job centre's project is refused, an unknown one not found.
  auto [one_status, one] = Get("jc-101", "/v1/Projekter/kbh_laes");
  ASSERT_EQ(one_status, 200) << one.dump();
  EXPECT_EQ(one["name"], "Læsehold");
  EXPECT_EQ(one["start"], "2025-09-01");
  EXPECT_EQ(one["end"], "2025-09-30");
  auto [history_status, history] = Get("jc-101", "/v1/Projekter/kbh_laes/historik");
  ASSERT_EQ(history_status, 200) << history.dump();
  ASSERT_EQ(history.size(), 3u) << history.dump();
  EXPECT_TRUE(history[0]["end"].is_null());
  EXPECT_EQ(history[1]["end"], "2025-09-30");
  EXPECT_EQ(history[2]["comment"], "Navnet rettet");
  EXPECT_EQ(Get("jc-147", "/v1/Projekter/kbh_laes").first, 403);
  EXPECT_EQ(Get("jc-147", "/v1/Projekter/kbh_laes/historik").first, 403);
  EXPECT_EQ(Get("agency", "/v1/Projekter/kbh_laes").first, 200);
  EXPECT_EQ(Get("jc-101", "/v1/Projekter/findes_ikke").first, 404);

  // The reads are audit rows too: the list under "projekter", one project under "projekter/<id>".
  auto lists = AuditRows("projekter");
  EXPECT_NE(std::find(lists.begin(), lists.end(), Row{"jc-101", "GET /v1/Projekter", "read"}), lists.end());
  EXPECT_NE(std::find(lists.begin(), lists.end(), Row{"jobnet", "GET /v1/Projekter", "refused"}), lists.end());
  auto reads = AuditRows("projekter/kbh_laes");
  EXPECT_NE(std::find(reads.begin(), reads.end(), Row{"jc-101", "GET /v1/Projekter/{id}", "read"}), reads.end());
  EXPECT_NE(std::find(reads.begin(), reads.end(), Row{"jc-101", "GET /v1/Projekter/{id}/historik", "read"}),
            reads.end());
  EXPECT_NE(std::find(reads.begin(), reads.end(), Row{"jc-147", "GET /v1/Projekter/{id}", "refused"}), reads.end());
  auto unknown = AuditRows("projekter/findes_ikke");
  EXPECT_EQ(unknown, (std::vector<Row>{{"jc-101", "GET /v1/Projekter/{id}", "not_found"}}));
  EXPECT_TRUE(VerifyAudit().ok());
}

}  // namespace
}  // namespace dfdg::api::testing
