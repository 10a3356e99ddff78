#include "measure/input.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <functional>
#include <numeric>
#include <thread>

#include "core/cpr.h"
#include "measure/csv.h"
#include "measure/input_internal.h"

namespace dfdg::measure {

Date OpenEnd() { return MakeDate(2999, 12, 31); }

uint64_t CprKey(std::string_view text) {
  if (text.size() != 10) return 0;
  uint64_t key = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    key = key * 10 + static_cast<uint64_t>(c - '0');
  }
  return key;
}

const char* BenefitKey(Benefit benefit) {
  switch (benefit) {
    case Benefit::kADagpenge:
      return "a_dagpenge";
    case Benefit::kSygedagpenge:
      return "sygedagpenge";
    case Benefit::kKontanthjaelp:
      return "kontanthjaelp";
    case Benefit::kUddannelseshjaelp:
      return "uddannelseshjaelp";
    case Benefit::kOvergangsydelse:
      return "overgangsydelse";
    case Benefit::kRevalidering:
      return "revalidering";
    case Benefit::kForrevalidering:
      return "forrevalidering";
    case Benefit::kRessourceforloeb:
      return "ressourceforloeb";
    case Benefit::kJobafklaring:
      return "jobafklaring";
    case Benefit::kLedighedsydelse:
      return "ledighedsydelse";
    case Benefit::kNotMeasured:
      return "andet";
  }
  return "andet";
}

const char* KhRateKey(KhRate rate) {
  switch (rate) {
    case KhRate::kNone:
      return "";
    case KhRate::kHoejeste:
      return "hoejeste";
    case KhRate::kGrundsats:
      return "grundsats";
    case KhRate::kMindstesats:
      return "mindstesats";
  }
  return "";
}

const char* InterviewTypeKey(InterviewType type) {
  switch (type) {
    case InterviewType::kJobsamtale:
      return "jobsamtale";
    case InterviewType::kFaellesJobsamtale:
      return "faelles_jobsamtale";
    case InterviewType::kSygeopfoelgning:
      return "sygeopfoelgning";
    case InterviewType::kAndet:
      return "andet";
  }
  return "andet";
}

const char* InterviewFormKey(InterviewForm form) {
  switch (form) {
    case InterviewForm::kPersonligt:
      return "personligt";
    case InterviewForm::kVideo:
      return "video";
    case InterviewForm::kTelefon:
      return "telefon";
    case InterviewForm::kAndet:
      return "andet";
  }
  return "andet";
}

const char* HeldByKey(HeldBy held_by) {
  switch (held_by) {
    case HeldBy::kJobcenter:
      return "jobcenter";
    case HeldBy::kAkasse:
      return "akasse";
    case HeldBy::kAndenAktoer:
      return "anden_aktoer";
  }
  return "jobcenter";
}

namespace {

using internal::FileCtx;
using internal::ReadFile;

template <typename T, typename Key>
void SortAndIndex(std::vector<T>* rows, size_t persons, std::vector<uint32_t>* offsets, Key key) {
  auto less = [&](const T& a, const T& b) {
    if (a.person != b.person) return a.person < b.person;
    return key(a) < key(b);
  };
  if (!std::is_sorted(rows->begin(), rows->end(), less)) std::stable_sort(rows->begin(), rows->end(), less);
  offsets->assign(persons + 1, 0);
  for (const auto& r : *rows) ++(*offsets)[r.person + 1];
  std::partial_sum(offsets->begin(), offsets->end(), offsets->begin());
}

template <typename T>
std::span<const T> Slice(const std::vector<T>& rows, const std::vector<uint32_t>& off, uint32_t i) {
  return std::span<const T>(rows.data() + off[i], off[i + 1] - off[i]);
}

}  // namespace

void InputData::Finish() {
  size_t n = persons.size();
  SortAndIndex(&offers, n, &off_offers_, [](const Period& p) { return p.from; });
  FinishRegistryKinds();
}

void InputData::FinishRegistryKinds() {
  size_t n = persons.size();
  SortAndIndex(&payments, n, &off_payments_, [](const Payment& p) { return p.from; });
  SortAndIndex(&dagpenge_first_days, n, &off_dagpenge_, [](const PersonDate& p) { return p.date; });
  SortAndIndex(&contact_groups, n, &off_groups_, [](const ContactGroupPeriod& p) { return p.from; });
  SortAndIndex(&absences, n, &off_absences_, [](const AbsencePeriod& p) { return p.from; });
  SortAndIndex(&interviews, n, &off_interviews_, [](const Interview& p) { return p.date; });
  SortAndIndex(&residence, n, &off_residence_, [](const Period& p) { return p.from; });
  SortAndIndex(&first_contacts, n, &off_contacts_, [](const PersonDate& p) { return p.date; });
}

PersonView InputData::View(uint32_t i) const {
  PersonView v;
  v.index = i;
  v.person = &persons[i];
  v.payments = Slice(payments, off_payments_, i);
  v.dagpenge_first_days = Slice(dagpenge_first_days, off_dagpenge_, i);
  v.contact_groups = Slice(contact_groups, off_groups_, i);
  v.absences = Slice(absences, off_absences_, i);
  v.interviews = Slice(interviews, off_interviews_, i);
  v.offers = Slice(offers, off_offers_, i);
  v.residence = Slice(residence, off_residence_, i);
  v.first_contacts = Slice(first_contacts, off_contacts_, i);
  return v;
}

const Person* InputData::Find(std::string_view cpr, uint32_t* index) const {
  auto it = by_cpr.find(CprKey(cpr));
  if (it == by_cpr.end()) return nullptr;
  if (index) *index = it->second;
  return &persons[it->second];
}

Result<InputData> ReadInput(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::NotFound(dir + ": mappen findes ikke");
  InputData data;
  Status st = ReadFile(dir, "persons.csv", true, {"cpr", "pension_age_date"}, {"birth_date"}, &data, &data.problems,
                       &data.rows_read, [&](FileCtx& f) {
                         auto cpr = Cpr::Parse(f.Get("cpr"));
                         if (!cpr.ok()) return f.Fail("ugyldigt cpr-nummer: " + cpr.status().message());
                         Person p{cpr->digits(), cpr->birth_date(), Date{}};
                         if (!f.DateField("birth_date", &p.birth_date, false, cpr->birth_date())) return;
                         if (!f.DateField("pension_age_date", &p.pension_age_date)) return;
                         if (p.pension_age_date <= p.birth_date)
                           return f.Fail("pension_age_date ligger ikke efter fødselsdatoen");
                         if (data.by_cpr.count(CprKey(p.cpr))) return f.Fail("cpr " + cpr->Masked() + " står to gange");
                         data.by_cpr.emplace(CprKey(p.cpr), static_cast<uint32_t>(data.persons.size()));
                         data.persons.push_back(std::move(p));
                       });
  if (!st.ok()) return st;

  // The other files only read `by_cpr` and each fills its own vector: read them on two threads.
  struct Task {
    std::function<Status(std::vector<Problem>*, size_t*)> read;
    std::vector<Problem> problems;
    size_t rows = 0;
    Status status;
  };
  // Reserve the two large kinds from the file sizes (typical rows are 50-60 bytes): growing by doubling
  // would briefly need twice the memory at national scale.
  auto reserve_rows = [&](const char* name) -> size_t {
    std::error_code size_ec;
    auto bytes = std::filesystem::file_size(std::filesystem::path(dir) / name, size_ec);
    return size_ec ? 0 : static_cast<size_t>(bytes / 48);
  };
  data.payments.reserve(reserve_rows("benefits.csv"));
  data.interviews.reserve(reserve_rows("interviews.csv"));
  std::vector<Task> tasks;
  auto add = [&](std::function<Status(std::vector<Problem>*, size_t*)> read) {
    Task task;
    task.read = std::move(read);
    tasks.push_back(std::move(task));
  };
  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(
        dir, "benefits.csv", true, {"cpr", "benefit", "from", "to"},
        {"hours", "insurance", "rate", "wage_subsidy", "supplementary"}, &data, problems, rows, [&](FileCtx& f) {
          Payment p;
          bool supplementary = false;
          if (!f.Person(&p.person) || !f.Period(&p.from, &p.to)) return;
          if (!f.Enum("benefit", &p.benefit,
                      {{"a_dagpenge", Benefit::kADagpenge},
                       {"sygedagpenge", Benefit::kSygedagpenge},
                       {"kontanthjaelp", Benefit::kKontanthjaelp},
                       {"uddannelseshjaelp", Benefit::kUddannelseshjaelp},
                       {"overgangsydelse", Benefit::kOvergangsydelse},
                       {"revalidering", Benefit::kRevalidering},
                       {"forrevalidering", Benefit::kForrevalidering},
                       {"ressourceforloeb", Benefit::kRessourceforloeb},
                       {"jobafklaring", Benefit::kJobafklaring},
                       {"ledighedsydelse", Benefit::kLedighedsydelse},
                       {"a_dagpenge_arbejdsfordeling", Benefit::kNotMeasured},
                       {"overgangsydelse_program", Benefit::kNotMeasured},
                       {"andet", Benefit::kNotMeasured}},
                      true, Benefit::kNotMeasured)) {
            return;
          }
          if (!f.Hundredths("hours", &p.centihours)) return;
          if (!f.Enum("insurance", &p.part_time, {{"full", false}, {"part", true}}, false, false)) return;
          if (!f.Enum("rate", &p.rate,
                      {{"hoejeste", KhRate::kHoejeste},
                       {"grundsats", KhRate::kGrundsats},
                       {"mindstesats", KhRate::kMindstesats}},
                      false, KhRate::kNone)) {
            return;
          }
          if (!f.Bool("wage_subsidy", &p.wage_subsidy) || !f.Bool("supplementary", &supplementary)) return;
          if (p.benefit == Benefit::kADagpenge && f.Get("hours").empty()) return f.Fail("a_dagpenge kræver hours");
          if (p.benefit == Benefit::kSygedagpenge && p.to == OpenEnd()) {
            // An open sickness spell is fine: it runs until data says otherwise.
          }
          if (supplementary) {
            if (p.benefit != Benefit::kKontanthjaelp) return f.Fail("supplementary=1 gælder kun kontanthjaelp");
            return;  // supplerende kontanthjælp is deleted by the method (004:616); read and validated, not measured
          }
          data.payments.push_back(p);
        });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(dir, "dagpenge_periods.csv", false, {"cpr", "first_day"}, {}, &data, problems, rows,
                    [&](FileCtx& f) {
                      PersonDate p;
                      if (!f.Person(&p.person) || !f.DateField("first_day", &p.date)) return;
                      data.dagpenge_first_days.push_back(p);
                    });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(
        dir, "contact_groups.csv", false, {"cpr", "contact_group", "from"}, {"to", "visitation"}, &data, problems, rows,
        [&](FileCtx& f) {
          ContactGroupPeriod p;
          if (!f.Person(&p.person) || !f.Period(&p.from, &p.to) || !f.IntField("contact_group", &p.contact_group))
            return;
          if (p.contact_group < 1 || p.contact_group > 99) return f.Fail("contact_group skal være 1-99");
          p.visitation = std::string(f.Get("visitation"));
          data.contact_groups.push_back(std::move(p));
        });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(dir, "absences.csv", false, {"cpr", "reason", "from", "registered"}, {"to", "back_within_13_weeks"},
                    &data, problems, rows, [&](FileCtx& f) {
                      AbsencePeriod p;
                      if (!f.Person(&p.person) || !f.Period(&p.from, &p.to) || !f.IntField("reason", &p.reason) ||
                          !f.DateField("registered", &p.registered) ||
                          !f.Bool("back_within_13_weeks", &p.back_within_13_weeks)) {
                        return;
                      }
                      if (p.reason < 1 || p.reason > 127) return f.Fail("reason skal være et årsags-id 1-127");
                      data.absences.push_back(p);
                    });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(dir, "interviews.csv", false, {"cpr", "date", "type", "form"}, {"held_by", "municipality"}, &data,
                    problems, rows, [&](FileCtx& f) {
                      Interview p;
                      if (!f.Person(&p.person) || !f.DateField("date", &p.date)) return;
                      if (!f.Enum("type", &p.type,
                                  {{"jobsamtale", InterviewType::kJobsamtale},
                                   {"faelles_jobsamtale", InterviewType::kFaellesJobsamtale},
                                   {"sygeopfoelgning", InterviewType::kSygeopfoelgning},
                                   {"andet", InterviewType::kAndet}},
                                  true, InterviewType::kAndet) ||
                          !f.Enum("form", &p.form,
                                  {{"personligt", InterviewForm::kPersonligt},
                                   {"video", InterviewForm::kVideo},
                                   {"telefon", InterviewForm::kTelefon},
                                   {"andet", InterviewForm::kAndet}},
                                  true, InterviewForm::kAndet) ||
                          !f.Enum("held_by", &p.held_by,
                                  {{"jobcenter", HeldBy::kJobcenter},
                                   {"akasse", HeldBy::kAkasse},
                                   {"anden_aktoer", HeldBy::kAndenAktoer}},
                                  false, HeldBy::kJobcenter) ||
                          !f.IntField("municipality", &p.municipality, false, 0)) {
                        return;
                      }
                      data.interviews.push_back(p);
                    });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(dir, "offers.csv", false, {"cpr", "from"}, {"to"}, &data, problems, rows, [&](FileCtx& f) {
      Period p;
      if (!f.Person(&p.person) || !f.Period(&p.from, &p.to)) return;
      data.offers.push_back(p);
    });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(dir, "residence.csv", false, {"cpr", "municipality", "from"}, {"to"}, &data, problems, rows,
                    [&](FileCtx& f) {
                      Period p;
                      if (!f.Person(&p.person) || !f.Period(&p.from, &p.to) || !f.IntField("municipality", &p.value))
                        return;
                      if (p.value < 100 || p.value > 999)
                        return f.Fail("municipality skal være en kommunekode (101-999)");
                      data.residence.push_back(p);
                    });
  });

  add([&](std::vector<Problem>* problems, size_t* rows) {
    return ReadFile(dir, "first_contacts.csv", false, {"cpr", "date"}, {}, &data, problems, rows, [&](FileCtx& f) {
      PersonDate p;
      if (!f.Person(&p.person) || !f.DateField("date", &p.date)) return;
      data.first_contacts.push_back(p);
    });
  });

  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < tasks.size(); i = next++)
      tasks[i].status = tasks[i].read(&tasks[i].problems, &tasks[i].rows);
  };
  std::thread helper(worker);
  worker();
  helper.join();
  for (auto& t : tasks) {
    if (!t.status.ok()) return t.status;
    data.problems.insert(data.problems.end(), t.problems.begin(), t.problems.end());
    data.rows_read += t.rows;
  }
  data.Finish();
  return data;
}

}  // namespace dfdg::measure
