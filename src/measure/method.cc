#include "measure/method.h"

#include <algorithm>

namespace dfdg::measure {
namespace {

using Json = nlohmann::ordered_json;

template <size_t N, size_t M>
DurationClass Classify(int64_t value, const std::array<int64_t, N>& months, const std::array<int64_t, M>& years) {
  DurationClass c;
  for (size_t i = 0; i < N; ++i) {
    if (value >= months[i]) c.interval = static_cast<int>(i);
  }
  for (size_t i = 0; i < M; ++i) {
    if (value >= years[i]) c.year_bucket = static_cast<int>(i) + 1;
  }
  return c;
}

std::optional<Date> JsonDate(const Json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  auto d = ParseDate(j[key].get<std::string>());
  if (!d.ok()) return std::nullopt;
  return *d;
}

Validity JsonValidity(const Json& j) { return Validity{JsonDate(j, "valid_from"), JsonDate(j, "valid_to")}; }

void SpellMonths(const Json& j, int* first, int* last) {
  *first = 1;
  *last = 0;
  if (!j.contains("spell_months") || !j["spell_months"].is_array()) return;
  const auto& a = j["spell_months"];
  if (!a.empty() && a[0].is_number_integer()) *first = a[0].get<int>();
  if (a.size() >= 2 && a[1].is_number_integer()) *last = a[1].get<int>();
}

Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }

// Reads one Skema 1 column (`key`: days, full_time_centihours, part_time_centihours) of measure_rules.skema1
// into `out`; returns an error text, empty when the column is complete and strictly increasing.
template <size_t N>
std::string Skema1Column(const Json& rows, const char* index_key, const char* key, std::array<int64_t, N>* out) {
  const std::string what = std::string("skema1.") + (N == 13 ? "intervals" : "year_buckets");
  if (!rows.is_array() || rows.size() != N) {
    return what + " skal have " + std::to_string(N) + " rækker";
  }
  for (size_t i = 0; i < N; ++i) {
    const Json& row = rows[i];
    const int expected = N == 13 ? static_cast<int>(i) : static_cast<int>(i) + 1;
    if (!row.is_object() || !row.contains(index_key) || !row[index_key].is_number_integer() ||
        row[index_key].get<int>() != expected) {
      return what + ": række " + std::to_string(i + 1) + " skal have " + index_key + ": " + std::to_string(expected);
    }
    if (!row.contains(key) || !row[key].is_number_integer() || row[key].get<int64_t>() < 0) {
      return what + ": " + index_key + " " + std::to_string(expected) + " mangler " + key + " (heltal >= 0)";
    }
    (*out)[i] = row[key].get<int64_t>();
    if (i > 0 && (*out)[i] <= (*out)[i - 1]) {
      return what + ": " + key + " skal være stigende (" + index_key + " " + std::to_string(expected) + ")";
    }
  }
  return "";
}

std::string ReadSkema1(const Json& j, Skema1* out) {
  if (!j.is_object() || !j.contains("intervals") || !j.contains("year_buckets")) {
    return "skema1 skal have intervals og year_buckets";
  }
  struct Column {
    const char* key;
    Skema1Bounds* bounds;
  };
  const Column columns[] = {{"days", &out->days},
                            {"full_time_centihours", &out->full_time_centihours},
                            {"part_time_centihours", &out->part_time_centihours}};
  for (const auto& c : columns) {
    std::string error = Skema1Column(j["intervals"], "interval", c.key, &c.bounds->interval_from);
    if (error.empty()) error = Skema1Column(j["year_buckets"], "bucket", c.key, &c.bounds->year_bucket_from);
    if (error.empty() && c.bounds->interval_from[0] != 0)
      error = std::string("skema1.intervals: ") + c.key + " skal starte i 0";
    if (!error.empty()) return error;
  }
  return "";
}

}  // namespace

const char* GroupKey(Group group) {
  static const char* kKeys[] = {"a_dagpenge",        "sygedagpenge",    "kontanthjaelp",
                                "uddannelseshjaelp", "overgangsydelse", "revalidering",
                                "ressourceforloeb",  "jobafklaring",    "ledighedsydelse"};
  return kKeys[static_cast<int>(group)];
}

const char* GroupNameDa(Group group) {
  static const char* kNames[] = {"a-dagpenge",
                                 "sygedagpenge",
                                 "kontanthjælp",
                                 "uddannelseshjælp",
                                 "overgangsydelse, uden for program",
                                 "revalidering inkl. forrevalidering",
                                 "ressourceforløb",
                                 "jobafklaring",
                                 "ledighedsydelse"};
  return kNames[static_cast<int>(group)];
}

DurationClass ClassifyDays(const MethodRules& rules, int64_t days) {
  return Classify(days, rules.skema1.days.interval_from, rules.skema1.days.year_bucket_from);
}

DurationClass ClassifyHours(const MethodRules& rules, int64_t centihours, bool part_time) {
  const Skema1Bounds& b = part_time ? rules.skema1.part_time_centihours : rules.skema1.full_time_centihours;
  return Classify(centihours, b.interval_from, b.year_bucket_from);
}

int64_t YearCentihours(const MethodRules& rules, bool part_time) {
  return (part_time ? rules.skema1.part_time_centihours : rules.skema1.full_time_centihours).interval_from[12];
}

const char* IntervalNameDa(int interval) {
  static const char* kNames[] = {"Under 1 måned",
                                 "1 måned",
                                 "2 måneder",
                                 "3 måneder",
                                 "4 måneder",
                                 "5 måneder",
                                 "6 måneder",
                                 "7 måneder",
                                 "8 måneder",
                                 "9 måneder",
                                 "10 måneder",
                                 "11 måneder",
                                 "12 måneder og derover"};
  return interval >= 0 && interval <= 12 ? kNames[interval] : "";
}

const char* YearBucketNameDa(int bucket) {
  static const char* kNames[] = {"", "1 – 2 år", "3 – 5 år", "6 – 9 år", "10 + år"};
  return bucket >= 0 && bucket <= 4 ? kNames[bucket] : "";
}

const std::vector<ExemptionEntry>& MethodRules::Table(Group group, KhRate rate, Date month_first) const {
  Group table = group;
  if (group == Group::kKontanthjaelp && month_first >= kh_subgroups_from) {
    // exemptions_from of the rate subgroups (catalog/measure_exemptions.yaml).
    if (rate == KhRate::kGrundsats) table = Group::kUddannelseshjaelp;
    if (rate == KhRate::kMindstesats) table = Group::kOvergangsydelse;
  }
  return exemptions[static_cast<int>(table)];
}

bool MethodRules::CountsAsExemption(Group group, KhRate rate, Date month_first, const std::string& visitation,
                                    int reason, Date day) const {
  for (const auto& e : Table(group, rate, month_first)) {
    if (e.reason != reason || !e.validity.Contains(day)) continue;
    if (e.visitation.empty() || e.visitation == visitation) return true;
  }
  return false;
}

bool MethodRules::IsDeadReason(int reason) const {
  return std::find(dead_reasons.begin(), dead_reasons.end(), reason) != dead_reasons.end();
}

bool MethodRules::IsMiiReason(int reason) const {
  return std::find(mii_reasons.begin(), mii_reasons.end(), reason) != mii_reasons.end();
}

int MethodRules::ThresholdPercent(Date month_first, int spell_month) const {
  for (const auto& t : thresholds) {
    if (!t.validity.Contains(month_first)) continue;
    if (spell_month < t.first_month || (t.last_month != 0 && spell_month > t.last_month)) continue;
    return t.min_percent;
  }
  return 50;
}

bool MethodRules::MiiApplies(Date month_first, int spell_month) const {
  return mii_validity.Contains(month_first) && spell_month <= mii_last_month;
}

bool MethodRules::TrialAllows(int municipality, Date day, InterviewForm form) const {
  for (const auto& t : trials) {
    if (day < t.from || day > t.last) continue;
    if (std::find(t.municipalities.begin(), t.municipalities.end(), municipality) == t.municipalities.end()) continue;
    if ((form == InterviewForm::kVideo && t.video) || (form == InterviewForm::kTelefon && t.telefon)) return true;
  }
  return false;
}

const catalog::Municipality* MethodRules::FindMunicipality(int code) const {
  for (const auto& m : municipalities) {
    if (m.code == code) return &m;
  }
  return nullptr;
}

Result<MethodRules> BuildRules(const catalog::Catalog& catalog) {
  const auto& model = catalog.model();
  MethodRules r;
  r.catalog_version = catalog.version();
  r.municipalities = model.municipalities;

  // Exemption tables (004:1018-1406).
  for (int g = 0; g < kGroupCount; ++g) {
    bool found = false;
    for (const auto& table : model.measure_exemptions) {
      if (table.benefit_group != GroupKey(static_cast<Group>(g))) continue;
      found = true;
      for (const auto& reason : table.reasons) {
        r.exemptions[g].push_back({reason.id, reason.validity, table.visitation.value_or("")});
      }
    }
    if (!found) {
      return Status::InvalidArgument(std::string("katalog: measure_exemptions mangler ydelsesgruppen ") +
                                     GroupKey(static_cast<Group>(g)));
    }
  }
  r.kh_subgroups_from = D(2025, 7, 1);
  for (const auto& g : model.benefit_groups) {
    if (g.key == "kontanthjaelp" && g.details.contains("subgroups_from")) {
      auto d = ParseDate(g.details["subgroups_from"].get<std::string>());
      if (d.ok()) r.kh_subgroups_from = *d;
    }
  }

  const Json& rules = model.measure_rules;
  // Skema 1 (004:447-514).
  if (!rules.is_object() || !rules.contains("skema1")) {
    return Status::InvalidArgument("katalog: measure_rules mangler skema1 (Skema 1, 004:447-514)");
  }
  if (std::string error = ReadSkema1(rules["skema1"], &r.skema1); !error.empty()) {
    return Status::InvalidArgument("katalog: measure_rules." + error);
  }
  if (!rules.contains("exemption_threshold") || !rules.contains("mindre_intensiv_indsats") ||
      !rules.contains("dead_period_reasons") || !rules.contains("dead_periods") ||
      !rules.contains("sygedagpenge_13_weeks")) {
    return Status::InvalidArgument(
        "katalog: measure_rules skal have exemption_threshold, mindre_intensiv_indsats, dead_period_reasons, "
        "dead_periods og sygedagpenge_13_weeks");
  }
  for (const auto& t : rules["exemption_threshold"]) {
    ThresholdRule rule;
    rule.min_percent = t.value("min_share_percent", 50);
    SpellMonths(t, &rule.first_month, &rule.last_month);
    rule.validity = JsonValidity(t);
    r.thresholds.push_back(rule);
  }
  const Json& mii = rules["mindre_intensiv_indsats"];
  r.mii_min_days = mii.value("min_days", 5);
  for (const auto& id : mii["reasons"]) r.mii_reasons.push_back(id.get<int>());
  r.mii_validity = JsonValidity(mii);
  int first = 1;
  SpellMonths(mii, &first, &r.mii_last_month);
  for (const auto& reason : rules["dead_period_reasons"]["reasons"]) r.dead_reasons.push_back(reason["id"].get<int>());
  for (const auto& p : rules["dead_periods"]) {
    auto from = JsonDate(p, "valid_from");
    auto to = JsonDate(p, "valid_to");
    if (!from || !to) return Status::InvalidArgument("katalog: dead_periods kræver valid_from og valid_to");
    r.dead_periods.push_back({*from, *to - std::chrono::days{1}});
  }
  const Json& sdp = rules["sygedagpenge_13_weeks"];
  r.sdp13_reason = sdp.value("related_reason", 11);
  auto registered_from = JsonDate(sdp, "registered_from");
  r.sdp13_registered_from = registered_from.value_or(D(2025, 1, 1));
  SpellMonths(sdp, &first, &r.sdp13_last_month);

  // Skema 2, the COVID interview windows and the interview regimes (measure_rules in the catalogue).
  if (!rules.contains("interview_trials") || !rules["interview_trials"].is_array() ||
      !rules.contains("covid_interview_windows") || !rules["covid_interview_windows"].is_object() ||
      !rules.contains("interview_regimes") || !rules["interview_regimes"].is_object()) {
    return Status::InvalidArgument(
        "katalog: measure_rules skal have interview_trials (liste), covid_interview_windows og interview_regimes");
  }
  for (const auto& t : rules["interview_trials"]) {
    auto from = JsonDate(t, "valid_from");
    auto to = JsonDate(t, "valid_to");
    if (!t.is_object() || !from || !to || !t.contains("municipalities") || !t["municipalities"].is_array() ||
        !t.contains("forms") || !t["forms"].is_array()) {
      return Status::InvalidArgument(
          "katalog: interview_trials kræver municipalities, forms, valid_from og valid_to i hver forsøgsperiode");
    }
    TrialMunicipalities out{{}, *from, *to - std::chrono::days{1}, false, false};
    for (const auto& form : t["forms"]) {
      std::string key = form.is_string() ? form.get<std::string>() : "";
      if (key == "video") {
        out.video = true;
      } else if (key == "telefon") {
        out.telefon = true;
      } else {
        return Status::InvalidArgument("katalog: interview_trials: ukendt kontaktform '" + key +
                                       "' (video eller telefon)");
      }
    }
    for (const auto& name_json : t["municipalities"]) {
      std::string name = name_json.is_string() ? name_json.get<std::string>() : "";
      auto it = std::find_if(r.municipalities.begin(), r.municipalities.end(),
                             [&](const catalog::Municipality& m) { return m.name == name; });
      if (it == r.municipalities.end()) {
        return Status::InvalidArgument("katalog: municipalities.csv mangler forsøgskommunen " + name);
      }
      out.municipalities.push_back(it->code);
    }
    r.trials.push_back(std::move(out));
  }

  const Json& covid = rules["covid_interview_windows"];
  if (!covid.contains("never_counted") || !covid["never_counted"].is_object() ||
      !covid.contains("reopening_any_form") || !covid["reopening_any_form"].is_array()) {
    return Status::InvalidArgument(
        "katalog: covid_interview_windows skal have never_counted og reopening_any_form (liste)");
  }
  {
    auto from = JsonDate(covid["never_counted"], "valid_from");
    auto to = JsonDate(covid["never_counted"], "valid_to");
    if (!from || !to) {
      return Status::InvalidArgument("katalog: covid_interview_windows.never_counted kræver valid_from og valid_to");
    }
    r.covid_never_count = {*from, *to - std::chrono::days{1}};
  }
  for (const auto& p : covid["reopening_any_form"]) {
    auto from = JsonDate(p, "valid_from");
    auto to = JsonDate(p, "valid_to");
    if (!from || !to) {
      return Status::InvalidArgument(
          "katalog: covid_interview_windows.reopening_any_form kræver valid_from og valid_to");
    }
    r.reopening_any_form.push_back({*from, *to - std::chrono::days{1}});
  }

  const Json& regimes = rules["interview_regimes"];
  auto regime_date = [&](const char* regime, const char* key) -> std::optional<Date> {
    if (!regimes.contains(regime) || !regimes[regime].is_object()) return std::nullopt;
    return JsonDate(regimes[regime], key);
  };
  auto after_six = regime_date("after_six_months_any_form", "valid_from");
  auto first_in_person = regime_date("first_in_person", "valid_from");
  auto prepayment = regime_date("prepayment_interviews", "spells_started_from");
  auto conversion = regime_date("conversion", "date");
  if (!after_six || !first_in_person || !prepayment || !conversion) {
    return Status::InvalidArgument(
        "katalog: interview_regimes skal have after_six_months_any_form.valid_from, first_in_person.valid_from, "
        "prepayment_interviews.spells_started_from og conversion.date");
  }
  r.regime_2022 = *after_six;
  r.regime_2023 = *first_in_person;
  r.prepayment_from = *prepayment;
  r.conversion_date = *conversion;
  const Json& after = regimes["after_six_months_any_form"];
  const Json& prepay = regimes["prepayment_interviews"];
  if (!after.contains("from_spell_interval") || !after["from_spell_interval"].is_number_integer() ||
      !prepay.contains("months_before") || !prepay["months_before"].is_number_integer() ||
      !prepay.contains("benefit_groups") || !prepay["benefit_groups"].is_array()) {
    return Status::InvalidArgument(
        "katalog: interview_regimes kræver after_six_months_any_form.from_spell_interval, "
        "prepayment_interviews.months_before og prepayment_interviews.benefit_groups");
  }
  r.regime_2022_from_interval = after["from_spell_interval"].get<int>();
  r.prepayment_months = prepay["months_before"].get<int>();
  for (const auto& key_json : prepay["benefit_groups"]) {
    std::string key = key_json.is_string() ? key_json.get<std::string>() : "";
    bool known = false;
    for (int g = 0; g < kGroupCount; ++g) {
      if (key == GroupKey(static_cast<Group>(g))) {
        r.prepayment_groups[g] = true;
        known = true;
      }
    }
    if (!known) {
      return Status::InvalidArgument("katalog: interview_regimes.prepayment_interviews: ukendt ydelsesgruppe '" + key +
                                     "'");
    }
  }
  return r;
}

}  // namespace dfdg::measure
