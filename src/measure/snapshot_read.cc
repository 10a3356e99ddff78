// ReadSnapshot: checks a snapshot's header, section table and stamps, then converts its records on parallel
// threads (docs/measurement-snapshot.md).
#include <sys/mman.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "measure/huge_pages.h"
#include "measure/snapshot.h"
#include "measure/snapshot_internal.h"

namespace dfdg::measure {
namespace {

using namespace internal;  // NOLINT: the format definitions of snapshot_internal.h

Status Damaged(const std::string& path, const std::string& what) {
  return Status::Corruption(path + ": beskadiget snapshot (" + what + "); kør `dfdg measure import` igen");
}

Date FromDay(int32_t v) { return Date{std::chrono::days{v}}; }

// Every stored day lies in the range the CSV reader accepts (1800-01-01 .. OpenEnd()).
bool DayOk(int32_t v) {
  static const int32_t lo = Day(MakeDate(1800, 1, 1));
  static const int32_t hi = Day(OpenEnd());
  return v >= lo && v <= hi;
}

struct Loader {
  const std::string& path;
  InputData* d;
  std::vector<std::string> vis;

  // Decodes record `i` of a fixed-width section; false when a value is out of range (damage).
  bool Decode(Section s, const char* p, size_t i) {
    const uint64_t persons = d->persons.size();
    auto person = [&](uint32_t* out) {
      *out = Take<uint32_t>(p);
      return *out < persons;
    };
    auto period = [&](Date* from, Date* to) {
      int32_t a = Take<int32_t>(p);
      int32_t b = Take<int32_t>(p);
      *from = FromDay(a);
      *to = FromDay(b);
      return DayOk(a) && DayOk(b) && a <= b;
    };
    auto day = [&](Date* out) {
      int32_t a = Take<int32_t>(p);
      *out = FromDay(a);
      return DayOk(a);
    };
    switch (s) {
      case kPersons: {
        Person& r = d->persons[i];
        uint64_t key = Take<uint64_t>(p);
        if (key == 0 || key >= 10'000'000'000ULL) return false;
        char digits[11];
        std::snprintf(digits, sizeof digits, "%010llu", static_cast<unsigned long long>(key));
        r.cpr.assign(digits, 10);
        return day(&r.birth_date) && day(&r.pension_age_date) && r.birth_date < r.pension_age_date;
      }
      case kPayments: {
        Payment& r = d->payments[i];
        if (!person(&r.person) || !period(&r.from, &r.to)) return false;
        uint8_t benefit = Take<uint8_t>(p), rate = Take<uint8_t>(p), flags = Take<uint8_t>(p);
        Take<uint8_t>(p);
        if (benefit >= kBenefitCount || rate > static_cast<uint8_t>(KhRate::kMindstesats) || flags > 3) return false;
        r.benefit = static_cast<Benefit>(benefit);
        r.rate = static_cast<KhRate>(rate);
        r.part_time = flags & 1;
        r.wage_subsidy = flags & 2;
        r.centihours = Take<int64_t>(p);
        return r.centihours >= 0;
      }
      case kDagpenge:
      case kContacts: {
        PersonDate& r = s == kDagpenge ? d->dagpenge_first_days[i] : d->first_contacts[i];
        return person(&r.person) && day(&r.date);
      }
      case kGroups: {
        ContactGroupPeriod& r = d->contact_groups[i];
        if (!person(&r.person) || !period(&r.from, &r.to)) return false;
        r.contact_group = Take<int32_t>(p);
        uint32_t v = Take<uint32_t>(p);
        if (r.contact_group < 1 || r.contact_group > 99 || v > vis.size()) return false;
        if (v) r.visitation = vis[v - 1];
        return true;
      }
      case kAbsences: {
        AbsencePeriod& r = d->absences[i];
        if (!person(&r.person) || !period(&r.from, &r.to)) return false;
        r.reason = Take<int32_t>(p);
        if (r.reason < 1 || r.reason > 127 || !day(&r.registered)) return false;
        uint8_t back = Take<uint8_t>(p);
        r.back_within_13_weeks = back == 1;
        return back <= 1;
      }
      case kInterviews: {
        Interview& r = d->interviews[i];
        if (!person(&r.person) || !day(&r.date)) return false;
        uint8_t type = Take<uint8_t>(p), form = Take<uint8_t>(p), held = Take<uint8_t>(p);
        Take<uint8_t>(p);
        if (type > 3 || form > 3 || held > 2) return false;
        r.type = static_cast<InterviewType>(type);
        r.form = static_cast<InterviewForm>(form);
        r.held_by = static_cast<HeldBy>(held);
        r.municipality = Take<int32_t>(p);
        return true;
      }
      case kOffers:
      case kResidence: {
        Period& r = s == kOffers ? d->offers[i] : d->residence[i];
        if (!person(&r.person) || !period(&r.from, &r.to)) return false;
        r.value = Take<int32_t>(p);
        return s == kOffers || (r.value >= 100 && r.value <= 999);
      }
      default:
        return false;
    }
  }
};

// Sizes `rows` to `n` elements. The big vectors are first reserved and advised to use transparent huge pages:
// on a virtual machine, faulting in 4 KiB pages one at a time cost more than converting the records.
template <typename T>
void SizeVector(std::vector<T>* rows, uint64_t n) {
  rows->reserve(n);
  AdviseHugePages(rows->data(), n * sizeof(T));
  rows->resize(n);
}

// Reads a whole (small) section and checks its hash.
Status ReadSmall(const PreadFile& f, const std::string& path, Section s, const Entry& e, std::string* out) {
  out->resize(e.count * kSpecs[s].record_size);
  if (auto st = f.Read(e.offset, out->size(), out->data()); !st.ok()) return st;
  std::vector<uint64_t> hashes;
  const uint64_t chunk = ChunkRecords(s) * kSpecs[s].record_size;
  for (uint64_t at = 0; at < out->size(); at += chunk) {
    hashes.push_back(Xxh3(out->data() + at, std::min<uint64_t>(chunk, out->size() - at)));
  }
  if (TreeHash(hashes) != e.hash) return Damaged(path, std::string("sektion ") + kSpecs[s].tag + " har forkert hash");
  return Status::Ok();
}

}  // namespace

Result<InputData> ReadSnapshot(const std::string& path, const std::string& input_dir, int threads,
                               SnapshotTimes* times) {
  auto t0 = std::chrono::steady_clock::now();
  PreadFile f;
  if (auto st = f.Open(path); !st.ok()) return st;
  // Header and section table.
  char head[kHeaderBytes];
  if (f.size() < kHeaderBytes + kEntryBytes * kSectionCount) return Damaged(path, "for kort");
  if (auto st = f.Read(0, kHeaderBytes, head); !st.ok()) return st;
  if (std::memcmp(head, kMagic, 8) != 0) return Damaged(path, "ikke et måle-snapshot");
  const char* p = head + 8;
  uint32_t version = Take<uint32_t>(p);
  uint32_t sections = Take<uint32_t>(p);
  uint64_t table_hash = Take<uint64_t>(p);
  if (version != kSnapshotVersion) {
    return Damaged(path,
                   "formatversion " + std::to_string(version) + ", forventet " + std::to_string(kSnapshotVersion));
  }
  if (sections != kSectionCount) return Damaged(path, "forkert antal sektioner");
  std::string table(kEntryBytes * kSectionCount, '\0');
  if (auto st = f.Read(kHeaderBytes, table.size(), table.data()); !st.ok()) return st;
  if (Xxh3(table.data(), table.size()) != table_hash) return Damaged(path, "sektionstabellen har forkert hash");
  Entry entries[kSectionCount];
  uint64_t end = kHeaderBytes + table.size();
  p = table.data();
  for (uint32_t si = 0; si < kSectionCount; ++si) {
    bool tag_ok = std::memcmp(p, kSpecs[si].tag, 4) == 0;
    p += 4;
    uint32_t rs = Take<uint32_t>(p);
    Entry& e = entries[si];
    e.count = Take<uint64_t>(p);
    e.offset = Take<uint64_t>(p);
    e.hash = Take<uint64_t>(p);
    if (!tag_ok || rs != kSpecs[si].record_size) return Damaged(path, std::string("sektion ") + kSpecs[si].tag);
    if (e.offset < end || e.offset % 8 != 0 || e.offset - end >= 8 || e.count > f.size() / rs ||
        e.offset + e.count * rs > f.size()) {
      return Damaged(path, std::string("sektion ") + kSpecs[si].tag + " ligger forkert");
    }
    end = e.offset + e.count * rs;
  }
  if (end != f.size()) return Damaged(path, "filen har forkert længde");
  if (entries[kInfo].count != 1 || entries[kPersons].count > 0xFFFFFFFFULL) return Damaged(path, "INFO/PERS");

  // Small sections: row count, stamps, visitation strings, problems.
  std::string info, stamps_bytes, vis_bytes, prob_bytes;
  for (auto [s, out] : {std::pair{kInfo, &info}, std::pair{kStamps, &stamps_bytes}, std::pair{kVisitations, &vis_bytes},
                        std::pair{kProblems, &prob_bytes}}) {
    if (auto st = ReadSmall(f, path, s, entries[s], out); !st.ok()) return st;
  }
  InputData data;
  p = info.data();
  data.rows_read = Take<uint64_t>(p);
  InputStamps stamps;
  for (p = stamps_bytes.data(); p < stamps_bytes.data() + stamps_bytes.size();) {
    InputStamp s;
    s.file.assign(p, strnlen(p, 24));
    p += 24;
    s.present = Take<uint8_t>(p) == 1;
    p += 7;
    s.size = Take<uint64_t>(p);
    s.hash = Take<uint64_t>(p);
    stamps.push_back(s);
  }
  Loader loader{path, &data, {}};
  for (p = vis_bytes.data(); p < vis_bytes.data() + vis_bytes.size();) {
    if (vis_bytes.data() + vis_bytes.size() - p < 2) return Damaged(path, "VIST");
    uint16_t len = Take<uint16_t>(p);
    if (vis_bytes.data() + vis_bytes.size() - p < len) return Damaged(path, "VIST");
    loader.vis.emplace_back(p, len);
    p += len;
  }
  for (p = prob_bytes.data(); p < prob_bytes.data() + prob_bytes.size();) {
    const char* stop = prob_bytes.data() + prob_bytes.size();
    Problem pr;
    for (int field = 0; field < 3; ++field) {
      if (stop - p < 4) return Damaged(path, "PROB");
      uint32_t v = Take<uint32_t>(p);
      if (field == 1) {
        pr.line = static_cast<int>(v);
        continue;
      }
      if (static_cast<uint64_t>(stop - p) < v) return Damaged(path, "PROB");
      (field == 0 ? pr.file : pr.message).assign(p, v);
      p += v;
    }
    data.problems.push_back(std::move(pr));
  }

  // Stale? Cheap checks first (presence, size), then the content hashes.
  for (const auto& s : stamps) {
    std::error_code ec;
    auto file = std::filesystem::path(input_dir) / s.file;
    bool present = std::filesystem::is_regular_file(file, ec);
    if (present != s.present || (present && std::filesystem::file_size(file, ec) != s.size)) {
      return Status::Conflict(path + ": forældet snapshot: " + file.string() + " er ændret siden importen");
    }
  }
  auto now = StampInputs(input_dir, threads);
  if (!now.ok()) return now.status();
  if (now->size() != stamps.size()) return Damaged(path, "STMP");
  for (size_t i = 0; i < stamps.size(); ++i) {
    if ((*now)[i].file != stamps[i].file) return Damaged(path, "STMP");
    if ((*now)[i].hash != stamps[i].hash) {
      return Status::Conflict(path + ": forældet snapshot: " + input_dir + "/" + stamps[i].file +
                              " er ændret siden importen");
    }
  }
  auto t1 = std::chrono::steady_clock::now();

  // The records, converted in hash-sized chunks on parallel threads.
  SizeVector(&data.persons, entries[kPersons].count);
  SizeVector(&data.payments, entries[kPayments].count);
  SizeVector(&data.dagpenge_first_days, entries[kDagpenge].count);
  SizeVector(&data.contact_groups, entries[kGroups].count);
  SizeVector(&data.absences, entries[kAbsences].count);
  SizeVector(&data.interviews, entries[kInterviews].count);
  SizeVector(&data.offers, entries[kOffers].count);
  SizeVector(&data.residence, entries[kResidence].count);
  SizeVector(&data.first_contacts, entries[kContacts].count);
  struct Job {
    Section section;
    uint64_t chunk;
  };
  std::vector<Job> jobs;
  std::vector<std::vector<uint64_t>> chunk_hashes(kSectionCount);
  for (Section s : {kPersons, kPayments, kDagpenge, kGroups, kAbsences, kInterviews, kOffers, kResidence, kContacts}) {
    uint64_t chunks = (entries[s].count + ChunkRecords(s) - 1) / ChunkRecords(s);
    chunk_hashes[s].resize(chunks);
    for (uint64_t c = 0; c < chunks; ++c) jobs.push_back({s, c});
  }
  std::vector<std::vector<char>> buffers(std::max(1, threads));
  Status st = ParallelFor(jobs.size(), threads, [&](size_t j, int thread) {
    const Job& job = jobs[j];
    const Entry& e = entries[job.section];
    const uint32_t rs = kSpecs[job.section].record_size;
    uint64_t first = job.chunk * ChunkRecords(job.section);
    uint64_t n = std::min(ChunkRecords(job.section), e.count - first);
    auto& buffer = buffers[thread];
    XXH3_state_t* state = XXH3_createState();
    if (!state) return Status::IOError("XXH3: ingen hukommelse");
    XXH3_64bits_reset(state);
    const uint64_t piece_records = kReadPiece / rs;
    buffer.resize(piece_records * rs);
    Status status;
    for (uint64_t at = 0; at < n && status.ok(); at += piece_records) {
      uint64_t m = std::min(piece_records, n - at);
      status = f.Read(e.offset + (first + at) * rs, m * rs, buffer.data());
      if (!status.ok()) break;
      XXH3_64bits_update(state, buffer.data(), m * rs);
      for (uint64_t i = 0; i < m; ++i) {
        if (!loader.Decode(job.section, buffer.data() + i * rs, first + at + i)) {
          status = Damaged(path, std::string("ugyldig post i ") + kSpecs[job.section].tag);
          break;
        }
      }
    }
    chunk_hashes[job.section][job.chunk] = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    if (!status.ok()) return status;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (Section s : {kPersons, kPayments, kDagpenge, kGroups, kAbsences, kInterviews, kOffers, kResidence, kContacts}) {
    if (TreeHash(chunk_hashes[s]) != entries[s].hash) {
      return Damaged(path, std::string("sektion ") + kSpecs[s].tag + " har forkert hash");
    }
  }
  data.by_cpr.reserve(data.persons.size());
  for (uint32_t i = 0; i < data.persons.size(); ++i) {
    if (!data.by_cpr.emplace(CprKey(data.persons[i].cpr), i).second) return Damaged(path, "cpr to gange");
  }
  data.Finish();
  auto t2 = std::chrono::steady_clock::now();
  if (times) {
    times->verify_seconds = std::chrono::duration<double>(t1 - t0).count();
    times->load_seconds = std::chrono::duration<double>(t2 - t1).count();
    times->snapshot_bytes = f.size();
    times->input_bytes = 0;
    for (const auto& s : stamps) times->input_bytes += s.size;
  }
  return data;
}

}  // namespace dfdg::measure
