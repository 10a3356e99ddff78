// The daily rule end_markings_at_project_closing (D10) on the catalogue's projects (docs/decisions/0048), on both
// backends: a catalogue project whose every version gets a `valid_to` closes the day before it, and the markings
// registered on it before that run past the closing are brought within it by the next daily run. The real
// catalogue holds no such project with markings past it (3056 refuses them), so the closing is added to a copy.
#include <gtest/gtest.h>

#include "automation/daily.h"
#include "automation_catalog.h"
#include "catalog_copy.h"
#include "registry/registry.h"
#include "store_backend_test.h"

namespace dfdg {
namespace {

using Json = nlohmann::json;
using automation_test_support::Catalog;
using automation_test_support::Rules;

class ClosingTest : public testdb::StoreBackendTest {
 protected:
  void TearDown() override {
    registry_.reset();
    StoreBackendTest::TearDown();
  }
  void Accept(const Json& command) {
    auto results = registry_->ExecuteBatch({command});
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    ASSERT_EQ((*results)[0]["status"], "accepted") << command.dump() << " → " << (*results)[0].dump();
  }
  std::unique_ptr<Clock> clock_ = std::make_unique<FixedClock>(MakeDate(2025, 8, 3));
  std::unique_ptr<registry::Registry> registry_;
};

TEST_P(ClosingTest, CatalogueProjectsClosingBringsTheirMarkingsWithinIt) {
  registry_ = std::make_unique<registry::Registry>(Catalog(), store_.get(), clock_.get());
  const std::string cpr = "0101901234";
  Accept({{"command", "set_municipality"}, {"cpr", cpr}, {"registered_at", "2025-01-02"}, {"municipality", 101},
          {"start", "2025-01-02"}});
  // A state project's marking naming no project, and one on Copenhagen's own catalogue project; both open.
  Accept({{"command", "add_marking"}, {"cpr", cpr}, {"registered_at", "2025-03-01"},
          {"marking", "Tidlig opfølgning - fast track"}, {"start", "2025-03-01"}});
  Accept({{"command", "add_marking"}, {"cpr", cpr}, {"registered_at", "2025-03-01"}, {"project", "sagsstamme_a"},
          {"project_kind", "jobcenter"}, {"marking", "Stamme A"}, {"start", "2025-03-01"}});
  // The real catalogue: both projects open, nothing to do.
  auto none = automation::PlanDay(*Catalog(), *Rules(), store_.get(), MakeDate(2025, 8, 3));
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty()) << Json(*none).dump();

  // Both projects' last day 2025-07-31 (valid_to 2025-08-01).
  testing_util::CatalogCopy copy("closing");
  ASSERT_TRUE(copy.Replace("records/builtin/marking.yaml",
                           "valid_from: null, valid_to: null, source: [\"000:818\", \"000:820\", \"000:966\", "
                           "\"000:1114\"]",
                           "valid_from: null, valid_to: 2025-08-01, source: [\"000:818\", \"000:820\", \"000:966\", "
                           "\"000:1114\"]"));
  ASSERT_TRUE(copy.Replace("records/builtin/marking.yaml",
                           "sagsstamme A\", valid_from: 2025-01-01, valid_to: null",
                           "sagsstamme A\", valid_from: 2025-01-01, valid_to: 2025-08-01"));
  auto closed = catalog::Catalog::Load(copy.dir().string());
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  auto planned = automation::PlanDay(**closed, *Rules(), store_.get(), MakeDate(2025, 8, 3));
  ASSERT_TRUE(planned.ok()) << planned.status().ToString();
  ASSERT_EQ(planned->size(), 2u) << Json(*planned).dump();
  // No project named: corrected to end on the closing day, with a generated comment.
  EXPECT_EQ((*planned)[0]["command"], "correct_marking");
  EXPECT_EQ((*planned)[0]["end"], "2025-07-31");
  EXPECT_NE((*planned)[0]["comment"].get<std::string>().find("tidlig_opfoelgning"), std::string::npos);
  // Open and naming its project: end_marking on the closing day.
  EXPECT_EQ((*planned)[1]["command"], "end_marking");
  EXPECT_EQ((*planned)[1]["project"], "sagsstamme_a");
  EXPECT_EQ((*planned)[1]["end"], "2025-07-31");

  // Applied under the closed catalogue both are accepted, and the next day plans nothing.
  registry_ = std::make_unique<registry::Registry>(*closed, store_.get(), clock_.get());
  auto applied = registry_->ExecuteBatch(*planned);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  for (const auto& r : *applied) EXPECT_EQ(r["status"], "accepted") << r.dump();
  auto after = automation::PlanDay(**closed, *Rules(), store_.get(), MakeDate(2025, 8, 4));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty()) << Json(*after).dump();
}

INSTANTIATE_TEST_SUITE_P(Backends, ClosingTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dfdg
