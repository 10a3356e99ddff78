// Reads the catalogue directory (docs/catalog-format.md) into a Model and checks it.
#pragma once

#include <string>

#include "catalog/model.h"
#include "core/status.h"

namespace dfdg::catalog {

// Reads every file of the catalogue directory `dir` and runs all checks (CheckModel). On any error returns
// Corruption whose message lists every problem found as "<file>:<line>: <message>", one per line.
Result<Model> LoadModel(const std::string& dir);

// Referential and validity checks over a parsed model: unique ids, known contact groups, visitation
// categories, obligations and reasons, known seeds with lines inside the seed, non-overlapping versions.
// Appends one "<file>:<line>: <message>" per problem to `errors`.
void CheckModel(const Model& model, std::vector<std::string>* errors);

// The checks of declared record types (part of CheckModel): field types and their attributes, periods, scope,
// actors, code lists, forwarding, the citizen's view, sources, and unique type keys and command names.
void CheckRecordTypes(const Model& model, std::vector<std::string>* errors);

}  // namespace dfdg::catalog
