// Rule modules of the absence commands (seed 000 chapter 8, §§ 32-34; seed 001): registered for the built-in
// area `absence` (catalog/records/builtin/absence.yaml `rules:`). The parameters are the catalogue's (absences,
// date rules, the area's actors and reserved reasons, the contact-group table).
#include <algorithm>

#include "catalog/date_rules.h"
#include "registry/builtin_rules.h"
#include "registry/validator.h"

namespace dfdg::registry {
namespace {

using catalog::Channel;

class RuleCheck {
 public:
  RuleCheck(const RecordRuleContext& context, std::vector<Violation>* out)
      : catalog_(context.catalog), area_(context.area), person_(context.person), c_(context.command), out_(*out) {}

  void Add(int code, Fields fields, const catalog::FileRef* at = nullptr,
           const std::vector<catalog::SourceRef>* sources = nullptr) {
    AddViolation(&out_, catalog_, c_.registered, code, std::move(fields), at, sources);
  }

  // Who may create or end `absence` (the absence area's actors and reserved reasons, catalog/records/builtin/
  // absence.yaml; Bilag 3 for the a-kasse): the channel's own reason list first (creating only), then the
  // reservations, in declaration order.
  void CheckChannel(const catalog::Absence& a, bool creating) {
    auto contains = [](const auto& list, const auto& value) {
      return std::find(list.begin(), list.end(), value) != list.end();
    };
    auto refuse = [&](int code, const catalog::FileRef& at, const std::vector<catalog::SourceRef>& sources) {
      Add(code, {{"reason", std::to_string(a.id)}, {"detail", catalog::ChannelKey(c_.channel)}}, &at, &sources);
    };
    if (creating) {
      const catalog::ActorRule* actor = area_.ActorOn(c_.channel, c_.registered);
      if (actor && actor->reasons && !contains(*actor->reasons, a.id)) {
        refuse(c_.channel == Channel::kCitizen ? 2016 : 2017, actor->defined_at, actor->sources);
        return;
      }
    }
    bool reserved = false;
    for (const catalog::ReservedReasons& r : area_.reserved_reasons) {
      if (!contains(r.reasons, a.id)) continue;
      reserved = true;
      if (!contains(r.channels, c_.channel)) {
        refuse(2015, r.defined_at, r.sources);
        return;
      }
    }
    if (creating && c_.channel == Channel::kAkasse && !reserved && (!a.bilag3 || !a.bilag3->akasse_may_create)) {
      Add(2014, {{"reason", std::to_string(a.id)}}, &a.defined_at, a.bilag3 ? &a.bilag3->sources : nullptr);
    }
  }

  // Date rules, overlap bans and the contact-group row for a (new or changed) absence period.
  void CheckPeriod(const catalog::Absence& a, Date start, std::optional<Date> end, bool start_changed, bool has_comment,
                   int64_t self_entity, bool end_changed = true) {
    // Placeholder values, built only when a rule is broken (validation that passes stays allocation-light).
    auto base = [&]() {
      Fields f{{"reason", std::to_string(a.id)}, {"start", FormatDate(start)}};
      if (end) f["end"] = FormatDate(*end);
      return f;
    };
    const Fact* group = person_.On(FactKind::kContactGroup, start);
    const std::string* visitation = nullptr;
    if (group) {
      const Fact* v = person_.On(FactKind::kVisitation, start);
      if (v) visitation = &v->text;
    }
    Channel channel = c_.channel;
    // The contact-group row is checked when the start date is set or moved; ending or shortening an existing
    // absence is allowed even if the person has since changed group.
    if (!start_changed) {
    } else if (!group) {
      Add(2005, base());
    } else {
      catalog::LookupResult lookup = catalog_.Lookup(a.id, group->code, visitation, c_.registered, channel);
      if (!lookup.row && visitation) lookup = catalog_.Lookup(a.id, group->code, nullptr, c_.registered, channel);
      // Rows that apply only to absences starting on or after a day (e.g. reason 47 for KG 27 from 2025-07-01).
      if (lookup.row && lookup.row->start_date_from && start < *lookup.row->start_date_from) lookup.row = nullptr;
      if (!lookup.row) {
        Fields g = base();
        g["group"] = std::to_string(group->code);
        if (visitation) g["visitation"] = " / " + *visitation;
        Add(2004, g, &a.defined_at, &a.sources);
      }
    }
    const catalog::DateRule* rule = catalog_.SelectDateRule(a, group ? group->code : 0, channel, c_.registered);
    if (rule) {
      catalog::DatedRegistration reg{
          c_.registered,        start,      end, person_.LastInterviewOnOrBefore(c_.registered), has_comment,
          c_.cpr->birth_date(), end_changed};
      for (catalog::DateViolation dv : catalog::CheckDateRule(*rule, reg)) {
        Fields g = base();
        switch (dv) {
          case catalog::DateViolation::kStartTooEarly:
            if (!start_changed) continue;
            g["limit"] = FormatDate(*catalog::EarliestStart(*rule, reg));
            g["rule"] = rule->backdate->ToDanish();
            Add(2006, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kStartBeforeLastInterview:
            if (!start_changed) continue;
            g["limit"] = FormatDate(*reg.last_interview);
            Add(2007, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kStartTooLate:
            if (!start_changed) continue;
            g["limit"] = FormatDate(*catalog::LatestStart(*rule, c_.registered));
            g["rule"] = rule->max_future_start->ToDanish();
            Add(2008, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kEndMissing:
            Add(2009, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kEndBeforeStart:
            Add(2010, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kTooLong:
            g["limit"] = FormatDate(*catalog::LatestEnd(*rule, start, reg.birth_date));
            g["rule"] = rule->max_duration ? rule->max_duration->ToDanish()
                                           : "til det " + std::to_string(rule->until_age.value_or(0)) + ". år";
            Add(2011, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kCommentMissing:
            Add(2012, g, &rule->defined_at, &rule->sources);
            break;
          case catalog::DateViolation::kEndTooEarly:
            g["limit"] = FormatDate(*catalog::EarliestEnd(*rule, c_.registered));
            Add(2020, g, &rule->defined_at, &rule->sources);
            break;
        }
      }
    } else if (end && *end < start) {
      Add(2010, base());
    }
    for (int other : a.no_overlap_with) {
      for (const Fact* existing : person_.Of(FactKind::kAbsence)) {
        if (existing->entity_id == self_entity || existing->code != other) continue;
        if (Overlapping(*existing, start, end)) {
          Fields g = base();
          g["detail"] = std::to_string(other) + " (" + FormatDate(existing->start) + ")";
          Add(2013, g, &a.defined_at, &a.sources);
          break;
        }
      }
    }
  }

  // Does `existing` (with its effective end) overlap [start, end]? The new period's open end is capped too.
  bool Overlapping(const Fact& existing, Date start, std::optional<Date> end) const {
    std::optional<Date> existing_end = EffectiveEnd(catalog_, person_, existing);
    bool begins_before_other_ends = !end || existing.start <= *end;
    bool other_begins_before_end = !existing_end || start <= *existing_end;
    return begins_before_other_ends && other_begins_before_end;
  }

  void RegisterAbsence() {
    int reason = *c_.reason;
    const catalog::Absence* a = catalog_.FindAbsence(reason);
    if (!a) {
      Add(2001, {{"reason", std::to_string(reason)}});
      return;
    }
    Fields f{{"reason", std::to_string(reason)}};
    bool open = a->validity.Contains(c_.registered) &&
                (!a->new_registrations_until || c_.registered < *a->new_registrations_until);
    if (!open) Add(2002, f, &a->defined_at, &a->sources);
    if (a->start_date_before && *c_.start >= *a->start_date_before) {
      f["limit"] = FormatDate(*a->start_date_before);
      Add(2003, f, &a->defined_at, &a->sources);
    }
    CheckChannel(*a, /*creating=*/true);
    CheckPeriod(*a, *c_.start, c_.end, /*start_changed=*/true, c_.comment && !c_.comment->empty(), 0);
  }

  void ChangeAbsence() {
    const Fact* existing = person_.Entity(*c_.absence_id);
    if (!existing || existing->kind != FactKind::kAbsence) {
      Add(2018, {{"detail", std::to_string(*c_.absence_id)}});
      return;
    }
    const catalog::Absence* a = catalog_.FindAbsence(existing->code);
    if (c_.type == CommandType::kCorrectAbsence) {
      if (!c_.comment || c_.comment->empty()) Add(2019, {});
      return;
    }
    if (!a) return;  // a reason no longer in the catalogue can still be ended or corrected
    CheckChannel(*a, /*creating=*/false);
    Date start = c_.start.value_or(existing->start);
    std::optional<Date> end = c_.end ? c_.end : existing->end;
    bool has_comment = (c_.comment && !c_.comment->empty()) || !existing->comment.empty();
    CheckPeriod(*a, start, end, start != existing->start, has_comment, existing->entity_id, end != existing->end);
  }

  const catalog::Catalog& catalog_;
  const catalog::RecordType& area_;
  const PersonView& person_;
  const Command& c_;
  std::vector<Violation>& out_;
};

void AbsenceRegistration(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kRegisterAbsence})) RuleCheck(x, out).RegisterAbsence();
}

void AbsenceChange(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kUpdateAbsence, CommandType::kEndAbsence, CommandType::kCorrectAbsence})) {
    RuleCheck(x, out).ChangeAbsence();
  }
}

}  // namespace

const RecordRuleModule kAbsenceRegistrationModule{"absence_registration", "§ 34, stk. 3", AbsenceRegistration};
const RecordRuleModule kAbsenceChangeModule{"absence_change", "§ 34, stk. 3-4", AbsenceChange};

std::optional<Date> EffectiveEnd(const catalog::Catalog& catalog, const PersonView& person, const Fact& absence) {
  if (absence.end) return absence.end;
  const catalog::Absence* reason = catalog.FindAbsence(absence.code);
  if (!reason) return std::nullopt;
  const Fact* group = person.On(FactKind::kContactGroup, absence.start);
  const catalog::DateRule* rule =
      catalog.SelectDateRule(*reason, group ? group->code : 0, absence.channel, absence.recorded_on);
  if (!rule) return std::nullopt;
  auto cpr = Cpr::Parse(person.cpr());
  return catalog::LatestEnd(*rule, absence.start, cpr.ok() ? std::optional<Date>(cpr->birth_date()) : std::nullopt);
}

}  // namespace dfdg::registry
