#include "catalog/export.h"

namespace dfdg::catalog {
namespace {

using Json = nlohmann::ordered_json;

Json DateOrNull(const std::optional<Date>& date) { return date ? Json(FormatDate(*date)) : Json(nullptr); }

void PutValidity(Json& out, const Validity& validity) {
  out["valid_from"] = DateOrNull(validity.from);
  out["valid_to"] = DateOrNull(validity.to);
}

Json Sources(const Catalog& catalog, const std::vector<SourceRef>& refs) {
  Json list = Json::array();
  for (const auto& ref : refs) {
    const Source* source = catalog.FindSource(ref.seed);
    list.push_back({{"seed", ref.seed}, {"file", source ? source->file : ref.seed}, {"line", ref.line}});
  }
  return list;
}

Json DurationOrNull(const std::optional<Duration>& duration) {
  return duration ? Json(duration->ToString()) : Json(nullptr);
}

Json DateRuleJson(const Catalog& catalog, const DateRule& rule) {
  Json out;
  out["text_da"] = rule.text_da;
  PutValidity(out, rule.validity);
  out["contact_groups"] = rule.contact_groups ? Json(*rule.contact_groups) : Json(nullptr);
  if (rule.channels) {
    Json channels = Json::array();
    for (Channel c : *rule.channels) channels.push_back(ChannelKey(c));
    out["channels"] = channels;
  } else {
    out["channels"] = nullptr;
  }
  out["backdate"] = DurationOrNull(rule.backdate);
  out["not_before_last_interview"] = rule.not_before_last_interview;
  out["max_future_start"] = DurationOrNull(rule.max_future_start);
  out["end_backdate"] = DurationOrNull(rule.end_backdate);
  out["max_duration"] = DurationOrNull(rule.max_duration);
  out["until_age"] = rule.until_age ? Json(*rule.until_age) : Json(nullptr);
  out["end_date_required"] = rule.end_date_required;
  out["comment_required"] = rule.comment_required;
  out["source"] = Sources(catalog, rule.sources);
  return out;
}

Json RowJson(const Catalog& catalog, const Row& row) {
  Json out;
  out["contact_groups"] = row.contact_groups;
  out["visitation"] = row.visitation ? Json(*row.visitation) : Json(nullptr);
  out["mode"] = ModeKey(row.mode);
  out["exempts"] = row.exempts;
  out["legal_ref"] = row.legal_ref;
  if (!row.note_da.empty()) out["note_da"] = row.note_da;
  PutValidity(out, row.validity);
  out["start_date_from"] = DateOrNull(row.start_date_from);
  out["source"] = Sources(catalog, row.sources);
  return out;
}

Json AbsenceJson(const Catalog& catalog, const Absence& a, std::optional<Date> date) {
  Json out;
  out["id"] = a.id;
  out["name_da"] = a.name_da;
  out["name_en"] = a.name_en;
  PutValidity(out, a.validity);
  out["new_registrations_until"] = DateOrNull(a.new_registrations_until);
  out["start_date_before"] = DateOrNull(a.start_date_before);
  if (date) {
    out["in_force"] = a.validity.Contains(*date) && (!a.new_registrations_until || *date < *a.new_registrations_until);
  }
  out["no_overlap_with"] = a.no_overlap_with;
  Json rules = Json::array();
  for (const auto& rule : a.date_rules) {
    if (!date || rule.validity.Contains(*date)) rules.push_back(DateRuleJson(catalog, rule));
  }
  out["date_rules"] = rules;
  Json rows = Json::array();
  for (const auto& row : a.rows) {
    if (!date || row.validity.Contains(*date)) rows.push_back(RowJson(catalog, row));
  }
  out["rows"] = rows;
  Json notes = Json::array();
  for (const auto& note : a.notes)
    notes.push_back({{"text_da", note.text_da}, {"source", Sources(catalog, note.sources)}});
  out["notes"] = notes;
  if (a.bilag3) {
    out["bilag3"] = {{"jobnet", a.bilag3->jobnet},
                     {"akasse", a.bilag3->akasse},
                     {"akasse_contact_course", a.bilag3->akasse_contact_course},
                     {"akasse_may_create", a.bilag3->akasse_may_create},
                     {"akasse_create_contact_course", a.bilag3->akasse_create_contact_course},
                     {"akasse_create_no_show", a.bilag3->akasse_create_no_show},
                     {"akasse_create_always", a.bilag3->akasse_create_always},
                     {"source", Sources(catalog, a.bilag3->sources)}};
  } else {
    out["bilag3"] = nullptr;
  }
  out["source"] = Sources(catalog, a.sources);
  out["file"] = a.defined_at.file;
  return out;
}

}  // namespace

nlohmann::ordered_json ExportJson(const Catalog& catalog, std::optional<Date> date) {
  const Model& m = catalog.model();
  Json out;
  out["format"] = "dfdg-catalog";
  out["format_version"] = 1;
  out["catalog_version"] = catalog.version();
  out["date"] = DateOrNull(date);

  Json sources = Json::array();
  for (const auto& s : m.sources) sources.push_back({{"id", s.id}, {"file", s.file}, {"title", s.title}});
  out["sources"] = sources;

  Json obligations = Json::array();
  for (const auto& o : m.obligations) {
    if (date && !o.validity.Contains(*date)) continue;
    Json item{{"key", o.key}, {"name_da", o.name_da}, {"name_en", o.name_en}};
    PutValidity(item, o.validity);
    item["source"] = Sources(catalog, o.sources);
    obligations.push_back(item);
  }
  out["obligations"] = obligations;
  Json same = Json::array();
  for (const auto& d : m.same_duties) {
    same.push_back({{"keys", d.keys}, {"text_da", d.text_da}, {"source", Sources(catalog, d.sources)}});
  }
  out["same_duty"] = same;
  Json implied = Json::array();
  for (const auto& e : m.implied_exemptions) {
    if (date && !e.validity.Contains(*date)) continue;
    Json item{{"lifted", e.lifted}, {"also_lifts", e.also_lifts}, {"text_da", e.text_da}};
    PutValidity(item, e.validity);
    item["source"] = Sources(catalog, e.sources);
    implied.push_back(item);
  }
  out["implied_exemptions"] = implied;

  Json groups = Json::array();
  for (const auto& g : m.contact_groups) {
    if (date && !g.validity.Contains(*date)) continue;
    Json item{{"id", g.id}, {"name_da", catalog.ContactGroupName(g, date.value_or(MakeDate(2999, 1, 1)))}};
    Json names = Json::array();
    for (const auto& n : g.names) {
      Json name{{"name_da", n.name_da}};
      PutValidity(name, n.validity);
      names.push_back(name);
    }
    item["names"] = names;
    item["legal_basis"] = g.legal_basis;
    item["description_da"] = g.description_da;
    PutValidity(item, g.validity);
    item["new_registrations_until"] = DateOrNull(g.new_registrations_until);
    item["source"] = Sources(catalog, g.sources);
    groups.push_back(item);
  }
  out["contact_groups"] = groups;

  Json visitation = Json::array();
  for (const auto& v : m.visitation_categories) {
    visitation.push_back({{"key", v.key},
                          {"name_da", v.name_da},
                          {"contact_groups", v.contact_groups},
                          {"source", Sources(catalog, v.sources)}});
  }
  out["visitation_categories"] = visitation;

  Json absences = Json::array();
  for (const auto& a : m.absences) absences.push_back(AbsenceJson(catalog, a, date));
  out["absences"] = absences;

  Json duties = Json::array();
  for (const auto& d : m.registration_duties) {
    Json rows = Json::array();
    for (const auto& r : d.rows) {
      rows.push_back(
          {{"contact_groups", r.contact_groups}, {"visitation", r.visitation ? Json(*r.visitation) : Json(nullptr)}});
    }
    duties.push_back(
        {{"reason", d.reason}, {"mode", ModeKey(d.mode)}, {"rows", rows}, {"source", Sources(catalog, d.sources)}});
  }
  out["registration_duty"] = duties;

  Json benefit_groups = Json::array();
  for (const auto& g : m.benefit_groups) {
    Json item{{"key", g.key}, {"name_da", g.name_da}};
    PutValidity(item, g.validity);
    item["source"] = Sources(catalog, g.sources);
    item["details"] = g.details;
    benefit_groups.push_back(item);
  }
  out["benefit_groups"] = benefit_groups;

  Json exemptions = Json::array();
  for (const auto& e : m.measure_exemptions) {
    Json reasons = Json::array();
    for (const auto& r : e.reasons) {
      if (date && !r.validity.Contains(*date)) continue;
      Json item{{"id", r.id}, {"historic", r.historic}, {"removed", r.removed}};
      PutValidity(item, r.validity);
      reasons.push_back(item);
    }
    exemptions.push_back({{"benefit_group", e.benefit_group},
                          {"visitation", e.visitation ? Json(*e.visitation) : Json(nullptr)},
                          {"adds_to_all_categories", e.adds_to_all_categories},
                          {"reasons", reasons},
                          {"source", Sources(catalog, e.sources)}});
  }
  out["measure_exemptions"] = exemptions;
  out["measure_rules"] = m.measure_rules;

  Json codelists = Json::array();
  for (const auto& c : m.codelists) {
    Json codes = Json::array();
    for (const auto& code : c.codes) {
      if (date && !code.validity.Contains(*date)) continue;
      Json item{{"code", code.code}, {"name_da", code.name_da}, {"description_da", code.description_da}};
      PutValidity(item, code.validity);
      item["source"] = Sources(catalog, code.sources);
      item["details"] = code.details;
      codes.push_back(item);
    }
    codelists.push_back(
        {{"key", c.key}, {"name_da", c.name_da}, {"codes", codes}, {"source", Sources(catalog, c.sources)}});
  }
  out["codelists"] = codelists;

  Json kinds = Json::array();
  for (const auto& k : m.recipient_kinds) {
    Json kind = {{"key", k.key}, {"name_da", k.name_da}, {"name_en", k.name_en},
                 {"addressed_by", AddressingName(k.addressed_by)}};
    if (!k.legal_ref.empty()) kind["legal_ref"] = k.legal_ref;
    kind["source"] = Sources(catalog, k.sources);
    kinds.push_back(std::move(kind));
  }
  out["recipient_kinds"] = kinds;
  Json recipients = Json::array();
  for (const auto& x : m.recipients) {
    if (date && !x.validity.Contains(*date)) continue;
    Json item{{"key", x.key}, {"name_da", x.name_da}, {"name_en", x.name_en}, {"kind", x.kind},
              {"id", x.id.empty() ? x.key : x.id}, {"legal_ref", x.legal_ref}};
    PutValidity(item, x.validity);
    item["source"] = Sources(catalog, x.sources);
    recipients.push_back(item);
  }
  out["recipients"] = recipients;
  return out;
}

}  // namespace dfdg::catalog
