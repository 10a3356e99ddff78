// Runs every tests/scenarios/*.yaml (format: docs/scenarios.md) against a fresh store (SQLite; PostgreSQL for the
// pg.* tests, DFDG_SCENARIO_BACKEND=postgresql) through the
// registry, with the clock fixed to the scenario's `today`. One GoogleTest case per file.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>

#include "../unit/test_db.h"
#include "automation/daily.h"
#include "automation/rules.h"
#include "notify/notifications.h"
#include "registry/registry.h"
#include "store/open_store.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

// YAML → JSON: plain scalars become int/bool/null when they look like one; quoted scalars stay strings.
Json ToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    Json out = Json::object();
    for (const auto& item : node) out[item.first.Scalar()] = ToJson(item.second);
    return out;
  }
  if (node.IsSequence()) {
    Json out = Json::array();
    for (const auto& item : node) out.push_back(ToJson(item));
    return out;
  }
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (text == "true") return true;
  if (text == "false") return false;
  if (!text.empty() && text.find_first_not_of("-0123456789") == std::string::npos && text.size() < 10 &&
      text.find('-', 1) == std::string::npos) {
    return std::stoll(text);
  }
  // An unquoted decimal (digits, one point, digits) is a JSON number.
  if (size_t point = text.find('.'); point != std::string::npos && point > 0 && point + 1 < text.size() &&
                                     text.find_first_not_of("0123456789", text[0] == '-' ? 1 : 0) == point &&
                                     text.find_first_not_of("0123456789", point + 1) == std::string::npos) {
    return std::stod(text);
  }
  return text;
}

std::shared_ptr<const catalog::Catalog> RealCatalog() {
  static std::shared_ptr<const catalog::Catalog> catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return *loaded;
  }();
  return catalog;
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(DFDG_SOURCE_DIR) / "tests" / "scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::shared_ptr<const automation::Rules> RealAutomation() {
  static std::shared_ptr<const automation::Rules> rules = [] {
    auto loaded = automation::Rules::Load(std::string(DFDG_SOURCE_DIR) + "/catalog", *RealCatalog());
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return *loaded;
  }();
  return rules;
}

// True when every key of `expected` is in `actual` with an equal value (objects compared the same way, lists
// element by element with the same length); an empty object `{}` matches only an empty object.
bool Subset(const Json& expected, const Json& actual) {
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) return false;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!Subset(expected[i], actual[i])) return false;
    }
    return true;
  }
  if (!expected.is_object()) return expected == actual;
  if (expected.empty()) return actual.is_object() && actual.empty();
  if (!actual.is_object()) return false;
  for (const auto& [key, value] : expected.items()) {
    if (!actual.contains(key) || !Subset(value, actual[key])) return false;
  }
  return true;
}

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

std::string Describe(const nlohmann::ordered_json& result) { return result.dump(); }

TEST_P(ScenarioTest, Runs) {
  fs::path file = fs::path(DFDG_SOURCE_DIR) / "tests" / "scenarios" / GetParam();
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    FAIL() << GetParam() << ": " << e.what();
  }
  auto today = ParseDate(doc["today"].Scalar());
  ASSERT_TRUE(today.ok()) << "today: " << doc["today"].Scalar();
  FixedClock clock(*today);
  // The backend: SQLite by default, PostgreSQL when DFDG_SCENARIO_BACKEND=postgresql (ctest runs both).
  const char* backend = std::getenv("DFDG_SCENARIO_BACKEND");
  testdb::TestDb db(backend ? backend : "sqlite");
  ASSERT_TRUE(db.error().empty()) << db.error();
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  registry.SetAutomation(RealAutomation());  // DFDG's own actions and the outbox (docs/automation.md)
  int64_t outbox_seen = 0;                   // the last outbox seq before the current step
  std::vector<int64_t> absence_ids;          // "@N" → the N-th accepted register_absence's entity id
  // Records of declared types: "<kind>_id: @N" → the N-th accepted create of that kind (stored "kind").
  std::map<std::string, std::vector<int64_t>> record_ids;
  auto resolve = [&](const std::string& kind, const std::string& ref) -> Json {
    if (ref.size() < 2 || ref[0] != '@') return ref;
    size_t n = std::stoul(ref.substr(1));
    const auto& ids = record_ids[kind];
    return n >= 1 && n <= ids.size() ? Json(ids[n - 1]) : Json(ref);
  };

  auto run = [&](const YAML::Node& node) -> nlohmann::ordered_json {
    Json command = ToJson(node);
    if (command.contains("absence_id") && command["absence_id"].is_string()) {
      std::string ref = command["absence_id"];
      if (ref.size() > 1 && ref[0] == '@') {
        size_t n = std::stoul(ref.substr(1));
        if (n >= 1 && n <= absence_ids.size()) command["absence_id"] = absence_ids[n - 1];
      }
    }
    for (auto& [key, value] : command.items()) {
      if (key != "absence_id" && key.size() > 3 && key.ends_with("_id") && value.is_string()) {
        value = resolve(key.substr(0, key.size() - 3), value.get<std::string>());
      }
    }
    auto results = registry.ExecuteBatch({command});
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    if (!results.ok()) return {};
    nlohmann::ordered_json result = (*results)[0];
    if (result["status"] == "accepted" && command.value("command", "") == "register_absence" &&
        !result.contains("replayed")) {
      absence_ids.push_back(result["stored"][0]["entity_id"].get<int64_t>());
    }
    // "marking_id: @N" → the N-th accepted add_marking's entity (a built-in command: its entries name no action).
    if (result["status"] == "accepted" && command.value("command", "") == "add_marking" &&
        !result.contains("replayed")) {
      record_ids["marking"].push_back(result["stored"][0]["entity_id"].get<int64_t>());
    }
    if (result["status"] == "accepted" && !result.contains("replayed")) {
      for (const auto& stored : result["stored"]) {
        if (stored.value("action", "") == "create") {
          record_ids[stored["kind"].get<std::string>()].push_back(stored["entity_id"].get<int64_t>());
        }
      }
    }
    return result;
  };

  for (const auto& given : doc["given"]) {
    auto result = run(given);
    EXPECT_EQ(result.value("status", ""), "accepted") << "given command was not accepted: " << Describe(result);
  }
  {
    auto before_steps = (*store)->ListOutbox(0, 1000000);
    ASSERT_TRUE(before_steps.ok()) << before_steps.status().ToString();
    if (!before_steps->empty()) outbox_seen = before_steps->back().seq;
  }
  int step_no = 0;
  for (const auto& step : doc["steps"]) {
    ++step_no;
    std::string name = step["name"] ? step["name"].Scalar() : "step " + std::to_string(step_no);
    nlohmann::ordered_json result;
    if (step["daily"]) {
      // `dfdg daily --date D [--dry-run]` (docs/automation.md § 4); `actions` = exactly the actions of every day
      // run, in order, each a subset of {date, rule, command, status, ...} plus the planned command's fields.
      automation::DailyOptions options;
      auto date = ParseDate(step["daily"]["date"].Scalar());
      ASSERT_TRUE(date.ok()) << name << ": daily.date";
      options.date = *date;
      options.dry_run = step["daily"]["dry_run"] && step["daily"]["dry_run"].as<bool>();
      auto planned = automation::PlanDay(*RealCatalog(), *RealAutomation(), store->get(), *date);
      ASSERT_TRUE(planned.ok()) << planned.status().ToString();
      auto report = automation::RunDaily(*RealCatalog(), *RealAutomation(), store->get(), &registry, *today, options);
      ASSERT_TRUE(report.ok()) << name << ": " << report.status().ToString();
      Json actual = Json::array();
      for (const auto& day : (*report)["days"]) {
        for (const auto& action : day["actions"]) {
          Json item = Json::parse(action.dump());
          item["date"] = day["date"];
          actual.push_back(item);
        }
      }
      // The last day's planned commands (planned before the run) give the fields of its actions.
      size_t last_day = planned->size();
      for (size_t i = 0; i < last_day && actual.size() >= last_day; ++i) {
        Json& item = actual[actual.size() - last_day + i];
        for (const auto& [key, value] : (*planned)[i].items()) {
          if (!item.contains(key)) item[key] = value;
        }
      }
      Json expected = ToJson(step["actions"]);
      bool same = expected.size() == actual.size();
      for (size_t i = 0; same && i < expected.size(); ++i) same = Subset(expected[i], actual[i]);
      EXPECT_TRUE(same) << name << ": daily actions\n  expected " << expected.dump() << "\n  actual   "
                        << actual.dump();
      // `erased` (optional): exactly the erasures of every day run, in order, each a subset of {date, rule, cpr,
      // record_type, entity_id, versions}.
      if (step["erased"]) {
        Json erased = Json::array();
        for (const auto& day : (*report)["days"]) {
          for (const auto& e : day["erased"]) {
            Json item = Json::parse(e.dump());
            item["date"] = day["date"];
            erased.push_back(item);
          }
        }
        Json want = ToJson(step["erased"]);
        bool same_erased = want.size() == erased.size();
        for (size_t i = 0; same_erased && i < want.size(); ++i) same_erased = Subset(want[i], erased[i]);
        EXPECT_TRUE(same_erased) << name << ": daily erased\n  expected " << want.dump() << "\n  actual   "
                                 << erased.dump();
      }
    } else {
      result = run(step["command"]);
    }
    // Outbox messages written by this step, exactly (in order; [] = none). Each expected entry is matched as a
    // subset of the message's JSON (notify::MessageJson).
    auto written = (*store)->ListOutbox(outbox_seen, 100000);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    if (!written->empty()) outbox_seen = written->back().seq;
    if (step["outbox"]) {
      Json expected = ToJson(step["outbox"]);
      Json actual = Json::array();
      for (const auto& m : *written) actual.push_back(Json::parse(notify::MessageJson(m).dump()));
      bool same = expected.size() == actual.size();
      for (size_t i = 0; same && i < expected.size(); ++i) same = Subset(expected[i], actual[i]);
      EXPECT_TRUE(same) << name << ": outbox\n  expected " << expected.dump() << "\n  actual   " << actual.dump();
    }
    // Facts DFDG added by itself (stored entries with details.dfdg), exactly; [] = none.
    if (step["dfdg_facts"]) {
      Json expected = ToJson(step["dfdg_facts"]);
      Json actual = Json::array();
      for (const auto& stored : result.value("stored", nlohmann::ordered_json::array())) {
        if (!stored.contains("details") || !stored["details"].contains("dfdg")) continue;
        Json item = Json::parse(stored.dump());
        Json flat{{"kind", item["kind"]}, {"end", item["end"]}, {"start", item["start"]}};
        if (item.contains("reason")) flat["reason"] = item["reason"];
        for (const auto& [key, value] : item["details"]["dfdg"].items()) flat[key] = value;
        actual.push_back(flat);
      }
      bool same = expected.size() == actual.size();
      for (size_t i = 0; same && i < expected.size(); ++i) same = Subset(expected[i], actual[i]);
      EXPECT_TRUE(same) << name << ": dfdg facts\n  expected " << expected.dump() << "\n  actual   " << actual.dump();
    }
    const YAML::Node& expect = step["expect"];
    if (step["daily"]) continue;  // a daily step's outcome is its `actions`
    if (expect.IsScalar() && expect.Scalar() == "accepted") {
      EXPECT_EQ(result.value("status", ""), "accepted") << name << ": " << Describe(result);
    } else {
      std::set<int> expected;
      for (const auto& code : expect["rejected"]) expected.insert(code.as<int>());
      std::set<int> actual;
      if (result.contains("violations")) {
        for (const auto& v : result["violations"]) actual.insert(v["code"].get<int>());
      }
      EXPECT_EQ(result.value("status", ""), "rejected") << name << ": " << Describe(result);
      EXPECT_EQ(actual, expected) << name << ": " << Describe(result);
    }
  }
  for (const auto& check : doc["status"]) {
    auto date = ParseDate(check["date"].Scalar());
    ASSERT_TRUE(date.ok());
    std::optional<Date> known_at;
    if (check["known_at"] && !check["known_at"].IsNull()) known_at = *ParseDate(check["known_at"].Scalar());
    auto status = registry.PersonStatus(check["cpr"].Scalar(), *date, known_at);
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    const auto& s = *status;
    std::string where = "status on " + check["date"].Scalar();
    if (check["contact_group"]) {
      if (check["contact_group"].IsNull()) {
        EXPECT_TRUE(s["contact_group"].is_null()) << where;
      } else {
        ASSERT_FALSE(s["contact_group"].is_null()) << where;
        EXPECT_EQ(s["contact_group"]["id"].get<int>(), check["contact_group"].as<int>()) << where;
      }
    }
    if (check["visitation"]) {
      std::string actual = s["visitation"].is_null() ? "" : s["visitation"]["key"].get<std::string>();
      EXPECT_EQ(actual, check["visitation"].IsNull() ? "" : check["visitation"].Scalar()) << where;
    }
    if (check["active_absences"]) {
      std::set<int> expected, actual;
      for (const auto& id : check["active_absences"]) expected.insert(id.as<int>());
      for (const auto& a : s["active_absences"]) actual.insert(a["reason"].get<int>());
      EXPECT_EQ(actual, expected) << where;
    }
    // Contact course: the a-kasse choice, CV status, next deadline (date or null), upcoming meeting dates.
    auto text_or_empty = [](const nlohmann::ordered_json& value, const char* key) {
      return value.is_null() ? std::string() : value[key].get<std::string>();
    };
    auto expected_text = [](const YAML::Node& node) { return node.IsNull() ? std::string() : node.Scalar(); };
    if (check["akasse_choice"]) {
      EXPECT_EQ(text_or_empty(s["akasse_choice"], "choice"), expected_text(check["akasse_choice"])) << where;
    }
    if (check["cv_status"]) {
      EXPECT_EQ(text_or_empty(s["cv_status"], "status"), expected_text(check["cv_status"])) << where;
    }
    if (check["next_deadline"]) {
      EXPECT_EQ(text_or_empty(s["next_deadline"], "deadline"), expected_text(check["next_deadline"])) << where;
    }
    if (check["upcoming_meetings"]) {
      std::multiset<std::string> expected, actual;
      for (const auto& d : check["upcoming_meetings"]) expected.insert(d.Scalar());
      for (const auto& m : s["upcoming_meetings"]) actual.insert(m["date"].get<std::string>());
      EXPECT_EQ(actual, expected) << where;
    }
    // Records of declared types: the number current on `date` per type, the union of their forwarding targets,
    // and the scope mode per "type/channel" (null = out of scope).
    if (check["records"]) {
      for (const auto& item : check["records"]) {
        const std::string type = item.first.Scalar();
        ASSERT_TRUE(s["records"].contains(type)) << where << ": no record type " << type;
        EXPECT_EQ(s["records"][type].size(), item.second.as<size_t>())
            << where << ": " << type << " in " << s["records"].dump();
      }
    }
    if (check["forward_to"]) {
      for (const auto& item : check["forward_to"]) {
        std::set<std::string> expected, actual;
        for (const auto& t : item.second) expected.insert(t.Scalar());
        for (const auto& r : s["records"][item.first.Scalar()]) {
          for (const auto& t : r["forward_to"]) actual.insert(t.get<std::string>());
        }
        EXPECT_EQ(actual, expected) << where << ": forward_to " << item.first.Scalar();
      }
    }
    if (check["record_scope"]) {
      for (const auto& item : check["record_scope"]) {
        std::string actual;
        for (const auto& r : s["record_scope"]) {
          if (r["record_type"].get<std::string>() + "/" + r["channel"].get<std::string>() == item.first.Scalar()) {
            actual = r["mode"].get<std::string>();
          }
        }
        EXPECT_EQ(actual, item.second.IsNull() ? "" : item.second.Scalar())
            << where << ": record_scope " << item.first.Scalar();
      }
    }
    // Types whose required current record is missing (record_scope `missing`), as a set of type keys.
    if (check["records_missing"]) {
      std::set<std::string> expected, actual;
      for (const auto& t : check["records_missing"]) expected.insert(t.Scalar());
      for (const auto& r : s["record_scope"]) {
        if (r.value("missing", false)) actual.insert(r["record_type"].get<std::string>());
      }
      EXPECT_EQ(actual, expected) << where << ": records_missing";
    }
    // § 63 stk. 7: who runs the contact course (akasse | jobcenter | null) and from which day.
    if (check["contact_course"]) {
      const auto& k = s["contact_course"];
      const YAML::Node& e = check["contact_course"];
      if (e.IsNull()) {
        EXPECT_TRUE(k.is_null()) << where << ": contact_course " << k.dump();
      } else {
        ASSERT_FALSE(k.is_null()) << where << ": no contact_course";
        EXPECT_EQ(k["responsible"].get<std::string>(), e["responsible"].Scalar()) << where << ": " << k.dump();
        if (e["from"]) {
          EXPECT_EQ(k["from"].get<std::string>(), e["from"].Scalar()) << where << ": " << k.dump();
        }
        if (e["start_basis"]) {
          EXPECT_EQ(k["start_basis"].get<std::string>(), e["start_basis"].Scalar()) << where << ": " << k.dump();
        }
      }
    }
    static const std::set<std::string> kKnownKeys = {
        "cpr",     "date",       "known_at",      "contact_group",   "visitation",    "active_absences",
        "lifted",  "applies",    "akasse_choice", "cv_status",       "next_deadline", "upcoming_meetings",
        "records", "forward_to", "record_scope",  "records_missing", "contact_course"};
    for (const auto& item : check) {
      EXPECT_TRUE(kKnownKeys.count(item.first.Scalar())) << where << ": unknown status key " << item.first.Scalar();
    }
    std::map<std::string, std::string> states;
    for (const auto& o : s["obligations"]) states[o["key"].get<std::string>()] = o["state"].get<std::string>();
    for (const auto& key : check["lifted"]) {
      EXPECT_EQ(states[key.Scalar()], "lifted") << where << ": obligation " << key.Scalar() << " in " << s.dump();
    }
    for (const auto& key : check["applies"]) {
      EXPECT_EQ(states[key.Scalar()], "applies") << where << ": obligation " << key.Scalar() << " in " << s.dump();
    }
  }
  // History of records of declared types: the actions of an entity's versions, oldest first, as known on a day.
  for (const auto& check : doc["history"]) {
    std::optional<Date> known_at;
    if (check["known_at"] && !check["known_at"].IsNull()) known_at = *ParseDate(check["known_at"].Scalar());
    std::string type = check["record_type"].Scalar();
    Json entity = resolve(type, check["entity"].Scalar());
    ASSERT_TRUE(entity.is_number_integer()) << "history: unknown entity " << check["entity"].Scalar();
    auto history = registry.RecordHistory(check["cpr"].Scalar(), type, entity.get<int64_t>(), known_at);
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    ASSERT_EQ((*history)["entities"].size(), 1u) << history->dump();
    const auto& e = (*history)["entities"][0];
    std::vector<std::string> expected, actual;
    for (const auto& a : check["actions"]) expected.push_back(a.Scalar());
    for (const auto& v : e["versions"]) actual.push_back(v["action"].get<std::string>());
    EXPECT_EQ(actual, expected) << "history of " << type << " " << check["entity"].Scalar();
    if (check["current"]) {
      EXPECT_EQ(!e["current"].is_null(), check["current"].as<bool>()) << e.dump();
    }
    for (const auto& field : check["fields"]) {  // fields of the current version
      ASSERT_FALSE(e["current"].is_null());
      EXPECT_EQ(e["current"]["fields"][field.first.Scalar()], ToJson(field.second)) << field.first.Scalar();
    }
  }
  // The citizen's view (Jobnet; `view: borger_dk` Borger.dk's): per type the number of records, exactly which
  // fields are shown and, with `values`, what the first record's fields hold.
  for (const auto& check : doc["citizen"]) {
    auto view = registry.CitizenRecords(check["cpr"].Scalar(), *ParseDate(check["date"].Scalar()));
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    std::string type = check["record_type"].Scalar();
    const std::string part = check["view"] && check["view"].Scalar() == "borger_dk" ? "borger_dk" : "records";
    if (check["count"].IsNull()) {
      EXPECT_FALSE((*view)[part].contains(type)) << view->dump();
      continue;
    }
    ASSERT_TRUE((*view)[part].contains(type)) << view->dump();
    const auto& list = (*view)[part][type];
    EXPECT_EQ(list.size(), check["count"].as<size_t>()) << view->dump();
    for (const auto& r : list) {
      std::set<std::string> expected, actual;
      for (const auto& f : check["fields"]) expected.insert(f.Scalar());
      for (const auto& [key, value] : r["fields"].items()) actual.insert(key);
      EXPECT_EQ(actual, expected) << view->dump();
    }
    for (const auto& field : check["values"]) {
      ASSERT_FALSE(list.empty()) << view->dump();
      EXPECT_EQ(list[0]["fields"][field.first.Scalar()], ToJson(field.second)) << field.first.Scalar();
    }
  }
  // The notices of the citizen's view (e.g. the immediate computation of §§ 85-86): exactly these, by `notice` and
  // the listed fields ([] = none).
  for (const auto& check : doc["citizen_notices"]) {
    auto view = registry.CitizenRecords(check["cpr"].Scalar(), *ParseDate(check["date"].Scalar()));
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    const auto& notices = (*view)["notices"];
    ASSERT_EQ(notices.size(), check["notices"].size()) << check["date"].Scalar() << ": " << view->dump();
    for (size_t i = 0; i < notices.size(); ++i) {
      for (const auto& field : check["notices"][i]) {
        EXPECT_EQ(notices[i][field.first.Scalar()], ToJson(field.second))
            << check["date"].Scalar() << " " << field.first.Scalar() << ": " << view->dump();
      }
    }
  }
  store = Status::NotFound("closed");  // closes the store before `db` removes the database
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest, ::testing::ValuesIn(ScenarioFiles()), TestName);

}  // namespace
}  // namespace dfdg
