// The input of the measurement (seed 004): the CSV files of docs/measurement-input.md, read into an in-memory
// model grouped by person.
//
// Contract: ReadInput reads every file of the directory, validates every row and collects every bad row as a
// Problem (file, line, Danish message). A bad row is never part of the model; the caller decides whether to
// stop (the default in the CLI) or to measure the good rows and show the problems. All periods are stored with
// an INCLUSIVE last day (kOpenEnd for open periods). After Finish() every per-kind vector is sorted by
// (person, start) and `offsets` give each person's slice (CSR layout, no per-person allocations).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace dfdg::measure {

// The last representable day; the end of open periods.
Date OpenEnd();

// The 10 digits of a CPR number as an integer key; 0 when `text` is not 10 digits (no person has key 0
// because the date part of a valid number is never 000000).
uint64_t CprKey(std::string_view text);

enum class Benefit : uint8_t {
  kADagpenge,
  kSygedagpenge,
  kKontanthjaelp,
  kUddannelseshjaelp,
  kOvergangsydelse,
  kRevalidering,
  kForrevalidering,
  kRessourceforloeb,
  kJobafklaring,
  kLedighedsydelse,
  kNotMeasured,  // a_dagpenge_arbejdsfordeling, overgangsydelse_program, andet
};
constexpr int kBenefitCount = 11;
const char* BenefitKey(Benefit benefit);

enum class KhRate : uint8_t { kNone, kHoejeste, kGrundsats, kMindstesats };
const char* KhRateKey(KhRate rate);

enum class InterviewType : uint8_t { kJobsamtale, kFaellesJobsamtale, kSygeopfoelgning, kAndet };
enum class InterviewForm : uint8_t { kPersonligt, kVideo, kTelefon, kAndet };
enum class HeldBy : uint8_t { kJobcenter, kAkasse, kAndenAktoer };
const char* InterviewTypeKey(InterviewType type);
const char* InterviewFormKey(InterviewForm form);
const char* HeldByKey(HeldBy held_by);

struct Person {
  std::string cpr;
  Date birth_date;
  Date pension_age_date;  // the day state-pension age is reached (no longer measured from this day)
};

struct Payment {
  uint32_t person = 0;
  Date from;
  Date to;  // inclusive
  Benefit benefit = Benefit::kNotMeasured;
  KhRate rate = KhRate::kNone;
  bool part_time = false;     // a-dagpenge deltidsforsikret
  bool wage_subsidy = false;  // løntilskud from the benefit
  int64_t centihours = 0;     // paid hours × 100 (a-dagpenge)
};

struct PersonDate {
  uint32_t person = 0;
  Date date;
};

struct ContactGroupPeriod {
  uint32_t person = 0;
  Date from;
  Date to;
  int contact_group = 0;
  std::string visitation;  // empty = unknown
};

struct AbsencePeriod {
  uint32_t person = 0;
  Date from;
  Date to;
  int reason = 0;
  Date registered;
  bool back_within_13_weeks = false;
};

struct Interview {
  uint32_t person = 0;
  Date date;
  InterviewType type = InterviewType::kJobsamtale;
  InterviewForm form = InterviewForm::kPersonligt;
  HeldBy held_by = HeldBy::kJobcenter;
  int municipality = 0;  // 0 = not given
};

struct Period {
  uint32_t person = 0;
  Date from;
  Date to;
  int value = 0;  // residence: kommunekode; offers: unused
};

struct Problem {
  std::string file;
  int line = 0;
  std::string message;  // Danish
  std::string ToString() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// Slices of one person's rows (views into InputData).
struct PersonView {
  uint32_t index = 0;
  const Person* person = nullptr;
  std::span<const Payment> payments;  // incl. sygedagpenge spells; sorted by from
  std::span<const PersonDate> dagpenge_first_days;
  std::span<const ContactGroupPeriod> contact_groups;
  std::span<const AbsencePeriod> absences;
  std::span<const Interview> interviews;  // sorted by date
  std::span<const Period> offers;
  std::span<const Period> residence;
  std::span<const PersonDate> first_contacts;
};

struct InputData {
  std::vector<Person> persons;
  std::unordered_map<uint64_t, uint32_t> by_cpr;  // CprKey(cpr) -> index into persons
  std::vector<Payment> payments;
  std::vector<PersonDate> dagpenge_first_days;
  std::vector<ContactGroupPeriod> contact_groups;
  std::vector<AbsencePeriod> absences;
  std::vector<Interview> interviews;
  std::vector<Period> offers;
  std::vector<Period> residence;
  std::vector<PersonDate> first_contacts;
  std::vector<Problem> problems;
  size_t rows_read = 0;

  // Sorts every kind by (person, start) and builds the per-person offsets. Call once after adding rows.
  void Finish();
  // As Finish(), for the kinds the registry adds (`measure --db`: payments, dagpenge periods' first days,
  // contact groups, absences, interviews, residence, first contacts) only. REQUIRES: Finish() was called and the other kinds are unchanged since.
  void FinishRegistryKinds();
  // REQUIRES: Finish() was called and index < persons.size().
  PersonView View(uint32_t index) const;
  // The person with this CPR, or nullptr.
  const Person* Find(std::string_view cpr, uint32_t* index = nullptr) const;

 private:
  std::vector<uint32_t> off_payments_, off_dagpenge_, off_groups_, off_absences_, off_interviews_, off_offers_,
      off_residence_, off_contacts_;
};

// Reads the input directory. Errors (Status): the directory or a required file is missing or unreadable, or a
// header is wrong. Bad rows are not errors of the call: they are listed in InputData::problems.
Result<InputData> ReadInput(const std::string& dir);

}  // namespace dfdg::measure
