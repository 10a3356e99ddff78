// Helpers for the measurement tests: build small InputData by hand and evaluate with the real catalogue.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "catalog/catalog.h"
#include "measure/evaluate.h"
#include "measure/input.h"
#include "measure/method.h"
#include "measure/spells.h"

namespace dfdg::measure::testing_util {

inline Date D(const char* text) { return *ParseDate(text); }

// The bytes of the file at `path` ("" when it cannot be read).
inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const MethodRules& Rules() {
  static const MethodRules rules = [] {
    auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(catalog.ok()) << catalog.status().message();
    auto built = BuildRules(**catalog);
    EXPECT_TRUE(built.ok()) << built.status().message();
    return *built;
  }();
  return rules;
}

inline InputData OnePerson(const std::string& cpr, const char* pension = "2060-01-01") {
  InputData data;
  Person p{cpr, D("1990-01-01"), D(pension)};
  data.by_cpr.emplace(CprKey(cpr), 0);
  data.persons.push_back(p);
  return data;
}

inline void AddPayment(InputData* data, Benefit benefit, const char* from, const char* to, double hours = 0,
                       KhRate rate = KhRate::kNone, bool part_time = false) {
  Payment p;
  p.benefit = benefit;
  p.from = D(from);
  p.to = D(to);
  p.centihours = static_cast<int64_t>(hours * 100 + 0.5);
  p.rate = rate;
  p.part_time = part_time;
  data->payments.push_back(p);
}

inline void AddInterview(InputData* data, const char* date, InterviewForm form = InterviewForm::kPersonligt,
                         InterviewType type = InterviewType::kJobsamtale, HeldBy held_by = HeldBy::kJobcenter,
                         int municipality = 0) {
  Interview iv;
  iv.date = D(date);
  iv.form = form;
  iv.type = type;
  iv.held_by = held_by;
  iv.municipality = municipality;
  data->interviews.push_back(iv);
}

inline void AddAbsence(InputData* data, int reason, const char* from, const char* to, const char* registered = nullptr,
                       bool back13 = false) {
  AbsencePeriod a;
  a.reason = reason;
  a.from = D(from);
  a.to = D(to);
  a.registered = D(registered ? registered : from);
  a.back_within_13_weeks = back13;
  data->absences.push_back(a);
}

inline void AddFirstDay(InputData* data, const char* date) { data->dagpenge_first_days.push_back({0, D(date)}); }
inline void AddFirstContact(InputData* data, const char* date) { data->first_contacts.push_back({0, D(date)}); }
inline void AddOffer(InputData* data, const char* from, const char* to) {
  data->offers.push_back({0, D(from), D(to), 0});
}
inline void AddResidence(InputData* data, int municipality, const char* from, const char* to = "2999-12-31") {
  data->residence.push_back({0, D(from), D(to), municipality});
}
inline void AddContactGroup(InputData* data, int group, const char* from, const char* to, const char* visitation = "") {
  data->contact_groups.push_back({0, D(from), D(to), group, visitation});
}

// REQUIRES: data->Finish() was called.
inline PersonMonth Evaluate(const InputData& data, const char* month_first, bool explain = true, uint32_t person = 0) {
  PersonView view = data.View(person);
  PersonSpells spells = BuildSpells(view, Rules());
  return EvaluateMonth(view, spells, Rules(), D(month_first), explain);
}

}  // namespace dfdg::measure::testing_util
