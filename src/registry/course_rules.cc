// Rule modules of the contact-course commands (summons, self-booking deadlines, held interviews, sickness
// follow-ups, the a-kasse participation choice, sickness metadata and CV status; builtin_rules.h): seed 000
// chapters 5-9 and 20-22, seed 002 section 1. Code lists come from catalog/contact_course.yaml, blocking
// obligations from catalog/registry_rules.yaml, persons in scope (personkreds) and the commands' channels from
// the module's area (catalog/records/builtin/<area>.yaml `scope`, `actors`, `channels`).
#include <algorithm>

#include "registry/akasse_rules.h"
#include "registry/builtin_rules.h"
#include "registry/course_validator.h"
#include "registry/validator.h"

namespace dfdg::registry {
namespace {

using catalog::Channel;

// The contact-course checks shared by the modules below; each module calls the ones of its command.
class CourseCheck {
 public:
  explicit CourseCheck(const RecordRuleContext& context, std::vector<Violation>* out)
      : catalog_(context.catalog), area_(context.area), person_(context.person), c_(context.command), out_(out) {}

  void Add(int code, Fields fields, const catalog::FileRef* at = nullptr,
           const std::vector<catalog::SourceRef>* sources = nullptr) {
    AddViolation(out_, catalog_, c_.registered, code, std::move(fields), at, sources);
  }

  // The person's contact group and registration category on `date` (0 / nullopt when none).
  std::pair<int, std::optional<int>> GroupOn(Date date) const {
    const Fact* group = person_.On(FactKind::kContactGroup, date);
    const Fact* reg = person_.On(FactKind::kJobseeker, date);
    return {group ? group->code : 0, reg ? std::optional<int>(reg->code) : std::nullopt};
  }

  // The area's scope entry `key` for the command's channel on `date` (RecordType::ScopeFor), or nullptr.
  const catalog::ScopeEntry* ScopeEntry(const std::string& key, Date date) const {
    return area_.ScopeFor(key, c_.channel, date);
  }

  // True when the person's group on `date` (and registration, for `registration_date`) is in scope `key` on
  // `registration_date`; false when the area has no such entry then.
  bool InScope(const std::string& key, Date registration_date, int group, std::optional<int> category) const {
    const catalog::ScopeEntry* entry = ScopeEntry(key, registration_date);
    return entry && entry->CoversGroup(group, category);
  }

  // Personkreds check; skipped when the area has no entry for `key` on the date.
  bool Scope(const std::string& key, Date date) {
    const catalog::ScopeEntry* entry = ScopeEntry(key, date);
    if (!entry) return true;
    auto [group, category] = GroupOn(date);
    if (entry->CoversGroup(group, category)) return true;
    Add(4001, {{"group", std::to_string(group)}, {"detail", entry->legal_ref.empty() ? key : entry->legal_ref}},
        &entry->defined_at, &entry->sources);
    return false;
  }

  // A text field must be a code of `list` (when the catalogue has that list).
  const catalog::CourseCode* Code(const std::string& list, const std::string& field) {
    const std::string* value = c_.Text(field);
    if (!value) return nullptr;
    if (!catalog_.HasCourseCodeList(list)) return nullptr;
    const catalog::CourseCode* code = catalog_.FindCourseCode(list, *value, c_.registered);
    if (!code) Add(4003, {{"field", field}, {"detail", *value}});
    return code;
  }

  // A command that names its channels (`channels:` in its area, e.g. the citizen's replies of § 18 stk. 2) is
  // refused from any other channel (4009).
  void CommandChannels() {
    std::string_view name = CommandName(c_.type);
    for (const catalog::BuiltinCommand& command : area_.builtin_commands) {
      if (command.name != name) continue;
      const auto& channels = command.channels;
      if (!channels.empty() && std::find(channels.begin(), channels.end(), c_.channel) == channels.end()) {
        Add(4009, {});
      }
      return;
    }
  }

  // Jobcentres may not summon, set deadlines or register interviews while the a-kasse runs the contact
  // course for a person in contact group 1 (seed 002 lines 99-106).
  void CheckReason75(Date date, const char* what_da, const char* what_en) {
    if (c_.channel != Channel::kJobcenter && c_.channel != Channel::kCitizen) return;
    Reason75State state = Reason75On(catalog_, person_, date);
    if (state.active && GroupOn(date).first == 1) Add(4030, {{"detail", what_en}, {"detail_da", what_da}});
  }

  void Meeting(Date date, bool creating) {
    if (creating || c_.date) {
      if (date < c_.registered) Add(4011, {{"detail", FormatDate(date)}});
    }
    const std::string* start = c_.Text("start_time");
    const std::string* end = c_.Text("end_time");
    if (start && end && *end <= *start) Add(4002, {{"detail", *end}});
    const catalog::CourseCode* form = Code("meeting_forms", "form");
    Code("meeting_types", "type");
    Code("akasse_participation", "akasse_participation");
    for (const auto& p : c_.participants) CheckParticipantCode("participant_roles", p.value("role", ""));
    bool citizen_booking = c_.type == CommandType::kBookMeeting;
    if (form && form->personal_attendance && creating && !citizen_booking && !c_.Text("address")) Add(4004, {});
    // Standby and the like: no summons at all; exemption from personal attendance: no personal meeting.
    const auto& no_contact = catalog_.model().contact_blocked_by;
    const auto& no_attendance = catalog_.model().personal_attendance_blocked_by;
    if (const Fact* a = AbsenceLifting(catalog_, person_, date, no_contact.obligations)) {
      Add(4010, {{"detail", FormatDate(date)}, {"reason", std::to_string(a->code)}}, &no_contact.defined_at,
          &no_contact.sources);
    } else if (form && form->personal_attendance) {
      if (const Fact* b = AbsenceLifting(catalog_, person_, date, no_attendance.obligations)) {
        Add(4010, {{"detail", FormatDate(date)}, {"reason", std::to_string(b->code)}}, &no_attendance.defined_at,
            &no_attendance.sources);
      }
    }
    auto from = c_.DateOf("rebooking_from");
    auto to = c_.DateOf("rebooking_to");
    if ((from || to) && !c_.Flag("rebooking_possible").value_or(false)) {
      Add(4005, {{"detail", "rebooking_possible is not set"}, {"detail_da", "rebooking_possible er ikke sat"}});
    }
    if (from && to && *to < *from) Add(4005, {{"detail", FormatDate(*from) + " > " + FormatDate(*to)}});
    Scope("summons", date);
    CheckReason75(date, citizen_booking ? "lade borgeren booke møder" : "indkalde til samtaler",
                  citizen_booking ? "let the citizen book meetings" : "summon to interviews");
  }

  const Fact* ExistingSummons() {
    const Fact* s = c_.target_id ? person_.Entity(*c_.target_id) : nullptr;
    if (!s || s->kind != FactKind::kSummons) {
      Add(4006, {{"detail", c_.target_id ? std::to_string(*c_.target_id) : "?"}});
      return nullptr;
    }
    if (s->extra.is_object() && s->extra.value("cancelled", false)) {
      Add(4007, {{"detail", std::to_string(s->entity_id)}});
      return nullptr;
    }
    return s;
  }

  void Rebook() {
    CommandChannels();
    const Fact* s = ExistingSummons();
    if (!s) return;
    Date date = *c_.date;
    const nlohmann::json& x = s->extra;
    bool possible = x.is_object() && x.value("rebooking_possible", false);
    auto window_date = [&](const char* key) -> std::optional<Date> {
      if (!x.is_object() || !x.contains(key) || !x[key].is_string()) return std::nullopt;
      auto parsed = ParseDate(x[key].get<std::string>());
      return parsed.ok() ? std::optional<Date>(*parsed) : std::nullopt;
    };
    auto from = window_date("rebooking_from");
    auto to = window_date("rebooking_to");
    if (!possible || (from && date < *from) || (to && date > *to) || date < c_.registered) {
      Add(4008, {{"detail", FormatDate(date)}});
    }
    const std::string* start = c_.Text("start_time");
    const std::string* end = c_.Text("end_time");
    if (start && end && *end <= *start) Add(4002, {{"detail", *end}});
  }

  const Fact* ExistingDeadline() {
    const Fact* d = c_.target_id ? person_.Entity(*c_.target_id) : nullptr;
    if (!d || d->kind != FactKind::kDeadline) {
      Add(4023, {{"detail", c_.target_id ? std::to_string(*c_.target_id) : "?"}});
      return nullptr;
    }
    return d;
  }

  void Deadline() {
    if (c_.type == CommandType::kChangeDeadline && !ExistingDeadline()) return;
    Date deadline = *c_.DateOf("deadline");
    if (deadline < c_.registered) Add(4022, {{"detail", FormatDate(deadline)}});
    std::string kind = c_.Text("kind") ? *c_.Text("kind") : "job";
    if (kind != "job" && kind != "followup") {
      Add(4003, {{"field", "kind"}, {"detail", kind}});
      return;
    }
    auto [group, category] = GroupOn(c_.registered);
    if (kind == "followup") {
      Scope("deadline_optional_followup", c_.registered);
    } else if (!InScope("deadline_mandatory", c_.registered, group, category)) {
      Scope("deadline_optional_job", c_.registered);
    }
    const auto& blocking = catalog_.model().deadline_blocked_by;
    if (const Fact* a = AbsenceLifting(catalog_, person_, deadline, blocking.obligations)) {
      Add(4020, {{"reason", std::to_string(a->code)}}, &blocking.defined_at, &blocking.sources);
    }
    CheckReason75(c_.registered, "oprette frister for selvbooking", "create self-booking deadlines");
  }

  void Interview() {
    Date date = *c_.date;
    auto [group, category] = GroupOn(date);
    const std::string& type = *c_.interview_type;  // checked against the code lists by interview_held (3041)
    Code("meeting_forms", "form");
    Code("akasse_participation", "akasse_participation");
    for (const auto& p : c_.participants) {
      CheckParticipantCode("participant_roles", p.value("role", ""));
      if (p.contains("form")) CheckParticipantCode("participation_forms", p.value("form", ""));
    }
    if (group == 24 || group == 25) Add(4044, {});
    // § 92 stk. 1 nr. 7: the a-kasse's availability interview carries its assessment; no other type has one.
    const bool assessed = AreaHolds("availability_assessment_types", type, date);
    if (c_.Text("availability_assessment")) {
      if (!assessed) Add(4046, {{"detail", type}});
    } else if (assessed && c_.channel == Channel::kAkasse) {
      Add(4045, {{"detail", type}});
    }
    // § 26 for the job centre; § 91 for the a-kasse (the akasse actor's own `interview` scope).
    Scope("interview", date);
    if (c_.channel == Channel::kAkasse) {
      AkasseInterviewUnder75(date, type);
    } else {
      CheckReason75(date, "registrere afholdte samtaler", "register held interviews");
    }
    if (const std::string* visitation = c_.Text("visitation")) {
      const catalog::VisitationCategory* v = catalog_.FindVisitation(*visitation);
      if (!v) {
        Add(3010, {{"detail", *visitation}});
      } else if (ScopeEntry("interview_visitation_change", c_.registered) &&
                 !InScope("interview_visitation_change", c_.registered, group, category)) {
        Add(4042, {{"group", std::to_string(group)}});
      }
    }
    if (c_.Flag("cv_not_adequate").value_or(false) && ScopeEntry("cv_not_adequate", c_.registered) &&
        !InScope("cv_not_adequate", c_.registered, group, category)) {
      Add(4043, {});
    }
  }

  // True when the area's code list `list` (catalog/records/builtin/<area>.yaml `codelists`) holds `key` on `date`.
  bool AreaHolds(const char* list, const std::string& key, Date date) const {
    for (const catalog::RecordCodeList& l : area_.codelists) {
      if (l.key != list) continue;
      for (const catalog::RecordCode& code : l.codes) {
        if (code.key == key && code.validity.Contains(date)) return true;
      }
    }
    return false;
  }

  void CheckParticipantCode(const std::string& list, const std::string& value) {
    if (catalog_.HasCourseCodeList(list) && !catalog_.FindCourseCode(list, value, c_.registered)) {
      Add(4003, {{"field", "participants." + list}, {"detail", value}});
    }
  }

  // Seed 002 1.1: a-kasser register job interviews (7, 17) under reason 75: in its period, while it is
  // registered but inactive, or before its start when the date is after the first day of the dagpenge period.
  void AkasseInterviewUnder75(Date date, const std::string& type) {
    if (!IsJobInterviewType(catalog_, type, date)) return;
    Reason75State state = Reason75On(catalog_, person_, date);
    if (state.absence) return;  // within a registration of 75 (active or inactive)
    bool before_start_allowed = false;
    if (state.any_registered) {
      // First day of the dagpenge period: the placement date of the a-kasse's current placement report as the
      // registry holds it on the registration day (docs/decisions/0034); without one, the start of the
      // contact-group-1 period covering the date (docs/decisions/0005).
      if (std::optional<Date> first = DagpengePeriodFirstDay(person_, c_.registered)) {
        before_start_allowed = date > *first;
      } else {
        const Fact* kg1 = person_.On(FactKind::kContactGroup, date);
        before_start_allowed = kg1 && kg1->code == 1 && date > kg1->start;
      }
    }
    if (!before_start_allowed) Add(4031, {{"detail", type}});
  }

  void Correction() {
    const Fact* f = c_.target_id ? person_.Entity(*c_.target_id) : nullptr;
    FactKind expected = c_.type == CommandType::kCorrectInterview ? FactKind::kInterview : FactKind::kFollowUp;
    if (!f || f->kind != expected) Add(4040, {{"detail", c_.target_id ? std::to_string(*c_.target_id) : "?"}});
    if (!c_.comment || c_.comment->empty()) Add(4041, {});
  }

  void FollowUp() {
    Date date = *c_.date;
    if (date > c_.registered) Add(3040, {{"detail", FormatDate(date)}});
    Scope("followup", date);
    Code("followup_forms", "form");
    if (const std::string* category = c_.Text("sdp_category")) {
      const catalog::VisitationCategory* v = catalog_.FindVisitation(*category);
      if (!v || category->rfind("sdp_", 0) != 0) Add(3010, {{"detail", *category}});
    }
  }

  void SicknessMetadata() {
    const Fact* a = person_.Entity(*c_.absence_id);
    if (!a || a->kind != FactKind::kAbsence) {
      Add(2018, {{"detail", std::to_string(*c_.absence_id)}});
      return;
    }
    if (a->code != 11) Add(4050, {});
    // § 32 stk. 2: the 13-week marker is for sygedagpengemodtagere fra beskæftigelse (KG 24).
    if (c_.Flag("expected_back_13w").value_or(false) && GroupOn(c_.registered).first != 24) Add(4052, {});
    if (c_.Flag("partial_recovery").value_or(false) || c_.DateOf("partial_recovery_from")) {
      if (GroupOn(c_.registered).first != 13) Add(4051, {});
    }
  }

  const catalog::Catalog& catalog_;
  const catalog::RecordType& area_;
  const PersonView& person_;
  const Command& c_;
  std::vector<Violation>* out_;
};

// Every command of the area that names its channels (acknowledge_summons, rebook_summons, book_meeting).
void CitizenOnly(const RecordRuleContext& x, std::vector<Violation>* out) { CourseCheck(x, out).CommandChannels(); }

void SummonsCreate(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kCreateSummons})) CourseCheck(x, out).Meeting(*x.command.date, true);
}

void SummonsUpdate(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (!CommandIs(x.command, {CommandType::kUpdateSummons})) return;
  CourseCheck check(x, out);
  if (const Fact* s = check.ExistingSummons()) check.Meeting(x.command.date.value_or(s->start), /*creating=*/false);
}

void SummonsExisting(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kCancelSummons, CommandType::kAcknowledgeSummons})) {
    CourseCheck check(x, out);
    check.ExistingSummons();
    // § 89 stk. 3: "Ved aflysning af en samtale eller et møde registreres og indberettes årsagen til aflysningen".
    const bool akasse_cancels = x.command.type == CommandType::kCancelSummons && x.command.channel == Channel::kAkasse;
    if (akasse_cancels && (!x.command.comment || x.command.comment->empty())) check.Add(4012, {});
  }
}

void SummonsRebook(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kRebookSummons})) CourseCheck(x, out).Rebook();
}

void MeetingBooking(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (!CommandIs(x.command, {CommandType::kBookMeeting})) return;
  CourseCheck check(x, out);
  check.Meeting(*x.command.date, /*creating=*/true);
  const auto& blocked = x.catalog.model().booking_blocked_by;
  if (const Fact* a = AbsenceLifting(x.catalog, x.person, *x.command.date, blocked.obligations)) {
    check.Add(4021, {{"reason", std::to_string(a->code)}}, nullptr, &blocked.sources);
  }
}

void DeadlineRules(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kCreateDeadline, CommandType::kChangeDeadline})) {
    CourseCheck(x, out).Deadline();
  }
}

void DeadlineExisting(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kAnnulDeadline})) CourseCheck(x, out).ExistingDeadline();
}

void AkasseChoiceScope(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kSetAkasseChoice})) {
    CourseCheck(x, out).Scope("akasse_choice", x.command.registered);
  }
}

void InterviewCourse(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kRegisterInterview})) CourseCheck(x, out).Interview();
}

void CourseCorrection(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kCorrectInterview, CommandType::kCorrectFollowUp})) {
    CourseCheck(x, out).Correction();
  }
}

void FollowUpRules(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kRegisterFollowUp})) CourseCheck(x, out).FollowUp();
}

void SicknessMetadataRules(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kSetSicknessMetadata})) CourseCheck(x, out).SicknessMetadata();
}

void CvStatusRules(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (!CommandIs(x.command, {CommandType::kSetCvStatus})) return;
  CourseCheck check(x, out);
  // § 30 for the job centre; § 93 for the a-kasse's own members (KG 1: the akasse actor's own `cv_status` scope).
  check.Scope("cv_status", x.command.registered);
  check.Code("cv_statuses", "status");
}

}  // namespace

const RecordRuleModule kCitizenOnlyModule{"citizen_only", "§ 18, stk. 2", CitizenOnly};
const RecordRuleModule kSummonsCreateModule{"summons_create", "§ 20", SummonsCreate};
const RecordRuleModule kSummonsUpdateModule{"summons_update", "§ 20", SummonsUpdate};
const RecordRuleModule kSummonsExistingModule{"summons_existing", "§ 18; § 89, stk. 3", SummonsExisting};
const RecordRuleModule kSummonsRebookModule{"summons_rebook", "§ 20, stk. 1, nr. 11-12", SummonsRebook};
const RecordRuleModule kMeetingBookingModule{"meeting_booking", "§ 18, stk. 2", MeetingBooking};
const RecordRuleModule kDeadlineModule{"deadline", "§ 23", DeadlineRules};
const RecordRuleModule kDeadlineExistingModule{"deadline_existing", "§ 23", DeadlineExisting};
const RecordRuleModule kAkasseChoiceScopeModule{"akasse_choice_scope", "§ 24", AkasseChoiceScope};
const RecordRuleModule kInterviewCourseModule{"interview_course", "§ 27, stk. 1; § 28; § 92, stk. 1", InterviewCourse};
const RecordRuleModule kCourseCorrectionModule{"course_correction", "§ 25, stk. 4; § 36", CourseCorrection};
const RecordRuleModule kFollowUpModule{"followup", "§ 36", FollowUpRules};
const RecordRuleModule kSicknessMetadataModule{"sickness_metadata", "§ 32, stk. 2", SicknessMetadataRules};
const RecordRuleModule kCvStatusModule{"cv_status", "§ 31; § 93", CvStatusRules};

const Fact* AbsenceLifting(const catalog::Catalog& catalog, const PersonView& person, Date date,
                           const std::vector<std::string>& obligations) {
  const Fact* group = person.On(FactKind::kContactGroup, date);
  if (!group || obligations.empty()) return nullptr;
  const Fact* visitation = person.On(FactKind::kVisitation, date);
  const std::string* visitation_key = visitation ? &visitation->text : nullptr;
  for (const Fact* a : person.Of(FactKind::kAbsence)) {
    std::optional<Date> end = EffectiveEnd(catalog, person, *a);
    if (a->start > date || (end && date > *end)) continue;
    catalog::LookupResult lookup = catalog.Lookup(a->code, group->code, visitation_key, date);
    for (const catalog::Obligation* o : lookup.exempts) {
      if (std::find(obligations.begin(), obligations.end(), o->key) != obligations.end()) return a;
    }
  }
  return nullptr;
}

Reason75State Reason75On(const catalog::Catalog& catalog, const PersonView& person, Date date) {
  Reason75State state;
  for (const Fact* a : person.Of(FactKind::kAbsence)) {
    if (a->code != 75) continue;
    state.any_registered = true;
    std::optional<Date> end = EffectiveEnd(catalog, person, *a);
    if (a->start <= date && (!end || date <= *end)) state.absence = a;
  }
  if (state.absence) {
    const Fact* group = person.On(FactKind::kContactGroup, date);
    state.active = !group || (group->code != 13 && group->code != 24 && group->code != 25);
  }
  return state;
}

bool IsJobInterviewType(const catalog::Catalog& catalog, const std::string& type, Date date) {
  if (type == "job") return true;
  const catalog::CourseCode* code = catalog.FindCourseCode("meeting_types", type, date);
  return code && code->id && (*code->id == 7 || *code->id == 17);
}

}  // namespace dfdg::registry
