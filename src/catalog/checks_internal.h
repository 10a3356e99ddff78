// Internal to src/catalog: what the model checks (checks.cc) and the record-type checks (record_checks.cc) share.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace dfdg::catalog {

// Each seed's number of lines (catalog/sources.yaml), by seed id.
std::map<std::string, int> SeedLines(const Model& model);

// Appends "file:line: message" (the place `at`) to `errors`.
void AddError(std::vector<std::string>* errors, const FileRef& at, const std::string& message);

// Appends an error at `at` for each of `refs` that names a seed missing from `seed_lines` (SeedLines) or a line
// past the end of its seed.
void CheckSourceRefs(const std::map<std::string, int>& seed_lines, const FileRef& at,
                     const std::vector<SourceRef>& refs, std::vector<std::string>* errors);

}  // namespace dfdg::catalog
