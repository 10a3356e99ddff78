// Shared by the record schema (record_schema.cc) and the record reference (record_reference.cc): how both name a
// rule's seed lines and its catalogue place. Internal to src/registry.
#pragma once

#include <string>
#include <vector>

#include "catalog/refs.h"

namespace dfdg::registry::record_doc {

// "seed:line, seed:line" (no spaces within an entry), in the order given.
inline std::string Refs(const std::vector<catalog::SourceRef>& sources) {
  std::string out;
  for (const auto& s : sources) out += (out.empty() ? "" : ", ") + s.seed + ":" + std::to_string(s.line);
  return out;
}

// "file:line" of a catalogue entry.
inline std::string At(const catalog::FileRef& at) { return at.file + ":" + std::to_string(at.line); }

}  // namespace dfdg::registry::record_doc
