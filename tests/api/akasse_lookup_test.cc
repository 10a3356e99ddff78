// § 61 stk. 5 and § 61 stk. 6 through the service: an a-kasse's lookup of a prospective member's current
// membership with a purpose (GET /v1/Opslag, catalog/records/akasse_membership.yaml `lookup`), refused without a
// purpose or with one the catalogue does not list, and written to the audit with its purpose; and what Borger.dk
// shows of the membership (GET /v1/Borgervisning `borger_dk`).
#include "api_fixture.h"

namespace dfdg::api::testing {
namespace {

// A member of a-kasse 10 since 2025-01-01 (full-time, branch 1), dagpenge right from 2025-02-01, in København.
void MemberOfAkasse10(const std::string& cpr) {
  ASSERT_NO_FATAL_FAILURE(ApiServerTest::BatchAccepted(
      "jc-101", {{{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}}}));
  Json intake = ApiServerTest::AkasseIntake(cpr, "10", "2025-01-01");
  intake["dagpenge_right_date"] = "2025-02-01";
  ApiServerTest::BatchAccepted("ak-10", {intake});
}

TEST_F(ApiServerTest, AkasseLooksUpAProspectiveMembersMembershipWithItsPurposeAudited) {
  const std::string cpr = "1609851234";
  MemberOfAkasse10(cpr);
  auto lookup = [&](const std::string& system, const std::string& query, const std::string& person) {
    return Client(system)->Get("/v1/Opslag" + query, Headers(person, "opslag-1"));
  };
  // A-kasse 20 is not the person's a-kasse: the lookup needs no relation, but it needs a purpose of the list.
  auto res = lookup("ak-20", "?type=akasse_membership&dato=2025-09-15", cpr);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(res->body.find("missing_purpose"), std::string::npos) << res->body;
  res = lookup("ak-20", "?type=akasse_membership&begrundelse=99&dato=2025-09-15", cpr);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(res->body.find("invalid_purpose"), std::string::npos) << res->body;
  // Only an a-kasse looks up (the type's `lookup.channels`): the job centre is refused even for its own citizen.
  res = lookup("jc-101", "?type=akasse_membership&begrundelse=02&dato=2025-09-15", cpr);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;

  res = lookup("ak-20", "?type=akasse_membership&begrundelse=02&dato=2025-09-15", cpr);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  Json answer = Json::parse(res->body);
  EXPECT_EQ(answer["found"], true) << res->body;
  EXPECT_EQ(answer["purpose"]["code"], "02");
  EXPECT_EQ(answer["purpose"]["name_da"], "Ansøgning om overflytning fra en anden arbejdsløshedskasse");
  ASSERT_EQ(answer["records"].size(), 1u) << res->body;
  // The current membership as stk. 6 shows it on Jobnet: not the branch, not the date of dagpenge right.
  EXPECT_EQ(answer["records"][0]["fields"],
            (Json{{"start", "2025-01-01"}, {"insurance_category", "fuldtid"}, {"akasse_code", "10"}}))
      << res->body;
  // Before the intake the person was no member: nothing found.
  res = lookup("ak-20", "?type=akasse_membership&begrundelse=01&dato=2024-12-31", cpr);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Json::parse(res->body)["found"], false) << res->body;
  EXPECT_EQ(Json::parse(res->body)["records"], Json::array()) << res->body;

  // After a transfer to a-kasse 20 the current membership is a-kasse 20's only (the former one has no end date:
  // the latest begun is the current one), as a-kasse 10 sees when it looks the person up.
  ASSERT_NO_FATAL_FAILURE(BatchAccepted("ak-20", {AkasseIntake(cpr, "20", "2025-09-10", "transfer", "deltid", "2")}));
  res = lookup("ak-10", "?type=akasse_membership&begrundelse=02&dato=2025-09-15", cpr);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  answer = Json::parse(res->body);
  ASSERT_EQ(answer["records"].size(), 1u) << res->body;
  EXPECT_EQ(answer["records"][0]["fields"]["akasse_code"], "20") << res->body;

  // The audit: who (a-kasse 20), when, whom and why (the purpose in the operation); the refused job centre too.
  auto opened = store::OpenStore(db->location());
  ASSERT_TRUE(opened.ok());
  auto audit = (*opened)->ReadAudit(cpr, 0, 1000);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> lookups;
  for (const auto& row : *audit) {
    if (row.operation.rfind("GET /v1/Opslag", 0) != 0) continue;
    lookups.push_back(row.system + " " + row.operation + " " + row.outcome);
    EXPECT_FALSE(row.at.empty());
    EXPECT_EQ(row.request_id, "opslag-1");
    if (row.system == "ak-20") {
      EXPECT_EQ(row.controller, "A-kasse 20");
    }
  }
  EXPECT_EQ(lookups, (std::vector<std::string>{
                         "jc-101 GET /v1/Opslag?type=akasse_membership&begrundelse=02 refused",
                         "ak-20 GET /v1/Opslag?type=akasse_membership&begrundelse=02 read",
                         "ak-20 GET /v1/Opslag?type=akasse_membership&begrundelse=01 read",
                         "ak-10 GET /v1/Opslag?type=akasse_membership&begrundelse=02 read",
                     }));
  ASSERT_TRUE(VerifyAudit().ok());
}

// § 61 stk. 6: Jobnet shows the current membership; Borger.dk the current membership and the date of dagpenge
// right.
TEST_F(ApiServerTest, BorgerDkShowsTheMembershipAndTheDateOfDagpengeRight) {
  const std::string cpr = "1709851234";
  MemberOfAkasse10(cpr);
  auto res = Client("jobnet")->Get("/v1/Borgervisning?dato=2025-09-15", Headers(cpr));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  Json view = Json::parse(res->body);
  ASSERT_EQ(view["records"]["akasse_membership"].size(), 1u) << res->body;
  EXPECT_FALSE(view["records"]["akasse_membership"][0]["fields"].contains("dagpenge_right_date")) << res->body;
  ASSERT_EQ(view["borger_dk"]["akasse_membership"].size(), 1u) << res->body;
  EXPECT_EQ(view["borger_dk"]["akasse_membership"][0]["fields"],
            (Json{{"start", "2025-01-01"},
                  {"insurance_category", "fuldtid"},
                  {"akasse_code", "10"},
                  {"dagpenge_right_date", "2025-02-01"}}))
      << res->body;
}

}  // namespace
}  // namespace dfdg::api::testing
