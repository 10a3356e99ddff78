// The kinds of connected system (tilslutningsaftale, seed 000 § 6) as data: catalog/access.yaml `system_kinds`,
// each with its channel and what a system of the kind must carry. Format: docs/api.md "Access rules".
#pragma once

#include <string>
#include <vector>

#include "catalog/refs.h"
#include "core/status.h"

namespace dfdg::api {

struct SystemKind {
  std::string key;                  // e.g. "jobcenter"; the `kind` of a system in the serve configuration
  std::string name_da, name_en;     // for people (docs, messages)
  catalog::Channel channel = catalog::Channel::kJobcenter;  // the channel its commands carry and its reads are judged as
  // What a system of the kind must carry (`requires`): a municipality code (101-999) and an a-kasse number are
  // checked when the serve configuration is loaded; a CVR number on every call (a system without it is accepted
  // in the file and refused on each call, § 6 stk. 4).
  bool needs_municipality = false;
  bool needs_akasse = false;
  bool needs_cvr = false;
  std::string source;  // seed line and §, or why there is none
};

class SystemKinds {
 public:
  // Reads `system_kinds` of an access rules file (catalog/access.yaml). InvalidArgument names the file and the
  // entry: a missing key, name or source, an unknown channel or requirement, a repeated key, or no kinds at all.
  static Result<SystemKinds> Load(const std::string& path);

  // The kind, or nullptr when the data names no such kind.
  const SystemKind* Find(const std::string& key) const;
  // The known kinds' keys, comma-separated in the file's order (for messages).
  std::string KnownList() const;
  const std::vector<SystemKind>& kinds() const { return kinds_; }

 private:
  std::vector<SystemKind> kinds_;
};

}  // namespace dfdg::api
