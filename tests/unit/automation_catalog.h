// The repository's catalogue and automation rules, loaded once, for the automation tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "automation/rules.h"
#include "catalog/catalog.h"

namespace dfdg::automation_test_support {

// catalog/ of the source tree (fails the test when it does not load).
inline std::shared_ptr<const catalog::Catalog> Catalog() {
  static auto catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return catalog;
}

// catalog/automation.yaml of the source tree, read against Catalog().
inline std::shared_ptr<const automation::Rules> Rules() {
  static auto rules = [] {
    auto loaded = automation::Rules::Load(std::string(DFDG_SOURCE_DIR) + "/catalog", *Catalog());
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return rules;
}

}  // namespace dfdg::automation_test_support
