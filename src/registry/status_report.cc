#include "registry/status_report.h"

#include <algorithm>
#include <sstream>

#include "core/danish_time.h"

#include "registry/record.h"
#include "registry/record_report.h"
#include "registry/validator.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::ordered_json;

Json DateOrNull(const std::optional<Date>& date) { return date ? Json(FormatDate(*date)) : Json(nullptr); }

Json Period(const Fact& f) {
  return Json{{"entity_id", f.entity_id},
              {"start", FormatDate(f.start)},
              {"end", DateOrNull(f.end)},
              {"registered_on", FormatDate(f.recorded_on)},
              {"channel", catalog::ChannelKey(f.channel)}};
}

// § 63 stk. 7 (seed 000): who runs the contact course on `date` by the a-kasse's responsibility records
// (catalog/records/contact_course_responsibility.yaml): the a-kasse while a record covers the day; the job centre
// from the day after the latest ended one; null without such records.
Json ContactCourseOn(const catalog::Catalog& catalog, const PersonView& view, Date date) {
  const catalog::RecordType* type = catalog.FindRecordType("contact_course_responsibility");
  const Fact* covering = nullptr;
  const Fact* ended = nullptr;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (!type || f->text != type->key || f->start > date) continue;
    if (f->CoversDay(date)) covering = f;
    if (f->end && *f->end < date && (!ended || *f->end > *ended->end)) ended = f;
  }
  const Fact* f = covering ? covering : ended;
  if (!f) return Json(nullptr);
  const nlohmann::json& fields = RecordFields(*f);
  Json out{{"responsible", covering ? "akasse" : "jobcenter"},
           {"from", FormatDate(covering ? f->start : *f->end + std::chrono::days(1))},
           {"entity_id", f->entity_id},
           {"akasse_code", fields.value("akasse_code", "")},
           {"start_basis", fields.value("start_basis", "")},
           {"end", DateOrNull(f->end)},
           {"end_reason", fields.contains("end_reason") ? Json(fields["end_reason"]) : Json(nullptr)},
           {"legal_ref", covering ? "§ 63, stk. 1-3" : "§ 63, stk. 7"}};
  return out;
}

// The channel that registered the first version of `f`'s entity (a summons of the a-kasse stays the a-kasse's
// when the citizen acknowledges or rebooks it).
catalog::Channel CreatedOn(const PersonHistory& history, const Fact& f) {
  for (const Fact& version : history.facts) {
    if (version.entity_id == f.entity_id && version.kind == f.kind) return version.channel;
  }
  return f.channel;
}

// "YYYY-MM-DDTHH:MM" (Danish local time).
std::string FormatDanishTime(const DanishTime& t) {
  auto two = [](int n) { return std::string(n < 10 ? "0" : "").append(std::to_string(n)); };
  return FormatDate(t.day).append("T").append(two(t.minute / 60)).append(":").append(two(t.minute % 60));
}

}  // namespace

nlohmann::ordered_json BuildStatus(const catalog::Catalog& catalog, const PersonHistory& history,
                                   const std::string& masked_cpr, Date date, std::optional<Date> known_at,
                                   std::optional<std::chrono::sys_seconds> now) {
  PersonView view(history, known_at);
  Json out;
  out["cpr"] = masked_cpr;
  out["date"] = FormatDate(date);
  out["known_at"] = DateOrNull(known_at);
  if (now) out["now"] = FormatDanishTime(ToDanishTime(*now));
  out["catalog_version"] = catalog.version();

  const Fact* group = view.On(FactKind::kContactGroup, date);
  const Fact* visitation = view.On(FactKind::kVisitation, date);
  const std::string* visitation_key = visitation ? &visitation->text : nullptr;
  if (group) {
    Json g = Period(*group);
    g["id"] = group->code;
    const catalog::ContactGroup* cg = catalog.FindContactGroup(group->code);
    g["name_da"] = cg ? catalog.ContactGroupName(*cg, date) : "";
    if (group->event_date) g["event_date"] = FormatDate(*group->event_date);
    out["contact_group"] = g;
  } else {
    out["contact_group"] = nullptr;
  }
  if (visitation) {
    const catalog::VisitationCategory* v = catalog.FindVisitation(visitation->text);
    out["visitation"] = {{"key", visitation->text},
                         {"name_da", v ? v->name_da : visitation->text},
                         {"since", FormatDate(visitation->start)}};
  } else {
    out["visitation"] = nullptr;
  }
  if (const Fact* reg = view.On(FactKind::kJobseeker, date)) {
    Json r = Period(*reg);
    r["category"] = reg->code;
    if (!reg->extra.is_null()) {
      if (reg->extra.contains("ledighedsgrad")) r["ledighedsgrad"] = reg->extra["ledighedsgrad"];
      if (reg->extra.contains("job_titles")) r["job_titles"] = reg->extra["job_titles"];
    }
    out["jobseeker"] = r;
  } else {
    out["jobseeker"] = nullptr;
  }
  if (const Fact* a = view.On(FactKind::kAkasse, date)) {
    out["akasse"] = {{"akasse", a->text}, {"since", FormatDate(a->start)}};
  } else {
    out["akasse"] = nullptr;
  }
  if (const Fact* m = view.On(FactKind::kMunicipality, date)) {
    const catalog::Municipality* mun = catalog.FindMunicipality(m->code);
    out["municipality"] = {{"code", m->code}, {"name", mun ? mun->name : ""}, {"since", FormatDate(m->start)}};
  } else {
    out["municipality"] = nullptr;
  }
  Json markings = Json::array();
  for (const Fact* m : view.Of(FactKind::kMarking)) {
    if (m->CoversDay(date))
      markings.push_back({{"marking", m->text}, {"start", FormatDate(m->start)}, {"end", DateOrNull(m->end)}});
  }
  out["markings"] = markings;
  auto last_interview = view.LastInterviewOnOrBefore(date);
  out["last_interview"] = DateOrNull(last_interview);

  // Contact course: the last held interviews and follow-ups, upcoming meetings, the next self-booking
  // deadline, the a-kasse choice and the CV status.
  Json interviews = Json::array();
  std::vector<const Fact*> held;
  for (FactKind kind : {FactKind::kInterview, FactKind::kFollowUp}) {
    for (const Fact* f : view.Of(kind)) {
      if (f->start <= date) held.push_back(f);
    }
  }
  std::sort(held.begin(), held.end(), [](const Fact* a, const Fact* b) { return a->start > b->start; });
  for (size_t i = 0; i < held.size() && i < 3; ++i) {
    Json item{{"entity_id", held[i]->entity_id},
              {"kind", FactKindKey(held[i]->kind)},
              {"date", FormatDate(held[i]->start)},
              {"type", held[i]->text},
              {"channel", catalog::ChannelKey(held[i]->channel)}};
    if (held[i]->extra.is_object() && !held[i]->extra.empty()) item["details"] = held[i]->extra;
    interviews.push_back(item);
  }
  out["last_interviews"] = interviews;
  // Upcoming meetings: from `date` on, by the day; § 89 stk. 4's summons (catalogue summons_shown_until) by the
  // moment `now` when the view has one: shown while now <= the planned start (Danish time) + the rule's minutes.
  const catalog::SummonsShownRule& shown = catalog.model().summons_shown_until;
  Json meetings = Json::array();
  for (const Fact* s : view.Of(FactKind::kSummons)) {
    bool cancelled = s->extra.is_object() && s->extra.value("cancelled", false);
    if (cancelled) continue;
    std::optional<std::chrono::sys_seconds> until;
    if (now && shown.minutes_after_start >= 0 &&
        std::find(shown.channels.begin(), shown.channels.end(), CreatedOn(history, *s)) != shown.channels.end()) {
      const std::string time = s->extra.is_object() ? s->extra.value("start_time", "") : "";
      if (auto minute = ParseTimeOfDay(time); minute.ok()) {
        until = FromDanishTime(s->start, *minute) + std::chrono::minutes(shown.minutes_after_start);
      }
    }
    if (until ? *now > *until : s->start < date) continue;
    Json item{{"entity_id", s->entity_id}, {"date", FormatDate(s->start)}, {"type", s->text}};
    if (s->extra.is_object()) item["details"] = s->extra;
    if (until) item["shown_until"] = FormatDanishTime(ToDanishTime(*until));
    meetings.push_back(item);
  }
  out["upcoming_meetings"] = meetings;
  const Fact* next_deadline = nullptr;
  for (const Fact* d : view.Of(FactKind::kDeadline)) {
    if (d->end && *d->end >= date && d->start <= date && (!next_deadline || *d->end < *next_deadline->end)) {
      next_deadline = d;
    }
  }
  out["next_deadline"] = next_deadline ? Json{{"entity_id", next_deadline->entity_id},
                                              {"deadline", FormatDate(*next_deadline->end)},
                                              {"kind", next_deadline->text}}
                                       : Json(nullptr);
  const Fact* choice = view.On(FactKind::kAkasseChoice, date);
  out["akasse_choice"] = choice ? Json{{"choice", choice->text}, {"since", FormatDate(choice->start)}} : Json(nullptr);
  const Fact* cv = view.On(FactKind::kCvStatus, date);
  out["cv_status"] = cv ? Json{{"status", cv->text}, {"since", FormatDate(cv->start)}} : Json(nullptr);

  // Active absences and what each lifts under the rules in force on `date`.
  Json absences = Json::array();
  std::map<std::string, Json> lifted_by;
  for (const Fact* a : view.Of(FactKind::kAbsence)) {
    std::optional<Date> effective_end = EffectiveEnd(catalog, view, *a);
    if (a->start > date || (effective_end && date > *effective_end)) continue;
    const catalog::Absence* reason = catalog.FindAbsence(a->code);
    Json item = Period(*a);
    if (!a->end && effective_end) item["effective_end"] = FormatDate(*effective_end);
    if (a->extra.is_object() && !a->extra.empty()) item["details"] = a->extra;
    item["reason"] = a->code;
    item["name_da"] = reason ? reason->name_da : "";
    Json lifts = Json::array();
    if (reason && group) {
      catalog::LookupResult lookup = catalog.Lookup(a->code, group->code, visitation_key, date);
      if (lookup.row) {
        std::string cite = lookup.row->sources.empty() ? "" : catalog.Cite(lookup.row->sources.front());
        std::string where = lookup.row->defined_at.file + ":" + std::to_string(lookup.row->defined_at.line);
        for (const catalog::Obligation* o : lookup.exempts) {
          lifts.push_back(o->key);
          Json by{{"entity_id", a->entity_id},          {"reason", a->code}, {"name_da", reason->name_da},
                  {"legal_ref", lookup.row->legal_ref}, {"catalog", where},  {"source", cite}};
          // Lifted through a general rule (same duty / implied exemption), not listed by the row itself.
          for (const catalog::ImpliedLift& lift : lookup.implied) {
            if (lift.obligation != o) continue;
            by["implied_by"] = {
                {"obligation", lift.because_of->key},
                {"name_da", lift.because_of->name_da},
                {"rule", lift.same_duty ? "same_duty" : "implied_exemption"},
                {"text_da", *lift.text_da},
                {"catalog", lift.defined_at->file + ":" + std::to_string(lift.defined_at->line)},
                {"source", lift.sources->empty() ? std::string() : catalog.Cite(lift.sources->front())}};
          }
          lifted_by[o->key].push_back(std::move(by));
        }
      }
    }
    item["lifts"] = lifts;
    absences.push_back(item);
  }
  out["active_absences"] = absences;

  Json obligations = Json::array();
  if (group) {
    for (const catalog::Obligation* o : catalog.ObligationsFor(group->code, visitation_key, date)) {
      Json item{{"key", o->key}, {"name_da", o->name_da}};
      auto it = lifted_by.find(o->key);
      item["state"] = it == lifted_by.end() ? "applies" : "lifted";
      item["lifted_by"] = it == lifted_by.end() ? Json::array() : it->second;
      obligations.push_back(item);
    }
  }
  out["obligations"] = obligations;
  // Records of declared types (catalog/records/): current on `date`, and who must or may register which.
  out["records"] = RecordsOn(catalog, view, date);
  out["record_scope"] = RecordScopeOn(catalog, view, date);
  out["contact_course"] = ContactCourseOn(catalog, view, date);
  return out;
}

std::string StatusText(const nlohmann::ordered_json& s) {
  std::ostringstream out;
  out << "Person " << s["cpr"].get<std::string>() << " pr. " << s["date"].get<std::string>();
  if (!s["known_at"].is_null()) out << " (som kendt " << s["known_at"].get<std::string>() << ")";
  out << "\n";
  if (s["contact_group"].is_null()) {
    out << "Kontaktgruppe: ingen\n";
  } else {
    out << "Kontaktgruppe: " << s["contact_group"]["id"].get<int>() << " "
        << s["contact_group"]["name_da"].get<std::string>() << " (fra "
        << s["contact_group"]["start"].get<std::string>() << ")\n";
  }
  if (!s["visitation"].is_null()) out << "Visitation: " << s["visitation"]["name_da"].get<std::string>() << "\n";
  if (!s["jobseeker"].is_null()) {
    out << "Tilmeldt som jobsøgende fra " << s["jobseeker"]["start"].get<std::string>() << " (kategori "
        << s["jobseeker"]["category"].get<int>() << ")\n";
  } else {
    out << "Ikke tilmeldt som jobsøgende\n";
  }
  if (!s["municipality"].is_null()) out << "Kommune: " << s["municipality"]["name"].get<std::string>() << "\n";
  if (!s["akasse"].is_null()) out << "A-kasse: " << s["akasse"]["akasse"].get<std::string>() << "\n";
  if (!s["last_interview"].is_null())
    out << "Sidste afholdte samtale: " << s["last_interview"].get<std::string>() << "\n";
  if (!s["next_deadline"].is_null()) {
    out << "Frist for selvbooking: " << s["next_deadline"]["deadline"].get<std::string>() << "\n";
  }
  for (const auto& m : s["upcoming_meetings"]) {
    out << "Kommende møde: " << m["date"].get<std::string>() << " (" << m["type"].get<std::string>() << ")";
    if (m.contains("shown_until")) out << ", vises til " << m["shown_until"].get<std::string>() << " (§ 89, stk. 4)";
    out << "\n";
  }
  if (!s["akasse_choice"].is_null()) {
    out << "A-kasse ved næste jobsamtale: "
        << (s["akasse_choice"]["choice"] == "wants" ? "ønsker deltagelse" : "fravalgt") << "\n";
  }
  if (s.contains("contact_course") && !s["contact_course"].is_null()) {
    const auto& k = s["contact_course"];
    out << "Kontaktforløb: ";
    if (k["responsible"] == "akasse") {
      out << "a-kassen (" << k["akasse_code"].get<std::string>() << ")";
    } else {
      out << "jobcentret";
    }
    out << " fra " << k["from"].get<std::string>() << " (" << k["legal_ref"].get<std::string>() << ")\n";
  }
  if (!s["cv_status"].is_null()) out << "CV-status: " << s["cv_status"]["status"].get<std::string>() << "\n";
  out << "Aktive fravær og fritagelser:";
  if (s["active_absences"].empty()) out << " ingen";
  out << "\n";
  for (const auto& a : s["active_absences"]) {
    out << "  - " << a["reason"].get<int>() << " " << a["name_da"].get<std::string>() << " ("
        << a["start"].get<std::string>() << " – "
        << (a["end"].is_null() ? std::string("") : a["end"].get<std::string>()) << ")\n";
  }
  out << "Pligter og rettigheder:\n";
  for (const auto& o : s["obligations"]) {
    out << "  - " << o["name_da"].get<std::string>() << ": ";
    if (o["state"] == "applies") {
      out << "gælder\n";
      continue;
    }
    out << "fritaget ved";
    for (const auto& by : o["lifted_by"]) {
      out << " " << by["name_da"].get<std::string>() << " (";
      if (by.contains("implied_by")) {
        const auto& rule = by["implied_by"];
        out << (rule["rule"] == "same_duty" ? "samme pligt som " : "følger af fritagelse for ")
            << rule["name_da"].get<std::string>() << "; " << rule["source"].get<std::string>() << ")";
      } else {
        out << by["legal_ref"].get<std::string>() << "; " << by["source"].get<std::string>() << ")";
      }
    }
    out << "\n";
  }
  if (s.contains("record_scope")) {
    for (const auto& r : s["record_scope"]) {
      out << (r["mode"] == "must" ? "Registreringspligt: " : "Kan registreres: ") << r["name_da"].get<std::string>()
          << " (" << r["channel"].get<std::string>() << ", " << r["legal_ref"].get<std::string>() << "; "
          << r["source"].get<std::string>() << "): " << r["records"].get<int>() << " aktuel(le)"
          << (r.value("missing", false) ? " — MANGLER: personen skal have en aktuel registrering" : "") << "\n";
    }
    for (const auto& [type, list] : s["records"].items()) {
      for (const auto& r : list) {
        out << "  - " << type << " " << r["entity_id"].get<int64_t>() << " (" << r["start"].get<std::string>() << " – "
            << (r["end"].is_null() ? std::string("") : r["end"].get<std::string>()) << ")\n";
      }
    }
  }
  return out.str();
}

}  // namespace dfdg::registry
