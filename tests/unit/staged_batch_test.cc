// Registry::ExecuteAdmitted (docs/decisions/0023-parallel-validation.md), on both backends: commands of many
// persons, interleaved, validated on several threads give exactly the results and the stored state of the
// serial ExecuteBatch; each person's commands see the earlier ones of the same batch (also in the access check);
// a refused command stores nothing; a batch whose commit fails leaves nothing behind, in the store or the cache;
// the pipelined form (ExecuteAdmittedAsync) gives the same results.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "registry/registry.h"
#include "store/open_store.h"
#include "test_db.h"

namespace dfdg {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

std::shared_ptr<const catalog::Catalog> Catalogue() {
  static auto catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return catalog;
}

std::string PersonCpr(int p) {
  char cpr[24];  // 10 digits for the persons used here; room for any int keeps GCC's -Wformat-truncation quiet
  std::snprintf(cpr, sizeof cpr, "%02d0982%04d", 1 + p % 28, 3000 + p);
  return cpr;
}

// Round `round` of every person's commands, persons interleaved: a person's commands are far apart in the batch,
// and each depends on the ones before it (no absence without a contact group; the Sorgorlov overlaps the Barsel
// and is rejected only if the Barsel is seen; the repeats of an id are replays or 1009).
std::vector<Json> Commands(int persons, int round) {
  std::vector<Json> out;
  for (int step = 0; step < 7; ++step) {
    for (int p = 0; p < persons; ++p) {
      std::string cpr = PersonCpr(p),
                  id = std::string("p").append(std::to_string(p)).append("-r").append(std::to_string(round));
      Json c;
      if (round == 0) {
        switch (step) {
          case 0:
            c = {{"command", "set_municipality"}, {"cpr", cpr}, {"municipality", 101}, {"start", "2025-07-01"}};
            break;
          case 1:
            c = {{"command", "set_contact_group"}, {"cpr", cpr}, {"contact_group", 2}, {"start", "2025-07-01"}};
            break;
          case 2:
            c = {{"command", "set_visitation"}, {"cpr", cpr}, {"category", "jobparat"}};
            break;
          case 3:
            c = {{"command", "register_absence"}, {"cpr", cpr},          {"reason", 8},
                 {"start", "2025-08-01"},         {"end", "2025-12-31"}, {"id", id}};
            break;
          case 4:
            c = {{"command", "register_absence"},
                 {"cpr", cpr},
                 {"reason", 79},
                 {"start", "2025-08-05"},
                 {"end", "2025-10-31"}};
            break;
          case 5:
            c = {{"command", "register_absence"}, {"cpr", cpr},          {"reason", 8},
                 {"start", "2025-08-01"},         {"end", "2025-12-31"}, {"id", id}};
            break;
          case 6:
            c = {{"command", "register_absence"}, {"cpr", cpr},          {"reason", 8},
                 {"start", "2025-08-02"},         {"end", "2025-12-31"}, {"id", id}};
            break;
        }
      } else {
        // The second round shortens the first round's Barsel (entity 4, from the cached history whose seq numbers
        // the first round's commit filled in), then adds a Sorgorlov after it, its id shared by two persons.
        switch (step) {
          case 0:
            c = {{"command", "update_absence"}, {"cpr", cpr}, {"absence_id", 4}, {"end", "2025-11-30"}};
            break;
          case 1:
            c = {{"command", "register_absence"}, {"cpr", cpr},          {"reason", 79},
                 {"start", "2025-12-05"},         {"end", "2025-12-20"}, {"id", "shared-" + std::to_string(p / 2)}};
            break;
          default:
            continue;
        }
      }
      out.push_back(std::move(c));
    }
  }
  out.push_back({{"command", "register_absence"}, {"cpr", "3213991234"}, {"reason", 8}});  // malformed CPR
  out.push_back({{"command", 7}});
  return out;
}

class StagedBatchTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && testdb::TestPostgresUrl().empty()) GTEST_SKIP() << "no PostgreSQL test cluster";
  }
};

TEST_P(StagedBatchTest, ParallelValidationGivesTheSerialResults) {
  constexpr int kPersons = 60;
  FixedClock clock(MakeDate(2025, 8, 1));
  testdb::TestDb serial_db(GetParam()), staged_db(GetParam());
  ASSERT_TRUE(serial_db.error().empty() && staged_db.error().empty());
  auto serial_store = store::OpenStore(serial_db.location());
  auto staged_store = store::OpenStore(staged_db.location());
  ASSERT_TRUE(serial_store.ok() && staged_store.ok());
  registry::Registry serial(Catalogue(), serial_store->get(), &clock);
  registry::Registry staged(Catalogue(), staged_store->get(), &clock);
  staged.SetValidationThreads(3);
  for (int round = 0; round < 2; ++round) {
    std::vector<Json> commands = Commands(kPersons, round);
    auto expected = serial.ExecuteBatch(commands);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    // The admit check sees each person as the batch has made it so far: after its set_municipality.
    std::vector<char> saw_municipality(commands.size(), 0);
    auto admit = [&](size_t i, const registry::PersonView* person) {
      saw_municipality[i] = person && person->On(registry::FactKind::kMunicipality, clock.Today()) ? 1 : 0;
      return true;
    };
    auto got = staged.ExecuteAdmitted(commands, admit, {});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->size(), expected->size());
    int accepted = 0, rejected = 0, replayed = 0;
    for (size_t i = 0; i < got->size(); ++i) {
      EXPECT_FALSE((*got)[i].refused);
      EXPECT_EQ(OJson::parse((*got)[i].json), (*expected)[i]) << "command " << i << ": " << commands[i].dump();
      std::string status = (*expected)[i]["status"];
      if (status == "accepted" && (*expected)[i].contains("replayed")) {
        ++replayed;
      } else if (status == "accepted") {
        ++accepted;
      }
      if (status == "rejected") ++rejected;
      bool has_municipality_before = i < commands.size() - 2 && (round == 1 || i >= kPersons);
      EXPECT_EQ(saw_municipality[i], has_municipality_before ? 1 : 0) << "command " << i;
    }
    // The batch exercised every kind of result (so the comparison above is not vacuous).
    EXPECT_EQ(accepted, round == 0 ? 4 * kPersons : kPersons + kPersons / 2);
    EXPECT_EQ(rejected, (round == 0 ? 2 * kPersons : kPersons / 2) + 2);
    EXPECT_EQ(replayed, round == 0 ? kPersons : 0);
  }
  for (int p = 0; p < kPersons; ++p) {
    auto a = serial.PersonStatus(PersonCpr(p), MakeDate(2025, 8, 10), std::nullopt);
    auto b = staged.PersonStatus(PersonCpr(p), MakeDate(2025, 8, 10), std::nullopt);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << p;
    auto ha = serial.RecordHistory(PersonCpr(p), "", 0, std::nullopt);
    auto hb = staged.RecordHistory(PersonCpr(p), "", 0, std::nullopt);
    ASSERT_TRUE(ha.ok() && hb.ok());
    EXPECT_EQ(*ha, *hb) << p;
  }
  EXPECT_EQ(*store::CountRows(**serial_store, "facts"), *store::CountRows(**staged_store, "facts"));
  EXPECT_EQ(*store::CountRows(**serial_store, "commands"), *store::CountRows(**staged_store, "commands"));
}

// Registry::ExecuteAdmittedAsync (docs/decisions/0027-pipelined-commit.md): the same commands in slices, each
// slice validated while the one before it commits (SQLite: through the reader connection; PostgreSQL has none and
// commits each slice at once), a person's commands and the repeats of an id spread over several slices. Results
// and stored state are the serial ExecuteBatch's of the same slices (a repeat of an id from an earlier batch
// answers with the stored result, whose facts carry no seq numbers, also in the serial path).
TEST_P(StagedBatchTest, PipelinedSlicesGiveTheSerialResults) {
  constexpr int kPersons = 40;
  constexpr size_t kSlice = 37;
  FixedClock clock(MakeDate(2025, 8, 1));
  testdb::TestDb serial_db(GetParam()), piped_db(GetParam());
  ASSERT_TRUE(serial_db.error().empty() && piped_db.error().empty());
  auto serial_store = store::OpenStore(serial_db.location());
  auto piped_store = store::OpenStore(piped_db.location());
  ASSERT_TRUE(serial_store.ok() && piped_store.ok());
  registry::Registry serial(Catalogue(), serial_store->get(), &clock);
  registry::Registry piped(Catalogue(), piped_store->get(), &clock);
  piped.SetValidationThreads(2);
  auto enabled = piped.EnablePipeline();
  ASSERT_TRUE(enabled.ok()) << enabled.status().ToString();
  EXPECT_EQ(*enabled, GetParam() == "sqlite");
  int replayed = 0;
  for (int round = 0; round < 2; ++round) {
    std::vector<Json> commands = Commands(kPersons, round);
    std::vector<OJson> expected;
    for (size_t from = 0; from < commands.size(); from += kSlice) {
      std::vector<Json> slice(commands.begin() + from, commands.begin() + std::min(commands.size(), from + kSlice));
      auto results = serial.ExecuteBatch(slice);
      ASSERT_TRUE(results.ok()) << results.status().ToString();
      expected.insert(expected.end(), results->begin(), results->end());
    }
    std::vector<std::string> got(commands.size());
    int answered = 0;  // durable callbacks, each once per slice (the committer thread or this one)
    for (size_t from = 0; from < commands.size(); from += kSlice) {
      std::vector<Json> slice(commands.begin() + from, commands.begin() + std::min(commands.size(), from + kSlice));
      Status handed = piped.ExecuteAdmittedAsync(
          slice, {}, {}, [&got, &answered, from](Result<std::vector<registry::CommandResult>> results) {
            ASSERT_TRUE(results.ok()) << results.status().ToString();
            for (size_t i = 0; i < results->size(); ++i) got[from + i] = (*results)[i].json;
            ++answered;
          });
      ASSERT_TRUE(handed.ok()) << handed.ToString();
    }
    piped.Flush();
    EXPECT_EQ(answered, static_cast<int>((commands.size() + kSlice - 1) / kSlice));
    for (size_t i = 0; i < commands.size(); ++i) {
      ASSERT_FALSE(got[i].empty()) << i;
      EXPECT_EQ(OJson::parse(got[i]), expected[i]) << "command " << i << ": " << commands[i].dump();
      if (expected[i].contains("replayed")) ++replayed;
    }
  }
  EXPECT_GT(replayed, 0);  // ids repeated across slices, also while the first one's commit was in flight
  for (int p = 0; p < kPersons; ++p) {
    auto ha = serial.RecordHistory(PersonCpr(p), "", 0, std::nullopt);
    auto hb = piped.RecordHistory(PersonCpr(p), "", 0, std::nullopt);
    ASSERT_TRUE(ha.ok() && hb.ok());
    EXPECT_EQ(*ha, *hb) << p;
  }
  EXPECT_EQ(*store::CountRows(**serial_store, "facts"), *store::CountRows(**piped_store, "facts"));
  EXPECT_EQ(*store::CountRows(**serial_store, "commands"), *store::CountRows(**piped_store, "commands"));
}

TEST_P(StagedBatchTest, RefusedCommandsAndFailedCommitsLeaveNothing) {
  FixedClock clock(MakeDate(2025, 8, 1));
  testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty());
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok());
  registry::Registry registry(Catalogue(), store->get(), &clock);
  registry.SetValidationThreads(2);
  std::vector<Json> commands = Commands(8, 0);
  // A commit that fails (here: before it, as a failing audit write would) acknowledges nothing and stores nothing.
  auto failed = registry.ExecuteAdmitted(
      commands, {}, [](const std::vector<registry::CommandResult>&) { return Status::IOError("disk full"); });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(*store::CountRows(**store, "commands"), 0);
  // Run again: the failed attempt's staged facts are gone from the cache too (else the Barsel would now overlap
  // itself and every absence would be rejected). Person 3's commands are refused.
  auto results = registry.ExecuteAdmitted(
      commands, [&](size_t, const registry::PersonView* person) { return !person || person->cpr() != PersonCpr(3); },
      {});
  ASSERT_TRUE(results.ok());
  auto text = [](const Json& c, const char* key) {
    return c.contains(key) && c[key].is_string() ? c[key].get<std::string>() : std::string();
  };
  for (size_t i = 0; i < commands.size(); ++i) {
    bool person3 = text(commands[i], "cpr") == PersonCpr(3);
    EXPECT_EQ((*results)[i].refused, person3) << i;
    if (person3) {
      EXPECT_EQ((*results)[i].json, "");
    }
    if (text(commands[i], "command") == "register_absence" && commands[i].value("reason", 0) == 8 &&
        text(commands[i], "start") == "2025-08-01" && !person3) {
      EXPECT_TRUE((*results)[i].accepted) << (*results)[i].json;
    }
  }
  auto status = registry.PersonStatus(PersonCpr(3), MakeDate(2025, 8, 10), std::nullopt);
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE((*status)["contact_group"].is_null()) << status->dump();
  EXPECT_EQ(*store::CountRows(**store, "commands"), 7 * 4);  // four stored commands for each admitted person
}

INSTANTIATE_TEST_SUITE_P(Backends, StagedBatchTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dfdg
