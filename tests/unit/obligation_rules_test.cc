// The general rules between duties (catalog/obligations.yaml: same_duty, implied_exemptions; docs/obligations.md):
// what the catalogue answers for every reason and cell, how it explains an implied lift, the rule's first day,
// the loader's checks, and — end to end — that no person's status contradicts itself for any reason that a
// contact group 1 or 2 person can be registered with.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "registry/registry.h"
#include "registry/status_report.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using catalog::Catalog;

std::shared_ptr<const Catalog> Real() {
  static auto catalog = [] {
    auto loaded = Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return catalog;
}

Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }

// Every violated rule in a set of lifted obligation keys, as text ("" when the set is coherent).
std::string Contradictions(const catalog::Model& model, const std::set<std::string>& lifted,
                           const std::set<std::string>& present, Date date) {
  std::string out;
  for (const auto& d : model.same_duties) {
    std::set<bool> states;
    for (const auto& key : d.keys) {
      if (present.count(key)) states.insert(lifted.count(key) > 0);
    }
    if (states.size() > 1) out += "same duty " + d.keys[0] + "/" + d.keys[1] + " lifted and not; ";
  }
  for (const auto& e : model.implied_exemptions) {
    if (!e.validity.Contains(date) || !lifted.count(e.lifted)) continue;
    for (const auto& key : e.also_lifts) {
      if (present.count(key) && !lifted.count(key)) out += e.lifted + " lifted but " + key + " applies; ";
    }
  }
  return out;
}

TEST(ObligationRulesTest, TheCatalogueHoldsTheSeedsGeneralRules) {
  const catalog::Model& m = Real()->model();
  auto has_same = [&](const std::string& a, const std::string& b) {
    for (const auto& d : m.same_duties) {
      std::set<std::string> keys(d.keys.begin(), d.keys.end());
      if (keys.count(a) && keys.count(b)) return true;
    }
    return false;
  };
  auto has_implied = [&](const std::string& from, const std::string& to) {
    for (const auto& e : m.implied_exemptions) {
      if (e.lifted == from && std::count(e.also_lifts.begin(), e.also_lifts.end(), to)) return true;
    }
    return false;
  };
  EXPECT_TRUE(has_same("kontaktforloeb", "kontaktforloeb_uddannelsespaalaeg"));  // 001:166
  EXPECT_TRUE(has_same("ret_pligt_tilbud", "ret_og_pligt_til_aktivering"));      // 001:157, 001:3456
  EXPECT_TRUE(has_implied("tilbud", "ret_pligt_tilbud"));                        // 001:157
  EXPECT_TRUE(has_implied("kontaktforloeb", "pligt_selvbooking"));               // 001:7357
  for (const auto& e : m.implied_exemptions) EXPECT_FALSE(e.sources.empty()) << e.lifted;
  for (const auto& d : m.same_duties) EXPECT_FALSE(d.sources.empty()) << d.keys[0];
}

TEST(ObligationRulesTest, EveryLookupIsCoherentForEveryReasonGroupAndCategory) {
  auto catalog = Real();
  const catalog::Model& m = catalog->model();
  int cells = 0;
  for (Date date : {D(2022, 12, 1), D(2023, 3, 7), D(2023, 3, 8), D(2025, 6, 30), D(2025, 8, 1)}) {
    for (const auto& a : m.absences) {
      for (const auto& g : m.contact_groups) {
        std::vector<const std::string*> categories{nullptr};
        for (const auto& v : m.visitation_categories) categories.push_back(&v.key);
        for (const std::string* v : categories) {
          catalog::LookupResult lookup = catalog->Lookup(a.id, g.id, v, date);
          if (!lookup.row) continue;
          ++cells;
          std::set<std::string> lifted, all;
          for (const auto* o : lookup.exempts) lifted.insert(o->key);
          for (const auto& o : m.obligations) all.insert(o.key);
          EXPECT_EQ(Contradictions(m, lifted, all, date), "")
              << "reason " << a.id << ", KG " << g.id << (v ? " / " + *v : "") << " on " << FormatDate(date);
        }
      }
    }
  }
  EXPECT_GT(cells, 1000);
}

TEST(ObligationRulesTest, AnImpliedLiftNamesItsRuleAndSource) {
  auto catalog = Real();
  // Reason 43, KG 1: the row prints "Kontaktforløb" (001:5091); the other name follows as the same duty.
  catalog::LookupResult lookup = catalog->Lookup(43, 1, nullptr, D(2025, 8, 1));
  ASSERT_NE(lookup.row, nullptr);
  const catalog::ImpliedLift* found = nullptr;
  for (const auto& lift : lookup.implied) {
    if (lift.obligation->key == "kontaktforloeb_uddannelsespaalaeg") found = &lift;
  }
  ASSERT_NE(found, nullptr);
  EXPECT_TRUE(found->same_duty);
  EXPECT_EQ(found->because_of->key, "kontaktforloeb");
  EXPECT_EQ(catalog->Cite(found->sources->front()), "001_ac98bd5917396cba.txt:166");
  // Every implied lift is also in `exempts`, and the row's own list comes first.
  for (const auto& lift : lookup.implied) {
    EXPECT_NE(std::find(lookup.exempts.begin(), lookup.exempts.end(), lift.obligation), lookup.exempts.end());
    EXPECT_EQ(std::count(lookup.row->exempts.begin(), lookup.row->exempts.end(), lift.obligation->key), 0);
  }
  EXPECT_EQ(lookup.exempts.size(), lookup.row->exempts.size() + lookup.implied.size());
}

TEST(ObligationRulesTest, TheSelfBookingRuleStartsOnEightMarch2023) {
  auto catalog = Real();
  auto lifts = [&](Date date, const std::string& key) {
    catalog::LookupResult lookup = catalog->Lookup(65, 1, nullptr, date);
    EXPECT_NE(lookup.row, nullptr);
    for (const auto* o : lookup.exempts) {
      if (o->key == key) return true;
    }
    return false;
  };
  EXPECT_FALSE(lifts(D(2023, 3, 7), "pligt_selvbooking"));
  EXPECT_TRUE(lifts(D(2023, 3, 8), "pligt_selvbooking"));
  EXPECT_TRUE(lifts(D(2023, 3, 7), "kontaktforloeb"));  // the same duty has no first day
}

TEST(ObligationRulesTest, TheLoaderRefusesRulesNamingUnknownDuties) {
  fs::path dir =
      fs::temp_directory_path() / std::string("dfdg_obligation_rules_").append(std::to_string(std::random_device{}()));
  fs::copy(fs::path(DFDG_SOURCE_DIR) / "catalog", dir, fs::copy_options::recursive);
  {
    std::ifstream in(dir / "obligations.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t at = text.find("implied_exemptions:\n");
    ASSERT_NE(at, std::string::npos);
    text.insert(at + 20,
                "  - lifted: no_such_duty\n    also_lifts: [tilbud]\n    text_da: \"x\"\n    source: \"001:157\"\n");
    std::ofstream out(dir / "obligations.yaml", std::ios::trunc);
    out << text;
  }
  auto loaded = Catalog::Load(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("obligations.yaml:"), std::string::npos) << loaded.status().message();
  EXPECT_NE(loaded.status().message().find("unknown obligation 'no_such_duty'"), std::string::npos);
}

// End to end: one person per (group, category, reason) registered today through the registry, and the printed
// status must never contradict itself.
TEST(ObligationRulesTest, NoStatusContradictsItself) {
  auto catalog = Real();
  fs::path db = fs::temp_directory_path() /
                std::string("dfdg_obligations_").append(std::to_string(std::random_device{}())).append(".db");
  auto store = store::SqliteStore::Open(db.string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Date today = D(2025, 8, 1);
  FixedClock clock(today);
  registry::Registry registry(catalog, store->get(), &clock);

  struct Cell {
    int group;
    const char* category;  // nullptr: none
  };
  const Cell cells[] = {{1, nullptr}, {2, "jobparat"}, {2, "aktivitetsparat"}};
  int serial = 0, checked = 0;
  for (const Cell& cell : cells) {
    for (const auto& a : catalog->model().absences) {
      ++serial;
      char cpr[16];  // 10 digits; room for the widest int the compiler assumes
      std::snprintf(cpr, sizeof cpr, "%02d%02d901234", 1 + serial % 28, 1 + (serial / 28) % 12);
      std::vector<nlohmann::json> setup{{{"command", "set_contact_group"},
                                         {"cpr", cpr},
                                         {"registered_at", "2024-01-02"},
                                         {"contact_group", cell.group},
                                         {"start", "2024-01-02"}}};
      if (cell.category) {
        setup.push_back({{"command", "set_visitation"},
                         {"cpr", cpr},
                         {"registered_at", "2024-01-02"},
                         {"category", cell.category}});
      }
      auto set = registry.ExecuteBatch(setup);
      ASSERT_TRUE(set.ok());
      bool registered = false;
      for (const char* channel : {"jobcenter", "akasse"}) {
        auto r = registry.ExecuteBatch({{{"command", "register_absence"},
                                         {"cpr", cpr},
                                         {"reason", a.id},
                                         {"start", "2025-08-01"},
                                         {"end", "2025-08-02"},
                                         {"channel", channel},
                                         {"comment", "registreret i test"}}});
        ASSERT_TRUE(r.ok());
        if ((*r)[0]["status"] == "accepted") {
          registered = true;
          break;
        }
      }
      if (!registered) continue;
      auto status = registry.PersonStatus(cpr, today, std::nullopt);
      ASSERT_TRUE(status.ok()) << status.status().ToString();
      std::set<std::string> lifted, present;
      for (const auto& o : (*status)["obligations"]) {
        present.insert(o["key"].get<std::string>());
        if (o["state"] == "lifted") lifted.insert(o["key"].get<std::string>());
      }
      ++checked;
      EXPECT_EQ(Contradictions(catalog->model(), lifted, present, today), "")
          << "KG " << cell.group << (cell.category ? std::string(" / ") + cell.category : "") << ", reason " << a.id
          << "\n"
          << registry::StatusText(*status);
    }
  }
  EXPECT_GT(checked, 60);  // the sweep did register persons (not a vacuous pass)
  store.value().reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

}  // namespace
}  // namespace dfdg
