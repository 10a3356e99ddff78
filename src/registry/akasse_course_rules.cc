// Rule module of the a-kasse's responsibility for the contact course (seed 000 chapter 17, § 63;
// catalog/records/contact_course_responsibility.yaml): who registers which start basis, and the end date and
// end reason of the handover to the job centre (stk. 4-6).
#include <chrono>

#include "registry/akasse_rules.h"
#include "registry/builtin_rules.h"
#include "registry/command.h"
#include "registry/record.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;

std::string Text(const Json& fields, const char* key) {
  auto it = fields.find(key);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Has(const Json& fields, const char* key) { return fields.contains(key) && !fields[key].is_null(); }

void Add(const RecordRuleContext& c, std::vector<Violation>* out, int code, Fields fields) {
  AddViolation(out, c.catalog, c.command.registered, code, std::move(fields), &c.rule.defined_at, &c.rule.sources);
}

Date LastDayOfMonth(Date date) {
  std::chrono::year_month_day ymd{date};
  return std::chrono::sys_days{std::chrono::year_month_day_last{ymd.year(), std::chrono::month_day_last{ymd.month()}}};
}

std::chrono::year_month MonthOf(Date date) {
  std::chrono::year_month_day ymd{date};
  return {ymd.year(), ymd.month()};
}

// Stk. 6: the latest consumption report (§ 72) computed on or before `today` is for a month before today's
// month, i.e. the consumption was not computed within the month in which the hours were reached.
bool ConsumptionComputedAfterTheMonth(const PersonView& person, Date today) {
  const Fact* latest = nullptr;
  for (const Fact* f : person.Of(FactKind::kRecord)) {
    if (!IsRecordOf(*f, "dagpenge_consumption") || f->start > today) continue;
    if (!latest || f->start > latest->start || (f->start == latest->start && f->entity_id > latest->entity_id))
      latest = f;
  }
  if (!latest) return false;
  auto month = ParseDate(Text(RecordFields(*latest), "consumption_month"));
  return month.ok() && MonthOf(*month) < MonthOf(today);
}

void CheckHandover(const RecordRuleContext& c, std::vector<Violation>* out) {
  const RecordRequest& r = *c.command.record;
  if (r.action == catalog::RecordAction::kDelete) return;
  // Stk. 2 and 3: DFDG registers the bases of stk. 2, the a-kasse the basis `akasse`.
  if (r.action == catalog::RecordAction::kCreate) {
    const std::string basis = Text(c.fields, "start_basis");
    const bool by_akasse = c.command.channel == catalog::Channel::kAkasse;
    if (!basis.empty() && (basis == "akasse") != by_akasse) {
      Add(c, out, 5113, {{"detail", basis}, {"actor", by_akasse ? "DFDG" : "arbejdsløshedskassen"}});
    }
  }
  const bool has_end = Has(c.fields, "end");
  if (has_end != Has(c.fields, "end_reason")) {
    Add(c, out, 5111, {});
    return;
  }
  // A correction (berigtigelse) states what was true; the date rules apply when the handover is registered.
  if (!has_end || r.action == catalog::RecordAction::kCorrect) return;
  if (c.current && Text(RecordFields(*c.current), "end") == Text(c.fields, "end") &&
      Text(RecordFields(*c.current), "end_reason") == Text(c.fields, "end_reason")) {
    return;
  }
  auto end = ParseDate(Text(c.fields, "end"));
  if (!end.ok()) return;
  const Date today = c.command.registered;
  const std::string reason = Text(c.fields, "end_reason");
  // Stk. 5: today for the education order and the exit from the insurance system; the last day of the current
  // month when the period ends by consumption (stk. 4 nr. 2) — today when the consumption was computed after the
  // month (stk. 6).
  Date limit = today;
  if (reason == "periode_afsluttet" && !ConsumptionComputedAfterTheMonth(c.person, today)) limit = LastDayOfMonth(today);
  if (*end != limit) {
    Add(c, out, 5112, {{"detail", reason}, {"limit", FormatDate(limit)}, {"date", FormatDate(*end)}});
  }
}

// §§ 64-65: the a-kasse registers and deregisters its own members (5102) and registers only the persons of § 65
// (the actor's scope entry `jobseeker` of the jobseeker area: KG 1; KG 8 with registration category 3 or 5) (4001).
void CheckAkasseJobseeker(const RecordRuleContext& c, std::vector<Violation>* out) {
  const Command& command = c.command;
  if (!CommandIs(command, {CommandType::kRegisterJobseeker, CommandType::kDeregisterJobseeker})) return;
  if (command.channel != catalog::Channel::kAkasse || command.actor.empty()) return;
  const bool registers = command.type == CommandType::kRegisterJobseeker;
  const Date date = registers && command.start ? *command.start : command.registered;
  std::optional<std::string> akasse = AkasseOn(c.person, date);
  if (!registers && command.date && akasse != command.actor) akasse = AkasseOn(c.person, *command.date);
  if (akasse != command.actor) {
    Add(c, out, 5102, {{"akasse", command.actor}, {"date", FormatDate(date)}});
  }
  if (!registers) return;
  const catalog::ScopeEntry* entry = c.area.ScopeFor("jobseeker", command.channel, date);
  if (!entry) return;
  const Fact* group = c.person.On(FactKind::kContactGroup, date);
  const int code = group ? group->code : 0;
  if (entry->CoversGroup(code, command.registration_category)) return;
  AddViolation(out, c.catalog, command.registered, 4001,
               {{"group", std::to_string(code)}, {"detail", entry->legal_ref}, {"registered", FormatDate(date)}},
               &entry->defined_at, &entry->sources);
}

}  // namespace

const RecordRuleModule kAkasseJobseekerModule{"akasse_jobseeker", "§§ 64-65", CheckAkasseJobseeker, nullptr};
const RecordRuleModule kContactCourseHandoverModule{"contact_course_handover", "§ 63, stk. 2-6", CheckHandover,
                                                    nullptr};

}  // namespace dfdg::registry
