// `dfdg measure --db`: the registry's own absences, interviews, contact groups and municipality become
// measurement input. Uses the demo commands (examples/demo-commands.jsonl) on a real SQLite store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/clock.h"
#include "measure/registry_input.h"
#include "measure_test_util.h"
#include "registry/registry.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;
using testing_util::D;

TEST(MeasureRegistryInputTest, DemoCommandsBecomeInput) {
  fs::path dir = fs::temp_directory_path() / ("dfdg_measure_db_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto store = store::SqliteStore::Open((dir / "demo.db").string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  FixedClock clock(D("2025-09-15"));
  {
    registry::Registry reg(*catalog, store->get(), &clock);
    std::ifstream in(std::string(DFDG_SOURCE_DIR) + "/examples/demo-commands.jsonl");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') lines.push_back(line);
    }
    auto results = reg.ExecuteLines(lines);
    ASSERT_TRUE(results.ok()) << results.status().message();
  }
  InputData data = testing_util::OnePerson("0101901234");
  data.Finish();
  ASSERT_TRUE(AddRegistryFacts(**store, **catalog, &data).ok());
  PersonView v = data.View(0);
  ASSERT_FALSE(v.residence.empty());
  EXPECT_EQ(v.residence[0].value, 101);
  ASSERT_FALSE(v.contact_groups.empty());
  EXPECT_EQ(v.contact_groups[0].contact_group, 2);
  EXPECT_EQ(v.contact_groups[0].visitation, "jobparat");
  bool interview = false;
  for (const auto& iv : v.interviews) {
    if (iv.date == D("2025-07-01") && iv.type == InterviewType::kJobsamtale) interview = true;
  }
  EXPECT_TRUE(interview);
  bool barsel = false;
  for (const auto& a : v.absences) barsel = barsel || a.reason == 8;
  EXPECT_TRUE(barsel);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dfdg::measure
