// Person-group markings over HTTP (§ 135; docs/decisions/0048): the resource Markering — a marking added, corrected
// (PUT with the berigtigelseskommentar, history kept) and cancelled (DELETE /{id}/{kommentar}); a correction without
// its comment is a form error (400); a system that may not write markings (KSD: the marking area declares no
// ksd actor) or a job centre of another municipality (access rule own_municipality) is refused (403); every call
// is an audit row.
#include <string>
#include <vector>

#include "api_fixture.h"

namespace dfdg::api::testing {
namespace {

// The audit rows of a person as (system, operation, outcome).
std::vector<std::vector<std::string>> AuditOf(const std::string& cpr) {
  std::vector<std::vector<std::string>> out;
  auto opened = store::OpenStore(ApiServerTest::db->location());
  if (!opened.ok()) return out;
  auto rows = (*opened)->ReadAudit(cpr, 0, 10000);
  if (!rows.ok()) return out;
  for (const auto& row : *rows) out.push_back({row.system, row.operation, row.outcome});
  return out;
}

bool HasRow(const std::vector<std::vector<std::string>>& rows, const std::string& system, const std::string& op,
            const std::string& outcome) {
  for (const auto& r : rows) {
    if (r[0] == system && r[1].starts_with(op) && r[2] == outcome) return true;
  }
  return false;
}

TEST_F(ApiServerTest, MarkingCorrectedAndCancelledOverHttp) {
  Json create{{"command", "create_project"}, {"project", "kbh_mark_http"}, {"name", "Hold markering"},
              {"project_kind", "jobcenter"}, {"owner", "101"},           {"start", "2025-09-01"},
              {"end", "2025-09-30"}};
  auto r = Batch("jc-101", {create});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]["status"], "accepted") << r[0].dump();

  auto jc = Client("jc-101");
  auto res = jc->Post("/v1/Markering", Headers(kPersonA, "mark-1"),
                      R"({"marking":"Hold markering","project":"kbh_mark_http","start":"2025-09-02","end":"2025-09-20"})",
                      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  int64_t id = Json::parse(res->body)["stored"][0]["entity_id"];
  std::string path = "/v1/Markering/" + std::to_string(id);

  // A correction without its comment: 400 (form, 1003); one past the closing: 422 (3056); the closing day: 201.
  res = jc->Put(path, Headers(kPersonA, "mark-2"), R"({"end":"2025-09-30"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  res = jc->Put(path, Headers(kPersonA, "mark-3"), R"({"end":"2025-10-01","comment":"Forkert slutdato"})",
                "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  res = jc->Put(path, Headers(kPersonA, "mark-4"), R"({"end":"2025-09-30","comment":"Forkert slutdato"})",
                "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  auto one = jc->Get(path, Headers(kPersonA));
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Json::parse(one->body)["end"], "2025-09-30");

  // Refused: KSD (no marking actor for its channel) and another municipality's job centre.
  res = Client("ksd-101")->Put(path, Headers(kPersonA, "mark-5"), R"({"end":"2025-09-25","comment":"x"})",
                               "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;
  res = Client("jc-147")->Delete(path + "/fejl", Headers(kPersonA, "mark-6"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;

  // The cancellation: gone from the current view, both versions and the deletion in the history.
  res = jc->Delete(path + "/fejlregistrering", Headers(kPersonA, "mark-7"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(jc->Get(path, Headers(kPersonA))->status, 404);
  auto history = jc->Get(path + "/historik", Headers(kPersonA));
  ASSERT_EQ(history->status, 200);
  Json versions = Json::parse(history->body);
  ASSERT_EQ(versions.size(), 3u) << versions.dump();
  EXPECT_EQ(versions[0]["end"], "2025-09-20");
  EXPECT_EQ(versions[1]["end"], "2025-09-30");
  EXPECT_EQ(versions[1]["comment"], "Forkert slutdato");
  EXPECT_EQ(versions[2]["deleted"], true);
  EXPECT_EQ(versions[2]["comment"], "fejlregistrering");
  // Cancelled once: again 422 (3057).
  res = jc->Delete(path + "/igen", Headers(kPersonA, "mark-8"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;

  auto rows = AuditOf(kPersonA);
  EXPECT_TRUE(HasRow(rows, "jc-101", "PUT /v1/Markering", "accepted"));
  EXPECT_TRUE(HasRow(rows, "jc-101", "PUT /v1/Markering", "rejected"));
  EXPECT_TRUE(HasRow(rows, "jc-101", "DELETE /v1/Markering", "accepted"));
  EXPECT_TRUE(HasRow(rows, "ksd-101", "PUT /v1/Markering", "refused"));
  EXPECT_TRUE(HasRow(rows, "jc-147", "DELETE /v1/Markering", "refused"));
}

}  // namespace
}  // namespace dfdg::api::testing
