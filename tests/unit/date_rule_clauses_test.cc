// Every end-date and duration clause that a reason's date rule prints (text_da, the seed's words) is a checked
// field of the rule, not only a note (docs/decisions/0003-date-rule-semantics.md, "End-date and duration
// clauses"). The one clause the seed itself says DFDG does not validate (id 22, 001:6063) is the listed
// exception.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "catalog/catalog.h"

namespace dfdg::catalog {
namespace {

const Catalog& Real() {
  static std::shared_ptr<const Catalog> catalog = [] {
    auto loaded = Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return *loaded;
  }();
  return *catalog;
}

bool Has(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern, std::regex::icase));
}

// The duration clause of a printed date rule: from "Varighed" to the next "|" (other clauses, e.g. "Max. 8 uger"
// of backdating or "Startdato: Max 30 dage", are about the start date). Empty when the text has none.
std::string DurationClause(const std::string& text) {
  size_t from = text.find("Varighed");
  if (from == std::string::npos) from = text.find("varighed");
  if (from == std::string::npos) return "";
  size_t to = text.find('|', from);
  return text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

TEST(DateRuleClausesTest, EveryPrintedEndOrDurationClauseIsChecked) {
  // Clauses the seed prints but DFDG does not validate (the seed says so): reason id -> source.
  const std::set<int> not_validated{22};  // 001:6063 "Der valideres p.t. ikke i DFDG for denne varighedsbegrænsning"
  int clauses = 0;
  for (const Absence& a : Real().model().absences) {
    for (const DateRule& rule : a.date_rules) {
      std::string where = std::string("reason ").append(std::to_string(a.id)) + " (" + rule.defined_at.file + ":" +
                          std::to_string(rule.defined_at.line) + "): " + rule.text_da;
      // A rule text that reports a change ("kan nu …", "mod tidligere …") describes two versions; each version's
      // fields are checked by the scenarios of its reason, not by reading the change text.
      if (Has(rule.text_da, "kan nu|mod tidligere|ændret fra")) continue;
      std::string clause = DurationClause(rule.text_da);
      if (Has(clause, R"(Max\.? ?\d|op til \d+ uger)")) {
        ++clauses;
        if (!not_validated.count(a.id)) {
          EXPECT_TRUE(rule.max_duration.has_value()) << where;
        }
      }
      if (Has(clause, "Obligatorisk") && !Has(clause, "Ikke obligatorisk")) {
        ++clauses;
        EXPECT_TRUE(rule.end_date_required) << where;
      }
      if (Has(rule.text_da, "Slutdato kan ikke tilbagedateres")) {
        ++clauses;
        ASSERT_TRUE(rule.end_backdate.has_value()) << where;
        EXPECT_EQ(rule.end_backdate->ToString(), "0d") << where;
      }
      if (Has(clause, R"(Til det (\d+)\. år)")) {
        ++clauses;
        EXPECT_TRUE(rule.until_age.has_value()) << where;
      }
    }
  }
  EXPECT_GE(clauses, 40);  // the scan found the clauses (not a vacuous pass)
}

TEST(DateRuleClausesTest, TheUnvalidatedLimitOfReason22StaysANote) {
  const Absence* a = Real().FindAbsence(22);
  ASSERT_NE(a, nullptr);
  bool noted = false;
  for (const Note& note : a->notes) noted = noted || note.text_da.find("valideres p.t. ikke") != std::string::npos;
  EXPECT_TRUE(noted);
  for (const DateRule& rule : a->date_rules) EXPECT_FALSE(rule.max_duration.has_value());
}

}  // namespace
}  // namespace dfdg::catalog
