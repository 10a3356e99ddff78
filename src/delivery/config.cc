#include "delivery/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace dfdg::delivery {
namespace {

std::string Resolve(const std::filesystem::path& base, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  return p.is_absolute() ? path : (base / p).string();
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

const Endpoint* DeliveryConfig::Find(const std::string& kind, const std::string& id) const {
  const Endpoint* fallback = nullptr;
  for (const Endpoint& e : endpoints) {
    if (e.kind != kind) continue;
    if (e.id == id) return &e;
    if (e.id == "*") fallback = &e;
  }
  return fallback;
}

Result<std::optional<DeliveryConfig>> LoadDeliveryConfig(const std::string& path, const catalog::Catalog& catalog) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("config " + path + ": " + e.what());
  }
  YAML::Node d = root["delivery"];
  if (!d) return std::optional<DeliveryConfig>();
  DeliveryConfig config;
  std::filesystem::path base = std::filesystem::path(path).parent_path();
  std::string where = "config " + path + ": delivery: ";
  try {
    struct Limit {
      const char* key;
      int64_t* value;
      int64_t min, max;
    } limits[] = {{"max_attempts", &config.max_attempts, 1, 1000},
                  {"initial_backoff_ms", &config.initial_backoff_ms, 1, 86400000},
                  {"max_backoff_ms", &config.max_backoff_ms, 1, 86400000},
                  {"timeout_ms", &config.timeout_ms, 1, 600000},
                  {"poll_ms", &config.poll_ms, 1, 3600000},
                  {"max_clock_skew_seconds", &config.max_clock_skew_seconds, 1, 86400},
                  {"dead_letter_alert", &config.dead_letter_alert, 1, 1000000000},
                  {"max_retry_after_ms", &config.max_retry_after_ms, 0, 86400000}};
    for (const Limit& l : limits) {
      if (!d[l.key]) continue;
      *l.value = d[l.key].as<int64_t>();
      if (*l.value < l.min || *l.value > l.max) {
        return Status::InvalidArgument(where + l.key + " must be in [" + std::to_string(l.min) + ", " +
                                       std::to_string(l.max) + "]");
      }
    }
    if (config.max_backoff_ms < config.initial_backoff_ms) {
      return Status::InvalidArgument(where + "max_backoff_ms is below initial_backoff_ms");
    }
    std::set<std::string> seen;
    for (const auto& r : d["recipients"]) {
      Endpoint e;
      e.kind = r["kind"].as<std::string>("");
      e.id = r["id"].as<std::string>("");
      e.url = r["url"].as<std::string>("");
      e.key_id = r["key_id"].as<std::string>("");
      e.ca_file = Resolve(base, r["ca_file"].as<std::string>(""));
      std::string entry = where + "recipient " + e.kind + "/" + e.id + ": ";
      if (!catalog.FindRecipientKind(e.kind)) {
        std::string known;
        for (const catalog::RecipientKind& k : catalog.model().recipient_kinds) {
          known.append(known.empty() ? "" : ", ").append(k.key);
        }
        return Status::InvalidArgument(entry + "unknown kind (" + known + "; catalog/recipients.yaml)");
      }
      if (e.id.empty() || !seen.insert(e.kind + "/" + e.id).second) {
        return Status::InvalidArgument(entry + "missing or repeated id");
      }
      if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0) {
        return Status::InvalidArgument(entry + "url must start with http:// or https://");
      }
      if (e.key_id.empty()) return Status::InvalidArgument(entry + "missing key_id");
      if (auto file = r["secret_file"]) {
        std::ifstream in(Resolve(base, file.as<std::string>()));
        if (!in) return Status::InvalidArgument(entry + "cannot read secret_file");
        std::stringstream text;
        text << in.rdbuf();
        e.secret = Trim(text.str());
      } else if (auto env = r["secret_env"]) {
        const char* value = std::getenv(env.as<std::string>().c_str());
        if (!value) return Status::InvalidArgument(entry + "environment variable " + env.as<std::string>() + " unset");
        e.secret = Trim(value);
      }
      if (e.secret.size() < 16) {
        return Status::InvalidArgument(entry + "needs secret_file or secret_env with a secret of at least 16 bytes");
      }
      config.endpoints.push_back(std::move(e));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(where + e.what());
  }
  return std::optional<DeliveryConfig>(std::move(config));
}

}  // namespace dfdg::delivery
