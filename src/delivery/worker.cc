#include "delivery/worker.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "delivery/signature.h"

namespace dfdg::delivery {
namespace {

constexpr int64_t kPage = 1000;

// Splits http(s)://host[:port]/path into the client's base ("scheme://host:port") and the path.
void SplitUrl(const std::string& url, std::string* base, std::string* path) {
  size_t scheme_end = url.find("://");
  size_t path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  *base = path_start == std::string::npos ? url : url.substr(0, path_start);
  *path = path_start == std::string::npos ? "/" : url.substr(path_start);
}

}  // namespace

std::string WireBody(const store::OutboxMessage& m) {
  nlohmann::ordered_json body{{"id", m.id},
                              {"seq", m.seq},
                              {"type", m.type},
                              {"recipient_kind", m.recipient_kind},
                              {"recipient", m.recipient},
                              {"cpr", m.cpr},
                              {"created_on", m.created_on}};
  body["payload"] = nlohmann::json::parse(m.payload, nullptr, false);
  body["cause"] = nlohmann::json::parse(m.cause, nullptr, false);
  return body.dump();
}

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatUtcMs(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return text;
}

Deliverer::Deliverer(DeliveryConfig config, store::Store* store, std::function<int64_t()> now_ms,
                     std::function<double()> random)
    : config_(std::move(config)), store_(store), now_ms_(std::move(now_ms)), random_(std::move(random)) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

Deliverer::~Deliverer() = default;

int64_t Deliverer::Backoff(int64_t attempt) const {
  int64_t delay = config_.initial_backoff_ms;
  for (int64_t i = 1; i < attempt && delay < config_.max_backoff_ms; ++i) delay *= 2;
  return std::min(delay, config_.max_backoff_ms);
}

std::optional<int64_t> ParseRetryAfter(const std::string& value, int64_t now_ms) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return std::nullopt;
    return std::stoll(value) * 1000;
  }
  std::tm tm{};
  const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  int64_t at_ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  return std::max<int64_t>(0, at_ms - now_ms);
}

bool Deliverer::Post(const Endpoint& endpoint, const store::OutboxMessage& message, int64_t attempt, int* http_status,
                     std::string* error, int64_t* retry_after_ms) {
  *retry_after_ms = 0;
  std::string base, path;
  SplitUrl(endpoint.url, &base, &path);
  std::unique_ptr<httplib::Client>& client = clients_[base];
  if (!client) {
    client = std::make_unique<httplib::Client>(base);
    int64_t timeout = config_.timeout_ms;
    client->set_connection_timeout(timeout / 1000, (timeout % 1000) * 1000);
    client->set_read_timeout(timeout / 1000, (timeout % 1000) * 1000);
    client->set_write_timeout(timeout / 1000, (timeout % 1000) * 1000);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);  // else each POST waits for the delayed ACK (40 ms)
    if (base.rfind("https://", 0) == 0) {
      client->enable_server_certificate_verification(true);
      if (!endpoint.ca_file.empty()) client->set_ca_cert_path(endpoint.ca_file.c_str());
    }
  }
  std::string body = WireBody(message);
  httplib::Headers headers = {
      {"Idempotency-Key", message.id},
      {"X-DFDG-Message-Id", message.id},
      {"X-DFDG-Attempt", std::to_string(attempt)},
      {"X-DFDG-Signature", SignatureHeader(endpoint.key_id, endpoint.secret, now_ms_() / 1000, body)},
  };
  auto response = client->Post(path.c_str(), headers, body, "application/json");
  if (!response) {
    *http_status = 0;
    *error = "no response: " + httplib::to_string(response.error());
    clients_.erase(base);  // reconnect next time
    return false;
  }
  *http_status = response->status;
  if (response->status >= 200 && response->status < 300) {
    error->clear();
    return true;
  }
  *error = std::string("HTTP ").append(std::to_string(response->status));
  // RFC 9110 § 10.2.3: the receiver says when to come back (typically with 429 or 503).
  if (auto wait = ParseRetryAfter(response->get_header_value("Retry-After"), now_ms_())) {
    *retry_after_ms = std::min(*wait, config_.max_retry_after_ms);
    error->append(", Retry-After ").append(std::to_string(*retry_after_ms / 1000)).append(" s");
  }
  return false;
}

PassReport Deliverer::RunPass() {
  PassReport report;
  std::set<std::string> held;  // person|kind|recipient with an earlier message not delivered in this pass
  int64_t after = 0;
  for (;;) {
    auto page = store_->ListPendingOutbox(after, kPage);
    if (!page.ok()) {
      ++report.store_errors;
      return report;
    }
    if (page->empty()) break;
    after = page->back().seq;
    for (const store::OutboxMessage& m : *page) {
      std::string key = m.cpr;
      key.append("|").append(m.recipient_kind).append("|").append(m.recipient);
      if (held.count(key)) {
        ++report.waiting;
        continue;
      }
      const Endpoint* endpoint = config_.Find(m.recipient_kind, m.recipient);
      if (!endpoint) {
        ++report.unroutable;
        held.insert(key);
        continue;
      }
      int64_t now = now_ms_();
      if (m.next_attempt_ms > now) {
        ++report.waiting;
        held.insert(key);
        continue;
      }
      store::DeliveryAttempt a;
      a.message_id = m.id;
      a.attempt = m.attempts + 1;
      a.at_ms = now;
      a.at = FormatUtcMs(now);
      a.url = endpoint->url;
      int64_t retry_after = 0;
      bool ok = Post(*endpoint, m, a.attempt, &a.http_status, &a.error, &retry_after);
      a.duration_ms = now_ms_() - now;
      if (ok) {
        a.outcome = "delivered";
      } else if (a.attempt >= config_.max_attempts) {
        a.outcome = "dead";
      } else {
        a.outcome = "retry";
        int64_t delay = Backoff(a.attempt);
        // Equal jitter: half the delay fixed, half random, so receivers coming back are not hit all at once.
        const int64_t fixed = delay / 2;
        a.next_attempt_ms = now + fixed + static_cast<int64_t>(random_() * static_cast<double>(delay - fixed));
        // A Retry-After later than the backoff wins (capped at max_retry_after_ms).
        a.next_attempt_ms = std::max(a.next_attempt_ms, now + retry_after);
      }
      if (!ok) held.insert(key);
      Status recorded = store_->RecordDeliveryAttempt(a);
      if (!recorded.ok()) {
        // NotFound: another worker moved it meanwhile; anything else ends the pass.
        if (recorded.code() != Status::Code::kNotFound) {
          ++report.store_errors;
          return report;
        }
        continue;
      }
      if (a.outcome == "delivered") ++report.delivered;
      if (a.outcome == "retry") ++report.retrying;
      if (a.outcome == "dead") ++report.dead;
    }
  }
  return report;
}

}  // namespace dfdg::delivery
