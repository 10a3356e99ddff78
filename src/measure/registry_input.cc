#include "measure/registry_input.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>

#include "registry/person.h"
#include "store/sqlite/fact_codec.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::measure {
namespace {

using registry::Fact;
using registry::FactKind;

// The keys of a fact's `extra` JSON that the measurement reads.
struct Extras {
  std::string form;
  bool expected_back_13w = false;
  bool first_contact = false;
  bool standby = false;
};

void Take(std::string_view key, std::string_view string_value, bool bool_value, Extras* out) {
  if (key == "form") out->form = std::string(string_value);
  if (key == "expected_back_13w") out->expected_back_13w = bool_value;
  if (key == "first_contact") out->first_contact = bool_value;
  if (key == "standby") out->standby = bool_value;
}

Extras FromJson(const nlohmann::json& extra) {
  Extras out;
  if (!extra.is_object()) return out;
  for (const char* key : {"form", "expected_back_13w", "first_contact", "standby"}) {
    if (!extra.contains(key)) continue;
    const auto& v = extra[key];
    Take(key, v.is_string() ? v.get_ref<const std::string&>() : std::string_view(), v.is_boolean() && v.get<bool>(),
         &out);
  }
  return out;
}

// Reads the top-level keys of a JSON object without building it: string values and true/false are taken,
// nested values skipped. Returns false when the text is not that simple (an escape anywhere, not an object,
// malformed); the caller then parses it fully. Stored extras are nlohmann dumps (compact, no whitespace).
bool ScanTopLevel(std::string_view s, Extras* out) {
  if (s.find('\\') != std::string_view::npos) return false;
  size_t i = 0;
  auto string_at = [&](std::string_view* text) {
    if (i >= s.size() || s[i] != '"') return false;
    size_t close = s.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    *text = s.substr(i + 1, close - i - 1);
    i = close + 1;
    return true;
  };
  if (s.size() < 2 || s[0] != '{') return false;
  i = 1;
  if (s[i] == '}') return i + 1 == s.size();
  while (i < s.size()) {
    std::string_view key;
    if (!string_at(&key) || i >= s.size() || s[i] != ':') return false;
    ++i;
    if (i >= s.size()) return false;
    if (s[i] == '"') {
      std::string_view value;
      if (!string_at(&value)) return false;
      Take(key, value, false, out);
    } else if (s[i] == '{' || s[i] == '[') {
      int depth = 0;
      for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
          size_t close = s.find('"', i + 1);
          if (close == std::string_view::npos) return false;
          i = close;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) break;
        }
      }
      if (i >= s.size()) return false;
      ++i;
    } else {
      size_t end = s.find_first_of(",}", i);
      if (end == std::string_view::npos) return false;
      std::string_view literal = s.substr(i, end - i);
      Take(key, {}, literal == "true", out);
      i = end;
    }
    if (i >= s.size()) return false;
    if (s[i] == '}') return i + 1 == s.size();
    if (s[i] != ',') return false;
    ++i;
  }
  return false;
}

InterviewForm FormOf(const std::string& key) {
  if (key == "personligt") return InterviewForm::kPersonligt;
  if (key == "digitalt" || key == "video") return InterviewForm::kVideo;
  if (key == "telefonisk" || key == "telefon") return InterviewForm::kTelefon;
  return InterviewForm::kAndet;
}

Date EndOf(const Fact& f) { return f.end.value_or(OpenEnd()); }

// The rows the registry adds (a batch of persons' worth, or all of them).
struct Rows {
  std::vector<AbsencePeriod> absences;
  std::vector<Interview> interviews;
  std::vector<PersonDate> first_contacts;
  std::vector<Period> residence;
  std::vector<ContactGroupPeriod> contact_groups;

  void MoveInto(InputData* data) {
    auto append = [](auto& from, auto& to) {
      to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
      from.clear();
    };
    append(absences, data->absences);
    append(interviews, data->interviews);
    append(first_contacts, data->first_contacts);
    append(residence, data->residence);
    append(contact_groups, data->contact_groups);
  }
};

// Adds the rows of one person (input index `index`) from its history. `extras` is parallel to
// history.facts when the facts were decoded raw (DecodeFactsRaw), else empty (Fact::extra is parsed).
class PersonConverter {
 public:
  PersonConverter(const catalog::Catalog& catalog, Rows* data) : catalog_(catalog), data_(data) {}

  void Add(uint32_t index, const registry::PersonHistory& history, const std::vector<Extras>& extras) {
    registry::PersonView view(history, std::nullopt);
    auto extra = [&](const Fact* f) -> const Extras& {
      if (!extras.empty()) return extras[static_cast<size_t>(f - history.facts.data())];
      parsed_ = FromJson(f->extra);
      return parsed_;
    };
    for (const Fact* f : view.Of(FactKind::kAbsence)) {
      data_->absences.push_back({index, f->start, EndOf(*f), f->code, f->recorded_on, extra(f).expected_back_13w});
    }
    for (const Fact* f : view.Of(FactKind::kInterview)) {
      const Extras& x = extra(f);
      Interview iv;
      iv.person = index;
      iv.date = f->start;
      iv.form = FormOf(x.form);
      iv.held_by = f->channel == catalog::Channel::kAkasse ? HeldBy::kAkasse : HeldBy::kJobcenter;
      int id = MeetingTypeId(f->text, f->start);
      iv.type = f->text == "job" || id == 7 ? InterviewType::kJobsamtale
                : id == 17                  ? InterviewType::kFaellesJobsamtale
                                            : InterviewType::kAndet;
      if (f->text == "foerste_henvendelse" || x.first_contact) data_->first_contacts.push_back({index, f->start});
      data_->interviews.push_back(iv);
    }
    for (const Fact* f : view.Of(FactKind::kFollowUp)) {
      Interview iv;
      iv.person = index;
      iv.date = f->start;
      iv.form = FormOf(f->text);
      iv.type = extra(f).standby ? InterviewType::kAndet : InterviewType::kSygeopfoelgning;
      iv.held_by = f->channel == catalog::Channel::kAkasse ? HeldBy::kAkasse : HeldBy::kJobcenter;
      data_->interviews.push_back(iv);
    }
    for (const Fact* f : view.Of(FactKind::kMunicipality)) {
      data_->residence.push_back({index, f->start, EndOf(*f), f->code});
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
        data_->contact_groups.push_back({index, from, to, g->code, v ? v->text : ""});
      }
    }
  }

 private:
  // The catalogue id of a meeting type on a day (0 = none).
  int MeetingTypeId(const std::string& key, Date day) {
    const catalog::CourseCode* code = catalog_.FindCourseCode("meeting_types", key, day);
    return code && code->id ? *code->id : 0;
  }

  const catalog::Catalog& catalog_;
  Rows* data_;
  Extras parsed_;
};

Status PersonByPerson(store::Store& store, const catalog::Catalog& catalog, InputData* data) {
  Rows rows;
  PersonConverter converter(catalog, &rows);
  for (uint32_t index = 0; index < data->persons.size(); ++index) {
    const std::string& cpr = data->persons[index].cpr;
    auto history = store.LoadPerson(cpr);
    if (!history.ok()) {
      return Status::IOError(cpr.substr(0, 6) + "-****: " + history.status().message());
    }
    converter.Add(index, *history, {});
  }
  rows.MoveInto(data);
  return Status::Ok();
}

// A batch of scanned persons: their encoded histories copied out of the store's row buffers.
struct Batch {
  std::string bytes;
  struct Entry {
    uint32_t index;
    size_t offset, size;
    std::string cpr;
  };
  std::vector<Entry> persons;
};

// Decodes and converts one batch into `rows` (facts decoded without parsing their JSON, DecodeFactsRaw).
Status ConvertBatch(const Batch& batch, PersonConverter& converter) {
  registry::PersonHistory history;
  std::vector<std::string_view> raw;
  std::vector<Extras> extras;
  for (const Batch::Entry& e : batch.persons) {
    history.cpr = e.cpr;
    history.facts.clear();
    raw.clear();
    Status st = store::DecodeFactsRaw(std::string_view(batch.bytes).substr(e.offset, e.size), &history.facts, &raw);
    if (!st.ok()) return Status::Corruption(e.cpr.substr(0, 6) + "-****: " + st.message());
    history.next_entity_id = 0;
    for (const Fact& f : history.facts) history.next_entity_id = std::max(history.next_entity_id, f.entity_id + 1);
    extras.assign(raw.size(), Extras{});
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i].empty() || ScanTopLevel(raw[i], &extras[i])) continue;
      auto json = nlohmann::json::parse(raw[i], nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded()) return Status::Corruption(e.cpr.substr(0, 6) + "-****: fact with unreadable details");
      extras[i] = FromJson(json);
    }
    converter.Add(e.index, history, extras);
  }
  return Status::Ok();
}

// One pass over the store's persons in storage order (the calling thread reads, `threads` workers decode and
// convert batches of persons). Registry persons not in persons.csv are skipped. Each person's rows are made by
// one worker, contiguously and in the order the person-by-person path makes them, and appended after the CSV
// rows, so Finish() (a stable sort by person and date) leaves the input identical to that path's whatever the
// order the batches finish in.
Status Scan(store::SqliteStore& store, const catalog::Catalog& catalog, int threads, InputData* data) {
  constexpr size_t kBatchBytes = 4 << 20;
  const size_t workers = static_cast<size_t>(std::max(1, threads));
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Batch> queue;
  bool closed = false;
  Status failure = Status::Ok();
  std::vector<Rows> rows(workers);
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      PersonConverter converter(catalog, &rows[w]);
      while (true) {
        Batch batch;
        {
          std::unique_lock<std::mutex> lock(mutex);
          changed.wait(lock, [&] { return closed || !queue.empty(); });
          if (queue.empty()) return;
          batch = std::move(queue.front());
          queue.pop_front();
        }
        changed.notify_all();
        Status st = ConvertBatch(batch, converter);
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mutex);
          if (failure.ok()) failure = st;
        }
      }
    });
  }
  auto hand_over = [&](Batch&& batch) -> Status {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return queue.size() < 2 * workers || !failure.ok(); });
    if (!failure.ok()) return failure;
    queue.push_back(std::move(batch));
    changed.notify_all();
    return Status::Ok();
  };
  Batch batch;
  Status scanned = store.ScanPersons([&](std::string_view cpr, std::string_view facts) -> Status {
    uint32_t index = 0;
    if (!data->Find(cpr, &index)) return Status::Ok();
    batch.persons.push_back({index, batch.bytes.size(), facts.size(), std::string(cpr)});
    batch.bytes.append(facts);
    if (batch.bytes.size() < kBatchBytes) return Status::Ok();
    Status st = hand_over(std::move(batch));
    batch = Batch{};
    return st;
  });
  if (scanned.ok() && !batch.persons.empty()) scanned = hand_over(std::move(batch));
  {
    std::lock_guard<std::mutex> lock(mutex);
    closed = true;
  }
  changed.notify_all();
  for (auto& t : pool) t.join();
  if (!scanned.ok()) return scanned;
  if (!failure.ok()) return failure;
  // One allocation per table for all workers' rows.
  auto total = [&](auto member) {
    size_t n = 0;
    for (const Rows& r : rows) n += (r.*member).size();
    return n;
  };
  data->absences.reserve(data->absences.size() + total(&Rows::absences));
  data->interviews.reserve(data->interviews.size() + total(&Rows::interviews));
  data->first_contacts.reserve(data->first_contacts.size() + total(&Rows::first_contacts));
  data->residence.reserve(data->residence.size() + total(&Rows::residence));
  data->contact_groups.reserve(data->contact_groups.size() + total(&Rows::contact_groups));
  for (Rows& r : rows) r.MoveInto(data);
  return Status::Ok();
}

}  // namespace

bool RegistryScans(const store::Store& store) { return dynamic_cast<const store::SqliteStore*>(&store) != nullptr; }

Status AddRegistryFacts(store::Store& store, const catalog::Catalog& catalog, InputData* data, int threads) {
  auto* sqlite = dynamic_cast<store::SqliteStore*>(&store);
  Status st = sqlite ? Scan(*sqlite, catalog, threads, data) : PersonByPerson(store, catalog, data);
  if (!st.ok()) return st;
  data->Finish();
  return Status::Ok();
}

}  // namespace dfdg::measure
