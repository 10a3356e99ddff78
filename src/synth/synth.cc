#include "synth/synth.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <random>
#include <unordered_set>

namespace dfdg::synth {
namespace {

using std::chrono::days;

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // Uniform in [0, n). REQUIRES: n > 0. Rejection sampling keeps it exact and portable.
  uint64_t Below(uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
      x = engine_();
    } while (x >= limit);
    return x % n;
  }
  int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<uint64_t>(int64_t{hi} - lo + 1))); }
  bool Chance(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

 private:
  std::mt19937_64 engine_;
};

struct Files {
  std::string persons, benefits, dagpenge, groups, absences, interviews, offers, residence, contacts;
  size_t rows = 0;
  bool commands = false;  // also write the registry part as commands (SynthOptions::commands)
  std::string command_text;
  size_t command_count = 0;
};

// One registry command of the current person, ordered by registration date when the person is done.
struct Command {
  Date registered;
  std::string json;  // the fields after cpr and registered_at, starting with ','
};

std::string D(Date d) { return FormatDate(d); }

// The residence rows start on 2000-01-01; the registry gets the municipality registered from then.
const Date kRegistryStart = MakeDate(2000, 1, 1);

Date MonthLast(Date d) {
  std::chrono::year_month_day ymd{d};
  return std::chrono::sys_days{std::chrono::year_month_day_last{ymd.year(), std::chrono::month_day_last{ymd.month()}}};
}

enum Kind { kAdp, kSdp, kKh, kUh, kOy, kReval, kRess, kJobaf, kLedig, kAndet };
const char* kBenefitKeys[] = {"a_dagpenge",      "sygedagpenge", "kontanthjaelp",    "uddannelseshjaelp",
                              "overgangsydelse", "revalidering", "ressourceforloeb", "jobafklaring",
                              "ledighedsydelse", "andet"};
// Benefit mix in per mille.
constexpr std::array<int, 10> kMix = {300, 200, 230, 80, 30, 20, 50, 40, 35, 15};

Kind PickKind(Rng& rng) {
  int x = static_cast<int>(rng.Below(1000));
  for (int k = 0; k < 10; ++k) {
    if (x < kMix[k]) return static_cast<Kind>(k);
    x -= kMix[k];
  }
  return kAndet;
}

int PickMunicipality(Rng& rng, const std::vector<catalog::Municipality>& munis) {
  // Larger weight for the four largest cities.
  int total = static_cast<int>(munis.size()) + 12;
  int x = rng.Range(0, total - 1);
  if (x >= static_cast<int>(munis.size())) {
    static const int kBig[] = {101, 101, 101, 101, 751, 751, 751, 461, 461, 851, 851, 851};
    int code = kBig[x - munis.size()];
    for (const auto& m : munis) {
      if (m.code == code) return code;
    }
  }
  return munis[x % munis.size()].code;
}

std::string MakeCpr(Rng& rng, Date birth, std::unordered_set<std::string>* used) {
  std::chrono::year_month_day ymd{birth};
  int y = static_cast<int>(ymd.year());
  char buf[16];
  while (true) {
    int seventh = y >= 2000 ? 4 : rng.Range(0, 3);
    int rest = rng.Range(0, 999);
    std::snprintf(buf, sizeof buf, "%02u%02u%02d%d%03d", static_cast<unsigned>(ymd.day()),
                  static_cast<unsigned>(ymd.month()), y % 100, seventh, rest);
    if (used->insert(buf).second) return buf;
  }
}

void Person(Rng& rng, const SynthOptions& o, const std::vector<catalog::Municipality>& munis,
            std::unordered_set<std::string>* used, Files* f) {
  Date horizon_start = MonthLast(o.end - days{365 * o.years}) + days{1};
  Date birth = MakeDate(1960, 1, 1) + days{rng.Range(0, 45 * 365)};
  std::string cpr = MakeCpr(rng, birth, used);
  Date pension = AddDuration(birth, Duration{67, Duration::Unit::kYears});
  f->persons += cpr + "," + D(birth) + "," + D(pension) + "\n";
  ++f->rows;
  std::vector<Command> commands;
  auto command = [&](const char* name, Date registered, const std::string& fields) {
    if (f->commands) commands.push_back({registered, std::string(",\"command\":\"") + name + "\"" + fields});
  };
  auto q = [](const std::string& text) { return "\"" + text + "\""; };

  // Residence, with a move now and then.
  int municipality = PickMunicipality(rng, munis);
  if (rng.Chance(12)) {
    Date move = horizon_start + days{rng.Range(30, 365 * o.years - 30)};
    int next = PickMunicipality(rng, munis);
    f->residence += cpr + "," + std::to_string(municipality) + ",2000-01-01," + D(move - days{1}) + "\n";
    f->residence += cpr + "," + std::to_string(next) + "," + D(move) + ",\n";
    command("set_municipality", kRegistryStart,
            std::string(",\"municipality\":") + std::to_string(municipality) + ",\"start\":" + q(D(kRegistryStart)));
    command("set_municipality", move,
            std::string(",\"municipality\":") + std::to_string(next) + ",\"start\":" + q(D(move)));
    municipality = next;
    f->rows += 2;
  } else {
    f->residence += cpr + "," + std::to_string(municipality) + ",2000-01-01,\n";
    ++f->rows;
    command("set_municipality", kRegistryStart,
            std::string(",\"municipality\":") + std::to_string(municipality) + ",\"start\":" + q(D(kRegistryStart)));
  }

  Date cursor = horizon_start - days{rng.Range(0, 700)};  // some spells started before the horizon
  int spells = rng.Range(1, 3);
  bool part_time = rng.Chance(15);
  // The a-kasse (one of 01-22, from the CPR number: no draw, so the CSV files stay as without commands) reports
  // the membership from the first a-dagpenge spell, a placement on each spell's first day and each month's
  // payment (issue 14 item 6; docs/measurement-input.md).
  unsigned digit_sum = 0;
  for (char ch : cpr) digit_sum += static_cast<unsigned>(ch - '0');
  const unsigned akasse_number = 1 + digit_sum % 22;
  const std::string akasse = (akasse_number < 10 ? "0" : "") + std::to_string(akasse_number);
  const std::string akasse_actor = ",\"channel\":\"akasse\",\"actor\":\"" + akasse + "\"";
  bool member = false;
  struct MonthPaid {  // one payment report per month (two spells in a month: one report with both's hours)
    Date to;
    int64_t centihours;
  };
  std::vector<MonthPaid> paid;
  for (int s = 0; s < spells && cursor < o.end; ++s) {
    Kind kind = PickKind(rng);
    int months = rng.Chance(60) ? rng.Range(1, 12) : rng.Range(13, 60);
    Date start = cursor;
    Date end = std::min(o.end, AddDuration(start, Duration{months, Duration::Unit::kMonths}) - days{1});
    if (end < start) break;
    // Payments: monthly rows (sygedagpenge: one row per spell).
    if (kind == kSdp) {
      f->benefits += cpr + ",sygedagpenge," + D(start) + "," + D(end) + ",,,,0,0\n";
      ++f->rows;
    } else {
      if (kind == kAdp) {
        f->dagpenge += cpr + "," + D(start) + "\n";
        ++f->rows;
        if (!member) {
          command("register_akasse_intake", start,
                  akasse_actor + ",\"event\":\"intake\",\"start\":" + q(D(start)) + ",\"insurance_category\":" +
                      q(part_time ? "deltid" : "fuldtid") + ",\"akasse_code\":" + q(akasse) + ",\"branch\":\"1\"");
          member = true;
        }
        command("create_dagpenge_placement", start,
                akasse_actor + ",\"placement_date\":" + q(D(start)) +
                    ",\"placement_hours\":3848,\"placement_type\":\"ordinary\",\"update_kind\":\"new\","
                    "\"placement_basis\":\"income\",\"computation_date\":" +
                    q(D(start)) + ",\"akasse_code\":" + q(akasse) + ",\"latest_employer_report\":" + q(D(start)) +
                    ",\"register_fetched_at\":" + q(D(start) + "T02:00"));
      }
      const char* rate_names[] = {"hoejeste", "grundsats", "mindstesats"};
      const char* rate = rate_names[rng.Below(3)];
      for (Date from = start; from <= end;) {
        Date to = std::min(end, MonthLast(from));
        std::string hours;
        if (kind == kAdp) {
          int64_t full = part_time ? 13000 : 16033;
          int64_t n = (to - from).count() + 1;
          std::chrono::year_month_day ymd{from};
          Date first = std::chrono::sys_days{ymd.year() / ymd.month() / 1};
          int64_t centi = full * n / ((MonthLast(from) - first).count() + 1);
          char buf[32];
          std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(centi / 100),
                        static_cast<long long>(centi % 100));
          hours = buf;
          if (!paid.empty() && MonthLast(paid.back().to) == MonthLast(to)) {
            paid.back() = {to, paid.back().centihours + centi};
          } else {
            paid.push_back({to, centi});
          }
        }
        bool kh_rate = kind == kKh && from >= MakeDate(2025, 7, 1);
        std::string& out = f->benefits;
        out.append(cpr).append(",").append(kBenefitKeys[kind]).append(",").append(D(from)).append(",");
        out.append(D(to)).append(",").append(hours).append(",");
        out.append(kind == kAdp ? (part_time ? "part" : "full") : "").append(",");
        out.append(kh_rate ? rate : "").append(",").append(rng.Chance(3) ? "1" : "0").append(",0\n");
        ++f->rows;
        from = to + days{1};
      }
    }
    if (kind == kAndet) {
      cursor = end + days{rng.Range(1, 400)};
      continue;
    }
    // Contact group.
    int group = kind == kAdp ? 1 : kind == kSdp ? 24 : kind == kKh ? (rng.Chance(50) ? 2 : 3) : kind == kUh ? 12 : 4;
    const char* visitation = group == 2 ? "jobparat" : group == 3 ? "aktivitetsparat" : "";
    f->groups += cpr + "," + std::to_string(group) + "," + D(start) + "," + D(end) + "," + visitation + "\n";
    ++f->rows;
    command("set_contact_group", start,
            std::string(",\"contact_group\":") + std::to_string(group) + ",\"start\":" + q(D(start)));
    if (*visitation) command("set_visitation", start, std::string(",\"category\":") + q(visitation));
    command("end_contact_group", end, std::string(",\"end\":") + q(D(end)));
    // First contact before payment.
    if (rng.Chance(50)) {
      Date contact = start - days{rng.Range(1, 80)};
      f->contacts += cpr + "," + D(contact) + "\n";
      ++f->rows;
      command("register_interview", contact,
              std::string(",\"date\":") + q(D(contact)) + ",\"type\":\"foerste_henvendelse\",\"form\":\"personligt\"");
    }
    // Absences.
    int64_t length = (end - start).count() + 1;
    if (rng.Chance(35) && length > 10) {
      static const int kReasons[] = {10, 11, 8, 45, 4, 16, 3, 47, 71, 41};
      int reason = kReasons[rng.Below(10)];
      Date from = start + days{rng.Below(static_cast<uint64_t>(length))};
      Date to = std::min(end, from + days{rng.Range(3, 90)});
      bool back13 = kind == kSdp && reason == 11 && rng.Chance(50);
      f->absences += cpr + "," + std::to_string(reason) + "," + D(from) + "," + D(to) + "," + D(from) + "," +
                     (back13 ? "1" : "0") + "\n";
      ++f->rows;
      command("register_absence", from,
              std::string(",\"reason\":") + std::to_string(reason) + ",\"start\":" + q(D(from)) +
                  std::string(",\"end\":") + q(D(to)));
    }
    // Active offer.
    if (rng.Chance(20) && length > 40) {
      Date from = start + days{rng.Below(static_cast<uint64_t>(length - 20))};
      f->offers += cpr + "," + D(from) + "," + D(std::min(end, from + days{rng.Range(14, 120)})) + "\n";
      ++f->rows;
    }
    // Interviews every 20-100 days.
    for (Date day = start + days{rng.Range(0, 40)}; day <= end; day += days{rng.Range(20, 100)}) {
      int form = rng.Range(0, 99);
      const char* form_key = form < 70 ? "personligt" : form < 85 ? "telefon" : form < 98 ? "video" : "andet";
      const char* type = kind == kSdp ? "sygeopfoelgning" : rng.Chance(3) ? "andet" : "jobsamtale";
      const char* held_by = kind == kAdp && rng.Chance(25) ? "akasse" : "jobcenter";
      f->interviews +=
          cpr + "," + D(day) + "," + type + "," + form_key + "," + held_by + "," + std::to_string(municipality) + "\n";
      ++f->rows;
      if (kind == kSdp) {
        const char* followup_form = form < 70 ? "personligt" : form < 85 ? "telefonisk" : "digitalt";
        command("register_followup", day, std::string(",\"date\":") + q(D(day)) + ",\"form\":" + q(followup_form));
      } else {
        const char* registry_form = form < 70 ? "personligt" : form < 85 ? "telefonisk" : form < 98 ? "video" : "brev";
        std::string channel = std::string(held_by) == "akasse" ? ",\"channel\":\"akasse\"" : "";
        command("register_interview", day,
                std::string(",\"date\":") + q(D(day)) +
                    ",\"type\":" + q(std::string(type) == "andet" ? "anden_samtale" : "job") +
                    ",\"form\":" + q(registry_form) + channel);
      }
    }
    cursor = end + days{rng.Chance(30) ? rng.Range(1, 25) : rng.Range(40, 500)};
  }
  for (const MonthPaid& m : paid) {
    std::chrono::year_month_day month{m.to};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(m.centihours / 100),
                  static_cast<long long>(m.centihours % 100));
    command("register_dagpenge_payment", m.to,
            akasse_actor + ",\"year\":" + std::to_string(static_cast<int>(month.year())) +
                ",\"month\":" + std::to_string(static_cast<unsigned>(month.month())) +
                ",\"hours_paid\":[{\"hours\":" + buf + ",\"monthly_rate\":19728}],\"hours_consumed\":" + buf);
  }
  // The person's commands in registration order (stable: same-day commands in the order generated).
  std::stable_sort(commands.begin(), commands.end(),
                   [](const Command& a, const Command& b) { return a.registered < b.registered; });
  for (const Command& c : commands) {
    f->command_text += "{\"cpr\":\"" + cpr + "\",\"registered_at\":\"" + D(c.registered) + "\"" + c.json + "}\n";
    ++f->command_count;
  }
}

Status Flush(const std::filesystem::path& dir, const char* name, const char* header, std::string* text,
             std::ofstream* stream) {
  if (!stream->is_open()) {
    stream->open(dir / name, std::ios::binary);
    *stream << header << "\n";
  }
  *stream << *text;
  text->clear();
  if (!*stream) return Status::IOError((dir / name).string() + ": kan ikke skrives");
  return Status::Ok();
}

}  // namespace

Result<SynthStats> WriteSynthetic(const std::string& dir, const SynthOptions& o,
                                  const std::vector<catalog::Municipality>& munis) {
  if (munis.empty()) return Status::InvalidArgument("ingen kommuner");
  if (o.years < 1 || o.years > 30) return Status::InvalidArgument("--years skal være 1-30");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError(dir + ": " + ec.message());
  std::filesystem::path path(dir);
  Rng rng(o.seed);
  std::unordered_set<std::string> used;
  used.reserve(o.persons * 2);
  Files f;
  f.commands = !o.commands.empty();
  std::ofstream command_stream;
  if (f.commands) {
    command_stream.open(o.commands, std::ios::binary);
    if (!command_stream) return Status::IOError(o.commands + ": kan ikke skrives");
  }
  auto flush_commands = [&]() {
    if (!f.commands) return Status::Ok();
    command_stream << f.command_text;
    f.command_text.clear();
    return command_stream ? Status::Ok() : Status::IOError(o.commands + ": kan ikke skrives");
  };
  std::array<std::ofstream, 9> streams;
  struct Spec {
    const char* name;
    const char* header;
    std::string* text;
  };
  const std::array<Spec, 9> specs = {{
      {"persons.csv", "cpr,birth_date,pension_age_date", &f.persons},
      {"benefits.csv", "cpr,benefit,from,to,hours,insurance,rate,wage_subsidy,supplementary", &f.benefits},
      {"dagpenge_periods.csv", "cpr,first_day", &f.dagpenge},
      {"contact_groups.csv", "cpr,contact_group,from,to,visitation", &f.groups},
      {"absences.csv", "cpr,reason,from,to,registered,back_within_13_weeks", &f.absences},
      {"interviews.csv", "cpr,date,type,form,held_by,municipality", &f.interviews},
      {"offers.csv", "cpr,from,to", &f.offers},
      {"residence.csv", "cpr,municipality,from,to", &f.residence},
      {"first_contacts.csv", "cpr,date", &f.contacts},
  }};
  for (size_t i = 0; i < o.persons; ++i) {
    Person(rng, o, munis, &used, &f);
    if (i % 4096 == 4095 || i + 1 == o.persons) {
      for (size_t k = 0; k < specs.size(); ++k) {
        if (auto st = Flush(path, specs[k].name, specs[k].header, specs[k].text, &streams[k]); !st.ok()) return st;
      }
      if (auto st = flush_commands(); !st.ok()) return st;
    }
  }
  if (o.persons == 0) {
    for (size_t k = 0; k < specs.size(); ++k) {
      if (auto st = Flush(path, specs[k].name, specs[k].header, specs[k].text, &streams[k]); !st.ok()) return st;
    }
  }
  if (f.commands) {
    command_stream.close();
    if (!command_stream) return Status::IOError(o.commands + ": kan ikke skrives");
  }
  return SynthStats{o.persons, f.rows, f.command_count};
}

}  // namespace dfdg::synth
