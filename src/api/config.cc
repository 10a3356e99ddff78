#include "api/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

namespace dfdg::api {
namespace {

std::string Resolve(const std::filesystem::path& base, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  return p.is_absolute() ? path : (base / p).string();
}

}  // namespace

int DefaultValidationThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(cores, 1u, 8u));
}

Status CheckSystem(const ConnectedSystem& system, const SystemKinds& kinds, const std::string& where) {
  const SystemKind* kind = kinds.Find(system.kind);
  if (!kind) {
    return Status::InvalidArgument(where + "unknown kind '" + system.kind + "' (known: " + kinds.KnownList() + ")");
  }
  if (kind->needs_municipality && (system.municipality < 101 || system.municipality > 999)) {
    return Status::InvalidArgument(where + "kind " + system.kind + " needs a municipality code");
  }
  if (kind->needs_akasse && system.akasse.empty()) {
    return Status::InvalidArgument(where + "kind " + system.kind + " needs an akasse");
  }
  return Status::Ok();
}

Result<ServeConfig> LoadServeConfig(const std::string& path, const SystemKinds& kinds) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("config " + path + ": " + e.what());
  }
  ServeConfig config;
  std::filesystem::path base = std::filesystem::path(path).parent_path();
  try {
    if (auto l = root["listen"]) {
      if (l["host"]) config.host = l["host"].as<std::string>();
      if (l["port"]) config.port = l["port"].as<int>();
    }
    if (auto t = root["tls"]) {
      config.tls_cert = Resolve(base, t["cert"].as<std::string>(""));
      config.tls_key = Resolve(base, t["key"].as<std::string>(""));
      config.client_ca = Resolve(base, t["client_ca"].as<std::string>(""));
    }
    if (auto l = root["limits"]) {
      if (l["max_body_bytes"]) config.limits.max_body_bytes = l["max_body_bytes"].as<size_t>();
      if (l["max_in_flight"]) config.limits.max_in_flight = l["max_in_flight"].as<size_t>();
      if (l["request_timeout_seconds"]) config.limits.request_timeout_seconds = l["request_timeout_seconds"].as<int>();
      if (l["threads"]) config.limits.threads = l["threads"].as<int>();
      if (l["max_batch_lines"]) config.limits.max_batch_lines = l["max_batch_lines"].as<size_t>();
      if (l["validation_threads"]) config.limits.validation_threads = l["validation_threads"].as<int>();
      if (l["pipelined_commit"]) config.limits.pipelined_commit = l["pipelined_commit"].as<bool>();
      if (config.limits.validation_threads < 1 || config.limits.validation_threads > 64) {
        return Status::InvalidArgument("config " + path + ": limits.validation_threads must be 1-64");
      }
    }
    std::set<std::string> ids, cns;
    for (const auto& s : root["systems"]) {
      ConnectedSystem system;
      system.id = s["id"].as<std::string>("");
      system.kind = s["kind"].as<std::string>("");
      system.certificate_cn = s["certificate_cn"].as<std::string>("");
      system.controller = s["controller"].as<std::string>("");
      system.municipality = s["municipality"].as<int>(0);
      system.akasse = s["akasse"].as<std::string>("");
      system.cvr = s["cvr"].as<std::string>("");
      system.immediate_computation_link = s["immediate_computation_link"].as<std::string>("");
      std::string where = "config " + path + ": system '" + system.id + "': ";
      if (!system.immediate_computation_link.empty() &&
          (system.kind != "akasse" || system.immediate_computation_link.rfind("https://", 0) != 0)) {
        return Status::InvalidArgument(where + "immediate_computation_link is an https:// address, for akasse only");
      }
      if (auto list = s["municipalities"]) {  // other_actor: {code: data controller, ...}
        if (system.kind != "other_actor" || !list.IsMap())
          return Status::InvalidArgument(where + "municipalities is a map code: controller, for other_actor only");
        for (const auto& entry : list) {
          int code = entry.first.as<int>();
          if (code < 101 || code > 999)
            return Status::InvalidArgument(where + "bad municipality code in municipalities");
          system.acts_for.emplace_back(code, entry.second.as<std::string>());
        }
        if (system.municipality == 0 && !system.acts_for.empty()) {
          system.municipality = system.acts_for.front().first;
          if (system.controller.empty()) system.controller = system.acts_for.front().second;
        }
      }
      if (system.id.empty() || !ids.insert(system.id).second)
        return Status::InvalidArgument(where + "missing or repeated id");
      if (Status checked = CheckSystem(system, kinds, where); !checked.ok()) return checked;
      if (system.certificate_cn.empty() || !cns.insert(system.certificate_cn).second) {
        return Status::InvalidArgument(where + "missing or repeated certificate_cn");
      }
      // A system without the CVR its kind requires is accepted in the file but refused on every call (§ 6 stk. 4).
      config.systems.push_back(std::move(system));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("config " + path + ": " + e.what());
  }
  return config;
}

ServeConfig SandboxConfig() {
  ServeConfig config;
  config.port = 8080;
  config.systems = {
      {"sandbox-jobcenter-101", "jobcenter", "sandbox-jobcenter-101", "Københavns Kommune", 101, "", "", {}},
      {"sandbox-akasse-10", "akasse", "sandbox-akasse-10", "A-kasse 10", 0, "10", "", {}},
      {"sandbox-jobnet", "jobnet", "sandbox-jobnet", "Styrelsen for Arbejdsmarked og Rekruttering", 0, "", "", {}},
      {"sandbox-ksd-101", "ksd", "sandbox-ksd-101", "Københavns Kommune", 101, "", "", {}},
      {"sandbox-agency", "agency", "sandbox-agency", "Styrelsen for Arbejdsmarked og Rekruttering", 0, "", "", {}},
      {"sandbox-admin", "admin", "sandbox-admin", "Styrelsen for Arbejdsmarked og Rekruttering", 0, "", "", {}},
  };
  return config;
}

}  // namespace dfdg::api
