#include "api_fixture.h"

#include <cstdlib>
#include <sstream>

namespace dfdg::api::testing {
namespace {

const char* kSystems[] = {"jc-101", "jc-147", "ak-10",  "ak-20",    "jobnet",  "ksd-101",
                          "agency", "admin",  "aa-101", "aa-nocvr", "aa-multi"};

void Sh(const std::string& command) {
  int rc = std::system((command + " >/dev/null 2>&1").c_str());
  ASSERT_EQ(rc, 0) << command;
}

void MakeCert(const fs::path& d, const std::string& ca, const std::string& name, bool server) {
  std::string base = (d / name).string();
  Sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + base + ".key -out " + base +
     ".csr -subj /CN=" + name);
  std::ofstream(base + ".ext") << (server ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                          : "extendedKeyUsage=clientAuth\n");
  Sh("openssl x509 -req -in " + base + ".csr -CA " + (d / ca).string() + ".pem -CAkey " + (d / ca).string() +
     ".key -CAcreateserial -days 2 -out " + base + ".pem -extfile " + base + ".ext");
}

}  // namespace

void ApiServerTest::SetUpTestSuite() {
  dir = fs::temp_directory_path() / ("dfdg-api-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (std::string ca : {"ca", "rogue-ca"}) {
    Sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=" + ca +
       " -keyout " + (dir / ca).string() + ".key -out " + (dir / ca).string() + ".pem");
  }
  MakeCert(dir, "ca", "server", true);
  for (const char* s : kSystems) MakeCert(dir, "ca", s, false);
  // An untrusted certificate that claims to be a known job centre.
  Sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + (dir / "rogue").string() +
     ".key -out " + (dir / "rogue").string() + ".csr -subj /CN=jc-101");
  Sh("openssl x509 -req -in " + (dir / "rogue").string() + ".csr -CA " + (dir / "rogue-ca").string() + ".pem -CAkey " +
     (dir / "rogue-ca").string() + ".key -CAcreateserial -days 2 -out " + (dir / "rogue").string() + ".pem");
  std::ofstream(dir / "serve.yaml") << R"(listen: {host: 127.0.0.1, port: 0}
tls: {cert: server.pem, key: server.key, client_ca: ca.pem}
limits: {max_body_bytes: 1048576, threads: 24, request_timeout_seconds: 10, validation_threads: 4}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
  - {id: jc-147, kind: jobcenter, certificate_cn: jc-147, controller: "Frederiksberg Kommune", municipality: 147}
  - {id: ak-10, kind: akasse, certificate_cn: ak-10, controller: "A-kasse 10", akasse: "10",
     immediate_computation_link: "https://a-kasse-10.example/straksopgoerelse"}
  - {id: ak-20, kind: akasse, certificate_cn: ak-20, controller: "A-kasse 20", akasse: "20"}
  - {id: jobnet, kind: jobnet, certificate_cn: jobnet, controller: "STAR"}
  - {id: ksd-101, kind: ksd, certificate_cn: ksd-101, controller: "Københavns Kommune", municipality: 101}
  - {id: agency, kind: agency, certificate_cn: agency, controller: "STAR"}
  - {id: admin, kind: admin, certificate_cn: admin, controller: "STAR"}
  - {id: aa-101, kind: other_actor, certificate_cn: aa-101, controller: "Københavns Kommune", municipality: 101, cvr: "12345678"}
  - {id: aa-nocvr, kind: other_actor, certificate_cn: aa-nocvr, controller: "Københavns Kommune", municipality: 101}
  - {id: aa-multi, kind: other_actor, certificate_cn: aa-multi, cvr: "87654321",
     municipalities: {101: "Københavns Kommune", 147: "Frederiksberg Kommune"}}
)";
  auto kinds = SystemKinds::Load(std::string(DFDG_SOURCE_DIR) + "/catalog/access.yaml");
  ASSERT_TRUE(kinds.ok()) << kinds.status().message();
  auto config = LoadServeConfig((dir / "serve.yaml").string(), *kinds);
  ASSERT_TRUE(config.ok()) << config.status().message();
  auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(catalog.ok());
  if (Backend() == "postgresql" && testdb::TestPostgresUrl().empty()) {
    GTEST_SKIP() << "no PostgreSQL test cluster (ctest fixture pg_cluster)";
  }
  db = std::make_unique<testdb::TestDb>(Backend());
  ASSERT_TRUE(db->error().empty()) << db->error();
  auto opened = store::OpenStore(db->location());
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store = std::move(opened).value();
  clock = std::make_unique<FixedClock>(*ParseDate("2025-09-15"));
  ServeOptions options;
  options.config = std::move(config).value();
  options.openapi_path = std::string(DFDG_SOURCE_DIR) + "/docs/openapi.json";
  options.access_rules_path = std::string(DFDG_SOURCE_DIR) + "/catalog/access.yaml";
  options.log_requests = false;
  auto created =
      ApiServer::Create(std::move(options), std::shared_ptr<const catalog::Catalog>(std::move(catalog).value()),
                        store.get(), clock.get());
  ASSERT_TRUE(created.ok()) << created.status().message();
  server = std::move(created).value();
  auto bound = server->Bind();
  ASSERT_TRUE(bound.ok());
  port = *bound;
  thread = std::thread([] { server->Run(); });

  // The population: A in København with a-kasse 10, B in Frederiksberg.
  auto base = [](const std::string& cpr, int municipality) {
    return std::vector<Json>{
        {{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", municipality}, {"start", "2025-09-01"}},
        {{"command", "set_contact_group"}, {"cpr", cpr}, {"contact_group", 2}, {"start", "2025-09-01"}},
        {{"command", "set_visitation"}, {"cpr", cpr}, {"category", "jobparat"}}};
  };
  auto a = base(kPersonA, 101);
  a.push_back({{"command", "set_akasse"}, {"cpr", kPersonA}, {"akasse", "10"}, {"start", "2025-09-01"}});
  auto results = Batch("jc-101", a);
  ASSERT_EQ(results.size(), a.size());
  for (const auto& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
  results = Batch("jc-147", base(kPersonB, 147));
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
}

void ApiServerTest::TearDownTestSuite() {
  if (server) server->Shutdown();
  if (thread.joinable()) thread.join();
  server.reset();
  store.reset();
  db.reset();
  fs::remove_all(dir);
}

std::string ApiServerTest::Backend() {
  const char* backend = std::getenv("DFDG_API_BACKEND");
  return backend && std::string(backend) == "postgresql" ? "postgresql" : "sqlite";
}

Result<int64_t> ApiServerTest::VerifyAudit() {
  auto opened = store::OpenStore(db->location());
  if (!opened.ok()) return opened.status();
  audit::ChainVerifier verifier;
  int64_t after = 0;
  for (;;) {  // pages, bounded by the table
    auto page = (*opened)->ReadAudit("", after, 1000);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (const auto& e : *page) {
      if (Status s = verifier.Next(e); !s.ok()) return s;
    }
    after = page->back().seq;
  }
  return verifier.rows();
}

std::unique_ptr<httplib::SSLClient> ApiServerTest::Client(const std::string& system) {
  std::unique_ptr<httplib::SSLClient> client;
  if (system.empty()) {
    client = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  } else {
    std::string base = (dir / system).string();
    client = std::make_unique<httplib::SSLClient>("127.0.0.1", port, base + ".pem", base + ".key");
  }
  client->set_ca_cert_path((dir / "ca.pem").string().c_str());
  client->enable_server_certificate_verification(true);
  client->set_connection_timeout(5);
  client->set_read_timeout(20);
  client->set_write_timeout(20);
  return client;
}

httplib::Headers ApiServerTest::Headers(const std::string& cpr, const std::string& request_id) {
  httplib::Headers h{{"x-civilRegistrationIdentifier", cpr}};
  if (!request_id.empty()) h.emplace("x-requestId", request_id);
  return h;
}

std::vector<Json> ApiServerTest::Batch(const std::string& system, const std::vector<Json>& commands) {
  std::string body;
  for (const auto& c : commands) body += c.dump() + "\n";
  auto res = Client(system)->Post("/v1/batch", body, "application/x-ndjson");
  std::vector<Json> out;
  if (!res || res->status != 200) return out;
  std::istringstream in(res->body);
  std::string line;
  while (std::getline(in, line)) out.push_back(Json::parse(line));
  return out;
}

void ApiServerTest::BatchAccepted(const std::string& system, const std::vector<Json>& commands) {
  std::vector<Json> results = Batch(system, commands);
  ASSERT_EQ(results.size(), commands.size()) << "the batch of " << system << " was not answered line by line";
  for (const Json& r : results) ASSERT_EQ(r["status"], "accepted") << r.dump();
}

Json ApiServerTest::AkasseIntake(const std::string& cpr, const std::string& akasse, const std::string& start,
                                 const std::string& event, const std::string& category, const std::string& branch) {
  return {{"command", "register_akasse_intake"}, {"cpr", cpr},        {"event", event},  {"start", start},
          {"insurance_category", category},      {"akasse_code", akasse}, {"branch", branch}};
}

}  // namespace dfdg::api::testing
