#include "measure/snapshot.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "measure/snapshot_internal.h"

namespace dfdg::measure {
namespace {

using namespace internal;  // NOLINT: the format definitions of snapshot_internal.h

uint64_t Count(Section s, const InputData& d, const InputStamps& stamps, const std::string& vis,
               const std::string& problems) {
  switch (s) {
    case kInfo:
      return 1;
    case kStamps:
      return stamps.size();
    case kPersons:
      return d.persons.size();
    case kPayments:
      return d.payments.size();
    case kDagpenge:
      return d.dagpenge_first_days.size();
    case kGroups:
      return d.contact_groups.size();
    case kVisitations:
      return vis.size();
    case kAbsences:
      return d.absences.size();
    case kInterviews:
      return d.interviews.size();
    case kOffers:
      return d.offers.size();
    case kResidence:
      return d.residence.size();
    case kContacts:
      return d.first_contacts.size();
    case kProblems:
      return problems.size();
    case kSectionCount:
      break;
  }
  return 0;
}

// Encodes record `i` of a fixed-width section.
void Encode(Section s, const InputData& d, const InputStamps& stamps,
            const std::unordered_map<std::string, uint32_t>& vis_index, size_t i, char* p) {
  switch (s) {
    case kInfo:
      Put<uint64_t>(p, d.rows_read);
      break;
    case kStamps: {
      char name[24] = {};
      stamps[i].file.copy(name, 23);  // at most 23 bytes; the rest of the 24 stays zero
      std::memcpy(p, name, 24);
      p += 24;
      Put<uint8_t>(p, stamps[i].present ? 1 : 0);
      std::memset(p, 0, 7);
      p += 7;
      Put<uint64_t>(p, stamps[i].size);
      Put<uint64_t>(p, stamps[i].hash);
      break;
    }
    case kPersons: {
      const Person& r = d.persons[i];
      Put<uint64_t>(p, CprKey(r.cpr));
      Put<int32_t>(p, Day(r.birth_date));
      Put<int32_t>(p, Day(r.pension_age_date));
      break;
    }
    case kPayments: {
      const Payment& r = d.payments[i];
      Put<uint32_t>(p, r.person);
      Put<int32_t>(p, Day(r.from));
      Put<int32_t>(p, Day(r.to));
      Put<uint8_t>(p, static_cast<uint8_t>(r.benefit));
      Put<uint8_t>(p, static_cast<uint8_t>(r.rate));
      Put<uint8_t>(p, static_cast<uint8_t>((r.part_time ? 1 : 0) | (r.wage_subsidy ? 2 : 0)));
      Put<uint8_t>(p, 0);
      Put<int64_t>(p, r.centihours);
      break;
    }
    case kDagpenge:
    case kContacts: {
      const PersonDate& r = s == kDagpenge ? d.dagpenge_first_days[i] : d.first_contacts[i];
      Put<uint32_t>(p, r.person);
      Put<int32_t>(p, Day(r.date));
      break;
    }
    case kGroups: {
      const ContactGroupPeriod& r = d.contact_groups[i];
      Put<uint32_t>(p, r.person);
      Put<int32_t>(p, Day(r.from));
      Put<int32_t>(p, Day(r.to));
      Put<int32_t>(p, r.contact_group);
      Put<uint32_t>(p, r.visitation.empty() ? 0 : vis_index.at(r.visitation));
      break;
    }
    case kAbsences: {
      const AbsencePeriod& r = d.absences[i];
      Put<uint32_t>(p, r.person);
      Put<int32_t>(p, Day(r.from));
      Put<int32_t>(p, Day(r.to));
      Put<int32_t>(p, r.reason);
      Put<int32_t>(p, Day(r.registered));
      Put<uint8_t>(p, r.back_within_13_weeks ? 1 : 0);
      std::memset(p, 0, 3);
      break;
    }
    case kInterviews: {
      const Interview& r = d.interviews[i];
      Put<uint32_t>(p, r.person);
      Put<int32_t>(p, Day(r.date));
      Put<uint8_t>(p, static_cast<uint8_t>(r.type));
      Put<uint8_t>(p, static_cast<uint8_t>(r.form));
      Put<uint8_t>(p, static_cast<uint8_t>(r.held_by));
      Put<uint8_t>(p, 0);
      Put<int32_t>(p, r.municipality);
      break;
    }
    case kOffers:
    case kResidence: {
      const Period& r = s == kOffers ? d.offers[i] : d.residence[i];
      Put<uint32_t>(p, r.person);
      Put<int32_t>(p, Day(r.from));
      Put<int32_t>(p, Day(r.to));
      Put<int32_t>(p, r.value);
      break;
    }
    case kVisitations:
    case kProblems:
    case kSectionCount:
      break;
  }
}

}  // namespace

Status WriteSnapshot(const std::string& path, const InputStamps& stamps, const InputData& data) {
  // The two byte sections: visitation strings (u16 length + bytes, index 1.. in order) and problems.
  std::string vis;
  std::unordered_map<std::string, uint32_t> vis_index;
  for (const auto& g : data.contact_groups) {
    if (g.visitation.empty() || vis_index.count(g.visitation)) continue;
    if (g.visitation.size() > 65535) return Status::InvalidArgument("visitation er for lang: " + g.visitation);
    vis_index.emplace(g.visitation, static_cast<uint32_t>(vis_index.size() + 1));
    uint16_t len = static_cast<uint16_t>(g.visitation.size());
    vis.append(reinterpret_cast<const char*>(&len), 2).append(g.visitation);
  }
  std::string problems;
  for (const auto& pr : data.problems) {
    auto put32 = [&](uint32_t v) { problems.append(reinterpret_cast<const char*>(&v), 4); };
    put32(static_cast<uint32_t>(pr.file.size()));
    problems.append(pr.file);
    put32(static_cast<uint32_t>(pr.line));
    put32(static_cast<uint32_t>(pr.message.size()));
    problems.append(pr.message);
  }

  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IOError(tmp + ": kan ikke skrives");
  auto fail = [&](const std::string& what) {
    std::fclose(f);
    std::remove(tmp.c_str());
    return Status::IOError(tmp + ": " + what);
  };
  Entry entries[kSectionCount];
  uint64_t offset = kHeaderBytes + kEntryBytes * kSectionCount;
  std::vector<char> zeros(offset, 0);
  if (std::fwrite(zeros.data(), 1, offset, f) != offset) return fail("skrivefejl");
  std::vector<char> buffer;
  for (uint32_t si = 0; si < kSectionCount; ++si) {
    auto s = static_cast<Section>(si);
    uint64_t pad = (8 - offset % 8) % 8;
    if (pad && std::fwrite(zeros.data(), 1, pad, f) != pad) return fail("skrivefejl");
    offset += pad;
    Entry& e = entries[si];
    e.offset = offset;
    e.count = Count(s, data, stamps, vis, problems);
    const uint32_t rs = kSpecs[s].record_size;
    std::vector<uint64_t> chunk_hashes;
    for (uint64_t first = 0; first < e.count; first += ChunkRecords(s)) {
      uint64_t n = std::min(ChunkRecords(s), e.count - first);
      const char* bytes = nullptr;
      if (s == kVisitations || s == kProblems) {
        bytes = (s == kVisitations ? vis : problems).data() + first;
      } else {
        buffer.resize(n * rs);
        for (uint64_t i = 0; i < n; ++i) Encode(s, data, stamps, vis_index, first + i, buffer.data() + i * rs);
        bytes = buffer.data();
      }
      chunk_hashes.push_back(internal::Xxh3(bytes, n * rs));
      if (std::fwrite(bytes, 1, n * rs, f) != n * rs) return fail("skrivefejl");
      offset += n * rs;
    }
    e.hash = internal::TreeHash(chunk_hashes);
  }
  // Header and section table, now that the hashes are known.
  std::vector<char> head(kHeaderBytes + kEntryBytes * kSectionCount);
  char* table = head.data() + kHeaderBytes;
  char* p = table;
  for (uint32_t si = 0; si < kSectionCount; ++si) {
    std::memcpy(p, kSpecs[si].tag, 4);
    p += 4;
    Put<uint32_t>(p, kSpecs[si].record_size);
    Put<uint64_t>(p, entries[si].count);
    Put<uint64_t>(p, entries[si].offset);
    Put<uint64_t>(p, entries[si].hash);
  }
  p = head.data();
  std::memcpy(p, kMagic, 8);
  p += 8;
  Put<uint32_t>(p, kSnapshotVersion);
  Put<uint32_t>(p, kSectionCount);
  Put<uint64_t>(p, internal::Xxh3(table, kEntryBytes * kSectionCount));
  if (std::fseek(f, 0, SEEK_SET) != 0 || std::fwrite(head.data(), 1, head.size(), f) != head.size()) {
    return fail("skrivefejl");
  }
  if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0) return fail("skrivefejl");
  if (std::fclose(f) != 0) {
    std::remove(tmp.c_str());
    return Status::IOError(tmp + ": skrivefejl");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Status::IOError(path + ": kan ikke omdøbes (" + ec.message() + ")");
  }
  return Status::Ok();
}

}  // namespace dfdg::measure
