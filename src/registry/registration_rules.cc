// Rule modules of the registration commands (seed 000 chapters 4-6 and 20: contact group, visitation,
// jobseeker registration, municipality, markings, a-kasse, held interviews): registered for their built-in areas
// (catalog/records/builtin/<area>.yaml `rules:`). The parameters are the catalogue's (registry_rules.yaml).
#include <algorithm>

#include "registry/akasse_rules.h"
#include "registry/builtin_rules.h"

namespace dfdg::registry {
namespace {

// The codes of the area's list `list` (every version).
std::vector<const catalog::RecordCode*> Codes(const catalog::RecordType& area, const char* list) {
  std::vector<const catalog::RecordCode*> out;
  for (const catalog::RecordCodeList& l : area.codelists) {
    if (l.key != list) continue;
    for (const catalog::RecordCode& code : l.codes) out.push_back(&code);
  }
  return out;
}

// The last day of a code list entry's validity (its `valid_to` is the first day it no longer holds), or nullopt.
std::optional<Date> LastDay(const Validity& validity) {
  if (!validity.to) return std::nullopt;
  return *validity.to - std::chrono::days(1);
}

// True when the area's list `list` holds `key` in force on `date`.
bool Holds(const catalog::RecordType& area, const char* list, const std::string& key, Date date) {
  for (const catalog::RecordCode* code : Codes(area, list)) {
    if (code->key == key && code->validity.Contains(date)) return true;
  }
  return false;
}

class RuleCheck {
 public:
  RuleCheck(const RecordRuleContext& context, std::vector<Violation>* out)
      : catalog_(context.catalog),
        area_(context.area),
        person_(context.person),
        c_(context.command),
        projects_(context.projects),
        out_(*out) {}

  void Add(int code, Fields fields, const catalog::FileRef* at = nullptr,
           const std::vector<catalog::SourceRef>* sources = nullptr) {
    AddViolation(&out_, catalog_, c_.registered, code, std::move(fields), at, sources);
  }

  void CheckEventDate() {
    if (c_.event_date && *c_.event_date > c_.registered) Add(3003, {{"detail", FormatDate(*c_.event_date)}});
  }

  void SetContactGroup() {
    int group = *c_.contact_group;
    const catalog::ContactGroup* g = catalog_.FindContactGroup(group);
    if (!g) {
      Add(3001, {{"group", std::to_string(group)}});
    } else if (!catalog_.ContactGroupOpenForNew(*g, c_.registered)) {
      Add(3002, {{"group", std::to_string(group)}}, &g->defined_at, &g->sources);
    }
    CheckEventDate();
  }

  void SetVisitation() {
    const catalog::VisitationCategory* v = catalog_.FindVisitation(*c_.visitation);
    if (!v) {
      Add(3010, {{"detail", *c_.visitation}});
      return;
    }
    const Fact* group = person_.On(FactKind::kContactGroup, c_.registered);
    if (group &&
        std::find(v->contact_groups.begin(), v->contact_groups.end(), group->code) == v->contact_groups.end()) {
      Add(3011, {{"detail", *c_.visitation}, {"group", std::to_string(group->code)}}, &v->defined_at, &v->sources);
    }
  }

  void RegisterJobseeker() {
    std::vector<std::string> seen;
    for (const JobTitle& title : c_.job_titles) {
      std::string key = title.code + "/" + title.alias;
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        Add(3020, {{"detail", title.code + (title.alias.empty() ? "" : " (" + title.alias + ")")}});
      }
      seen.push_back(key);
    }
    if (c_.ledighedsgrad && (*c_.ledighedsgrad < 0 || *c_.ledighedsgrad > 100)) {
      Add(3024, {{"detail", std::to_string(*c_.ledighedsgrad)}});
    }
    if (c_.event_date) {
      // § 17 stk. 5 nr. 5 "dog ikke for kontaktgruppe 1"; § 64 stk. 1: the a-kasse reports the event date of a
      // dagpenge recipient's registration — the area's scope entry `event_date` for the channel (jobseeker.yaml).
      const Fact* group = person_.On(FactKind::kContactGroup, *c_.start);
      const catalog::ScopeEntry* allowed = area_.ScopeFor("event_date", c_.channel, c_.registered);
      if (group && allowed && !allowed->CoversGroup(group->code, c_.registration_category)) {
        Add(3021, {{"group", std::to_string(group->code)}}, &allowed->defined_at, &allowed->sources);
      }
      CheckEventDate();
    }
  }

  void DeregisterJobseeker() {
    if (!person_.Open(FactKind::kJobseeker)) Add(3023, {});
    const catalog::DeregistrationRule* rule = catalog_.DeregistrationOn(c_.registered);
    if (!rule) return;
    bool extended =
        c_.mindre_intensiv && std::find(rule->mindre_intensiv_channels.begin(), rule->mindre_intensiv_channels.end(),
                                        c_.channel) != rule->mindre_intensiv_channels.end();
    Date limit = AddDuration(c_.registered, extended ? rule->max_ahead_mindre_intensiv : rule->max_ahead);
    if (*c_.date < c_.registered || *c_.date > limit) {
      Add(3022, {{"detail", FormatDate(*c_.date)}, {"limit", FormatDate(limit)}}, &rule->defined_at, &rule->sources);
    }
  }

  bool OpenMarking() const {
    const std::string* project = c_.Text("project");
    for (const Fact* f : person_.Of(FactKind::kMarking)) {
      if (f->text != *c_.marking || (f->end && *f->end < c_.registered)) continue;
      if (project && (!f->extra.is_object() || f->extra.value("project", std::string()) != *project)) continue;
      return true;
    }
    return false;
  }

  // § 135: the project of an add_marking, that it exists on the start date, and that the registering system may mark
  // this person on it (the area's code lists, judged on the start date; the channel's use on the registration date).
  void MarkingProject() {
    const catalog::RecordType* area = catalog_.FindBuiltinCommand("add_marking").area;
    if (!area) return;
    const Date on = *c_.start;
    const std::string& marking = *c_.marking;
    const std::string* given = c_.Text("project");
    const std::string* own_kind = c_.Text("project_kind");
    std::string project = given ? *given : "";
    if (project.empty()) {  // a marking of exactly one catalogue project names its project
      for (const catalog::RecordCode* code : Codes(*area, "project_markings")) {
        size_t slash = code->key.find('/');
        if (code->validity.Contains(on) && slash != std::string::npos && code->key.substr(slash + 1) == marking) {
          project = code->key.substr(0, slash);
          break;
        }
      }
      if (project.empty()) {
        Add(3043, {{"detail", marking}});
        return;
      }
    }
    std::string kind, owner;
    std::optional<Date> last_day;  // the project's closing (its last day), when it has one
    for (const char* list : {"projects_state", "projects_joint"}) {
      bool known = false, in_force = false;
      for (const catalog::RecordCode* code : Codes(*area, list)) {
        if (code->key != project) continue;
        known = true;
        if (code->validity.Contains(on)) last_day = LastDay(code->validity);
        in_force = in_force || code->validity.Contains(on);
      }
      if (!known) continue;
      if (!in_force) {
        Add(3044, {{"detail", project}, {"start", FormatDate(on)}});
        return;
      }
      kind = std::string(list) == "projects_state" ? "state" : "joint";
    }
    if (!kind.empty() && own_kind) {
      Add(3045, {{"detail", *own_kind}});
      return;
    }
    if (kind.empty()) {
      if (own_kind && !Holds(*area, "own_project_kinds", *own_kind, on)) {
        Add(3045, {{"detail", *own_kind}});
        return;
      }
      if (!OwnProject(*area, project, on, &kind, &owner, &last_day)) return;
    } else if (!Holds(*area, "project_markings", project + "/" + marking, on)) {
      Add(3047, {{"detail", marking}, {"project", project}});
    }
    // The marking's whole period lies within the project's: a project with a closing takes no marking that ends
    // after it or is left open (the closing day itself is the last day a marking may run; docs/decisions/0044).
    if (last_day && (!c_.end || *c_.end > *last_day)) {
      Add(3056, {{"detail", project}, {"end", c_.end ? FormatDate(*c_.end) : "-"}, {"closing", FormatDate(*last_day)}});
    }
    const std::string channel = catalog::ChannelKey(c_.channel);
    if (!Holds(*area, "project_users", kind + "/" + channel, c_.registered)) {
      Add(3046, {{"detail", project}, {"kind", kind}, {"channel", channel}});
      return;
    }
    if (c_.channel == catalog::Channel::kJobcenter) OwnCitizen(*area, project, kind, owner, on);
    if (c_.channel != catalog::Channel::kAkasse) return;
    const std::optional<std::string> member = AkasseOn(person_, on);
    if (!member || (!c_.actor.empty() && *member != c_.actor)) Add(3048, {{"start", FormatDate(on)}});
    bool attached = kind == "akasse" ? c_.actor.empty() || c_.actor == owner
                                     : c_.actor.empty() || Attached(*area, project, "akasse/" + c_.actor, on);
    if (!attached) Add(3052, {{"detail", project}, {"actor", c_.actor}});
  }

  // An own project named by a marking: created at run time (create_project, the subject kProjectSubject; its
  // creation to its closing date, both inclusive), else an entry of `own_projects` ("<kind>/<owner>/<project>",
  // valid_from to valid_to): its kind, owner and last day (nullopt while it has no closing), or false after adding
  // 3051 (none created), 3045 (another kind given) or 3044 (not in force on `on`).
  bool OwnProject(const catalog::RecordType& area, const std::string& project, Date on, std::string* kind,
                  std::string* owner, std::optional<Date>* last_day) {
    const std::string* own_kind = c_.Text("project_kind");
    if (const Fact* created = projects_ ? RunTimeProject(*projects_, project) : nullptr) {
      std::string created_kind = created->extra.value("project_kind", std::string());
      if (own_kind && *own_kind != created_kind) {
        Add(3051, {{"detail", project}, {"kind", *own_kind}});
        return false;
      }
      if (!created->CoversDay(on)) {
        Add(3044, {{"detail", project}, {"start", FormatDate(on)}});
        return false;
      }
      *kind = created_kind;
      *owner = created->extra.value("owner", std::string());
      *last_day = created->end;
      return true;
    }
    const catalog::RecordCode* found = nullptr;
    bool in_force = false;
    for (const catalog::RecordCode* code : Codes(area, "own_projects")) {
      size_t first = code->key.find('/'), last = code->key.rfind('/');
      if (first == last || code->key.substr(last + 1) != project) continue;
      if (own_kind && code->key.substr(0, first) != *own_kind) continue;
      if (!found || code->validity.Contains(on)) found = code;
      in_force = in_force || code->validity.Contains(on);
    }
    if (!found) {
      Add(own_kind ? 3051 : 3043, {{"detail", project}, {"kind", own_kind ? *own_kind : ""}});
      return false;
    }
    if (!in_force) {
      Add(3044, {{"detail", project}, {"start", FormatDate(on)}});
      return false;
    }
    size_t first = found->key.find('/'), last = found->key.rfind('/');
    *last_day = LastDay(found->validity);
    *kind = found->key.substr(0, first);
    *owner = found->key.substr(first + 1, last - first - 1);
    return true;
  }

  // A joint project's participant (`joint_project_participants`: "<project>/*" or "<project>/<who>").
  static bool Attached(const catalog::RecordType& area, const std::string& project, const std::string& who,
                       Date on) {
    return Holds(area, "joint_project_participants", project + "/*", on) ||
           Holds(area, "joint_project_participants", project + "/" + who, on);
  }

  // § 135 stk. 4 "for egne borgere": the job centre is the person's municipality on the start date (the actor's
  // municipality when it names one: "<municipality>" or "<CVR>@<municipality>"), and it owns the own project or
  // takes part in the joint one.
  void OwnCitizen(const catalog::RecordType& area, const std::string& project, const std::string& kind,
                  const std::string& owner, Date on) {
    const Fact* municipality = person_.On(FactKind::kMunicipality, on);
    std::string citizen_of = municipality ? std::to_string(municipality->code) : "";
    std::string actor = c_.actor.substr(c_.actor.find('@') == std::string::npos ? 0 : c_.actor.find('@') + 1);
    bool names = !actor.empty() && actor.size() <= 4 && std::all_of(actor.begin(), actor.end(), [](char ch) {
      return ch >= '0' && ch <= '9';
    });
    std::string sender = names ? std::to_string(std::stoi(actor)) : kind == "jobcenter" ? owner : citizen_of;
    if ((kind == "jobcenter" || names) && citizen_of != sender) {
      Add(3049, {{"start", FormatDate(on)}, {"municipality", citizen_of.empty() ? "-" : citizen_of}});
    }
    bool attached = kind == "jobcenter" ? sender == owner
                    : kind == "joint"   ? sender.empty() ? Attached(area, project, "", on)
                                                         : Attached(area, project, "jobcenter/" + sender, on)
                                        : true;
    if (!attached) Add(3052, {{"detail", project}, {"actor", sender}});
  }

  void RegisterInterview() {
    if (*c_.date > c_.registered) Add(3040, {{"detail", FormatDate(*c_.date)}});
    // A category of held interview (registry_rules.yaml) or a meeting type (contact_course.yaml).
    if (!catalog_.FindInterviewType(*c_.interview_type) &&
        !catalog_.FindCourseCode("meeting_types", *c_.interview_type, c_.registered)) {
      Add(3041, {{"detail", *c_.interview_type}});
    }
  }

  const catalog::Catalog& catalog_;
  const catalog::RecordType& area_;
  const PersonView& person_;
  const Command& c_;
  const PersonView* projects_;  // the run-time projects (kProjectSubject), or nullptr
  std::vector<Violation>& out_;
};

void ContactGroupSet(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kSetContactGroup})) RuleCheck(x, out).SetContactGroup();
}

void ContactGroupEnd(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (!CommandIs(x.command, {CommandType::kEndContactGroup})) return;
  RuleCheck check(x, out);
  if (!x.person.Open(FactKind::kContactGroup)) check.Add(3004, {});
  check.CheckEventDate();
}

void VisitationGroup(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kSetVisitation})) RuleCheck(x, out).SetVisitation();
}

void JobseekerRegistration(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kRegisterJobseeker})) RuleCheck(x, out).RegisterJobseeker();
}

void JobseekerDeregistration(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kDeregisterJobseeker})) RuleCheck(x, out).DeregisterJobseeker();
}

void MunicipalityKnown(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (!CommandIs(x.command, {CommandType::kSetMunicipality})) return;
  int municipality = *x.command.municipality;
  if (!x.catalog.FindMunicipality(municipality)) {
    RuleCheck(x, out).Add(3030, {{"detail", std::to_string(municipality)}});
  }
}

void MarkingOpen(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (!CommandIs(x.command, {CommandType::kEndMarking})) return;
  RuleCheck check(x, out);
  if (!check.OpenMarking()) check.Add(3042, {{"detail", *x.command.marking}});
}

void MarkingProject(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kAddMarking})) RuleCheck(x, out).MarkingProject();
}

// The berigtigelse of a marking (docs/decisions/0048): the marking exists for the person and is not cancelled
// (3057). A correction is judged as the add_marking it makes of the marking — its name, project and project kind
// as stored, the corrected start and end over the stored ones — so a corrected marking lies within its project's
// period as a new one must (2010, 3044, 3056) and the correcting system may mark on the project (3046, 3049, 3052,
// 3048). A cancellation takes a marking back whatever its dates (one that begins after its project's closing too),
// but only from a system that may mark on the project.
void MarkingCorrection(const RecordRuleContext& x, std::vector<Violation>* out) {
  const Command& c = x.command;
  if (!CommandIs(c, {CommandType::kCorrectMarking, CommandType::kCancelMarking})) return;
  const Fact* marking = x.person.Entity(*c.target_id);
  if (!marking || marking->kind != FactKind::kMarking) {
    AddViolation(out, x.catalog, c.registered, 3057, {{"detail", std::to_string(*c.target_id)}});
    return;
  }
  Command as_added = c;
  as_added.type = CommandType::kAddMarking;
  as_added.marking = marking->text;
  as_added.start = c.start.value_or(marking->start);
  as_added.end = c.end ? c.end : marking->end;
  for (const char* key : {"project", "project_kind"}) {
    if (marking->extra.is_object() && marking->extra.contains(key) && marking->extra[key].is_string()) {
      as_added.texts[key] = marking->extra[key].get<std::string>();
    }
  }
  if (c.type == CommandType::kCancelMarking) {
    // Only a system that may mark on the project takes a marking back (3046, 3048, 3049, 3052, judged on the
    // marking's start); its period is not judged again. A project not in force on that start (3044) stops the
    // judgement before the sender's checks, so such a marking is taken back on its existence alone.
    as_added.end = as_added.start;
    std::vector<Violation> judged;
    RecordRuleContext added{x.catalog, x.person, as_added, x.fields, x.current, x.rule, x.area, x.projects};
    RuleCheck(added, &judged).MarkingProject();
    for (Violation& v : judged) {
      if (v.code() == 3046 || v.code() == 3048 || v.code() == 3049 || v.code() == 3052) out->push_back(std::move(v));
    }
    return;
  }
  if (as_added.end && *as_added.end < *as_added.start) {
    AddViolation(out, x.catalog, c.registered, 2010,
                 {{"start", FormatDate(*as_added.start)}, {"end", FormatDate(*as_added.end)}});
    return;
  }
  RecordRuleContext added{x.catalog, x.person, as_added, x.fields, x.current, x.rule, x.area, x.projects};
  RuleCheck(added, out).MarkingProject();
}

void PeriodOrder(const RecordRuleContext& x, std::vector<Violation>* out) {
  const Command& c = x.command;
  if (!CommandIs(c, {CommandType::kSetAkasse, CommandType::kAddMarking, CommandType::kSetContactGroup,
                     CommandType::kCreateProject, CommandType::kCorrectProject}))
    return;
  if (c.end && c.start && *c.end < *c.start) {
    RuleCheck(x, out).Add(2010, {{"start", FormatDate(*c.start)}, {"end", FormatDate(*c.end)}});
  }
}

void InterviewHeld(const RecordRuleContext& x, std::vector<Violation>* out) {
  if (CommandIs(x.command, {CommandType::kRegisterInterview})) RuleCheck(x, out).RegisterInterview();
}

}  // namespace

bool CommandIs(const Command& command, std::initializer_list<CommandType> types) {
  return std::find(types.begin(), types.end(), command.type) != types.end();
}

const RecordRuleModule kContactGroupSetModule{"contact_group_set", "§ 16, stk. 1 og 6", ContactGroupSet};
const RecordRuleModule kContactGroupEndModule{"contact_group_end", "§ 16, stk. 2 og 6", ContactGroupEnd};
const RecordRuleModule kVisitationGroupModule{"visitation_group", "§ 27, stk. 2", VisitationGroup};
const RecordRuleModule kJobseekerRegistrationModule{"jobseeker_registration", "§ 17, stk. 5", JobseekerRegistration};
const RecordRuleModule kJobseekerDeregistrationModule{"jobseeker_deregistration", "§ 17, stk. 6",
                                                      JobseekerDeregistration};
const RecordRuleModule kMunicipalityKnownModule{"municipality_known", "§ 16, stk. 5", MunicipalityKnown};
const RecordRuleModule kMarkingOpenModule{"marking_open", "§ 20, stk. 4", MarkingOpen};
const RecordRuleModule kMarkingProjectModule{"marking_project", "§ 135", MarkingProject};
const RecordRuleModule kMarkingCorrectionModule{"marking_correction", "§ 135; § 34, stk. 4", MarkingCorrection};
const RecordRuleModule kPeriodOrderModule{"period_order", "§ 16, stk. 6; § 20, stk. 4; § 60", PeriodOrder};
const RecordRuleModule kInterviewHeldModule{"interview_held", "§ 27, stk. 1; § 28", InterviewHeld};

}  // namespace dfdg::registry
