// CSV export and Danish text for people.
#include <sstream>

#include "catalog/export.h"

namespace dfdg::catalog {
namespace {

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Join(const std::vector<int>& values, const char* separator) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.append(separator);
    out.append(std::to_string(values[i]));
  }
  return out;
}

std::string JoinText(const std::vector<std::string>& values, const char* separator) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.append(separator);
    out.append(values[i]);
  }
  return out;
}

std::string DateText(const std::optional<Date>& date) { return date ? FormatDate(*date) : std::string(); }

std::string CiteAll(const Catalog& catalog, const std::vector<SourceRef>& refs) {
  std::vector<std::string> parts;
  parts.reserve(refs.size());
  for (const auto& ref : refs) parts.push_back(catalog.Cite(ref));
  return JoinText(parts, "; ");
}

std::string ValidityDa(const Validity& v) {
  if (!v.from && !v.to) return "";
  std::string out = " [";
  if (v.from) out += "fra " + FormatDate(*v.from);
  if (v.from && v.to) out += ", ";
  if (v.to) out += "til og med dagen før " + FormatDate(*v.to);
  return out + "]";
}

std::string DateRuleDa(const DateRule& rule) {
  std::ostringstream out;
  out << "  - " << rule.text_da << ValidityDa(rule.validity) << "\n";
  if (rule.contact_groups) out << "      gælder kontaktgruppe " << Join(*rule.contact_groups, ", ") << "\n";
  if (rule.channels) {
    out << "      gælder kanal";
    for (Channel c : *rule.channels) out << " " << ChannelKey(c);
    out << "\n";
  }
  out << "      tilbagedatering: " << (rule.backdate ? rule.backdate->ToDanish() : std::string("ikke angivet"));
  if (rule.not_before_last_interview) out << ", dog ikke før sidste afholdte samtale";
  out << "\n";
  if (rule.max_future_start) out << "      startdato højst " << rule.max_future_start->ToDanish() << " frem\n";
  if (rule.end_backdate) out << "      slutdato højst " << rule.end_backdate->ToDanish() << " tilbage\n";
  if (rule.max_duration) out << "      varighed højst " << rule.max_duration->ToDanish() << "\n";
  if (rule.until_age) out << "      til det " << *rule.until_age << ". år\n";
  if (rule.end_date_required) out << "      slutdato obligatorisk\n";
  if (rule.comment_required) out << "      bemærkning obligatorisk\n";
  return out.str();
}

std::string AbsenceText(const Catalog& catalog, const Absence& a, std::optional<Date> date) {
  std::ostringstream out;
  out << "Fravær/fritagelse " << a.id << ": " << a.name_da << "\n";
  out << "Kilde: " << CiteAll(catalog, a.sources) << "\n";
  if (a.validity.from || a.validity.to) out << "Gyldighed:" << ValidityDa(a.validity) << "\n";
  if (a.new_registrations_until) out << "Kan ikke nyregistreres fra " << FormatDate(*a.new_registrations_until) << "\n";
  if (a.start_date_before)
    out << "Kan ikke registreres med startdato " << FormatDate(*a.start_date_before) << " eller senere\n";
  if (!a.no_overlap_with.empty()) out << "Må ikke overlappe fravær: " << Join(a.no_overlap_with, ", ") << "\n";
  if (date) out << "Regler pr. " << FormatDate(*date) << "\n";
  out << "Datoregler:\n";
  for (const auto& rule : a.date_rules) {
    if (!date || rule.validity.Contains(*date)) out << DateRuleDa(rule);
  }
  out << "Kontaktgrupper:\n";
  for (const auto& row : a.rows) {
    if (date && !row.validity.Contains(*date)) continue;
    out << "  - Kontaktgruppe " << Join(row.contact_groups, " og ");
    if (row.visitation) {
      const VisitationCategory* v = catalog.FindVisitation(*row.visitation);
      out << " – " << (v ? v->name_da : *row.visitation);
    }
    out << " (" << (row.mode == Mode::kMust ? "skal registreres" : "kan registreres") << ")"
        << ValidityDa(row.validity);
    if (row.start_date_from) out << " [for startdato " << FormatDate(*row.start_date_from) << " eller senere]";
    out << "\n";
    std::vector<std::string> names;
    for (const auto& key : row.exempts) {
      const Obligation* o = catalog.FindObligation(key);
      names.push_back(o ? o->name_da : key);
    }
    out << "      fritager for: " << (names.empty() ? std::string("-") : JoinText(names, ", ")) << "\n";
    if (!row.legal_ref.empty()) out << "      hjemmel: " << row.legal_ref << "\n";
    if (!row.note_da.empty()) out << "      bemærkning: " << row.note_da << "\n";
  }
  if (a.bilag3) {
    out << "Bilag 3: vises på Jobnet: " << (a.bilag3->jobnet ? "ja" : "nej")
        << "; videregives til a-kassen: " << (a.bilag3->akasse ? "ja" : "nej")
        << "; videregives når a-kassen har kontaktforløbet: " << (a.bilag3->akasse_contact_course ? "ja" : "nej")
        << "; a-kassen kan oprette: " << (a.bilag3->akasse_may_create ? "ja" : "nej") << "\n";
  }
  for (const auto& note : a.notes) out << "Note: " << note.text_da << " (" << CiteAll(catalog, note.sources) << ")\n";
  return out.str();
}

std::string GroupText(const Catalog& catalog, const ContactGroup& g, std::optional<Date> date) {
  std::ostringstream out;
  out << "Kontaktgruppe " << g.id << ": " << catalog.ContactGroupName(g, date.value_or(MakeDate(2999, 1, 1))) << "\n";
  for (const auto& n : g.names) out << "  navn: " << n.name_da << ValidityDa(n.validity) << "\n";
  if (!g.legal_basis.empty()) out << "Hjemmel: " << g.legal_basis << "\n";
  if (!g.description_da.empty()) out << "Beskrivelse: " << g.description_da << "\n";
  if (g.validity.from || g.validity.to) out << "Gyldighed:" << ValidityDa(g.validity) << "\n";
  if (g.new_registrations_until) out << "Ingen nyregistreringer fra " << FormatDate(*g.new_registrations_until) << "\n";
  out << "Kilde: " << CiteAll(catalog, g.sources) << "\n";
  return out.str();
}

}  // namespace

std::string ExportCsv(const Catalog& catalog, std::optional<Date> date) {
  std::ostringstream out;
  out << "reason_id,reason_name_da,contact_groups,visitation,mode,exempts,legal_ref,valid_from,valid_to,source\n";
  for (const auto& a : catalog.model().absences) {
    for (const auto& row : a.rows) {
      if (date && !row.validity.Contains(*date)) continue;
      out << a.id << "," << CsvField(a.name_da) << "," << Join(row.contact_groups, ";") << ","
          << CsvField(row.visitation.value_or("")) << "," << ModeKey(row.mode) << ","
          << CsvField(JoinText(row.exempts, ";")) << "," << CsvField(row.legal_ref) << ","
          << DateText(row.validity.from) << "," << DateText(row.validity.to) << ","
          << CsvField(CiteAll(catalog, row.sources)) << "\n";
    }
  }
  return out.str();
}

Result<std::string> ShowText(const Catalog& catalog, const std::string& id, std::optional<Date> date) {
  bool numeric = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos && id.size() < 5;
  if (numeric) {
    if (const Absence* a = catalog.FindAbsence(std::stoi(id))) return AbsenceText(catalog, *a, date);
    return Status::NotFound("der findes ikke et fravær med id " + id + " (no reason with id " + id + ")");
  }
  if ((id.rfind("kg", 0) == 0 || id.rfind("KG", 0) == 0) && id.size() > 2 && id.size() < 5 &&
      id.find_first_not_of("0123456789", 2) == std::string::npos) {
    if (const ContactGroup* g = catalog.FindContactGroup(std::stoi(id.substr(2)))) return GroupText(catalog, *g, date);
  }
  if (const Obligation* o = catalog.FindObligation(id)) {
    return "Pligt/ret: " + o->name_da + " (" + o->key + ", " + o->name_en + ")\n";
  }
  if (const CodeList* c = catalog.FindCodeList(id)) {
    std::ostringstream out;
    out << "Kodeliste " << c->key << ": " << c->name_da << "\n";
    for (const auto& code : c->codes) {
      if (date && !code.validity.Contains(*date)) continue;
      out << "  " << code.code << "  " << code.name_da << ValidityDa(code.validity) << "\n";
    }
    return out.str();
  }
  return Status::NotFound("ukendt id '" + id +
                          "' (unknown id: use a reason id, kg<N>, an obligation or code-list key)");
}

std::string ListText(const Catalog& catalog, Date date) {
  std::ostringstream out;
  out << "Regelkatalog " << catalog.version() << " pr. " << FormatDate(date) << "\n";
  out << "Fravær og fritagelser (" << catalog.model().absences.size() << "):\n";
  for (const auto& a : catalog.model().absences) {
    bool open = a.validity.Contains(date) && (!a.new_registrations_until || date < *a.new_registrations_until);
    char id[8];
    std::snprintf(id, sizeof(id), "%3d", a.id);
    out << "  " << id << "  " << a.name_da << (open ? "" : "  (lukket for nye registreringer)") << "\n";
  }
  out << "Kontaktgrupper (" << catalog.model().contact_groups.size() << "):\n";
  for (const auto& g : catalog.model().contact_groups) {
    char id[8];
    std::snprintf(id, sizeof(id), "%3d", g.id);
    out << "  " << id << "  " << catalog.ContactGroupName(g, date)
        << (catalog.ContactGroupOpenForNew(g, date) ? "" : "  (lukket for nye registreringer)") << "\n";
  }
  return out.str();
}

}  // namespace dfdg::catalog
