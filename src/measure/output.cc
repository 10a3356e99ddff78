#include "measure/output.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dfdg::measure {
namespace {

using Json = nlohmann::ordered_json;

std::string MonthText(Date month_first) { return FormatDate(month_first).substr(0, 7); }

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Ratio(uint32_t num, uint32_t den) {
  if (den == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(num) / den);
  return buf;
}

Status WriteFile(const std::string& dir, const std::string& name, const std::string& content) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string path = (std::filesystem::path(dir) / name).string();
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  if (!out) return Status::IOError(path + ": kan ikke skrives");
  return Status::Ok();
}

std::string Hours(int64_t centihours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(centihours / 100),
                static_cast<long long>(centihours % 100));
  return buf;
}

std::string GroupText(const PersonMonth& m) {
  std::string g = GroupKey(m.group);
  if (m.rate != KhRate::kNone) g += std::string("/") + KhRateKey(m.rate);
  return g;
}

// What a person-month row shows (docs/measurement.md, "Detail rows of persons outside the measurement").
// Persons outside the measurement (004:382-389: no measured benefit, under 16 or at pension age, barsel /
// opfølgning uden kontakt every day of the month) were never given a duration, interval, window, exemption
// share or interview count: those fields stay empty instead of showing the unset values (0 days, "Under 1
// måned", 1970-01-01).
enum class Shown { kNothing, kSpell, kAll };
Shown WhatIsShown(const PersonMonth& m) {
  switch (m.outcome) {
    case Outcome::kNoBenefit:
    case Outcome::kOtherBenefit:
      return Shown::kNothing;  // no spell in the month
    case Outcome::kAge:
    case Outcome::kDeadWholeMonth:
      return Shown::kSpell;  // benefit group, spell, last benefit day and municipality are known
    case Outcome::kExempt:
    case Outcome::kMeasured:
      break;
  }
  return Shown::kAll;
}

bool HasSpell(const PersonMonth& m) { return WhatIsShown(m) != Shown::kNothing; }

// The row's reason, saying outright when the person is outside the measurement.
std::string Why(const PersonMonth& m) {
  return WhatIsShown(m) == Shown::kAll ? m.why : std::string("uden for målingen: ").append(m.why);
}

// One detail row as JSON (docs/measurement.md "detaljer.json"): fields the outcome leaves unset are left out.
Json DetailRow(const InputData& input, const PersonMonth& m) {
  bool spell = HasSpell(m);
  bool all = WhatIsShown(m) == Shown::kAll;
  Json row = {{"maaned", MonthText(m.month_first)},
              {"cpr", input.persons[m.person].cpr},
              {"udfald", OutcomeKey(m.outcome)},
              {"begrundelse", Why(m)}};
  if (spell) {
    row["ydelsesgruppe"] = GroupText(m);
    row["forloeb_start"] = FormatDate(m.spell_start);
    row["sidste_ydelsesdag"] = FormatDate(m.spell_end);
  }
  if (all) {
    row["varighed_dage"] = m.duration_days;
    if (m.hours_based) row["varighed_timer"] = Hours(m.duration_centihours);
    row["varighed"] = IntervalNameDa(m.duration.interval);
    row["maaleperiode_start"] = FormatDate(m.window_start);
    row["fritaget_promille"] = m.exempt_permille;
  }
  if (spell) row["kommune"] = m.municipality;
  if (all) {
    Json notes = Json::array();
    for (const auto& n : m.interviews) {
      notes.push_back({{"dato", FormatDate(n.interview.date)},
                       {"type", InterviewTypeKey(n.interview.type)},
                       {"form", InterviewFormKey(n.interview.form)},
                       {"talt", n.counted},
                       {"begrundelse", n.reason}});
    }
    row["samtaler_talt"] = m.counted;
    row["samtaler"] = std::move(notes);
  }
  return row;
}

}  // namespace

Status WriteMeasures(const std::string& dir, const Aggregates& a, Format format, const std::string& version) {
  std::ostringstream csv;
  Json rows = Json::array();
  csv << "maaned,geo_niveau,geo_kode,geo_navn,ydelsesgruppe,varighed,m1_0,m1_1,m1_2,m1_3,m1_4,m1_5plus,m2,m3,m4,m5\n";
  for (int month = 0; month < a.months(); ++month) {
    std::string mt = MonthText(AddMonthsFirst(a.first_month(), month));
    for (size_t geo = 0; geo < a.geos().size(); ++geo) {
      const Geo& g = a.geos()[geo];
      for (int group = 0; group < kGroupDims; ++group) {
        for (int interval = 0; interval < kIntervalDims; ++interval) {
          const Cell& c = a.At(month, static_cast<int>(geo), group, interval);
          uint32_t m2 = c.Measure2();
          if (m2 == 0 && c.exempt == 0) continue;
          uint32_t m3 = c.Measure3();
          std::string m4 = Ratio(m3, m2);
          if (format == Format::kCsv) {
            csv << mt << ',' << g.level << ',' << g.code << ',' << Quote(g.name) << ',' << GroupDimKey(group) << ','
                << Quote(IntervalDimName(interval));
            for (auto v : c.by_interviews) csv << ',' << v;
            csv << ',' << m2 << ',' << m3 << ',' << m4 << ',' << c.exempt << '\n';
          } else {
            Json row = {{"maaned", mt},
                        {"geo_niveau", g.level},
                        {"geo_kode", g.code},
                        {"geo_navn", g.name},
                        {"ydelsesgruppe", GroupDimKey(group)},
                        {"varighed", IntervalDimName(interval)},
                        {"m1", c.by_interviews},
                        {"m2", m2},
                        {"m3", m3},
                        {"m4", m2 ? Json(static_cast<double>(m3) / m2) : Json()},
                        {"m5", c.exempt}};
            rows.push_back(std::move(row));
          }
        }
      }
    }
  }
  if (format == Format::kCsv) return WriteFile(dir, "maalinger.csv", csv.str());
  Json doc = {{"maaling", "Jobsamtaler til alle ydelsesmodtagere i jobcentrene (v1.75)"},
              {"katalog_version", version},
              {"raekker", rows}};
  return WriteFile(dir, "maalinger.json", doc.dump(1) + "\n");
}

Status WriteSkaerpetTilsyn(const std::string& dir, const Aggregates& a, Format format) {
  std::ostringstream csv;
  Json rows = Json::array();
  csv << "maaned,geo_niveau,geo_kode,geo_navn,m4_gennemsnit_12_maaneder,maaneder_uden_population\n";
  for (int month = 11; month < a.months(); ++month) {
    std::string mt = MonthText(AddMonthsFirst(a.first_month(), month));
    for (size_t geo = 0; geo < a.geos().size(); ++geo) {
      const TilsynAverage t = SkaerpetTilsyn(a, month, static_cast<int>(geo));
      if (t.empty_months == 12) continue;
      const Geo& g = a.geos()[geo];
      char avg[32];
      std::snprintf(avg, sizeof avg, "%.4f", t.average);
      if (format == Format::kCsv) {
        csv << mt << ',' << g.level << ',' << g.code << ',' << Quote(g.name) << ',' << avg << ',' << t.empty_months
            << '\n';
      } else {
        rows.push_back({{"maaned", mt},
                        {"geo_niveau", g.level},
                        {"geo_kode", g.code},
                        {"geo_navn", g.name},
                        {"m4_gennemsnit_12_maaneder", t.average},
                        {"maaneder_uden_population", t.empty_months}});
      }
    }
  }
  if (format == Format::kCsv) return WriteFile(dir, "skaerpet_tilsyn.csv", csv.str());
  return WriteFile(dir, "skaerpet_tilsyn.json", rows.dump(1) + "\n");
}

Status WriteDetail(const std::string& dir, const InputData& input, const std::vector<PersonMonth>& detail,
                   Format format) {
  std::ostringstream csv;
  Json rows = Json::array();
  csv << "maaned,cpr,udfald,begrundelse,ydelsesgruppe,forloeb_start,sidste_ydelsesdag,varighed_dage,varighed_timer,"
         "varighed,maaleperiode_start,fritaget_pct,kommune,samtaler_talt,talte_samtaler,ikke_talte_samtaler\n";
  for (const auto& m : detail) {
    std::string counted;
    for (Date d : m.counted_dates) {
      if (!counted.empty()) counted.append(";");
      counted.append(FormatDate(d));
    }
    std::string not_counted;
    for (const auto& n : m.interviews) {
      if (!n.counted) {
        if (!not_counted.empty()) not_counted.append("; ");
        not_counted.append(FormatDate(n.interview.date)).append(": ").append(n.reason);
      }
    }
    bool spell = HasSpell(m);
    bool all = WhatIsShown(m) == Shown::kAll;
    std::string pct = all ? std::to_string(m.exempt_permille / 10) + "." + std::to_string(m.exempt_permille % 10) : "";
    const std::string& cpr = input.persons[m.person].cpr;
    if (format == Format::kCsv) {
      csv << MonthText(m.month_first) << ',' << cpr << ',' << OutcomeKey(m.outcome) << ',' << Quote(Why(m)) << ','
          << (spell ? GroupText(m) : "") << ',' << (spell ? FormatDate(m.spell_start) : "") << ','
          << (spell ? FormatDate(m.spell_end) : "") << ',' << (all ? std::to_string(m.duration_days) : "") << ','
          << (all && m.hours_based ? Hours(m.duration_centihours) : "") << ','
          << (all ? Quote(IntervalNameDa(m.duration.interval)) : "") << ',' << (all ? FormatDate(m.window_start) : "")
          << ',' << pct << ',' << (spell ? std::to_string(m.municipality) : "") << ','
          << (all ? std::to_string(m.counted) : "") << ',' << counted << ',' << Quote(not_counted) << '\n';
    } else {
      rows.push_back(DetailRow(input, m));
    }
  }
  if (format == Format::kCsv) return WriteFile(dir, "detaljer.csv", csv.str());
  return WriteFile(dir, "detaljer.json", rows.dump(1) + "\n");
}

std::string ExplainText(const InputData& input, const PersonMonth& m, const std::string& version) {
  std::ostringstream out;
  const Person& p = input.persons[m.person];
  out << "Jobsamtaler til alle ydelsesmodtagere i jobcentrene (v1.75), katalog " << version << "\n";
  out << "Person " << p.cpr << ", måned " << MonthText(m.month_first) << "\n";
  out << "Udfald: " << OutcomeKey(m.outcome) << " – " << Why(m) << "\n";
  if (!HasSpell(m)) return out.str();
  out << "Ydelsesgruppe: " << GroupNameDa(m.group);
  if (m.rate != KhRate::kNone) out << " (sats: " << KhRateKey(m.rate) << ")";
  out << "\nYdelsesforløb: " << FormatDate(m.spell_start) << " – sidste ydelsesdag i måneden "
      << FormatDate(m.spell_end) << "\n";
  if (WhatIsShown(m) != Shown::kAll) {
    out << "Kommune (bopæl sidste ydelsesdag): " << (m.municipality ? std::to_string(m.municipality) : "ukendt")
        << "\nVarighed, måleperiode, fritagelse og samtaler opgøres ikke for personer uden for målingen.\n";
    return out.str();
  }
  out << "Varighed: " << m.duration_days << " dage";
  if (m.hours_based)
    out << ", " << Hours(m.duration_centihours) << " timer" << (m.part_time ? " (deltid)" : " (fuldtid)");
  out << " → " << IntervalNameDa(m.duration.interval);
  if (m.duration.year_bucket) out << " (" << YearBucketNameDa(m.duration.year_bucket) << ")";
  out << "\nMåleperiode: " << FormatDate(m.window_start) << " – " << FormatDate(m.spell_end) << " (" << m.window_days
      << " tællende dage)\n";
  out << "Fritagelse: " << m.exempt_days << " dage = " << m.exempt_permille / 10 << "," << m.exempt_permille % 10
      << " % (grænse " << m.threshold_percent << " %)";
  if (m.mii_days) out << "; mindre intensiv indsats " << m.mii_days << " dage";
  out << "\nKommune (bopæl sidste ydelsesdag): " << (m.municipality ? std::to_string(m.municipality) : "ukendt")
      << "\n";
  out << "Talte samtaler: " << m.counted << "\n";
  for (const auto& n : m.interviews) {
    out << "  " << FormatDate(n.interview.date) << "  " << InterviewTypeKey(n.interview.type) << ", "
        << InterviewFormKey(n.interview.form) << ", " << HeldByKey(n.interview.held_by) << "  "
        << (n.counted ? "TÆLLER" : "tæller ikke") << (n.counted ? "" : ": " + n.reason) << "\n";
  }
  return out.str();
}

nlohmann::ordered_json ExplainJson(const InputData& input, const PersonMonth& m, const std::string& catalog_version) {
  Json out = {{"maaling", "Jobsamtaler til alle ydelsesmodtagere i jobcentrene (v1.75)"}, {"katalog", catalog_version}};
  // In the population (measure 1) are the measured and the exempt (measure 5); the rest are outside it (004:382-389).
  out["i_maalingen"] = WhatIsShown(m) == Shown::kAll;
  out["fritaget"] = m.outcome == Outcome::kExempt;
  Json row = DetailRow(input, m);
  for (auto it = row.begin(); it != row.end(); ++it) out[it.key()] = std::move(it.value());
  if (WhatIsShown(m) == Shown::kAll) {
    if (m.duration.year_bucket) out["varighed_aar"] = YearBucketNameDa(m.duration.year_bucket);
    out["maaleperiode_dage"] = m.window_days;
    out["fritaget_dage"] = m.exempt_days;
    out["fritagelsesgraense_pct"] = m.threshold_percent;
    out["mindre_intensiv_indsats_dage"] = m.mii_days;
  }
  out["tekst"] = ExplainText(input, m, catalog_version);
  return out;
}

}  // namespace dfdg::measure
