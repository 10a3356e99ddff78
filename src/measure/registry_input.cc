#include "measure/registry_input.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "measure/registry_extras.h"
#include "measure/registry_place.h"
#include "measure/registry_records.h"
#include "registry/person.h"
#include "store/sqlite/fact_codec.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::measure {
namespace {

using registry::Fact;
using registry::FactKind;
using store::FactRecord;

// One current entity version of a kind the measurement reads, from either path (a decoded Fact or a
// FactRecord). `text` points into the person's history or the scanned bytes.
struct Item {
  int64_t entity_id = 0;
  Date start{};
  std::optional<Date> end;
  Date recorded_on{};
  int code = 0;
  catalog::Channel channel = catalog::Channel::kJobcenter;
  std::string_view text;
  Extras extras;
  internal::RecordDetails record;  // records of the a-kasse the measurement reads (registry_records.h)
};

Date EndOf(const Item& f) { return f.end.value_or(OpenEnd()); }

// The kinds read, as indexes into Converter's lists.
enum Slot { kAbsence, kInterview, kFollowUp, kMunicipality, kContactGroup, kVisitation, kRecord, kSlotCount };
// The slot of a fact (-1: not read); a record only when its type is one registry_records.h reads.
int SlotOf(FactKind kind, std::string_view text) {
  switch (kind) {
    case FactKind::kRecord:
      return internal::RecordUseOf(text) == internal::RecordUse::kNone ? -1 : kRecord;
    case FactKind::kAbsence:
      return kAbsence;
    case FactKind::kInterview:
      return kInterview;
    case FactKind::kFollowUp:
      return kFollowUp;
    case FactKind::kMunicipality:
      return kMunicipality;
    case FactKind::kContactGroup:
      return kContactGroup;
    case FactKind::kVisitation:
      return kVisitation;
    default:
      return -1;
  }
}

// The rows the registry adds (a batch of persons' worth, or all of them), each person's rows contiguous.
struct Rows {
  std::vector<AbsencePeriod> absences;
  std::vector<Interview> interviews;
  std::vector<PersonDate> first_contacts;
  std::vector<Period> residence;
  std::vector<ContactGroupPeriod> contact_groups;
  std::vector<Payment> payments;                // a_dagpenge from dagpenge_payment records
  std::vector<PersonDate> dagpenge_first_days;  // placement dates

  std::array<size_t, 7> Sizes() const {
    return {absences.size(),       interviews.size(), first_contacts.size(),     residence.size(),
            contact_groups.size(), payments.size(),   dagpenge_first_days.size()};
  }
  // Room for `extra` more rows of each kind, in transparent huge pages.
  void Reserve(size_t extra) {
    internal::ReserveHuge(&absences, extra);
    internal::ReserveHuge(&interviews, extra);
    internal::ReserveHuge(&first_contacts, extra);
    internal::ReserveHuge(&residence, extra);
    internal::ReserveHuge(&contact_groups, extra);
  }
};

// Where one batch's rows are: rows [begin, end) of each kind (in Rows::Sizes order) of one worker's Rows.
struct Chunk {
  size_t worker = 0;
  std::array<size_t, 7> begin{}, end{};
};

// Makes one person's rows from the current versions of its entities: Clear(), add every current,
// not-deleted version with Add(), then Emit(). Lists and buffers are reused from person to person.
class Converter {
 public:
  Converter(const catalog::Catalog& catalog, Rows* rows) : rows_(rows) {
    for (const auto& list : catalog.model().course_codelists) {
      if (list.key != "meeting_types") continue;
      for (const auto& code : list.codes) meeting_types_.push_back(&code);
    }
  }
  void set_rows(Rows* rows) { rows_ = rows; }

  void Clear() {
    for (auto& list : lists_) list.clear();
  }
  void Add(int slot, const Item& item) { lists_[slot].push_back(item); }

  // The rows of input person `index` (the lists are sorted here, by start and entity id, as PersonView sorts).
  void Emit(uint32_t index) {
    for (auto& list : lists_) {
      std::sort(list.begin(), list.end(), [](const Item& a, const Item& b) {
        return a.start != b.start ? a.start < b.start : a.entity_id < b.entity_id;
      });
    }
    for (const Item& f : lists_[kAbsence]) {
      rows_->absences.push_back({index, f.start, EndOf(f), f.code, f.recorded_on, f.extras.expected_back_13w});
    }
    for (const Item& f : lists_[kInterview]) {
      Interview iv;
      iv.person = index;
      iv.date = f.start;
      iv.form = f.extras.form;
      iv.held_by = f.channel == catalog::Channel::kAkasse ? HeldBy::kAkasse : HeldBy::kJobcenter;
      int id = f.text == "job" ? 7 : MeetingTypeId(f.text, f.start);  // "job" is a jobsamtale whatever its id
      iv.type = id == 7    ? InterviewType::kJobsamtale
                : id == 17 ? InterviewType::kFaellesJobsamtale
                           : InterviewType::kAndet;
      if (f.text == "foerste_henvendelse" || f.extras.first_contact) rows_->first_contacts.push_back({index, f.start});
      rows_->interviews.push_back(iv);
    }
    for (const Item& f : lists_[kFollowUp]) {
      Interview iv;
      iv.person = index;
      iv.date = f.start;
      iv.form = FormOf(f.text);
      iv.type = f.extras.standby ? InterviewType::kAndet : InterviewType::kSygeopfoelgning;
      iv.held_by = f.channel == catalog::Channel::kAkasse ? HeldBy::kAkasse : HeldBy::kJobcenter;
      rows_->interviews.push_back(iv);
    }
    for (const Item& f : lists_[kMunicipality]) rows_->residence.push_back({index, f.start, EndOf(f), f.code});
    // Contact-group periods, split where the visitation category changes inside them.
    const auto& visitations = lists_[kVisitation];
    for (const Item& g : lists_[kContactGroup]) {
      cuts_.assign(1, g.start);
      for (const Item& v : visitations) {
        if (v.start > g.start && v.start <= EndOf(g)) cuts_.push_back(v.start);
        if (v.end && *v.end >= g.start && *v.end < EndOf(g)) cuts_.push_back(*v.end + std::chrono::days{1});
      }
      std::sort(cuts_.begin(), cuts_.end());
      cuts_.erase(std::unique(cuts_.begin(), cuts_.end()), cuts_.end());
      for (size_t i = 0; i < cuts_.size(); ++i) {
        Date from = cuts_[i];
        Date to = i + 1 < cuts_.size() ? cuts_[i + 1] - std::chrono::days{1} : EndOf(g);
        // The visitation on `from`: the latest-starting one covering it (PersonView::On).
        const Item* on = nullptr;
        for (const Item& v : visitations) {
          if (v.start <= from && (!v.end || from <= *v.end)) on = &v;
        }
        rows_->contact_groups.push_back({index, from, to, g.code, on ? std::string(on->text) : std::string()});
      }
    }
    // The a-kasse's payments and placements (registry_records.h).
    if (!lists_[kRecord].empty()) {
      kg1_.clear();
      for (const Item& g : lists_[kContactGroup]) {
        if (g.code == 1) kg1_.emplace_back(g.start, EndOf(g));
      }
      records_.clear();
      for (const Item& r : lists_[kRecord]) records_.push_back({r.start, r.end, r.entity_id, r.record});
      internal::DagpengeRows(index, records_, kg1_, &rows_->payments, &rows_->dagpenge_first_days);
    }
  }

 private:
  // The catalogue id of a meeting type on a day (0 = none); as Catalog::FindCourseCode("meeting_types", ...).
  int MeetingTypeId(std::string_view key, Date day) const {
    for (const catalog::CourseCode* code : meeting_types_) {
      if (code->key == key && code->validity.Contains(day)) return code->id ? *code->id : 0;
    }
    return 0;
  }

  Rows* rows_;
  std::vector<const catalog::CourseCode*> meeting_types_;
  std::vector<Item> lists_[kSlotCount];
  std::vector<Date> cuts_;
  std::vector<std::pair<Date, Date>> kg1_;
  std::vector<internal::RecordItem> records_;
};

// The reference path (any store): person by person through LoadPerson and PersonView.
Status PersonByPerson(store::Store& store, const catalog::Catalog& catalog, Rows* rows, InputData* data) {
  Converter converter(catalog, rows);
  for (uint32_t index = 0; index < data->persons.size(); ++index) {
    const std::string& cpr = data->persons[index].cpr;
    auto history = store.LoadPerson(cpr);
    if (!history.ok()) {
      return Status::IOError(cpr.substr(0, 6) + "-****: " + history.status().message());
    }
    registry::PersonView view(*history, std::nullopt);
    converter.Clear();
    for (int k = 0; k < registry::kFactKindCount; ++k) {
      for (const Fact* f : view.Of(static_cast<FactKind>(k))) {
        int slot = SlotOf(f->kind, f->text);
        if (slot < 0) continue;
        Item item{f->entity_id, f->start, f->end, f->recorded_on, f->code, f->channel, f->text, {}, {}};
        if (slot == kRecord) {
          item.record = internal::ReadRecordDetails(internal::RecordUseOf(f->text), f->extra);
        } else {
          item.extras = FromJson(f->extra);
        }
        converter.Add(slot, item);
      }
    }
    converter.Emit(index);
  }
  return Status::Ok();
}

// A batch of scanned persons: their encoded histories copied out of the store's row buffers.
struct Batch {
  size_t number = 0;  // position in scan order
  std::string bytes;
  struct Entry {
    uint32_t index;
    size_t offset, size;
  };
  std::vector<Entry> persons;
};

// Decodes and converts the persons of a batch (fact records as views, the JSON details read by ScanTopLevel).
// Per person: the latest version of each entity (the records are in seq order), without corrected ones.
class BatchConverter {
 public:
  explicit BatchConverter(const catalog::Catalog& catalog) : converter_(catalog, nullptr) {}

  Status Convert(const Batch& batch, Rows* rows) {
    converter_.set_rows(rows);
    for (const Batch::Entry& e : batch.persons) {
      records_.clear();
      Status st = store::DecodeFactRecords(std::string_view(batch.bytes).substr(e.offset, e.size), &records_);
      if (st.ok()) st = Person(e.index);
      if (!st.ok()) {
        const std::string& cpr = cprs_->at(e.index).cpr;
        return Status::Corruption(cpr.substr(0, 6) + "-****: " + st.message());
      }
    }
    return Status::Ok();
  }
  void set_persons(const std::vector<Person>* persons) { cprs_ = persons; }

 private:
  Status Person(uint32_t index) {
    extras_.assign(records_.size(), Extras{});
    int64_t entities = 0;
    for (size_t i = 0; i < records_.size(); ++i) {
      const FactRecord& r = records_[i];
      entities = std::max(entities, r.entity_id + 1);
      if (r.kind == FactKind::kRecord) continue;  // a record's details are read below, for its current version only
      if (r.extra.empty() || ScanTopLevel(r.extra, &extras_[i])) continue;
      auto json = nlohmann::json::parse(r.extra, nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded()) return Status::Corruption("fact with unreadable details");
      extras_[i] = FromJson(json);
    }
    current_.assign(static_cast<size_t>(std::max<int64_t>(entities, 0)), -1);
    for (size_t i = 0; i < records_.size(); ++i) {
      if (records_[i].entity_id >= 0) current_[static_cast<size_t>(records_[i].entity_id)] = static_cast<int32_t>(i);
    }
    converter_.Clear();
    for (int32_t i : current_) {
      if (i < 0) continue;
      const FactRecord& r = records_[static_cast<size_t>(i)];
      int slot = SlotOf(r.kind, r.text);
      if (r.deleted || slot < 0) continue;
      std::optional<Date> end;
      if (r.end != FactRecord::kNoDay) end = Date{std::chrono::days{r.end}};
      Item item{r.entity_id, r.start, end, r.recorded_on, r.code, r.channel, r.text, extras_[i], {}};
      if (slot == kRecord) {
        auto json = nlohmann::json::parse(r.extra, nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded()) return Status::Corruption("fact with unreadable details");
        item.record = internal::ReadRecordDetails(internal::RecordUseOf(r.text), json);
      }
      converter_.Add(slot, item);
    }
    converter_.Emit(index);
    return Status::Ok();
  }

  Converter converter_;
  const std::vector<measure::Person>* cprs_ = nullptr;
  std::vector<FactRecord> records_;
  std::vector<Extras> extras_;
  std::vector<int32_t> current_;
};

// One pass over the store's persons in storage order: the calling thread reads and copies each person's
// encoded facts into batches, `threads` workers decode and convert a batch at a time, appending its rows to the
// worker's own Rows (reserved in huge pages) and noting where they are in the batch's Chunk; batch buffers are
// reused. Registry persons not in persons.csv are skipped. The rows are then placed after the CSV rows in scan
// order (PlaceAll), giving the rows, in the order, of the person-by-person path.
Status Scan(store::SqliteStore& store, const catalog::Catalog& catalog, int threads, std::vector<Rows>* worker_rows,
            std::deque<Chunk>* chunks, InputData* data) {
  constexpr size_t kBatchBytes = 4 << 20;
  const size_t workers = static_cast<size_t>(std::max(1, threads));
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Batch> queue;
  std::vector<Batch> spare;  // converted batches, their buffers kept for the next ones
  bool closed = false;
  Status failure = Status::Ok();
  std::vector<std::thread> pool;
  worker_rows->resize(workers);
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      Rows& mine = (*worker_rows)[w];
      BatchConverter converter(catalog);
      converter.set_persons(&data->persons);
      Batch batch;
      while (true) {
        Chunk* chunk = nullptr;
        {
          std::unique_lock<std::mutex> lock(mutex);
          if (!batch.bytes.empty() || !batch.persons.empty()) {
            batch.bytes.clear();
            batch.persons.clear();
            spare.push_back(std::move(batch));
          }
          changed.wait(lock, [&] { return closed || !queue.empty(); });
          if (queue.empty()) return;
          batch = std::move(queue.front());
          queue.pop_front();
          chunk = &(*chunks)[batch.number];  // deque elements stay put while the reader appends
        }
        changed.notify_all();
        chunk->worker = w;
        chunk->begin = mine.Sizes();
        mine.Reserve(batch.bytes.size() / 64);  // a fact record is at least 64 bytes; most make at most one row
        Status st = converter.Convert(batch, &mine);
        chunk->end = mine.Sizes();
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mutex);
          if (failure.ok()) failure = st;
        }
      }
    });
  }
  size_t batches = 0;
  auto hand_over = [&](Batch* batch) -> Status {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return queue.size() < 2 * workers || !failure.ok(); });
    if (!failure.ok()) return failure;
    batch->number = batches++;
    chunks->emplace_back();
    queue.push_back(std::move(*batch));
    if (!spare.empty()) {
      *batch = std::move(spare.back());
      spare.pop_back();
    } else {
      *batch = Batch{};
      batch->bytes.reserve(kBatchBytes + (kBatchBytes >> 2));
    }
    changed.notify_all();
    return Status::Ok();
  };
  Batch batch;
  batch.bytes.reserve(kBatchBytes + (kBatchBytes >> 2));
  uint32_t next = 0;  // the registry usually stores the persons in the order of persons.csv
  Status scanned = store.ScanPersons([&](std::string_view cpr, std::string_view facts) -> Status {
    uint32_t index = next;
    if (index >= data->persons.size() || data->persons[index].cpr != cpr) {
      if (!data->Find(cpr, &index)) return Status::Ok();
    }
    next = index + 1;
    batch.persons.push_back({index, batch.bytes.size(), facts.size()});
    batch.bytes.append(facts);
    return batch.bytes.size() < kBatchBytes ? Status::Ok() : hand_over(&batch);
  });
  if (scanned.ok() && !batch.persons.empty()) scanned = hand_over(&batch);
  {
    std::lock_guard<std::mutex> lock(mutex);
    closed = true;
  }
  changed.notify_all();
  for (auto& t : pool) t.join();
  if (!scanned.ok()) return scanned;
  return failure;
}

// The rows of one kind (`member` of the workers' Rows) of every chunk, in scan order; `kind` is its index in
// Rows::Sizes.
template <typename T>
std::vector<std::span<T>> Parts(std::vector<Rows>* rows, const std::deque<Chunk>& chunks, std::vector<T> Rows::*member,
                                size_t kind) {
  std::vector<std::span<T>> parts;
  parts.reserve(chunks.size());
  for (const Chunk& c : chunks) {
    std::vector<T>& all = (*rows)[c.worker].*member;
    parts.emplace_back(all.data() + c.begin[kind], c.end[kind] - c.begin[kind]);
  }
  return parts;
}

// Places the chunks' rows of every kind (the interviews, the largest, on a second thread), releasing the workers'
// rows of each kind once placed.
void PlaceAll(std::vector<Rows>* rows, const std::deque<Chunk>& chunks, InputData* data, int threads) {
  size_t n = data->persons.size();
  auto place = [&](auto* table, auto member, size_t kind, auto key) {
    internal::Place(table, Parts(rows, chunks, member, kind), n, key);
    for (Rows& r : *rows) std::remove_reference_t<decltype(r.*member)>().swap(r.*member);
  };
  auto interviews = [&] { place(&data->interviews, &Rows::interviews, 1, [](const Interview& r) { return r.date; }); };
  std::thread second;
  if (threads > 1) second = std::thread(interviews);
  place(&data->absences, &Rows::absences, 0, [](const AbsencePeriod& r) { return r.from; });
  place(&data->first_contacts, &Rows::first_contacts, 2, [](const PersonDate& r) { return r.date; });
  place(&data->residence, &Rows::residence, 3, [](const Period& r) { return r.from; });
  place(&data->contact_groups, &Rows::contact_groups, 4, [](const ContactGroupPeriod& r) { return r.from; });
  place(&data->payments, &Rows::payments, 5, [](const Payment& r) { return r.from; });
  place(&data->dagpenge_first_days, &Rows::dagpenge_first_days, 6, [](const PersonDate& r) { return r.date; });
  if (second.joinable()) {
    second.join();
  } else {
    interviews();
  }
}

}  // namespace

bool RegistryScans(const store::Store& store) { return dynamic_cast<const store::SqliteStore*>(&store) != nullptr; }

Status AddRegistryFacts(store::Store& store, const catalog::Catalog& catalog, InputData* data, int threads) {
  auto* sqlite = dynamic_cast<store::SqliteStore*>(&store);
  std::vector<Rows> rows;
  std::deque<Chunk> chunks;
  Status st;
  if (sqlite) {
    st = Scan(*sqlite, catalog, threads, &rows, &chunks, data);
  } else {
    st = PersonByPerson(store, catalog, &rows.emplace_back(), data);
    chunks.push_back({0, {}, rows.front().Sizes()});
  }
  if (!st.ok()) return st;
  PlaceAll(&rows, chunks, data, threads);
  data->FinishRegistryKinds();
  return Status::Ok();
}

}  // namespace dfdg::measure
