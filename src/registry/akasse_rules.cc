#include "registry/akasse_rules.h"

#include <algorithm>

#include "registry/command.h"
#include "registry/record.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;
constexpr const char* kMembership = "akasse_membership";

std::string Text(const Json& fields, const char* key) {
  auto it = fields.find(key);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Has(const Json& fields, const char* key) { return fields.contains(key) && !fields[key].is_null(); }

// The membership on `date`: the latest-begun current membership record begun on or before `date` (ties: the
// later entity), if its period still contains `date`. A later intake or transfer thus ends an earlier membership
// (§ 62: no exit is reported on a transfer).
const Fact* MembershipRecordOn(const PersonView& person, Date date) {
  const Fact* best = nullptr;
  for (const Fact* f : person.Of(FactKind::kRecord)) {
    if (!IsRecordOf(*f, kMembership) || f->start > date) continue;
    if (!best || f->start > best->start || (f->start == best->start && f->entity_id > best->entity_id)) best = f;
  }
  return best && best->CoversDay(date) ? best : nullptr;
}

// True when the person is or has been a member of `akasse` on or before `date` (§ 67 stk. 5: former members).
bool WasMemberBy(const PersonView& person, const std::string& akasse, Date date) {
  for (const Fact* f : person.Of(FactKind::kRecord)) {
    if (IsRecordOf(*f, kMembership) && f->start <= date && Text(RecordFields(*f), "akasse_code") == akasse) return true;
  }
  for (const Fact* f : person.Of(FactKind::kAkasse)) {
    if (f->start <= date && f->text == akasse) return true;
  }
  return false;
}

void Add(const RecordRuleContext& c, std::vector<Violation>* out, int code, Fields fields) {
  AddViolation(out, c.catalog, c.command.registered, code, std::move(fields), &c.rule.defined_at, &c.rule.sources);
}

bool IsAkasse(const Command& command) { return command.channel == catalog::Channel::kAkasse; }

void CheckMembership(const RecordRuleContext& c, std::vector<Violation>* out) {
  const RecordRequest& r = *c.command.record;
  const std::string code = Text(c.fields, "akasse_code");
  const std::string own = c.current ? Text(RecordFields(*c.current), "akasse_code") : code;
  // § 60: the a-kasse reports for its own members; the reporting a-kasse is the membership's.
  if (IsAkasse(c.command) && !c.command.actor.empty() && c.command.actor != own) {
    Add(c, out, 5102, {{"akasse", c.command.actor}, {"date", FormatDate(c.command.registered)}});
  }
  if (r.action == catalog::RecordAction::kDelete) return;
  if (c.current && code != own) Add(c, out, 5103, {{"akasse", own}, {"detail", code}});
  if (Has(c.fields, "end") != Has(c.fields, "exit_reason")) Add(c, out, 5106, {});
  if (r.action != catalog::RecordAction::kCreate) return;
  auto start = ParseDate(Text(c.fields, "start"));
  if (!start.ok()) return;
  const Fact* open = MembershipRecordOn(c.person, *start);
  std::optional<std::string> open_code;
  if (open) {
    open_code = Text(RecordFields(*open), "akasse_code");
  } else if (const Fact* legacy = c.person.On(FactKind::kAkasse, *start)) {
    open_code = legacy->text;
  }
  const std::string event = Text(c.fields, "event");
  if (event == "intake" && open_code) {
    Add(c, out, 5104, {{"akasse", *open_code}, {"start", FormatDate(*start)}});
  } else if (event == "transfer" && open_code && *open_code == code) {
    Add(c, out, 5105, {{"akasse", code}, {"start", FormatDate(*start)}});
  }
}

// Citizen view (§ 61 stk. 6): the current membership only.
bool ShowsMembership(const catalog::Catalog&, const PersonView& person, const Fact& fact, Date date) {
  return MembershipRecordOn(person, date) == &fact;
}

void CheckCounterReport(const RecordRuleContext& c, std::vector<Violation>* out) {
  const RecordRequest& r = *c.command.record;
  const std::string code = Text(c.fields, "akasse_code");
  if (IsAkasse(c.command) && !c.command.actor.empty() && c.command.actor != code) {
    Add(c, out, 5101, {{"akasse", code}, {"actor", c.command.actor}});
  }
  auto computed = ParseDate(Text(c.fields, "computation_date"));
  Date date = computed.ok() ? *computed : c.command.registered;
  if (r.action != catalog::RecordAction::kDelete && !code.empty() && !WasMemberBy(c.person, code, date)) {
    Add(c, out, 5102, {{"akasse", code}, {"date", FormatDate(date)}});
  }
  // § 67 stk. 7: a correction gives the date and time from which earlier reports were wrong (types that declare
  // `correction_from`).
  int index = r.type->FieldIndex("correction_from");
  if (index < 0) return;
  bool given = r.values[static_cast<size_t>(index)].state == FieldValue::State::kSet;
  if (r.action == catalog::RecordAction::kCorrect && !given) Add(c, out, 5107, {});
  if (r.action != catalog::RecordAction::kCorrect && given) Add(c, out, 5108, {});
  // Stk. 7 nr. 2: the start of the period in which wrong reports "har været indberettet" lies in the past: not
  // after the day the correction is registered (the registration carries no time of day; 5114).
  const std::string from = Text(c.fields, "correction_from");
  auto from_day = ParseDate(from.substr(0, 10));
  if (given && from_day.ok() && *from_day > c.command.registered) {
    Add(c, out, 5114, {{"detail", from}, {"date", FormatDate(c.command.registered)}});
  }
}

void CheckReporterMember(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (!IsAkasse(c.command) || c.command.actor.empty()) return;
  if (c.command.record->action == catalog::RecordAction::kDelete) return;
  if (!WasMemberBy(c.person, c.command.actor, c.command.registered)) {
    Add(c, out, 5102, {{"akasse", c.command.actor}, {"date", FormatDate(c.command.registered)}});
  }
}

void Require(const RecordRuleContext& c, std::vector<Violation>* out, const char* field, bool required,
             const std::string& condition) {
  if (Has(c.fields, field) == required) return;
  Add(c, out, required ? 5109 : 5110, {{"field", field}, {"detail", condition}});
}

void CheckPlacementBasis(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (c.command.record->action == catalog::RecordAction::kDelete) return;
  const std::string& type = c.command.record->type->key;
  const std::string placement = Text(c.fields, "placement_type");
  if (type == "dagpenge_placement") {  // § 69 stk. 2 nr. 4 and 6
    Require(c, out, "placement_basis", placement == "ordinary", "placement_type " + placement);
    if (placement == "ordinary" && Has(c.fields, "basis_employment_account")) {
      Require(c, out, "basis_employment_account", false, "placement_type " + placement);
    }
  } else if (type == "reference_period") {  // § 70 stk. 2 nr. 2 and 3
    if (placement == "ordinary") Require(c, out, "reference_period_end", true, "placement_type ordinary");
    if (placement == "extended") Require(c, out, "extended_reference_period_end", true, "placement_type extended");
  } else if (type == "dagpenge_rate") {  // § 71 stk. 2 nr. 6
    const std::string rate = Text(c.fields, "rate_type");
    if (rate == "calculated" || rate == "recalculated") Require(c, out, "calculation_basis", true, "rate_type " + rate);
  }
}

// The latest current report of `type` computed on or before `date` (ties: the later entity); with `kind_key`,
// only reports whose field `kind_key` equals `kind`.
const Fact* LatestReport(const PersonView& person, const std::string& type, Date date, const char* kind_key = nullptr,
                         const std::string& kind = "") {
  const Fact* best = nullptr;
  for (const Fact* f : person.Of(FactKind::kRecord)) {
    if (!IsRecordOf(*f, type) || f->start > date) continue;
    if (kind_key && Text(RecordFields(*f), kind_key) != kind) continue;
    if (!best || f->start > best->start || (f->start == best->start && f->entity_id > best->entity_id)) best = f;
  }
  return best;
}

bool ShowsCounter(const catalog::Catalog&, const PersonView& person, const Fact& fact, Date date) {
  const Fact* placement = LatestReport(person, "dagpenge_placement", date);
  if (!placement) return false;  // § 83: persons placed in a dagpenge period (§ 67)
  const Json& placed = RecordFields(*placement);
  const std::string basis = Text(placed, "placement_basis");
  if (basis == "education_language" || basis == "education_attachment") return false;  // graduates
  const Json& fields = RecordFields(fact);
  const bool supplementary = fact.text == "supplementary_dagpenge";
  const char* kind_key = supplementary ? "report_kind" : nullptr;
  const std::string kind = supplementary ? Text(fields, "report_kind") : "";
  if (LatestReport(person, fact.text, date, kind_key, kind) != &fact) return false;
  // Stk. 2: by the placement (ordinary or extended period).
  if (fields.contains("placement_type") && Text(fields, "placement_type") != Text(placed, "placement_type")) {
    return false;
  }
  if (fact.text == "dagpenge_expiry" && Text(fields, "expiry_kind") != "expected") return false;  // stk. 1 nr. 4
  if (supplementary) {  // stk. 3: only for those who receive or have received supplementary dagpenge
    bool had = false;
    for (const Fact* f : person.Of(FactKind::kRecord)) {
      const Json& g = RecordFields(*f);
      if (IsRecordOf(*f, fact.text) && f->start <= date && Text(g, "report_kind") == "consumption" &&
          g.value("weeks", 0) > 0) {
        had = true;
      }
    }
    if (!had) return false;
  }
  return true;
}

// § 104 stk. 3: a period of EEA dagpenge broken off before its reported end is updated with the date *and* the
// reason of the interruption (5115); the period is broken off on or after its start and "før den indberettede
// slutdato", before its reported end (5116).
void CheckEeaInterruption(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (c.command.record->action == catalog::RecordAction::kDelete) return;
  const bool dated = Has(c.fields, "interrupted_on");
  if (dated != Has(c.fields, "interruption_reason")) Add(c, out, 5115, {});
  if (!dated) return;
  auto on = ParseDate(Text(c.fields, "interrupted_on"));
  auto start = ParseDate(Text(c.fields, "start"));
  auto end = ParseDate(Text(c.fields, "end"));
  if (!on.ok() || !start.ok() || !end.ok()) return;
  if (*on < *start || *on >= *end) {
    Add(c, out, 5116, {{"date", FormatDate(*on)}, {"start", FormatDate(*start)}, {"end", FormatDate(*end)}});
  }
}

// §§ 85-86: a person placed in a dagpenge period (the latest placement report; not a graduate's, to whom Jobnet
// shows no counters, § 83) who does not currently consume the right to dagpenge — not in contact group 1, the
// dagpenge recipients, on the day (docs/decisions/0031) — may order an immediate computation of the counters in
// the a-kasse's self-service, and Jobnet shows the deep link to it. The notice names the current a-kasse, whose
// link the service adds (the a-kasse tells the agency its link, § 86 stk. 2: the serve configuration).
Json ImmediateComputationNotice(const catalog::Catalog&, const PersonView& person, Date date) {
  const Fact* placement = LatestReport(person, "dagpenge_placement", date);
  if (!placement) return nullptr;
  const std::string basis = Text(RecordFields(*placement), "placement_basis");
  if (basis == "education_language" || basis == "education_attachment") return nullptr;  // graduates
  const Fact* group = person.On(FactKind::kContactGroup, date);
  if (group && group->code == 1) return nullptr;  // a dagpenge recipient consumes the right
  std::optional<std::string> akasse = AkasseOn(person, date);
  if (!akasse) return nullptr;
  return Json{{"notice", "straksopgoerelse"},
              {"akasse_code", *akasse},
              {"placement_type", Text(RecordFields(*placement), "placement_type")}};
}

}  // namespace

const RecordRuleModule kAkasseMembershipModule{"akasse_membership", "§ 60, stk. 1; § 61, stk. 4 og 6; § 62",
                                               CheckMembership, ShowsMembership};
const RecordRuleModule kAkasseCounterReportModule{"akasse_counter_report", "§ 67, stk. 5 og 7", CheckCounterReport,
                                                  nullptr};
const RecordRuleModule kAkasseOwnMemberModule{"akasse_own_member", "§ 60, stk. 1; § 94", CheckCounterReport, nullptr};
const RecordRuleModule kAkasseReporterMemberModule{"akasse_reporter_member", "§ 104, stk. 4; §§ 105-107, stk. 3",
                                                   CheckReporterMember, nullptr};
const RecordRuleModule kEeaInterruptionModule{"eea_interruption", "§ 104, stk. 3", CheckEeaInterruption, nullptr};
const RecordRuleModule kDagpengePlacementBasisModule{"dagpenge_placement_basis", "§ 69, stk. 2; § 70, stk. 2; § 71",
                                                     CheckPlacementBasis, nullptr};
const RecordRuleModule kJobnetCountersModule{"jobnet_counters", "§ 83", nullptr, ShowsCounter};
const RecordRuleModule kImmediateComputationModule{"immediate_computation",   "§§ 85-86", nullptr, nullptr, false,
                                                   ImmediateComputationNotice};

std::optional<std::string> AkasseOn(const PersonView& person, Date date) {
  if (const Fact* f = MembershipRecordOn(person, date)) return Text(RecordFields(*f), "akasse_code");
  if (const Fact* f = person.On(FactKind::kAkasse, date)) return f->text;
  return std::nullopt;
}

std::optional<std::string> LatestAkasseBy(const PersonView& person, Date date) {
  const Fact* best = nullptr;
  for (const Fact* f : person.Of(FactKind::kRecord)) {
    if (f->deleted || !IsRecordOf(*f, kMembership) || f->start > date) continue;
    if (!best || f->start > best->start || (f->start == best->start && f->entity_id > best->entity_id)) best = f;
  }
  const Fact* legacy = nullptr;
  for (const Fact* f : person.Of(FactKind::kAkasse)) {
    if (f->start <= date && (!legacy || f->start > legacy->start)) legacy = f;
  }
  if (legacy && (!best || legacy->start > best->start)) return legacy->text;
  if (best) return Text(RecordFields(*best), "akasse_code");
  return std::nullopt;
}

const Fact* LatestRecordOf(const PersonView& person, const std::string& type, Date date) {
  return LatestReport(person, type, date);
}

std::optional<Date> DagpengePeriodFirstDay(const PersonView& person, Date known_on) {
  const Fact* placement = LatestReport(person, "dagpenge_placement", known_on);
  if (!placement) return std::nullopt;
  auto day = ParseDate(Text(RecordFields(*placement), "placement_date"));
  return day.ok() ? std::optional<Date>(*day) : std::nullopt;
}

}  // namespace dfdg::registry
