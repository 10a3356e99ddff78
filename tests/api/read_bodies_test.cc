// The bodies of the person reads, byte for byte: GET /v1/Borgervisning (on several days), /v1/status and
// /v1/Registreringer for persons with different records (an a-kasse member with counter reports, a member in a
// dagpenge period with the immediate-computation notice, a transferred member with Jobnet's own record, a person
// with no records, one the registry does not know), compared with tests/api/read_bodies.golden. The file holds
// the bodies as the server answered them before the reads were made cheaper (docs/performance.md
// "Citizen-view reads, 2026-12-07"); a change of a body fails here. The catalogue's version (a hash of every
// catalogue file) is the one part left out: each body must carry the same 16-hex-digit version, and the file holds
// it as "<catalog_version>", so an edit elsewhere in the catalogue does not touch this file. DFDG_WRITE_GOLDEN=1
// writes the file anew from this build (then review its diff).
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "api_fixture.h"

namespace dfdg::api::testing {
namespace {

// A suite of its own: a fresh server and store (ApiServerTest::SetUpTestSuite), so the bodies do not depend on
// what other tests wrote before.
class ReadBodiesTest : public ApiServerTest {};

const std::string kGolden = std::string(DFDG_SOURCE_DIR) + "/tests/api/read_bodies.golden";

// `bodies` with every "catalog_version":"<value>" replaced by the placeholder; the values found go to `versions`.
std::string MaskCatalogVersion(const std::string& bodies, std::set<std::string>* versions) {
  static const std::regex kVersion("\"catalog_version\":\"([^\"]*)\"");
  std::string out;
  auto last = bodies.cbegin();
  for (std::sregex_iterator it(bodies.begin(), bodies.end(), kVersion), end; it != end; ++it) {
    versions->insert((*it)[1].str());
    out.append(last, (*it)[0].first).append("\"catalog_version\":\"<catalog_version>\"");
    last = (*it)[0].second;
  }
  return out.append(last, bodies.cend());
}

Json Consumption(const std::string& cpr, const std::string& akasse, int month, const std::string& last_day) {
  char m[3] = {static_cast<char>('0' + month / 10), static_cast<char>('0' + month % 10), 0};
  char next[3] = {static_cast<char>('0' + (month + 1) / 10), static_cast<char>('0' + (month + 1) % 10), 0};
  return {{"command", "create_dagpenge_consumption"},
          {"cpr", cpr},
          {"hours_used", 160 * month},
          {"hours_remaining", 3848 - 160 * month},
          {"consumption_month", std::string("2025-").append(m).append("-").append(last_day)},
          {"computation_date", std::string("2025-").append(next).append("-02")},
          {"akasse_code", akasse}};
}

TEST_F(ReadBodiesTest, PersonReadBodiesAreUnchanged) {
  const std::string member = "0304851234", placed = "0405851234", moved = "0506851234", bare = "0607851234",
                    unknown = "0708851234";
  ASSERT_NO_FATAL_FAILURE(BatchAccepted(
      "jc-101", {{{"command", "set_municipality"}, {"cpr", member}, {"municipality", 101}, {"start", "2025-01-01"}},
                 {{"command", "set_contact_group"}, {"cpr", member}, {"contact_group", 1}, {"start", "2025-01-01"}},
                 {{"command", "set_municipality"}, {"cpr", placed}, {"municipality", 101}, {"start", "2025-09-01"}},
                 {{"command", "set_contact_group"},
                  {"cpr", placed},
                  {"contact_group", 1},
                  {"start", "2025-09-01"},
                  {"end", "2025-09-30"}},
                 {{"command", "set_municipality"}, {"cpr", moved}, {"municipality", 101}, {"start", "2025-02-01"}},
                 {{"command", "set_municipality"}, {"cpr", bare}, {"municipality", 101}, {"start", "2025-03-01"}}}));
  ASSERT_NO_FATAL_FAILURE(BatchAccepted("ak-10", {AkasseIntake(member, "10", "2025-01-01"),
                                                  Consumption(member, "10", 1, "31"),
                                                  Consumption(member, "10", 2, "28"),
                                                  Consumption(member, "10", 3, "31"),
                                                  AkasseIntake(placed, "10", "2025-01-01"),
                                                  {{"command", "create_dagpenge_placement"},
                                                   {"cpr", placed},
                                                   {"placement_date", "2025-09-15"},
                                                   {"placement_hours", 3848},
                                                   {"placement_type", "ordinary"},
                                                   {"update_kind", "new"},
                                                   {"placement_basis", "income"},
                                                   {"computation_date", "2025-09-15"},
                                                   {"akasse_code", "10"},
                                                   {"latest_employer_report", "2025-09-01"},
                                                   {"register_fetched_at", "2025-09-15T02:00"}},
                                                  AkasseIntake(moved, "10", "2025-02-01")}));
  ASSERT_NO_FATAL_FAILURE(BatchAccepted("ak-20", {AkasseIntake(moved, "20", "2025-06-01", "transfer")}));
  auto own = Client("jobnet")->Post("/v1/batch", Headers(moved),
                                    Json{{"command", "create_sms_email_service"},
                                         {"cpr", moved},
                                         {"start", "2025-09-15"},
                                         {"sms", true},
                                         {"email", false}}
                                            .dump() +
                                        "\n",
                                    "application/x-ndjson");
  ASSERT_TRUE(own && own->status == 200) << (own ? own->body : "no answer");
  ASSERT_EQ(Json::parse(own->body)["status"], "accepted") << own->body;

  // Every body, one per line: "<system> <path> <cpr>" then the status and the body.
  std::ostringstream bodies;
  const std::pair<std::string, std::string> reads[] = {
      {"jobnet", "/v1/Borgervisning"},
      {"jobnet", "/v1/Borgervisning?dato=2025-02-15"},
      {"jobnet", "/v1/Borgervisning?dato=2025-10-01"},
      {"jc-101", "/v1/status"},
      {"jc-101", "/v1/status?dato=2025-03-01"},
      {"agency", "/v1/Registreringer"},
  };
  for (const std::string& cpr : {member, placed, moved, bare, unknown}) {
    for (const auto& [system, path] : reads) {
      auto res = Client(system)->Get(path, Headers(cpr));
      ASSERT_TRUE(res) << path;
      bodies << system << " " << path << " " << cpr << "\n" << res->status << " " << res->body << "\n";
    }
  }
  std::set<std::string> versions;
  const std::string masked = MaskCatalogVersion(bodies.str(), &versions);
  ASSERT_EQ(versions.size(), 1u) << "every body names the one catalogue version";
  EXPECT_TRUE(std::regex_match(*versions.begin(), std::regex("[0-9a-f]{16}"))) << *versions.begin();
  if (const char* write = std::getenv("DFDG_WRITE_GOLDEN"); write && std::string(write) == "1") {
    std::ofstream(kGolden) << masked;
    GTEST_SKIP() << "wrote " << kGolden;
  }
  std::ifstream file(kGolden);
  ASSERT_TRUE(file) << kGolden;
  std::stringstream golden;
  golden << file.rdbuf();
  // Line by line, so a failure names the read whose body changed.
  std::istringstream want(golden.str()), got(masked);
  std::string want_line, got_line, read;
  int line = 0;
  while (std::getline(want, want_line)) {
    ++line;
    if (!std::getline(got, got_line)) got_line = "<missing>";
    if (line % 2 == 1) read = want_line;
    EXPECT_EQ(got_line, want_line) << "line " << line << " (" << read << ")";
  }
  EXPECT_FALSE(std::getline(got, got_line)) << "more reads than the golden file holds";
}

}  // namespace
}  // namespace dfdg::api::testing
