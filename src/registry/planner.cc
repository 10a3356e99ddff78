#include "registry/planner.h"

#include "registry/builtin_rules.h"
#include "registry/course_validator.h"
#include "registry/record_validator.h"

namespace dfdg::registry {
namespace {

// The stored kind of a built-in command's records: its area's declared `stored_as` (catalog/records/builtin/,
// checked to be a FactKind by CheckBuiltinDeclarations).
FactKind StoredKind(const catalog::Catalog& catalog, const Command& command) {
  const catalog::RecordType* area = catalog.FindBuiltinCommand(CommandName(command.type)).area;
  std::optional<FactKind> kind = area ? ParseFactKind(area->stored_as) : std::nullopt;
  return kind.value_or(FactKind::kRecord);
}

// Plans the facts of a built-in command: the records of its own area are stored as the declared kind (kind_);
// the effects on other areas (§ 27 stk. 2 and § 36 the visitation) name theirs. The reset of the a-kasse choice
// (§ 24 stk. 1) is DFDG's own action (catalog/automation.yaml `akasse_choice_reset_*`).
class Planner {
 public:
  Planner(const catalog::Catalog& catalog, const Command& command, const PersonView& view, PersonHistory* history)
      : catalog_(catalog), c_(command), view_(view), history_(history), kind_(StoredKind(catalog, command)) {
    out_.reserve(4);
  }

  std::vector<Fact> Run() {
    switch (c_.type) {
      case CommandType::kSetContactGroup: {
        // § 16: one group at a time. Without an end the open period ends the day before (as ever). With an end
        // (§ 16 stk. 6 nr. 5, e.g. DFDG's 2025-07-01 conversion of a period that ends as registered) the period
        // covering the new start, open or ended, ends the day before it; a group that starts later stays.
        if (c_.end) {
          CloseCovering(kind_, *c_.start);
        } else {
          CloseOpen(kind_, *c_.start);
        }
        Fact& f = New(kind_, *c_.start);
        f.code = *c_.contact_group;
        f.end = c_.end;
        f.event_date = c_.event_date;
        break;
      }
      case CommandType::kEndContactGroup:
        EndOpen(kind_, *c_.end);
        break;
      case CommandType::kSetVisitation: {
        // § 27 stk. 2: the visitation result applies from its registration date.
        CloseOpen(kind_, c_.registered);
        New(kind_, c_.registered).text = *c_.visitation;
        break;
      }
      case CommandType::kRegisterJobseeker: {
        CloseOpen(kind_, *c_.start);
        Fact& f = New(kind_, *c_.start);
        f.code = *c_.registration_category;
        f.event_date = c_.event_date;
        nlohmann::json titles = nlohmann::json::array();
        for (const auto& t : c_.job_titles) titles.push_back({{"code", t.code}, {"alias", t.alias}});
        f.extra = {{"job_titles", titles}};
        if (c_.ledighedsgrad) f.extra["ledighedsgrad"] = *c_.ledighedsgrad;
        break;
      }
      case CommandType::kDeregisterJobseeker: {
        // Afmelding on date D: the registration's last day is D - 1.
        Fact* f = EndOpen(kind_, *c_.date - std::chrono::days{1});
        if (f) {
          f->text = *c_.deregistration_reason;
          f->extra["mindre_intensiv"] = c_.mindre_intensiv;
        }
        break;
      }
      case CommandType::kSetAkasse: {
        CloseOpen(kind_, *c_.start);
        Fact& f = New(kind_, *c_.start);
        f.text = *c_.akasse;
        f.end = c_.end;
        break;
      }
      case CommandType::kSetMunicipality: {
        CloseOpen(kind_, *c_.start);
        New(kind_, *c_.start).code = *c_.municipality;
        break;
      }
      case CommandType::kAddMarking: {
        Fact& f = New(kind_, *c_.start);
        f.text = *c_.marking;
        f.end = c_.end;
        if (nlohmann::json project = Details({"project", "project_kind"}); !project.empty()) f.extra = project;
        break;
      }
      case CommandType::kEndMarking:
        for (const Fact* m : view_.Of(kind_)) {
          const std::string* project = c_.Text("project");
          if (project && (!m->extra.is_object() || m->extra.value("project", std::string()) != *project)) continue;
          if (m->text == *c_.marking && (!m->end || *m->end >= c_.registered)) {
            Fact& f = Version(*m);
            f.end = *c_.end;
          }
        }
        break;
      case CommandType::kRegisterAbsence: {
        Fact& f = New(kind_, *c_.start);
        f.code = *c_.reason;
        f.end = c_.end;
        f.comment = c_.comment.value_or("");
        break;
      }
      case CommandType::kUpdateAbsence: {
        Fact& f = Version(*view_.Entity(*c_.absence_id));
        if (c_.start) f.start = *c_.start;
        if (c_.end) f.end = c_.end;
        if (c_.comment) f.comment = *c_.comment;
        break;
      }
      case CommandType::kEndAbsence: {
        Fact& f = Version(*view_.Entity(*c_.absence_id));
        f.end = c_.end;
        break;
      }
      case CommandType::kCorrectAbsence: {
        Fact& f = Version(*view_.Entity(*c_.absence_id));
        f.deleted = true;
        f.comment = *c_.comment;
        break;
      }
      case CommandType::kRegisterInterview: {
        Fact& f = New(kind_, *c_.date);
        f.end = *c_.date;
        f.text = *c_.interview_type;
        f.comment = c_.comment.value_or("");
        f.extra = Details({"form", "agreements", "availability_assessment", "akasse_participation", "visitation"});
        if (!c_.participants.empty()) f.extra["participants"] = c_.participants;
        for (const char* flag : {"cv_not_adequate", "first_contact"}) {
          if (auto value = c_.Flag(flag)) f.extra[flag] = *value;
        }
        if (const std::string* visitation = c_.Text("visitation")) {
          // § 27 stk. 2: a changed visitation result applies from the registration date.
          CloseOpen(FactKind::kVisitation, c_.registered);
          New(FactKind::kVisitation, c_.registered).text = *visitation;
        }
        break;
      }
      case CommandType::kCorrectInterview:
      case CommandType::kCorrectFollowUp: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        f.deleted = true;
        f.comment = *c_.comment;
        break;
      }
      case CommandType::kCreateSummons:
      case CommandType::kBookMeeting: {
        Fact& f = New(kind_, *c_.date);
        f.end = *c_.date;
        f.text = *c_.Text("type");
        f.extra = Details({"start_time", "end_time", "form", "place", "contact", "address", "phone", "title",
                           "description", "employee", "akasse_participation"});
        if (auto possible = c_.Flag("rebooking_possible")) f.extra["rebooking_possible"] = *possible;
        for (const char* key : {"rebooking_from", "rebooking_to"}) {
          if (auto date = c_.DateOf(key)) f.extra[key] = FormatDate(*date);
        }
        if (!c_.participants.empty()) f.extra["participants"] = c_.participants;  // § 89 nr. 6
        if (c_.type == CommandType::kBookMeeting) f.extra["self_booked"] = true;
        break;
      }
      case CommandType::kUpdateSummons: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        if (c_.date) f.start = f.end.emplace(*c_.date);
        if (const std::string* type = c_.Text("type")) f.text = *type;
        nlohmann::json changes = Details({"start_time", "end_time", "form", "place", "contact", "address", "phone",
                                          "title", "description", "employee", "akasse_participation"});
        if (auto possible = c_.Flag("rebooking_possible")) changes["rebooking_possible"] = *possible;
        for (const char* key : {"rebooking_from", "rebooking_to"}) {
          if (auto date = c_.DateOf(key)) changes[key] = FormatDate(*date);
        }
        if (!c_.participants.empty()) changes["participants"] = c_.participants;
        f.extra.update(changes);
        break;
      }
      case CommandType::kCancelSummons: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        f.extra["cancelled"] = true;
        f.comment = c_.comment.value_or("");
        break;
      }
      case CommandType::kAcknowledgeSummons: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        f.extra["seen_on"] = FormatDate(c_.registered);
        break;
      }
      case CommandType::kRebookSummons: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        f.start = f.end.emplace(*c_.date);
        f.extra["start_time"] = *c_.Text("start_time");
        f.extra["end_time"] = *c_.Text("end_time");
        f.extra["rebooked_by_citizen"] = true;
        break;
      }
      case CommandType::kCreateDeadline: {
        Fact& f = New(kind_, c_.registered);
        f.end = *c_.DateOf("deadline");
        f.text = c_.Text("kind") ? *c_.Text("kind") : "job";
        break;
      }
      case CommandType::kChangeDeadline: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        f.end = *c_.DateOf("deadline");
        break;
      }
      case CommandType::kAnnulDeadline: {
        Fact& f = Version(*view_.Entity(*c_.target_id));
        f.deleted = true;
        break;
      }
      case CommandType::kSetAkasseChoice: {
        CloseOpen(kind_, c_.registered);
        New(kind_, c_.registered).text = *c_.Flag("wants_akasse") ? "wants" : "declines";
        break;
      }
      case CommandType::kRegisterFollowUp: {
        Fact& f = New(kind_, *c_.date);
        f.end = *c_.date;
        f.text = *c_.Text("form");
        f.extra = Details({"sdp_category", "agreements"});
        const catalog::CourseCode* form = catalog_.FindCourseCode("followup_forms", f.text, c_.registered);
        f.extra["standby"] = form && form->standby;
        if (const std::string* category = c_.Text("sdp_category")) {
          // § 36: the sygedagpenge visitation category when changed, effective from the registration date.
          CloseOpen(FactKind::kVisitation, c_.registered);
          New(FactKind::kVisitation, c_.registered).text = *category;
        }
        break;
      }
      case CommandType::kSetSicknessMetadata: {
        Fact& f = Version(*view_.Entity(*c_.absence_id));
        if (!f.extra.is_object()) f.extra = nlohmann::json::object();
        if (auto back = c_.Flag("expected_back_13w")) f.extra["expected_back_13w"] = *back;
        if (auto partial = c_.Flag("partial_recovery")) f.extra["partial_recovery"] = *partial;
        if (auto from = c_.DateOf("partial_recovery_from")) f.extra["partial_recovery_from"] = FormatDate(*from);
        break;
      }
      case CommandType::kSetCvStatus: {
        CloseOpen(kind_, c_.registered);
        New(kind_, c_.registered).text = *c_.Text("status");
        break;
      }
      case CommandType::kCreateProject: {
        // § 135 stk. 4-5: one entity per project on the subject kProjectSubject; its period is the project's life.
        Fact& f = New(kind_, *c_.start);
        f.text = *c_.Text("project");
        f.end = c_.end;
        f.extra = Details({"name", "project_kind"});
        f.extra["owner"] = ProjectOwner();
        break;
      }
      case CommandType::kCloseProject:
      case CommandType::kCorrectProject: {
        const Fact* current = RunTimeProject(view_, *c_.Text("project"));
        if (!current) break;  // refused by project_register (3054)
        Fact& f = Version(*current);
        if (c_.start) f.start = *c_.start;
        if (c_.end) f.end = *c_.end;
        if (const std::string* name = c_.Text("name")) f.extra["name"] = *name;
        if (c_.comment) f.comment = *c_.comment;
        break;
      }
      case CommandType::kCorrectMarking: {
        // A berigtigelse of a marking (§ 135 with § 34 stk. 4): a new version with the corrected dates and the
        // reason; the earlier version stays in the history.
        const Fact* current = view_.Entity(*c_.target_id);
        if (!current || current->kind != FactKind::kMarking) break;  // refused by marking_correction (3057)
        Fact& f = Version(*current);
        if (c_.start) f.start = *c_.start;
        if (c_.end) f.end = *c_.end;
        f.comment = *c_.comment;
        break;
      }
      case CommandType::kCancelMarking: {
        const Fact* current = view_.Entity(*c_.target_id);
        if (!current || current->kind != FactKind::kMarking) break;  // refused by marking_correction (3057)
        Fact& f = Version(*current);
        f.deleted = true;
        f.comment = *c_.comment;
        break;
      }
      case CommandType::kRecord:  // PlanFacts hands these to PlanRecordFacts
        break;
    }
    return std::move(out_);
  }

 private:
  // The command's text fields among `keys`, as a JSON object.
  nlohmann::json Details(std::initializer_list<const char*> keys) const {
    nlohmann::json out = nlohmann::json::object();
    for (const char* key : keys) {
      if (const std::string* value = c_.Text(key)) out[key] = *value;
    }
    return out;
  }

  // A project's owner as stored: a job centre's municipality code without leading zeros, an a-kasse's number.
  std::string ProjectOwner() const {
    const std::string& owner = *c_.Text("owner");
    bool digits = !owner.empty() && owner.size() <= 4 &&
                  owner.find_first_not_of("0123456789") == std::string::npos;
    return *c_.Text("project_kind") == "jobcenter" && digits ? std::to_string(std::stoi(owner)) : owner;
  }

  Fact& Stamp(Fact& f) {
    f.recorded_on = c_.registered;
    f.channel = c_.channel;
    f.actor = c_.actor;
    f.deleted = false;
    return f;
  }

  Fact& New(FactKind kind, Date start) {
    Fact f;
    f.kind = kind;
    f.entity_id = history_->next_entity_id++;
    f.start = start;
    out_.push_back(std::move(f));
    return Stamp(out_.back());
  }

  // A new version of an existing entity, starting as a copy of its current version.
  Fact& Version(const Fact& current) {
    Fact f = current;
    f.seq = 0;
    f.event_date.reset();
    out_.push_back(std::move(f));
    return Stamp(out_.back());
  }

  // Ends the open period of `kind` the day before `next_start` (or drops it from view if it starts later).
  void CloseOpen(FactKind kind, Date next_start) {
    const Fact* open = view_.Open(kind);
    if (!open) return;
    Fact& f = Version(*open);
    if (open->start >= next_start) {
      f.deleted = true;  // superseded before it began
    } else {
      f.end = next_start - std::chrono::days{1};
    }
  }

  // Ends every period of `kind` that covers `start` (open or ended) the day before it, or drops it from view when
  // it starts on `start`.
  void CloseCovering(FactKind kind, Date start) {
    std::vector<const Fact*> covering;
    for (const Fact* f : view_.Of(kind)) {
      if (f->CoversDay(start)) covering.push_back(f);
    }
    for (const Fact* f : covering) {
      Fact& v = Version(*f);
      if (f->start >= start) {
        v.deleted = true;
      } else {
        v.end = start - std::chrono::days{1};
      }
    }
  }

  Fact* EndOpen(FactKind kind, Date end) {
    const Fact* open = view_.Open(kind);
    if (!open) return nullptr;
    Fact& f = Version(*open);
    f.end = end;
    f.event_date = c_.event_date;
    return &f;
  }

  const catalog::Catalog& catalog_;
  const Command& c_;
  const PersonView& view_;
  PersonHistory* history_;
  FactKind kind_;  // the stored kind of the command's area (its `stored_as`)
  std::vector<Fact> out_;
};

}  // namespace

std::vector<Fact> PlanFacts(const catalog::Catalog& catalog, const Command& command, const PersonView& view,
                            PersonHistory* history) {
  if (command.type == CommandType::kRecord) return PlanRecordFacts(command, view, history);
  return Planner(catalog, command, view, history).Run();
}

}  // namespace dfdg::registry
