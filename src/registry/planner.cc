#include "registry/planner.h"

namespace dfdg::registry {
namespace {

class Planner {
 public:
  Planner(const Command& command, const PersonView& view, PersonHistory* history)
      : c_(command), view_(view), history_(history) {
    out_.reserve(4);
  }

  std::vector<Fact> Run() {
    switch (c_.type) {
      case CommandType::kSetContactGroup: {
        CloseOpen(FactKind::kContactGroup, *c_.start);
        Fact& f = New(FactKind::kContactGroup, *c_.start);
        f.code = *c_.contact_group;
        f.event_date = c_.event_date;
        break;
      }
      case CommandType::kEndContactGroup:
        EndOpen(FactKind::kContactGroup, *c_.end);
        break;
      case CommandType::kSetVisitation: {
        // § 27 stk. 2: the visitation result applies from its registration date.
        CloseOpen(FactKind::kVisitation, c_.registered);
        New(FactKind::kVisitation, c_.registered).text = *c_.visitation;
        break;
      }
      case CommandType::kRegisterJobseeker: {
        CloseOpen(FactKind::kJobseeker, *c_.start);
        Fact& f = New(FactKind::kJobseeker, *c_.start);
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
        Fact* f = EndOpen(FactKind::kJobseeker, *c_.date - std::chrono::days{1});
        if (f) {
          f->text = *c_.deregistration_reason;
          f->extra["mindre_intensiv"] = c_.mindre_intensiv;
        }
        break;
      }
      case CommandType::kSetAkasse: {
        CloseOpen(FactKind::kAkasse, *c_.start);
        Fact& f = New(FactKind::kAkasse, *c_.start);
        f.text = *c_.akasse;
        f.end = c_.end;
        break;
      }
      case CommandType::kSetMunicipality: {
        CloseOpen(FactKind::kMunicipality, *c_.start);
        New(FactKind::kMunicipality, *c_.start).code = *c_.municipality;
        break;
      }
      case CommandType::kAddMarking: {
        Fact& f = New(FactKind::kMarking, *c_.start);
        f.text = *c_.marking;
        f.end = c_.end;
        break;
      }
      case CommandType::kEndMarking:
        for (const Fact* m : view_.Of(FactKind::kMarking)) {
          if (m->text == *c_.marking && (!m->end || *m->end >= c_.registered)) {
            Fact& f = Version(*m);
            f.end = *c_.end;
          }
        }
        break;
      case CommandType::kRegisterAbsence: {
        Fact& f = New(FactKind::kAbsence, *c_.start);
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
        Fact& f = New(FactKind::kInterview, *c_.date);
        f.end = *c_.date;
        f.text = *c_.interview_type;
        break;
      }
    }
    return std::move(out_);
  }

 private:
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

  Fact* EndOpen(FactKind kind, Date end) {
    const Fact* open = view_.Open(kind);
    if (!open) return nullptr;
    Fact& f = Version(*open);
    f.end = end;
    f.event_date = c_.event_date;
    return &f;
  }

  const Command& c_;
  const PersonView& view_;
  PersonHistory* history_;
  std::vector<Fact> out_;
};

}  // namespace

std::vector<Fact> PlanFacts(const Command& command, const PersonView& view, PersonHistory* history) {
  return Planner(command, view, history).Run();
}

}  // namespace dfdg::registry
