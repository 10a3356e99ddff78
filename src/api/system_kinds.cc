#include "api/system_kinds.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace dfdg::api {

Result<SystemKinds> SystemKinds::Load(const std::string& path) {
  SystemKinds out;
  try {
    YAML::Node root = YAML::LoadFile(path);
    std::set<std::string> keys;
    for (const auto& k : root["system_kinds"]) {
      SystemKind kind;
      kind.key = k["key"].as<std::string>("");
      std::string where = path + ": system kind '" + kind.key + "': ";
      if (kind.key.empty() || !keys.insert(kind.key).second)
        return Status::InvalidArgument(where + "missing or repeated key");
      kind.name_da = k["name_da"].as<std::string>("");
      kind.name_en = k["name_en"].as<std::string>("");
      kind.source = k["source"].as<std::string>("");
      if (kind.name_da.empty() || kind.name_en.empty() || kind.source.empty())
        return Status::InvalidArgument(where + "needs name_da, name_en and source");
      std::string channel = k["channel"].as<std::string>("");
      auto parsed = catalog::ParseChannel(channel);
      if (!parsed) return Status::InvalidArgument(where + "unknown channel '" + channel + "'");
      kind.channel = *parsed;
      if (k["requires"] && !k["requires"].IsSequence())
        return Status::InvalidArgument(where + "requires is a list");
      for (const auto& r : k["requires"]) {
        std::string field = r.as<std::string>();
        if (field == "municipality") {
          kind.needs_municipality = true;
        } else if (field == "akasse") {
          kind.needs_akasse = true;
        } else if (field == "cvr") {
          kind.needs_cvr = true;
        } else {
          return Status::InvalidArgument(where + "unknown requirement '" + field +
                                         "' (known: municipality, akasse, cvr)");
        }
      }
      out.kinds_.push_back(std::move(kind));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
  if (out.kinds_.empty()) return Status::InvalidArgument(path + ": no system_kinds");
  return out;
}

const SystemKind* SystemKinds::Find(const std::string& key) const {
  for (const SystemKind& kind : kinds_) {
    if (kind.key == key) return &kind;
  }
  return nullptr;
}

std::string SystemKinds::KnownList() const {
  std::string list;
  for (const SystemKind& kind : kinds_) {
    if (!list.empty()) list += ", ";
    list += kind.key;
  }
  return list;
}

}  // namespace dfdg::api
