#include "store/erase.h"

#include <nlohmann/json.hpp>

namespace dfdg::store {

bool EraseFactContent(registry::Fact* fact, const std::string& trace) {
  if (fact->extra.is_object() && fact->extra.contains("erased")) return false;
  nlohmann::json erased = nlohmann::json::parse(trace, nullptr, false);
  if (erased.is_discarded()) erased = trace;
  nlohmann::json extra = nlohmann::json::object();
  if (fact->extra.is_object() && fact->extra.contains("action")) extra["action"] = fact->extra["action"];
  extra["fields"] = nlohmann::json::object();
  extra["erased"] = std::move(erased);
  fact->extra = std::move(extra);
  fact->comment.clear();
  return true;
}

std::string ErasedRequest(const std::string& command) {
  return nlohmann::json{{"command", command}, {"erased", true}}.dump();
}

std::string ErasedResult() { return R"({"status":"accepted","erased":true})"; }

}  // namespace dfdg::store
