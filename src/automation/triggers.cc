#include "automation/triggers.h"

#include <algorithm>

#include "registry/record.h"

namespace dfdg::automation {
namespace {

using registry::Fact;
using registry::FactKind;

bool Contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// True when `f` is the first version of its entity (not a version of an entity the person already had).
bool IsNewEntity(const registry::PersonView& before, const Fact& f) { return before.Entity(f.entity_id) == nullptr; }

// A new version of `current` written by DFDG for `trigger`.
Fact DfdgVersion(const catalog::Catalog& catalog, const Trigger& trigger, const Fact& current, Date registered) {
  Fact f = current;
  f.seq = 0;
  f.command_seq = 0;
  f.deleted = false;
  f.recorded_on = registered;
  f.channel = catalog::Channel::kDfdg;
  f.actor = trigger.cause.rule;
  f.event_date.reset();
  if (!f.extra.is_object()) f.extra = nlohmann::json::object();
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : trigger.cause.sources) sources.push_back(catalog.Cite(s));
  f.extra["dfdg"] = {{"rule", trigger.cause.rule}, {"action", trigger.action}, {"source", sources}};
  return f;
}

// "Afslutning/annullering af frister, mødeindkaldelser og bookede møder, når borger igen registreres som
// dagpengemodtager" (002:115-127): back in one of the rule's groups from another group while the rule's reason
// (75) is active, the job centre's self-booking deadlines, its summons and the citizen's booked meetings made
// since the reason's start and still ahead are annulled (deadlines) or cancelled (meetings).
void AnnulJobcentreCourse(const catalog::Catalog& catalog, const Trigger& t, const registry::PersonView& before,
                          const registry::Command& command, const Fact& group, std::vector<Fact>* out) {
  Date start = group.start;
  const Fact* previous = before.On(FactKind::kContactGroup, start - std::chrono::days(1));
  if (!previous || Contains(t.contact_groups, previous->code)) return;  // not a return from another group
  const Fact* active = nullptr;
  for (const Fact* a : before.Of(FactKind::kAbsence)) {
    if (a->code == t.reason && a->CoversDay(start) && !InactiveOn(*a, start)) active = a;
  }
  if (!active) return;
  for (const Fact* d : before.Of(FactKind::kDeadline)) {
    if (d->channel != catalog::Channel::kJobcenter || d->recorded_on < active->start) continue;
    if (d->end && *d->end < start) continue;  // already past
    Fact f = DfdgVersion(catalog, t, *d, command.registered);
    f.deleted = true;
    f.extra["dfdg"]["annulled"] = "deadline";
    out->push_back(std::move(f));
  }
  for (const Fact* m : before.Of(FactKind::kSummons)) {
    bool jobcentre = m->channel == catalog::Channel::kJobcenter;
    bool booked =
        m->channel == catalog::Channel::kCitizen && m->extra.is_object() && m->extra.value("self_booked", false);
    if ((!jobcentre && !booked) || m->recorded_on < active->start || m->start < start) continue;
    if (m->extra.is_object() && m->extra.value("cancelled", false)) continue;
    Fact f = DfdgVersion(catalog, t, *m, command.registered);
    f.extra["cancelled"] = true;
    f.extra["dfdg"]["annulled"] = booked ? "booked_meeting" : "summons";
    out->push_back(std::move(f));
  }
}

// True when a current record of the wage-subsidy type covers `day` with one of the codes in its field.
bool InWageSubsidy(const WageSubsidy& ws, const registry::PersonView& before, Date day) {
  for (const Fact* r : before.Of(FactKind::kRecord)) {
    if (!registry::IsRecordOf(*r, ws.record_type) || !r->CoversDay(day)) continue;
    const nlohmann::json& fields = registry::RecordFields(*r);
    if (!fields.contains(ws.field) || !fields[ws.field].is_string()) continue;
    if (std::find(ws.codes.begin(), ws.codes.end(), fields[ws.field].get<std::string>()) != ws.codes.end()) {
      return true;
    }
  }
  return false;
}

// The row of the trigger's table that holds `group` (and the visitation category on `day`), or nullptr.
const DeregisterRow* RowFor(const Trigger& t, const registry::PersonView& before, int group, Date day) {
  const Fact* visitation = before.On(FactKind::kVisitation, day);
  for (const DeregisterRow& row : t.rows) {
    if (!Contains(row.contact_groups, group)) continue;
    if (!row.visitation.empty() && (!visitation || visitation->text != row.visitation)) continue;
    return &row;
  }
  return nullptr;
}

// Deregistration of the job seeker from `day` (the registration's last day is the day before), as DFDG's own
// version of the registration that covers `day`. Nothing when the person is not registered on `day` or the
// registration starts on `day` itself (it would have no day left).
void Deregister(const catalog::Catalog& catalog, const Trigger& t, const registry::PersonView& before,
                const registry::Command& command, Date day, int group, std::vector<Fact>* out) {
  const Fact* seeker = before.On(FactKind::kJobseeker, day);
  if (!seeker || seeker->start >= day) return;
  Fact f = DfdgVersion(catalog, t, *seeker, command.registered);
  f.end = day - std::chrono::days(1);
  f.text = t.deregistration_reason;
  f.extra["mindre_intensiv"] = false;
  f.extra["dfdg"]["deregistered_from"] = FormatDate(day);
  f.extra["dfdg"]["contact_group"] = group;
  out->push_back(std::move(f));
}

// § 24 stk. 1 "nulstilles fravalget": the person's open a-kasse choice ends the day before `from` (dropped from view
// when it starts on or after `from`), once per command.
void ResetAkasseChoice(const catalog::Catalog& catalog, const Trigger& t, const registry::PersonView& before,
                       const registry::Command& command, std::vector<Fact>* out) {
  const Fact* open = before.Open(FactKind::kAkasseChoice);
  if (!open) return;
  for (const Fact& done : *out) {
    if (done.entity_id == open->entity_id && done.kind == FactKind::kAkasseChoice) return;
  }
  Date from = command.registered + std::chrono::days(t.reset_next_day ? 1 : 0);
  Fact f = DfdgVersion(catalog, t, *open, command.registered);
  if (open->start >= from) {
    f.deleted = true;
  } else {
    f.end = from - std::chrono::days(1);
  }
  f.extra["dfdg"]["reset_from"] = FormatDate(from);
  out->push_back(std::move(f));
}

// True when the command's new interview `f` is of one of the trigger's types.
bool OfTypes(const Trigger& t, const Fact& f) {
  return !f.deleted && std::find(t.interview_types.begin(), t.interview_types.end(), f.text) != t.interview_types.end();
}

// True when the membership `m` (new) is another a-kasse than the one of the day before its start.
bool OtherAkasse(const registry::PersonView& before, const Fact& m) {
  const Fact* previous = before.On(FactKind::kAkasse, m.start - std::chrono::days(1));
  return previous && previous->text != m.text;
}

}  // namespace

std::vector<const Fact*> LatestVersions(const std::vector<Fact>& facts, FactKind kind) {
  std::vector<const Fact*> out;
  for (const Fact& f : facts) {
    if (f.kind != kind) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const Fact* o) { return o->entity_id == f.entity_id; });
    if (same == out.end()) {
      out.push_back(&f);
    } else {
      *same = &f;
    }
  }
  return out;
}

bool InactiveOn(const Fact& absence, Date date) {
  if (!absence.extra.is_object() || !absence.extra.contains("dfdg")) return false;
  const auto& dfdg = absence.extra["dfdg"];
  if (!dfdg.contains("inactive_from")) return false;
  auto from = ParseDate(dfdg["inactive_from"].get<std::string>());
  return from.ok() && *from <= date;
}

std::vector<Fact> TriggeredFacts(const catalog::Catalog& catalog, const Rules& rules,
                                 const registry::PersonView& before, const registry::Command& command,
                                 const std::vector<Fact>& planned) {
  std::vector<Fact> out;
  // The current version of an absence: this command's own new version if any, else the stored one.
  auto current = [&](const Fact* stored) -> const Fact* {
    for (const Fact* p : LatestVersions(planned, FactKind::kAbsence)) {
      if (p->entity_id == stored->entity_id) return p;
    }
    for (const Fact& f : out) {
      if (f.entity_id == stored->entity_id) return &f;
    }
    return stored;
  };
  for (const Trigger& t : rules.triggers) {
    if (t.action == "reset_akasse_choice") {
      bool due = false;
      for (const Fact* g : LatestVersions(planned, FactKind::kContactGroup))
        due = due || (t.event == "contact_group_set" && IsNewEntity(before, *g) && Contains(t.contact_groups, g->code));
      for (const Fact* m : LatestVersions(planned, FactKind::kAkasse))
        due = due || (t.event == "akasse_changed" && IsNewEntity(before, *m) && OtherAkasse(before, *m));
      for (const Fact* i : LatestVersions(planned, FactKind::kInterview))
        due = due || (t.event == "interview_registered" && IsNewEntity(before, *i) && OfTypes(t, *i));
      if (due) ResetAkasseChoice(catalog, t, before, command, &out);
    } else if (t.event == "absence_registered" && t.action == "deregister_jobseeker") {
      // "Sygdom – sygemelding": "Afmeldes" per contact group and visitation; "borgere i løntilskud afmeldes dog
      // først ved skift til SDP-modtager" (the contact_group_set rule below).
      for (const Fact* a : LatestVersions(planned, FactKind::kAbsence)) {
        if (!IsNewEntity(before, *a) || a->code != t.reason) continue;
        const Fact* group = before.On(FactKind::kContactGroup, a->start);
        if (!group) continue;
        const DeregisterRow* row = RowFor(t, before, group->code, a->start);
        if (!row) continue;
        if (row->wage_subsidy_exception && t.wage_subsidy && InWageSubsidy(*t.wage_subsidy, before, a->start)) continue;
        size_t first = out.size();
        Deregister(catalog, t, before, command, a->start, group->code, &out);
        if (out.size() > first) {
          nlohmann::json row_sources = nlohmann::json::array();
          for (const auto& s : row->sources) row_sources.push_back(catalog.Cite(s));
          out.back().extra["dfdg"]["row_source"] = row_sources;
        }
      }
    } else if (t.event == "contact_group_set" && t.action == "deregister_jobseeker") {
      // Entering one of the groups (sygedagpenge) while `reason` covers the group's start.
      for (const Fact* group : LatestVersions(planned, FactKind::kContactGroup)) {
        if (!IsNewEntity(before, *group) || !Contains(t.contact_groups, group->code)) continue;
        bool sick = false;
        for (const Fact* a : before.Of(FactKind::kAbsence))
          sick = sick || (a->code == t.reason && a->CoversDay(group->start));
        if (sick) Deregister(catalog, t, before, command, group->start, group->code, &out);
      }
    } else if (t.event == "contact_group_set" && t.action == "annul_jobcentre_course") {
      for (const Fact* group : LatestVersions(planned, FactKind::kContactGroup)) {
        if (!IsNewEntity(before, *group) || !Contains(t.contact_groups, group->code)) continue;
        AnnulJobcentreCourse(catalog, t, before, command, *group, &out);
      }
    } else if (t.event == "contact_group_set") {
      for (const Fact* group : LatestVersions(planned, FactKind::kContactGroup)) {
        if (!IsNewEntity(before, *group) || !Contains(t.contact_groups, group->code)) continue;
        for (const Fact* stored : before.Of(FactKind::kAbsence)) {
          const Fact* a = current(stored);
          if (a->code != t.reason || (a->end && *a->end < group->start)) continue;
          if (InactiveOn(*a, std::max(group->start, a->start))) continue;  // already inactive
          Fact f = DfdgVersion(catalog, t, *a, command.registered);
          f.extra["dfdg"]["inactive_from"] = FormatDate(std::max(group->start, a->start));
          f.extra["dfdg"]["contact_group"] = group->code;
          out.push_back(std::move(f));
        }
      }
    } else if (t.event == "absence_registered") {
      for (const Fact* a : LatestVersions(planned, FactKind::kAbsence)) {
        if (!IsNewEntity(before, *a) || a->code != t.reason) continue;
        Date on = std::max(a->start, command.registered);
        const Fact* group = before.On(FactKind::kContactGroup, on);
        if (!group || !Contains(t.contact_groups, group->code)) continue;
        Fact f = DfdgVersion(catalog, t, *a, command.registered);
        f.extra["dfdg"]["inactive_from"] = FormatDate(a->start);
        f.extra["dfdg"]["contact_group"] = group->code;
        out.push_back(std::move(f));
      }
    } else if (t.event == "akasse_changed") {
      for (const Fact* membership : LatestVersions(planned, FactKind::kAkasse)) {
        if (!IsNewEntity(before, *membership)) continue;
        Date day_before = membership->start - std::chrono::days(1);
        const Fact* previous = before.On(FactKind::kAkasse, day_before);
        if (!previous || previous->text == membership->text) continue;
        for (const Fact* stored : before.Of(FactKind::kAbsence)) {
          const Fact* a = current(stored);
          // Ended the day before the new membership; a 75 starting on or after that day is left alone
          // (docs/automation.md, limitations).
          if (a->code != t.reason || a->start > day_before || (a->end && *a->end <= day_before)) continue;
          Fact f = DfdgVersion(catalog, t, *a, command.registered);
          f.end = day_before;
          f.extra["dfdg"]["akasse_from"] = previous->text;
          f.extra["dfdg"]["akasse_to"] = membership->text;
          out.push_back(std::move(f));
        }
      }
    }
  }
  return out;
}

}  // namespace dfdg::automation
