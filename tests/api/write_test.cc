// Writes through the API: results and violations exactly as `dfdg apply`, x-requestId idempotency from 8
// connections, one person's conflicting requests at the same moment, bad input, history, audit, OpenAPI.
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "api/routes.h"
#include "api_fixture.h"
#include "audit/chain.h"

namespace dfdg::api::testing {
namespace {

// A fresh person in København, KG 2, job-ready (set up by jc-101).
void NewPerson(const std::string& cpr) {
  auto results = ApiServerTest::Batch(
      "jc-101", {{{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}},
                 {{"command", "set_contact_group"}, {"cpr", cpr}, {"contact_group", 2}, {"start", "2025-09-01"}},
                 {{"command", "set_visitation"}, {"cpr", cpr}, {"category", "jobparat"}},
                 {{"command", "register_jobseeker"},
                  {"cpr", cpr},
                  {"category", 1},
                  {"start", "2025-09-01"},
                  {"job_titles", {{{"code", "251210"}}}}}});
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
}

size_t Absences(const std::string& cpr) {
  auto res = ApiServerTest::Client("jc-101")->Get("/v1/Fravaer", ApiServerTest::Headers(cpr));
  EXPECT_TRUE(res && res->status == 200);
  return res ? Json::parse(res->body).size() : 0;
}

TEST_F(ApiServerTest, AbsenceLifecycleWithHistory) {
  const std::string cpr = "0303801111";
  NewPerson(cpr);
  auto jc = Client("jc-101");
  auto res = jc->Post("/v1/Fravaer", Headers(cpr, "life-1"), R"({"reason":8,"start":"2025-09-15","end":"2026-01-31"})",
                      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  Json accepted = Json::parse(res->body);
  EXPECT_EQ(accepted["cpr"], "030380-****");
  int64_t id = accepted["stored"][0]["entity_id"];
  std::string path = "/v1/Fravaer/" + std::to_string(id);
  ASSERT_EQ(jc->Put(path, Headers(cpr, "life-2"), R"({"end":"2025-12-31"})", "application/json")->status, 201);
  auto one = jc->Get(path, Headers(cpr));
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Json::parse(one->body)["end"], "2025-12-31");
  ASSERT_EQ(jc->Delete(path + "/fejlregistrering", Headers(cpr, "life-3"))->status, 201);
  EXPECT_EQ(jc->Get(path, Headers(cpr))->status, 404);
  auto history = jc->Get(path + "/historik", Headers(cpr));
  ASSERT_EQ(history->status, 200);
  Json versions = Json::parse(history->body);
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[2]["deleted"], true);
  EXPECT_EQ(versions[2]["comment"], "fejlregistrering");
  auto status = jc->Get("/v1/status?dato=2025-10-01&kendt_pr=2025-09-15", Headers(cpr));
  ASSERT_EQ(status->status, 200);
  EXPECT_EQ(Json::parse(status->body)["date"], "2025-10-01");
}

TEST_F(ApiServerTest, ViolationsAreExactlyThoseOfApply) {
  const std::string cpr = "0404801111";
  NewPerson(cpr);
  const std::string fields = R"({"reason":8,"start":"2025-01-01","end":"2026-01-31"})";
  auto res = Client("jc-101")->Post("/v1/Fravaer", Headers(cpr), fields, "application/json");
  ASSERT_EQ(res->status, 422);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
  Json problem = Json::parse(res->body);
  // The same command through the batch path (as `dfdg apply` reads it) gives the same violations.
  Json command = Json::parse(fields);
  command["command"] = "register_absence";
  command["cpr"] = cpr;
  auto batch = Batch("jc-101", {command});
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(problem["violations"], batch[0]["violations"]);
  std::set<int> codes;
  for (const auto& v : problem["violations"]) {
    codes.insert(v["code"].get<int>());
    EXPECT_TRUE(v.contains("source") && v.contains("message_da") && v.contains("message_en")) << v.dump();
  }
  EXPECT_TRUE(codes.count(2006)) << res->body;  // backdated more than 8 weeks
}

TEST_F(ApiServerTest, SameRequestIdFromEightConnectionsStoresOnce) {
  const std::string cpr = "0505801111";
  NewPerson(cpr);
  std::atomic<int> created{0}, repeated{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto res = Client("jc-101")->Post("/v1/Fravaer", Headers(cpr, "same-request-1"),
                                        R"({"reason":8,"start":"2025-09-15","end":"2026-01-31"})", "application/json");
      (res && res->status == 201 ? created : res && res->status == 412 ? repeated : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(repeated, 7);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(Absences(cpr), 1u);
}

TEST_F(ApiServerTest, ConflictingRequestsForOnePersonOnlyOnePasses) {
  const std::string cpr = "0606801111";
  NewPerson(cpr);
  // Barsel (8) and Sorgorlov (79) must not overlap (catalog/absences/008-barsel.yaml).
  std::atomic<int> created{0}, rejected{0};
  std::vector<std::thread> threads;
  const char* bodies[] = {R"({"reason":8,"start":"2025-09-15","end":"2026-01-31"})",
                          R"({"reason":79,"start":"2025-09-20","end":"2025-10-31"})"};
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      auto res = Client("jc-101")->Post("/v1/Fravaer", Headers(cpr, "conflict-" + std::to_string(i)), bodies[i],
                                        "application/json");
      (res && res->status == 201 ? created : res && res->status == 422 ? rejected : rejected)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(Absences(cpr), 1u);
}

TEST_F(ApiServerTest, BadInputGetsAProblemAndStoresNothing) {
  const std::string cpr = "0707801111";
  NewPerson(cpr);
  auto jc = Client("jc-101");
  struct Case {
    std::string body;
    int status;
  };
  std::vector<Case> cases = {
      {"{not json", 400},
      {R"({"reason":"otte","start":"2025-09-01"})", 400},
      {R"({"reason":8,"start":"2025-09-01","colour":"blue"})", 400},
      {"{\"reason\":8,\"start\":\"2025-09-01\",\"comment\":\"\xff\xfe\"}", 400},
      {R"({"reason":8,"start":"2025-13-01"})", 400},
      {R"({"reason":8,"start":"2025-09-01","cpr":"0101901234"})", 400},
      {"[1,2,3]", 400},
  };
  for (const auto& c : cases) {
    auto res = jc->Post("/v1/Fravaer", Headers(cpr), c.body, "application/json");
    ASSERT_TRUE(res) << c.body;
    EXPECT_EQ(res->status, c.status) << c.body << "\n" << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json") << c.body;
  }
  // A malformed CPR in the header, and a CPR in the URL.
  auto bad_cpr =
      jc->Post("/v1/Fravaer", Headers("3213991234"), R"({"reason":8,"start":"2025-09-01"})", "application/json");
  EXPECT_EQ(bad_cpr->status, 400);
  EXPECT_EQ(Json::parse(bad_cpr->body)["violations"][0]["code"], 1004);
  EXPECT_EQ(jc->Get("/v1/Fravaer/" + cpr, Headers(cpr))->status, 400);
  EXPECT_EQ(jc->Get("/v1/status?cpr=070780-1111", Headers(cpr))->status, 400);
  EXPECT_EQ(jc->Get("/v1/status?dato=2025-02-30", Headers(cpr))->status, 400);
  // A 50 MB body: refused (413) before it is read, or the connection is cut; nothing stored either way.
  std::string huge(50u << 20, ' ');
  huge[0] = '{';
  auto big = Client("jc-101")->Post("/v1/Fravaer", Headers(cpr), huge, "application/json");
  if (big) {
    EXPECT_EQ(big->status, 413);
  }
  EXPECT_EQ(Absences(cpr), 0u);
}

TEST_F(ApiServerTest, OpenApiDocumentListsExactlyTheServedRoutes) {
  std::ifstream file(std::string(DFDG_SOURCE_DIR) + "/docs/openapi.json");
  Json doc = Json::parse(file);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::string upper = method;
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(ch));
      documented.insert(upper + " " + path);
    }
  }
  for (const Route& r : ApiRoutes()) served.insert(r.method + " " + r.path);
  for (const auto& r : served) EXPECT_TRUE(documented.count(r)) << "served but not in openapi.json: " << r;
  for (const auto& r : documented) EXPECT_TRUE(served.count(r)) << "in openapi.json but not served: " << r;
  // And every served route answers (not the router's 404) on the live server.
  auto agency = Client("agency");
  for (const Route& r : ApiRoutes()) {
    if (r.method != "GET") continue;
    std::string path = r.path;
    for (auto [from, to] : {std::pair{"{id}", "1"}, std::pair{"{kommentar}", "x"}}) {
      if (auto p = path.find(from); p != std::string::npos) path.replace(p, std::string(from).size(), to);
    }
    auto res = agency->Get(path, Headers(kPersonA));
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status != 404 || res->body.find("urn:dfdg:problem:not_found") != std::string::npos) << path;
  }
  auto served_doc = agency->Get("/openapi.json");
  EXPECT_EQ(Json::parse(served_doc->body), doc);
}

TEST_F(ApiServerTest, AuditRecordsReadsAndWritesAsAVerifiableChain) {
  ASSERT_EQ(Client("agency")->Get("/v1/status", Headers(kPersonB))->status, 200);
  ASSERT_EQ(Client("jc-101")->Get("/v1/status", Headers(kPersonB))->status, 403);
  auto reader = store::OpenStore(db->location());
  ASSERT_TRUE(reader.ok());
  auto rows = (*reader)->ReadAudit(kPersonB, 0, 100000);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  bool agency_read = false, refused = false, accepted = false;
  for (const auto& e : *rows) {
    EXPECT_EQ(e.cpr, kPersonB);
    agency_read |= e.system == "agency" && e.outcome == "read";
    refused |= e.system == "jc-101" && e.outcome == "refused";
    accepted |= e.system == "jc-147" && e.outcome == "accepted";
  }
  EXPECT_TRUE(agency_read);
  EXPECT_TRUE(refused);
  EXPECT_TRUE(accepted);  // the writes' rows, written in the transaction of the writes
  auto verified = VerifyAudit();
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_GT(*verified, 5);
  // In the store itself: one row changed, one removed, two rows swapped (with their hashes) each fail; each is
  // undone after the check, and the chain verifies again.
  auto sql = [&](const std::string& statements) {
    if (Backend() == "postgresql") return db->Sql(statements);
    sqlite3* raw = nullptr;
    std::string out;
    if (sqlite3_open(db->location().c_str(), &raw) != SQLITE_OK) out = "ERROR: open";
    sqlite3_busy_timeout(raw, 5000);
    char* error = nullptr;
    if (out.empty() && sqlite3_exec(raw, statements.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      out = std::string("ERROR: ") + (error ? error : "");
    }
    sqlite3_free(error);
    sqlite3_close(raw);
    return out;
  };
  const char* swap =
      "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3;"
      " UPDATE audit SET seq = 3 WHERE seq = -1";
  const std::pair<std::string, std::string> tampers[] = {
      {"UPDATE audit SET system = system || 'x' WHERE seq = 2",
       "UPDATE audit SET system = substr(system, 1, length(system) - 1) WHERE seq = 2"},
      {"CREATE TABLE audit_saved AS SELECT * FROM audit WHERE seq = 3; DELETE FROM audit WHERE seq = 3",
       "INSERT INTO audit SELECT * FROM audit_saved; DROP TABLE audit_saved"},
      {swap, swap}};
  for (const auto& [tamper, undo] : tampers) {
    ASSERT_EQ(sql(tamper), "") << tamper;
    auto tampered = VerifyAudit();
    EXPECT_FALSE(tampered.ok()) << tamper;
    if (!tampered.ok()) {
      EXPECT_EQ(tampered.status().code(), Status::Code::kCorruption) << tamper;
    }
    ASSERT_EQ(sql(undo), "") << undo;
    auto restored = VerifyAudit();
    EXPECT_TRUE(restored.ok()) << undo;
  }
}

}  // namespace
}  // namespace dfdg::api::testing
