// Parallel validation behind the HTTP API (docs/decisions/0023-parallel-validation.md): a commit group with many
// persons is validated on more than one thread and answers exactly what the serial `dfdg apply` path answers for
// the same commands; a same-person pair that only one may pass, among many other persons' writes at the same
// moment, still yields exactly one acceptance.
#include <atomic>
#include <regex>
#include <thread>

#include "api_fixture.h"
#include "registry/registry.h"

namespace dfdg::api::testing {
namespace {

std::string Cpr(int day, int serial) {
  std::string cpr = std::to_string(100 + day).substr(1) + "0986";  // DDMMYY with month 09, year 86
  return cpr.append(std::to_string(1000 + serial).substr(0, 4));
}

// Every person's commands, persons interleaved (as staged_batch_test.cc): each depends on the earlier ones of the
// same person (no absence without a contact group; the Sorgorlov overlaps the Barsel and is rejected only if the
// Barsel is seen; the repeats of an id are a replay and a 1009).
std::vector<Json> Commands(const std::vector<std::string>& cprs) {
  std::vector<Json> out;
  for (int step = 0; step < 7; ++step) {
    for (size_t p = 0; p < cprs.size(); ++p) {
      const std::string& cpr = cprs[p];
      std::string id = "par-" + cpr;
      switch (step) {
        case 0:
          out.push_back(
              {{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}});
          break;
        case 1:
          out.push_back(
              {{"command", "set_contact_group"}, {"cpr", cpr}, {"contact_group", 2}, {"start", "2025-09-01"}});
          break;
        case 2:
          out.push_back({{"command", "set_visitation"}, {"cpr", cpr}, {"category", "jobparat"}});
          break;
        case 3:
        case 5:
          out.push_back({{"command", "register_absence"},
                         {"cpr", cpr},
                         {"reason", 8},
                         {"start", "2025-09-15"},
                         {"end", "2026-01-31"},
                         {"id", id}});
          break;
        case 4:
          out.push_back({{"command", "register_absence"},
                         {"cpr", cpr},
                         {"reason", 79},
                         {"start", "2025-09-20"},
                         {"end", "2025-10-31"}});
          break;
        case 6:
          out.push_back({{"command", "register_absence"},
                         {"cpr", cpr},
                         {"reason", 8},
                         {"start", "2025-09-16"},
                         {"end", "2026-01-31"},
                         {"id", id}});
          break;
      }
    }
  }
  return out;
}

// The result without its "seq" fields (the store's sequence numbers depend on what else the store holds).
Json WithoutSeq(Json j) {
  if (j.is_object()) {
    j.erase("seq");
    for (auto& [key, value] : j.items()) value = WithoutSeq(value);
  } else if (j.is_array()) {
    for (auto& value : j) value = WithoutSeq(value);
  }
  return j;
}

// The value of an unlabelled counter in /metrics.
double Metric(const std::string& name) {
  auto res = ApiServerTest::Client("jc-101")->Get("/metrics");
  if (!res || res->status != 200) return -1;
  std::smatch m;
  if (!std::regex_search(res->body, m, std::regex("\n" + name + " ([0-9.e+]+)"))) return -1;
  return std::stod(m[1]);
}

TEST_F(ApiServerTest, ManyPersonsInOneGroupAreValidatedInParallelWithTheSerialResults) {
  // The fixture's server has limits.validation_threads: 4.
  double parallel_before = Metric("dfdg_parallel_commits_total");
  ASSERT_GE(parallel_before, 0);
  std::vector<std::string> cprs;
  for (int p = 0; p < 200; ++p) cprs.push_back(Cpr(1 + p % 28, p));
  std::vector<Json> commands = Commands(cprs);
  std::vector<Json> got = Batch("jc-101", commands);
  ASSERT_EQ(got.size(), commands.size());

  // The same commands as the service hands them to the registry, through the serial path of `dfdg apply`
  // (Registry::ExecuteBatch) on a fresh store of the same backend.
  testdb::TestDb serial_db(Backend());
  ASSERT_TRUE(serial_db.error().empty()) << serial_db.error();
  auto serial_store = store::OpenStore(serial_db.location());
  ASSERT_TRUE(serial_store.ok());
  auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(catalog.ok());
  registry::Registry serial(std::shared_ptr<const catalog::Catalog>(std::move(catalog).value()), serial_store->get(),
                            clock.get());
  std::vector<nlohmann::json> as_served = commands;
  for (auto& c : as_served) {
    c["channel"] = "jobcenter";
    c["actor"] = "jc-101";
    if (c.contains("id")) c["id"] = "jc-101:" + c["id"].get<std::string>();
  }
  auto expected = serial.ExecuteBatch(as_served);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  int accepted = 0, rejected = 0, replayed = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    Json line = got[i];
    EXPECT_EQ(line["line"], i + 1);
    line.erase("line");
    Json want = Json::parse((*expected)[i].dump());
    EXPECT_EQ(WithoutSeq(line), WithoutSeq(want)) << "line " << i + 1 << ": " << commands[i].dump();
    if (want["status"] == "accepted") (want.contains("replayed") ? replayed : accepted)++;
    if (want["status"] == "rejected") ++rejected;
  }
  // Every kind of result occurs (so the comparison is not vacuous): 4 stored commands per person, the Sorgorlov
  // and the changed repeat rejected, the same repeat replayed.
  EXPECT_EQ(accepted, 4 * 200);
  EXPECT_EQ(rejected, 2 * 200);
  EXPECT_EQ(replayed, 200);
  // The group was validated on more than one thread. A helper thread that is not scheduled before the writer
  // thread finishes the group takes none of it, so a few more groups are tried (each 200 fresh persons).
  for (int round = 1; round < 4 && Metric("dfdg_parallel_commits_total") <= parallel_before; ++round) {
    std::vector<std::string> more;
    for (int p = 0; p < 200; ++p) more.push_back(Cpr(1 + p % 28, 200 * round + p));
    ASSERT_EQ(Batch("jc-101", Commands(more)).size(), 7 * 200u);
  }
  EXPECT_GT(Metric("dfdg_parallel_commits_total"), parallel_before);
}

TEST_F(ApiServerTest, SamePersonPairAmongManyConcurrentWritesOnlyOnePasses) {
  // 16 fresh persons written by 16 connections at the same moment, and two more connections that send a
  // Barsel and an overlapping Sorgorlov (which must not overlap) for one person, several rounds. (The fixture's
  // server has 24 HTTP threads; a keep-alive connection holds one.)
  constexpr int kOthers = 16;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::string> others;
    for (int p = 0; p < kOthers; ++p) others.push_back(Cpr(1 + p, 900 + 30 * round + p));
    std::string pair_cpr = Cpr(25 + round, 990 + round);
    std::vector<std::string> setup = others;
    setup.push_back(pair_cpr);
    std::vector<Json> base = Commands(setup);
    base.resize(3 * setup.size());  // municipality, contact group, visitation
    for (const auto& r : Batch("jc-101", base)) ASSERT_EQ(r["status"], "accepted") << r.dump();
    std::atomic<int> go{0}, others_created{0}, pair_created{0}, pair_rejected{0}, unexpected{0};
    std::vector<std::thread> threads;
    auto post = [&](const std::string& cpr, const std::string& body, const std::string& id, std::atomic<int>* created,
                    std::atomic<int>* rejected) {
      auto client = Client("jc-101");
      client->Get("/healthz");  // connect first, so the posts leave together
      ++go;
      while (go < kOthers + 2) std::this_thread::yield();
      auto res = client->Post("/v1/Fravaer", Headers(cpr, id), body, "application/json");
      if (res && res->status == 201) {
        ++*created;
      } else if (res && res->status == 422 && rejected) {
        ++*rejected;
      } else {
        ++unexpected;
      }
    };
    for (const auto& cpr : others) {
      threads.emplace_back(post, cpr, R"({"reason":8,"start":"2025-09-15","end":"2025-09-15"})", "o-" + cpr,
                           &others_created, nullptr);
    }
    threads.emplace_back(post, pair_cpr, R"({"reason":8,"start":"2025-09-15","end":"2026-01-31"})",
                         "pair-a-" + pair_cpr, &pair_created, &pair_rejected);
    threads.emplace_back(post, pair_cpr, R"({"reason":79,"start":"2025-09-20","end":"2025-10-31"})",
                         "pair-b-" + pair_cpr, &pair_created, &pair_rejected);
    for (auto& t : threads) t.join();
    EXPECT_EQ(others_created, kOthers) << "round " << round;
    EXPECT_EQ(pair_created, 1) << "round " << round;
    EXPECT_EQ(pair_rejected, 1) << "round " << round;
    EXPECT_EQ(unexpected, 0) << "round " << round;
    auto res = Client("jc-101")->Get("/v1/Fravaer", Headers(pair_cpr));
    ASSERT_TRUE(res && res->status == 200);
    EXPECT_EQ(Json::parse(res->body).size(), 1u) << res->body;
  }
}

}  // namespace
}  // namespace dfdg::api::testing
