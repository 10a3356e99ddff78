// The a-kasse's data areas through the service: the responsibility for the contact course (§ 63,
// catalog/records/contact_course_responsibility.yaml) registered as batch lines, with `GET /v1/status` naming who
// runs the contact course on a day; the a-kasse writes and reads only its members' records and the types that
// declare it; Jobnet's view of the immediate computation's link (§§ 85-86).
#include <set>

#include "api_fixture.h"
#include "core/danish_time.h"

namespace dfdg::api::testing {
namespace {

// A dagpenge recipient in København (KG 1, registered from 2025-09-01) and a member of a-kasse 10.
void NewMember(const std::string& cpr) {
  ASSERT_NO_FATAL_FAILURE(ApiServerTest::BatchAccepted(
      "jc-101", {{{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}},
                 {{"command", "set_contact_group"}, {"cpr", cpr}, {"contact_group", 1}, {"start", "2025-09-01"}},
                 {{"command", "set_akasse"}, {"cpr", cpr}, {"akasse", "10"}, {"start", "2025-09-01"}},
                 {{"command", "register_jobseeker"},
                  {"cpr", cpr},
                  {"category", 1},
                  {"start", "2025-09-01"},
                  {"job_titles", {{{"code", "251210"}}}}}}));
  ApiServerTest::BatchAccepted("ak-10", {ApiServerTest::AkasseIntake(cpr, "10", "2025-01-01")});
}

// The person's `contact_course` on `date` as `system` sees it.
Json ContactCourse(const std::string& system, const std::string& cpr, const std::string& date) {
  auto res = ApiServerTest::Client(system)->Get("/v1/status?dato=" + date, ApiServerTest::Headers(cpr));
  EXPECT_TRUE(res);
  if (!res) return Json();
  EXPECT_EQ(res->status, 200) << res->body;
  Json status = Json::parse(res->body);
  EXPECT_TRUE(status.contains("contact_course")) << res->body;
  return status.value("contact_course", Json());
}

std::vector<int> Codes(const Json& result) {
  std::vector<int> codes;
  for (const auto& v : result.value("violations", Json::array())) codes.push_back(v["code"].get<int>());
  return codes;
}

TEST_F(ApiServerTest, ContactCourseResponsibilityFromAkasseToJobCentre) {
  const std::string cpr = "1009851234";
  NewMember(cpr);
  EXPECT_TRUE(ContactCourse("jc-101", cpr, "2025-09-15").is_null()) << "no responsibility record yet";

  // Stk. 3: the a-kasse may register the start itself only with its own basis, not with one of DFDG's (5113).
  Json start = {{"command", "register_contact_course_responsibility"},
                {"cpr", cpr},
                {"start", "2025-09-01"},
                {"start_basis", "below_hours"},
                {"akasse_code", "10"}};
  auto results = Batch("ak-10", {start});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["status"], "rejected") << results[0].dump();
  EXPECT_EQ(Codes(results[0]), std::vector<int>{5113}) << results[0].dump();

  // The job centre only reads the record (§ 63 stk. 7): its own start is not accepted.
  start["start_basis"] = "akasse";
  results = Batch("jc-101", {start});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_NE(results[0]["status"], "accepted") << results[0].dump();

  results = Batch("ak-10", {start});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0]["status"], "accepted") << results[0].dump();
  int64_t id = results[0]["stored"][0]["entity_id"];

  Json course = ContactCourse("jc-101", cpr, "2025-09-15");
  ASSERT_FALSE(course.is_null());
  EXPECT_EQ(course["responsible"], "akasse") << course.dump();
  EXPECT_EQ(course["from"], "2025-09-01") << course.dump();
  EXPECT_EQ(course["akasse_code"], "10") << course.dump();
  EXPECT_EQ(course["start_basis"], "akasse") << course.dump();
  EXPECT_EQ(ContactCourse("ak-10", cpr, "2025-09-15"), course) << "the a-kasse sees what the job centre sees";

  // Stk. 5: the member left the insurance system — the end date is today (2025-09-15), not the day before.
  Json handover = {{"command", "hand_over_contact_course"},
                   {"cpr", cpr},
                   {"contact_course_responsibility_id", id},
                   {"end", "2025-09-14"},
                   {"end_reason", "udmeldt"}};
  results = Batch("ak-10", {handover});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(Codes(results[0]), std::vector<int>{5112}) << results[0].dump();
  handover["end"] = "2025-09-15";
  results = Batch("ak-10", {handover});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0]["status"], "accepted") << results[0].dump();

  // Stk. 7: the a-kasse runs it on the end date, the job centre from the next day.
  EXPECT_EQ(ContactCourse("jc-101", cpr, "2025-09-15")["responsible"], "akasse");
  course = ContactCourse("jc-101", cpr, "2025-09-16");
  EXPECT_EQ(course["responsible"], "jobcenter") << course.dump();
  EXPECT_EQ(course["from"], "2025-09-16") << course.dump();
  EXPECT_EQ(course["end_reason"], "udmeldt") << course.dump();
  // As the registry knew it at the end of 2025-09-14, before either record was registered: nobody.
  auto res = Client("jc-101")->Get("/v1/status?dato=2025-09-16&kendt_pr=2025-09-14", Headers(cpr));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(Json::parse(res->body)["contact_course"].is_null()) << res->body;
}

// The a-kasse writes declared record types only for its members; a new member's intake (a transfer from another
// a-kasse, § 61 stk. 1) is the one write it may send for a member of another a-kasse.
TEST_F(ApiServerTest, AkasseRecordsOnlyForItsMembersExceptTheTransferIntake) {
  const std::string cpr = "1109851234";
  auto results =
      Batch("jc-101", {{{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}},
                       {{"command", "set_akasse"}, {"cpr", cpr}, {"akasse", "11"}, {"start", "2025-09-01"}}});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
  Json course = {{"command", "register_contact_course_responsibility"},
                 {"cpr", cpr},
                 {"start", "2025-09-01"},
                 {"start_basis", "akasse"},
                 {"akasse_code", "10"}};
  results = Batch("ak-10", {course});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["status"], "refused") << "not a member of a-kasse 10: " << results[0].dump();
  EXPECT_EQ(Client("ak-10")->Get("/v1/status", Headers(cpr))->status, 403);

  ASSERT_NO_FATAL_FAILURE(BatchAccepted("ak-10", {AkasseIntake(cpr, "10", "2025-09-10", "transfer")}));
  // Now a member of a-kasse 10 (the latest begun membership): its records and the person's status are its own.
  results = Batch("ak-10", {course});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["status"], "accepted") << results[0].dump();
  EXPECT_EQ(Client("ak-10")->Get("/v1/status", Headers(cpr))->status, 200);
}

// GET /v1/Registreringer lists only the types whose `actors` let the system's channel read them: the job centre
// does not see the a-kasse's report of lost dagpenge (catalog/records/dagpenge_loss.yaml), the a-kasse does.
TEST_F(ApiServerTest, RecordsAreReadOnlyWhereTheTypeDeclaresTheReader) {
  const std::string cpr = "1209851234";
  NewMember(cpr);
  auto results = Batch("ak-10", {{{"command", "register_dagpenge_loss"}, {"cpr", cpr}, {"reason", "uagtsomhed_dk"}}});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0]["status"], "accepted") << results[0].dump();
  auto types = [&](const std::string& system) {
    std::multiset<std::string> out;
    auto res = Client(system)->Get("/v1/Registreringer", Headers(cpr));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    if (!res || res->status != 200) return out;
    Json listed = Json::parse(res->body);
    for (const auto& e : listed["entities"]) out.insert(e["record_type"].get<std::string>());
    return out;
  };
  EXPECT_EQ(types("ak-10"), (std::multiset<std::string>{"akasse_membership", "dagpenge_loss"}));
  EXPECT_EQ(types("jc-101"), (std::multiset<std::string>{"akasse_membership"}));
  EXPECT_EQ(types("agency"), (std::multiset<std::string>{"akasse_membership", "dagpenge_loss"}));
  EXPECT_EQ(Client("jc-101")->Get("/v1/Registreringer?type=dagpenge_loss", Headers(cpr))->status, 403);
  EXPECT_EQ(Client("ak-10")->Get("/v1/Registreringer?type=dagpenge_loss", Headers(cpr))->status, 200);
  // Not the a-kasse's member: refused like every read of another a-kasse's person.
  EXPECT_EQ(Client("ak-10")->Get("/v1/Registreringer", Headers(kPersonB))->status, 403);
}

// §§ 85-86: Jobnet shows a member placed in a dagpenge period who does not currently consume it (not in KG 1) the
// deep link of the a-kasse's page for an immediate computation of the counters (the a-kasse's configured link).
TEST_F(ApiServerTest, JobnetShowsTheAkasseLinkForAnImmediateComputation) {
  const std::string cpr = "1309851234";
  auto results =
      Batch("jc-101", {{{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}},
                       {{"command", "set_contact_group"},
                        {"cpr", cpr},
                        {"contact_group", 1},
                        {"start", "2025-09-01"},
                        {"end", "2025-09-30"}}});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
  results = Batch("ak-10", {AkasseIntake(cpr, "10", "2025-01-01"),
                            {{"command", "create_dagpenge_placement"},
                             {"cpr", cpr},
                             {"placement_date", "2025-09-15"},
                             {"placement_hours", 3848},
                             {"placement_type", "ordinary"},
                             {"update_kind", "new"},
                             {"placement_basis", "income"},
                             {"computation_date", "2025-09-15"},
                             {"akasse_code", "10"},
                             {"latest_employer_report", "2025-09-01"},
                             {"register_fetched_at", "2025-09-15T02:00"}}});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
  auto notices = [&](const std::string& date) {
    auto res = Client("jobnet")->Get("/v1/Borgervisning?dato=" + date, Headers(cpr));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res && res->status == 200 ? Json::parse(res->body)["notices"] : Json();
  };
  EXPECT_EQ(notices("2025-09-30"), Json::array()) << "a dagpenge recipient (KG 1) consumes the right";
  Json shown = notices("2025-10-01");
  ASSERT_EQ(shown.size(), 1u) << shown.dump();
  EXPECT_EQ(shown[0]["notice"], "straksopgoerelse");
  EXPECT_EQ(shown[0]["akasse_code"], "10");
  EXPECT_EQ(shown[0]["link"], "https://a-kasse-10.example/straksopgoerelse");
}

// Jobnet carries the citizen's own record types as batch lines (the SMS/e-mail service, decision 0030), for the
// citizen of the header only; without that header the batch is refused as a whole.
TEST_F(ApiServerTest, JobnetWritesTheCitizensOwnRecordsOnly) {
  const std::string cpr = "1409851234";
  auto results = Batch(
      "jc-101", {{{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}}});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0]["status"], "accepted") << results[0].dump();
  Json service = {
      {"command", "create_sms_email_service"}, {"cpr", cpr}, {"start", "2025-09-15"}, {"sms", true}, {"email", false}};
  auto post = [&](const std::string& header_cpr, const Json& line) {
    return Client("jobnet")->Post("/v1/batch", Headers(header_cpr), line.dump() + "\n", "application/x-ndjson");
  };
  auto res = post(kPersonB, service);  // the header names another citizen
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Json::parse(res->body)["status"], "refused") << res->body;
  res = Client("jobnet")->Post("/v1/batch", httplib::Headers{}, service.dump() + "\n", "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  res = post(cpr, service);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Json::parse(res->body)["status"], "accepted") << res->body;
  // A built-in area stays refused on this connection (the citizen's absences come through the job centre).
  res = post(cpr, {{"command", "register_absence"}, {"cpr", cpr}, {"reason", 10}, {"start", "2025-09-15"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(Json::parse(res->body)["status"], "refused") << res->body;
}


// § 89 stk. 4 over HTTP: GET /v1/status for today shows the a-kasse's summons until 2 hours after its planned
// time (Danish time: 10:00 in September is 08:00 UTC, shown through 10:00 UTC); one minute later it is gone. The
// job centre's summons and a view for a given ?dato= go by the day.
TEST_F(ApiServerTest, AkasseSummonsShownUntilTwoHoursAfterItsTime) {
  const std::string cpr = "1509851234";
  NewMember(cpr);
  // POST /v1/Indkaldelse: the summons resource (an a-kasse writes built-in areas through their resources).
  auto summons = [&](const std::string& system, const std::string& time) {
    Json body = {{"date", "2025-09-15"}, {"start_time", time},    {"end_time", "13:30"},
                 {"form", "telefonisk"}, {"phone", "70101010"}, {"type", "jobsamtale"}};
    auto res = Client(system)->Post("/v1/Indkaldelse", Headers(cpr), body.dump(), "application/json");
    EXPECT_TRUE(res);
    if (!res) return int64_t{0};
    EXPECT_EQ(res->status, 201) << res->body;
    Json accepted = Json::parse(res->body);
    return accepted.value("stored", Json::array()).empty() ? int64_t{0}
                                                            : accepted["stored"][0]["entity_id"].get<int64_t>();
  };
  const int64_t akasse = summons("ak-10", "10:00");
  const int64_t jobcentre = summons("jc-101", "10:00");
  ASSERT_NE(akasse, 0);
  ASSERT_NE(jobcentre, 0);
  auto* fixed = dynamic_cast<FixedClock*>(clock.get());
  ASSERT_NE(fixed, nullptr);
  auto shown = [&](const std::string& query) {
    auto res = Client("jc-101")->Get("/v1/status" + query, Headers(cpr));
    std::set<int64_t> ids;
    EXPECT_TRUE(res);
    if (!res) return ids;
    EXPECT_EQ(res->status, 200) << res->body;
    const Json status = Json::parse(res->body);
    for (const auto& m : status["upcoming_meetings"]) ids.insert(m["entity_id"].get<int64_t>());
    return ids;
  };
  auto at = [&](const char* text) {
    auto instant = ParseInstant(text);
    ASSERT_TRUE(instant.ok()) << text;
    fixed->SetNow(*instant);
  };
  at("2025-09-15T10:00:00Z");  // 12:00 Danish summer time: the planned 10:00 + 2 hours
  EXPECT_EQ(shown(""), (std::set<int64_t>{akasse, jobcentre}));
  at("2025-09-15T12:00");  // the same moment, written in Danish time
  EXPECT_EQ(shown(""), (std::set<int64_t>{akasse, jobcentre}));
  at("2025-09-15T10:01:00Z");  // one minute later
  EXPECT_EQ(shown(""), (std::set<int64_t>{jobcentre}));
  EXPECT_EQ(shown("?dato=2025-09-15"), (std::set<int64_t>{akasse, jobcentre})) << "a given day is a view by the day";
  fixed->Set(*ParseDate("2025-09-15"));  // the fixture's clock again: no moment, by the day
  EXPECT_EQ(shown(""), (std::set<int64_t>{akasse, jobcentre}));
}

}  // namespace
}  // namespace dfdg::api::testing
