// The actor × endpoint × relation matrix (tests/api/access_matrix.csv) against a running server, plus
// suspension (§ 8), untrusted and missing client certificates.
#include <fstream>
#include <sstream>

#include "api_fixture.h"

namespace dfdg::api::testing {
namespace {

std::string PersonCpr(const std::string& key) { return key == "A" ? kPersonA : key == "B" ? kPersonB : kPersonUnknown; }

httplib::Result Send(httplib::SSLClient& client, const std::string& method, const std::string& path,
                     const httplib::Headers& headers, const std::string& body) {
  if (method == "GET") return client.Get(path, headers);
  if (method == "POST") return client.Post(path, headers, body, "application/json");
  if (method == "PUT") return client.Put(path, headers, body, "application/json");
  return client.Delete(path, headers);
}

TEST_F(ApiServerTest, AccessMatrixFromData) {
  std::ifstream file(std::string(DFDG_SOURCE_DIR) + "/tests/api/access_matrix.csv");
  ASSERT_TRUE(file);
  std::string line;
  int rows = 0;
  std::string refusal_body;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("system,", 0) == 0) continue;
    // The body is the only field that may hold commas: it runs from the 5th comma to the last.
    std::vector<std::string> f;
    size_t pos = 0;
    for (int i = 0; i < 4; ++i) {
      size_t comma = line.find(',', pos);
      f.push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
    size_t last = line.rfind(',');
    f.push_back(line.substr(pos, last - pos));
    f.push_back(line.substr(last + 1));
    // An other actor's call may name its municipality and CVR (§ 6 stk. 3–4): system|municipality|cvr.
    std::string system = f[0].substr(0, f[0].find('|'));
    httplib::Headers headers = Headers(PersonCpr(f[3]));
    if (system.size() < f[0].size()) {
      std::string rest = f[0].substr(system.size() + 1);
      headers.emplace("x-municipalityCode", rest.substr(0, rest.find('|')));
      if (rest.find('|') != std::string::npos) headers.emplace("x-cvrNumber", rest.substr(rest.find('|') + 1));
    }
    auto client = Client(system);
    auto res = Send(*client, f[1], f[2], headers, f[4]);
    ASSERT_TRUE(res) << line;
    EXPECT_EQ(res->status, std::stoi(f[5])) << line << "\n" << res->body;
    if (res->status == 403 && f[2] != "/v1/admin/systems/jc-147/suspend") {
      EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
      if (refusal_body.empty()) refusal_body = res->body;
      EXPECT_EQ(res->body, refusal_body) << "a refusal must not depend on the person: " << line;
    }
    ++rows;
  }
  EXPECT_GE(rows, 30);
  // The other actor's accepted write for B as Frederiksberg is audited with that municipality as the data
  // controller, its refused one (as København) with København.
  auto opened = store::OpenStore(db->location());
  ASSERT_TRUE(opened.ok());
  auto audit = (*opened)->ReadAudit(kPersonB, 0, 1000);
  ASSERT_TRUE(audit.ok());
  int multi = 0;
  for (const auto& row : *audit) {
    if (row.system != "aa-multi" || row.operation != "POST /v1/Visitation") continue;
    ++multi;
    EXPECT_EQ(row.controller, row.outcome == "accepted" ? "Frederiksberg Kommune" : "Københavns Kommune");
  }
  EXPECT_EQ(multi, 2);
}

TEST_F(ApiServerTest, AdminSuspendsAndReinstatesWithoutRestart) {
  auto jc = Client("jc-147");
  ASSERT_EQ(jc->Get("/v1/status", Headers(kPersonB))->status, 200);
  auto admin = Client("admin");
  auto res = admin->Post("/v1/admin/systems/jc-147/suspend", "", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto refused = Client("jc-147")->Get("/v1/status", Headers(kPersonB));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_NE(refused->body.find("suspended"), std::string::npos);
  ASSERT_EQ(admin->Post("/v1/admin/systems/jc-147/reinstate", "", "application/json")->status, 200);
  EXPECT_EQ(Client("jc-147")->Get("/v1/status", Headers(kPersonB))->status, 200);
}

TEST_F(ApiServerTest, UntrustedCertificateIsRefusedAtTheHandshakeAndMissingOneByTheRoute) {
  auto rogue = Client("rogue");
  auto res = rogue->Get("/v1/status", Headers(kPersonA));
  EXPECT_FALSE(res && res->status == 200);
  // No certificate: the handshake succeeds (public statistics need none), the personal-data route answers 401.
  auto none = Client("");
  auto res2 = none->Get("/v1/status", Headers(kPersonA));
  ASSERT_TRUE(res2);
  EXPECT_EQ(res2->status, 401);
  EXPECT_NE(res2->body.find("urn:dfdg:problem:unauthenticated"), std::string::npos);
  EXPECT_EQ(Client("")->Post("/v1/batch", "", "application/x-ndjson")->status, 401);
  // Health needs no system and no rule.
  EXPECT_EQ(Client("agency")->Get("/healthz")->status, 200);
}

}  // namespace
}  // namespace dfdg::api::testing
