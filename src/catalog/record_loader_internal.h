// Internal to src/catalog: reading one record-type file (catalog/records/*.yaml) into the model.
#pragma once

#include <yaml-cpp/yaml.h>

#include "catalog/model.h"
#include "catalog/yaml_reader_internal.h"

namespace dfdg::catalog {

// Reads the record type declared by the file's top-level mapping `root` and appends it to model->record_types.
// Every problem is recorded in `r` with file and line.
void ReadRecordType(YamlReader& r, const YAML::Node& root, Model* model);

// Reads the built-in command area declared by `root` (catalog/records/builtin/*.yaml) and appends it to
// model->builtin_areas; the commands' field lists are resolved to field indices.
void ReadBuiltinArea(YamlReader& r, const YAML::Node& root, Model* model);

}  // namespace dfdg::catalog
