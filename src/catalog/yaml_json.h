// YAML as JSON with the catalogue's scalar typing, for code outside the loader that reads catalogue-shaped YAML
// (e.g. the measurement's what-if changes).
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <nlohmann/json.hpp>

namespace dfdg::catalog {

// The node as JSON: maps and sequences as objects and arrays (map keys in `skip` left out), quoted scalars as
// strings, plain `true`/`false` as booleans, plain scalars that are whole `int`s as numbers, other scalars as
// strings, null and undefined nodes as null.
nlohmann::ordered_json YamlToJson(const YAML::Node& node, std::initializer_list<const char*> skip = {});

}  // namespace dfdg::catalog
