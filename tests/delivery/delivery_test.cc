// Delivery of the outbox (docs/delivery.md) against a real HTTP receiver on loopback, on a real SQLite file and
// a real PostgreSQL primary: delivered once when the receiver is up; receiver down → retries with backoff, then
// a dead letter, then `retry`; 500 then 200 → delivered; signatures verify with the right secret only; order
// per person and recipient; replay re-sends delivered messages; the attempts are recorded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "delivery/config.h"
#include "delivery/signature.h"
#include "delivery/worker.h"
#include "store/open_store.h"
#include "store_backend_test.h"

namespace dfdg::delivery {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kSecret = "s3cret-for-akasse-10-0123456789";

// A webhook receiver on 127.0.0.1: answers each request with the next code of `codes` (then 200) and keeps
// what it got.
class Receiver {
 public:
  struct Request {
    std::string body, idempotency_key, signature, attempt;
  };
  // `retry_after`: the Retry-After header sent with every non-2xx answer ("" = none).
  explicit Receiver(std::vector<int> codes = {}, std::string retry_after = "")
      : codes_(std::move(codes)), retry_after_(std::move(retry_after)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      requests_.push_back({req.body, req.get_header_value("Idempotency-Key"), req.get_header_value("X-DFDG-Signature"),
                           req.get_header_value("X-DFDG-Attempt")});
      res.status = next_ < codes_.size() ? codes_[next_++] : 200;
      if (res.status >= 300 && !retry_after_.empty()) res.set_header("Retry-After", retry_after_);
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return std::string("http://127.0.0.1:").append(std::to_string(port_)).append("/hook"); }
  std::vector<Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<int> codes_;
  std::string retry_after_;
  size_t next_ = 0;
  std::vector<Request> requests_;
};

// A port nothing listens on (bound without listen, then closed): connections are refused.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class DeliveryTest : public testdb::StoreBackendTest {
 protected:
  // Writes messages "<command_seq>-1" for (cpr, a-kasse) pairs, as the registry does, in one transaction.
  void GivenMessages(const std::vector<std::pair<std::string, std::string>>& to) {
    ASSERT_TRUE(store_->Begin().ok());
    std::vector<store::OutboxMessage> messages;
    for (const auto& [cpr, akasse] : to) {
      store::OutboxMessage m;
      m.command_seq = ++command_seq_;
      m.id = std::to_string(m.command_seq) + "-1";
      m.type = "kontaktgruppe_skift";
      m.recipient_kind = "akasse";
      m.recipient = akasse;
      m.cpr = cpr;
      m.created_on = "2025-08-01";
      m.payload = R"({"change":"tilgang","contact_group":1,"start":"2025-08-01"})";
      m.cause =
          R"({"rule":"contact_group_to_akasse","legal_ref":"§ 16 stk. 7","source":["000_3808c1434fc20b2e.txt:666"]})";
      messages.push_back(m);
    }
    ASSERT_TRUE(store_->AppendOutbox(&messages).ok());
    ASSERT_TRUE(store_->Commit().ok());
  }
  DeliveryConfig Config(const std::string& url) {
    DeliveryConfig config;
    config.endpoints.push_back({"akasse", "10", url, "akasse10-2026", kSecret, ""});
    config.max_attempts = 3;
    config.initial_backoff_ms = 1000;
    config.max_backoff_ms = 4000;
    config.timeout_ms = 2000;
    return config;
  }
  store::OutboxMessage Message(const std::string& id) {
    auto m = store_->FindOutbox(id);
    EXPECT_TRUE(m.ok() && *m) << id;
    return m.ok() && *m ? **m : store::OutboxMessage{};
  }
  // A clock the test moves; the jitter fixed at its largest value.
  int64_t now_ = 1764950400000;  // 2025-12-05T16:00:00Z
  std::function<int64_t()> Clock() {
    return [this] { return now_; };
  }

  int64_t command_seq_ = 1000;
};

TEST_P(DeliveryTest, DeliveredOnceWhenTheReceiverIsUpWithVerifiableSignatures) {
  GivenMessages({{"0101901234", "10"}, {"0202902345", "10"}, {"0303903456", "10"}});
  Receiver receiver;
  Deliverer deliverer(Config(receiver.url()), store_.get(), Clock());
  PassReport first = deliverer.RunPass();
  EXPECT_EQ(first.delivered, 3);
  PassReport second = deliverer.RunPass();
  EXPECT_EQ(second.total(), 0);  // nothing pending: not sent again
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  std::vector<std::string> keys;
  for (const auto& r : got) {
    Json body = Json::parse(r.body);
    keys.push_back(r.idempotency_key);
    EXPECT_EQ(body["id"], r.idempotency_key);
    EXPECT_EQ(body["recipient"], "10");
    EXPECT_EQ(body["payload"]["contact_group"], 1);
    EXPECT_EQ(r.attempt, "1");
    EXPECT_TRUE(Verify(r.signature, "akasse10-2026", kSecret, r.body, now_ / 1000, 300)) << r.signature;
    EXPECT_FALSE(Verify(r.signature, "akasse10-2026", "another-secret-0123456789", r.body, now_ / 1000, 300));
    EXPECT_FALSE(Verify(r.signature, "akasse10-2026", kSecret, r.body + " ", now_ / 1000, 300));  // body changed
    EXPECT_FALSE(Verify(r.signature, "other-key", kSecret, r.body, now_ / 1000, 300));
    EXPECT_FALSE(Verify(r.signature, "akasse10-2026", kSecret, r.body, now_ / 1000 + 301, 300));  // too old
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"1001-1", "1002-1", "1003-1"}));  // seq order
  store::OutboxMessage m = Message("1001-1");
  EXPECT_EQ(m.state, "delivered");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.delivered_at, "2025-12-05T16:00:00.000Z");
  auto attempts = store_->ListDeliveryAttempts("1001-1");
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].http_status, 200);
  EXPECT_EQ((*attempts)[0].outcome, "delivered");
}

TEST_P(DeliveryTest, ReceiverDownRetriesWithBackoffThenDeadLetterThenRetry) {
  GivenMessages({{"0101901234", "10"}});
  std::string down = std::string("http://127.0.0.1:").append(std::to_string(ClosedPort())).append("/hook");
  Deliverer deliverer(Config(down), store_.get(), Clock(), [] { return 0.999; });
  EXPECT_EQ(deliverer.RunPass().retrying, 1);
  store::OutboxMessage m = Message("1001-1");
  EXPECT_EQ(m.state, "pending");
  EXPECT_EQ(m.attempts, 1);
  // Equal jitter: between half and all of the 1 s backoff.
  EXPECT_GE(m.next_attempt_ms, now_ + 500);
  EXPECT_LE(m.next_attempt_ms, now_ + 1000);
  EXPECT_EQ(deliverer.RunPass().waiting, 1);  // not due yet: no attempt
  now_ = m.next_attempt_ms;
  EXPECT_EQ(deliverer.RunPass().retrying, 1);
  m = Message("1001-1");
  EXPECT_GT(m.next_attempt_ms, now_ + 1000);  // 2 s backoff after the second failure
  now_ = m.next_attempt_ms;
  EXPECT_EQ(deliverer.RunPass().dead, 1);  // max_attempts = 3
  m = Message("1001-1");
  EXPECT_EQ(m.state, "dead");
  EXPECT_NE(m.last_error.find("no response"), std::string::npos) << m.last_error;
  auto attempts = store_->ListDeliveryAttempts("1001-1");
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 3u);
  EXPECT_EQ((*attempts)[0].outcome, "retry");
  EXPECT_EQ((*attempts)[2].outcome, "dead");
  EXPECT_EQ((*attempts)[2].http_status, 0);
  now_ += 3600 * 1000;
  EXPECT_EQ(deliverer.RunPass().total(), 0);  // a dead letter is not tried again by itself

  // `dfdg outbox retry`: pending again, due at once, delivered to the receiver once it is up.
  auto requeued = store_->RequeueOutbox("1001-1", "", "");
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1);
  Receiver receiver;
  Deliverer up(Config(receiver.url()), store_.get(), Clock());
  EXPECT_EQ(up.RunPass().delivered, 1);
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(Message("1001-1").state, "delivered");
  auto again = store_->RequeueOutbox("1001-1", "", "");  // retry does not touch a delivered message
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(DeliveryTest, ServerErrorThenSuccessIsDeliveredWithTheSameKey) {
  GivenMessages({{"0101901234", "10"}});
  Receiver receiver({500});
  Deliverer deliverer(Config(receiver.url()), store_.get(), Clock());
  EXPECT_EQ(deliverer.RunPass().retrying, 1);
  EXPECT_EQ(Message("1001-1").last_error, "HTTP 500");
  now_ += 10000;
  EXPECT_EQ(deliverer.RunPass().delivered, 1);
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].idempotency_key, got[1].idempotency_key);
  EXPECT_EQ(got[0].body, got[1].body);  // the same bytes on every attempt
  EXPECT_EQ(got[0].attempt, "1");
  EXPECT_EQ(got[1].attempt, "2");
  store::OutboxMessage m = Message("1001-1");
  EXPECT_EQ(m.state, "delivered");
  EXPECT_EQ(m.attempts, 2);
}

// RFC 9110 § 10.2.3: a receiver's Retry-After (delta-seconds) later than the backoff decides the next attempt.
TEST_P(DeliveryTest, RetryAfterFromTheReceiverIsHonoured) {
  GivenMessages({{"0101901234", "10"}});
  Receiver receiver({503}, "120");
  Deliverer deliverer(Config(receiver.url()), store_.get(), Clock(), [] { return 0.999; });
  EXPECT_EQ(deliverer.RunPass().retrying, 1);
  store::OutboxMessage m = Message("1001-1");
  EXPECT_EQ(m.next_attempt_ms, now_ + 120000);  // not the 1 s backoff
  EXPECT_NE(m.last_error.find("Retry-After 120 s"), std::string::npos) << m.last_error;
  now_ += 119999;
  EXPECT_EQ(deliverer.RunPass().waiting, 1);  // one ms before: no attempt
  now_ += 1;
  EXPECT_EQ(deliverer.RunPass().delivered, 1);
  EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST(DeliveryRetryAfter, SecondsAndHttpDatesCappedAndMalformedIgnored) {
  int64_t now = 1764950400000;  // 2025-12-05T16:00:00Z
  EXPECT_EQ(ParseRetryAfter("120", now), 120000);
  EXPECT_EQ(ParseRetryAfter("0", now), 0);
  EXPECT_EQ(ParseRetryAfter("Fri, 05 Dec 2025 16:05:00 GMT", now), 300000);
  EXPECT_EQ(ParseRetryAfter("Fri, 05 Dec 2025 15:00:00 GMT", now), 0);  // in the past: at once
  EXPECT_FALSE(ParseRetryAfter("", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("soon", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("-5", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("9999999999", now).has_value());
}

// The dead-letter gauge of /metrics counts from the store (store.h CountOutbox).
TEST_P(DeliveryTest, DeadLettersAreCountedForTheGauge) {
  GivenMessages({{"0101901234", "10"}, {"0202902345", "10"}});
  std::string down = std::string("http://127.0.0.1:").append(std::to_string(ClosedPort())).append("/hook");
  DeliveryConfig config = Config(down);
  config.max_attempts = 1;
  EXPECT_EQ(*store_->CountOutbox("dead"), 0);
  EXPECT_EQ(*store_->CountOutbox("pending"), 2);
  Deliverer deliverer(config, store_.get(), Clock());
  EXPECT_EQ(deliverer.RunPass().dead, 2);
  EXPECT_EQ(*store_->CountOutbox("dead"), 2);
  EXPECT_EQ(*store_->CountOutbox("pending"), 0);
  ASSERT_TRUE(store_->RequeueOutbox("1001-1", "", "").ok());
  EXPECT_EQ(*store_->CountOutbox("dead"), 1);
}

TEST_P(DeliveryTest, AFailedMessageHoldsBackLaterOnesOfTheSamePersonAndRecipientOnly) {
  GivenMessages({{"0101901234", "10"}, {"0202902345", "10"}, {"0101901234", "10"}, {"0303903456", "11"}});
  Receiver receiver({503});
  Deliverer deliverer(Config(receiver.url()), store_.get(), Clock());
  PassReport r = deliverer.RunPass();
  EXPECT_EQ(r.retrying, 1);    // 1001-1 (503)
  EXPECT_EQ(r.delivered, 1);   // 1002-1, another person
  EXPECT_EQ(r.waiting, 1);     // 1003-1 waits for 1001-1
  EXPECT_EQ(r.unroutable, 1);  // 1004-1: no endpoint for a-kasse 11
  EXPECT_EQ(Message("1003-1").attempts, 0);
  now_ += 10000;
  r = deliverer.RunPass();
  EXPECT_EQ(r.delivered, 2);  // 1001-1, then 1003-1 in the same pass
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[2].idempotency_key, "1001-1");
  EXPECT_EQ(got[3].idempotency_key, "1003-1");
  EXPECT_EQ(Message("1004-1").state, "pending");
}

TEST_P(DeliveryTest, ReplaySendsDeliveredMessagesOfTheDaysAgain) {
  GivenMessages({{"0101901234", "10"}, {"0202902345", "10"}});
  Receiver receiver;
  Deliverer deliverer(Config(receiver.url()), store_.get(), Clock());
  EXPECT_EQ(deliverer.RunPass().delivered, 2);
  auto none = store_->RequeueOutbox("", "2025-12-06", "2025-12-31");  // the day after: nothing
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  auto both = store_->RequeueOutbox("", "2025-12-05", "2025-12-05");  // both ends inclusive
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(*both, 2);
  EXPECT_EQ(deliverer.RunPass().delivered, 2);
  EXPECT_EQ(receiver.requests().size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(DeliveryBackoff, DoublesUpToTheCap) {
  DeliveryConfig config;
  config.initial_backoff_ms = 1000;
  config.max_backoff_ms = 60000;
  Deliverer deliverer(config, nullptr);
  EXPECT_EQ(deliverer.Backoff(1), 1000);
  EXPECT_EQ(deliverer.Backoff(2), 2000);
  EXPECT_EQ(deliverer.Backoff(6), 32000);
  EXPECT_EQ(deliverer.Backoff(7), 60000);
  EXPECT_EQ(deliverer.Backoff(100), 60000);
}

TEST(DeliverySignature, KnownValue) {
  // echo -n '1700000000.{"id":"1-1"}' | openssl dgst -sha256 -hmac key
  EXPECT_EQ(Sign("key", 1700000000, R"({"id":"1-1"})"),
            "37e2c76afd3fff2dc37478e48d5e60e8a795895c494f98181a48e343545496c8");
}

class DeliveryConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / std::string("dfdg_delivery_config_").append(std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "akasse10.key") << "0123456789abcdef0123\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The project's catalogue (catalog/recipients.yaml names the recipient kinds).
  static const catalog::Catalog& RealCatalog() {
    static auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return **loaded;
  }
  Result<std::optional<DeliveryConfig>> Load(const std::string& yaml, const catalog::Catalog& catalog = RealCatalog()) {
    std::ofstream(dir_ / "serve.yaml") << yaml;
    return LoadDeliveryConfig((dir_ / "serve.yaml").string(), catalog);
  }
  fs::path dir_;
};

TEST_F(DeliveryConfigTest, LoadsRecipientsAndRefusesBadEntries) {
  auto none = Load("listen: {port: 0}\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto ok = Load(
      "delivery:\n  max_attempts: 5\n  recipients:\n"
      "    - {kind: akasse, id: '10', url: 'https://a10.example/hook', key_id: k1, secret_file: akasse10.key}\n"
      "    - {kind: akasse, id: '*', url: 'http://127.0.0.1:9/hook', key_id: k2, secret_file: akasse10.key}\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_TRUE(ok->has_value());
  const DeliveryConfig& c = **ok;
  EXPECT_EQ(c.max_attempts, 5);
  EXPECT_EQ(c.endpoints[0].secret, "0123456789abcdef0123");  // trailing newline dropped
  EXPECT_EQ(c.Find("akasse", "10")->key_id, "k1");
  EXPECT_EQ(c.Find("akasse", "99")->key_id, "k2");
  EXPECT_EQ(c.Find("jobcenter", "101"), nullptr);
  auto bad_kind = Load(
      "delivery:\n  recipients:\n    - {kind: bank, id: '1', url: 'http://x/', key_id: k, "
      "secret_file: akasse10.key}\n");
  ASSERT_FALSE(bad_kind.ok());
  // The error names the catalogue's kinds, every one of them.
  const std::string text = bad_kind.status().message();
  EXPECT_NE(text.find("unknown kind"), std::string::npos) << text;
  ASSERT_FALSE(RealCatalog().model().recipient_kinds.empty());
  for (const catalog::RecipientKind& k : RealCatalog().model().recipient_kinds) {
    EXPECT_NE(text.find(k.key), std::string::npos) << k.key << " missing from: " << text;
  }
  EXPECT_TRUE(Load("delivery:\n  recipients:\n    - {kind: kommune, id: '101', url: 'http://x/', key_id: k, "
                   "secret_file: akasse10.key}\n")
                  .ok());
  auto no_secret = Load("delivery:\n  recipients:\n    - {kind: akasse, id: '1', url: 'http://x/', key_id: k}\n");
  ASSERT_FALSE(no_secret.ok());
  EXPECT_NE(no_secret.status().message().find("secret"), std::string::npos);
  auto bad_url = Load(
      "delivery:\n  recipients:\n    - {kind: akasse, id: '1', url: 'ftp://x/', key_id: k, "
      "secret_file: akasse10.key}\n");
  EXPECT_FALSE(bad_url.ok());
  auto bad_limit = Load("delivery:\n  max_attempts: 0\n");
  EXPECT_FALSE(bad_limit.ok());
}

// The kinds are the catalogue's data: a kind added to a copy of catalog/recipients.yaml is accepted with that copy
// and refused with the project's catalogue.
TEST_F(DeliveryConfigTest, TheKindsAreReadFromTheCatalogue) {
  const fs::path copy = dir_ / "catalog";
  fs::copy(fs::path(DFDG_SOURCE_DIR) / "catalog", copy, fs::copy_options::recursive);
  std::ifstream in(copy / "recipients.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const std::string anchor = "recipient_kinds:\n";
  const size_t at = yaml.find(anchor);
  ASSERT_NE(at, std::string::npos);
  yaml.insert(at + anchor.size(),
              "  - {key: bank, name_da: \"Bank\", name_en: \"Bank\", addressed_by: id, source: \"000:1606\"}\n");
  std::ofstream(copy / "recipients.yaml", std::ios::trunc) << yaml;
  auto with_bank = catalog::Catalog::Load(copy.string());
  ASSERT_TRUE(with_bank.ok()) << with_bank.status().ToString();
  const std::string config =
      "delivery:\n  recipients:\n    - {kind: bank, id: '1', url: 'http://x/', key_id: k, secret_file: akasse10.key}\n";
  auto accepted = Load(config, **with_bank);
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_NE((*accepted)->Find("bank", "1"), nullptr);
  EXPECT_FALSE(Load(config).ok());
}

}  // namespace
}  // namespace dfdg::delivery
