// Reads answered on the HTTP threads against reader connections (docs/decisions/0050-reads-off-the-writer.md):
// reads and writes of the same persons from many connections at once; every read sees the connection's own
// acknowledged writes (read-your-writes), every request is audited once and the audit chain verifies; a refused
// read is audited "refused". With the SQLite store the reads run on readers, not on the writer thread; with
// PostgreSQL (no reader) on the writer thread as before.
#include <atomic>
#include <mutex>
#include <regex>
#include <thread>

#include "api_fixture.h"
#include "core/date.h"

namespace dfdg::api::testing {
namespace {

// A metric's value in /metrics (`name` with its labels, regex-escaped by the caller), -1 when missing.
double MetricValue(const std::string& name) {
  auto res = ApiServerTest::Client("jc-101")->Get("/metrics");
  if (!res || res->status != 200) return -1;
  std::smatch m;
  if (!std::regex_search(res->body, m, std::regex("\n" + name + " ([0-9.e+-]+)"))) return -1;
  return std::stod(m[1]);
}

// The store's audit rows after `after_seq`.
std::vector<audit::AuditEntry> AuditAfter(int64_t after_seq) {
  std::vector<audit::AuditEntry> rows;
  auto opened = store::OpenStore(ApiServerTest::db->location());
  if (!opened.ok()) return rows;
  for (;;) {
    auto page = (*opened)->ReadAudit("", after_seq, 1000);
    if (!page.ok() || page->empty()) break;
    rows.insert(rows.end(), page->begin(), page->end());
    after_seq = page->back().seq;
  }
  return rows;
}

int64_t AuditHeadSeq() {
  auto opened = store::OpenStore(ApiServerTest::db->location());
  if (!opened.ok()) return -1;
  auto head = (*opened)->AuditHead();
  return head.ok() ? head->seq : -1;
}

TEST_F(ApiServerTest, ReadsAndWritesOfTheSamePersonsFromManyConnectionsSeeOwnWritesAndAreAudited) {
  const std::vector<std::string> persons = {"0505811111", "0606811111", "0707811111"};
  std::vector<Json> setup;
  for (const auto& cpr : persons) {
    setup.push_back({{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-09-01"}});
    setup.push_back({{"command", "set_contact_group"}, {"cpr", cpr}, {"contact_group", 2}, {"start", "2025-09-01"}});
    setup.push_back({{"command", "set_visitation"}, {"cpr", cpr}, {"category", "jobparat"}});
  }
  for (const auto& r : Batch("jc-101", setup)) ASSERT_EQ(r["status"], "accepted") << r.dump();
  const int64_t head_before = AuditHeadSeq();
  ASSERT_GE(head_before, 0);
  const double writer_reads_before = MetricValue(R"(dfdg_writer_seconds_total\{stage="read"\})");
  ASSERT_GE(writer_reads_before, 0);

  // 8 connections, each writing 6 one-day absences to the persons in turn (no day twice for a person), and
  // after each acknowledged write reading it back, the person's list and the person's status; all at once.
  constexpr int kConnections = 8, kWrites = 6;
  std::atomic<int> go{0}, writes{0}, reads{0}, stale{0}, failed{0};
  std::mutex first_mu;
  std::string first_failure;
  std::vector<std::thread> threads;
  for (int t = 0; t < kConnections; ++t) {
    threads.emplace_back([&, t] {
      auto client = Client("jc-101");
      client->Get("/healthz");
      ++go;
      while (go < kConnections) std::this_thread::yield();
      for (int k = 0; k < kWrites; ++k) {
        const std::string& cpr = persons[static_cast<size_t>(t + k) % persons.size()];
        // Writes 2m and 2m + 1 (one connection's, to two different persons) share a day: no person gets a day
        // twice, and every day is within the 30 days ahead an absence may start.
        std::string day = FormatDate(*ParseDate("2025-09-15") + std::chrono::days((t * kWrites + k) / 2));
        std::string body = R"({"reason":8,"start":")" + day + R"(","end":")" + day + R"("})";
        auto res = client->Post("/v1/Fravaer", Headers(cpr, "rw-" + std::to_string(t) + "-" + std::to_string(k)), body,
                                "application/json");
        if (!res || res->status != 201) {
          ++failed;
          std::lock_guard lock(first_mu);
          if (first_failure.empty()) first_failure = res ? res->body : "no response";
          continue;
        }
        ++writes;
        int64_t id = Json::parse(res->body)["stored"][0]["entity_id"];
        auto one = client->Get("/v1/Fravaer/" + std::to_string(id), Headers(cpr));
        ++reads;
        if (!one || one->status != 200 || Json::parse(one->body)["start"] != day) ++stale;
        auto list = client->Get("/v1/Fravaer", Headers(cpr));
        ++reads;
        bool seen = false;
        if (list && list->status == 200) {
          for (const auto& f : Json::parse(list->body)) seen = seen || f.value("entity_id", int64_t{0}) == id;
        }
        if (!seen) ++stale;
        auto status = client->Get("/v1/status", Headers(cpr));
        ++reads;
        if (!status || status->status != 200) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0) << first_failure;
  EXPECT_EQ(stale, 0) << "a read did not see the connection's own acknowledged write";
  EXPECT_EQ(writes, kConnections * kWrites);
  EXPECT_EQ(reads, 3 * kConnections * kWrites);

  // Every request audited once (its row committed before its answer), the chain intact.
  int audited_writes = 0, audited_reads = 0, other = 0;
  for (const auto& row : AuditAfter(head_before)) {
    if (row.outcome == "accepted" && row.operation == "POST /v1/Fravaer") {
      ++audited_writes;
    } else if (row.outcome == "read" && row.operation.rfind("GET /v1/", 0) == 0) {
      ++audited_reads;
    } else {
      ++other;
    }
  }
  EXPECT_EQ(audited_writes, writes.load());
  EXPECT_EQ(audited_reads, reads.load());
  EXPECT_EQ(other, 0);
  auto verified = VerifyAudit();
  ASSERT_TRUE(verified.ok()) << verified.status().message();

  // SQLite: the reads ran on reader connections, not on the writer thread; PostgreSQL (no reader): on the writer.
  if (Backend() == "sqlite") {
    EXPECT_GE(MetricValue("dfdg_read_connections"), 1);
    EXPECT_EQ(MetricValue(R"(dfdg_writer_seconds_total\{stage="read"\})"), writer_reads_before);
  } else {
    EXPECT_EQ(MetricValue("dfdg_read_connections"), 0);
    EXPECT_GT(MetricValue(R"(dfdg_writer_seconds_total\{stage="read"\})"), writer_reads_before);
  }
}

TEST_F(ApiServerTest, RefusedReadIsAuditedRefused) {
  const int64_t head_before = AuditHeadSeq();
  ASSERT_GE(head_before, 0);
  // Frederiksberg's job centre may not read a København citizen; the refusal is the same as for an unknown person.
  auto refused = Client("jc-147")->Get("/v1/status", Headers(kPersonA, "refused-read-1"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  auto allowed = Client("jc-101")->Get("/v1/Borgervisning", Headers(kPersonA, "allowed-read-1"));
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200) << allowed->body;
  std::vector<std::string> rows;
  for (const auto& row : AuditAfter(head_before)) {
    rows.push_back(row.system + " " + row.cpr + " " + row.operation + " " + row.outcome + " " + row.request_id);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"jc-147 " + kPersonA + " GET /v1/status refused refused-read-1",
                                            "jc-101 " + kPersonA + " GET /v1/Borgervisning read allowed-read-1"}));
  auto verified = VerifyAudit();
  ASSERT_TRUE(verified.ok()) << verified.status().message();
}

}  // namespace
}  // namespace dfdg::api::testing
