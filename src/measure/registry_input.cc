#include "measure/registry_input.h"

#include <algorithm>

#include "registry/person.h"

namespace dfdg::measure {
namespace {

using registry::Fact;
using registry::FactKind;

InterviewForm FormOf(const std::string& key) {
  if (key == "personligt") return InterviewForm::kPersonligt;
  if (key == "digitalt" || key == "video") return InterviewForm::kVideo;
  if (key == "telefonisk" || key == "telefon") return InterviewForm::kTelefon;
  return InterviewForm::kAndet;
}

std::string ExtraText(const Fact& f, const char* key) {
  if (!f.extra.is_object() || !f.extra.contains(key) || !f.extra[key].is_string()) return "";
  return f.extra[key].get<std::string>();
}

bool ExtraFlag(const Fact& f, const char* key) {
  return f.extra.is_object() && f.extra.contains(key) && f.extra[key].is_boolean() && f.extra[key].get<bool>();
}

Date EndOf(const Fact& f) { return f.end.value_or(OpenEnd()); }

}  // namespace

Status AddRegistryFacts(store::Store& store, const catalog::Catalog& catalog, InputData* data) {
  for (uint32_t index = 0; index < data->persons.size(); ++index) {
    const std::string& cpr = data->persons[index].cpr;
    auto history = store.LoadPerson(cpr);
    if (!history.ok()) {
      return Status::IOError(cpr.substr(0, 6) + "-****: " + history.status().message());
    }
    registry::PersonView view(*history, std::nullopt);
    for (const Fact* f : view.Of(FactKind::kAbsence)) {
      data->absences.push_back(
          {index, f->start, EndOf(*f), f->code, f->recorded_on, ExtraFlag(*f, "expected_back_13w")});
    }
    for (const Fact* f : view.Of(FactKind::kInterview)) {
      Interview iv;
      iv.person = index;
      iv.date = f->start;
      iv.form = FormOf(ExtraText(*f, "form"));
      iv.held_by = f->channel == catalog::Channel::kAkasse ? HeldBy::kAkasse : HeldBy::kJobcenter;
      const catalog::CourseCode* code = catalog.FindCourseCode("meeting_types", f->text, f->start);
      int id = code && code->id ? *code->id : 0;
      iv.type = f->text == "job" || id == 7 ? InterviewType::kJobsamtale
                : id == 17                  ? InterviewType::kFaellesJobsamtale
                                            : InterviewType::kAndet;
      if (f->text == "foerste_henvendelse" || ExtraFlag(*f, "first_contact")) {
        data->first_contacts.push_back({index, f->start});
      }
      data->interviews.push_back(iv);
    }
    for (const Fact* f : view.Of(FactKind::kFollowUp)) {
      Interview iv;
      iv.person = index;
      iv.date = f->start;
      iv.form = FormOf(f->text);
      iv.type = ExtraFlag(*f, "standby") ? InterviewType::kAndet : InterviewType::kSygeopfoelgning;
      iv.held_by = f->channel == catalog::Channel::kAkasse ? HeldBy::kAkasse : HeldBy::kJobcenter;
      data->interviews.push_back(iv);
    }
    for (const Fact* f : view.Of(FactKind::kMunicipality)) {
      data->residence.push_back({index, f->start, EndOf(*f), f->code});
    }
    // Contact-group periods, split where the visitation category changes inside them.
    const auto& visitations = view.Of(FactKind::kVisitation);
    for (const Fact* g : view.Of(FactKind::kContactGroup)) {
      std::vector<Date> cuts = {g->start};
      for (const Fact* v : visitations) {
        if (v->start > g->start && v->start <= EndOf(*g)) cuts.push_back(v->start);
        if (v->end && *v->end >= g->start && *v->end < EndOf(*g)) cuts.push_back(*v->end + std::chrono::days{1});
      }
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      for (size_t i = 0; i < cuts.size(); ++i) {
        Date from = cuts[i];
        Date to = i + 1 < cuts.size() ? cuts[i + 1] - std::chrono::days{1} : EndOf(*g);
        const Fact* v = view.On(FactKind::kVisitation, from);
        data->contact_groups.push_back({index, from, to, g->code, v ? v->text : ""});
      }
    }
  }
  data->Finish();
  return Status::Ok();
}

}  // namespace dfdg::measure
