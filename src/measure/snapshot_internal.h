// Internals of the snapshot (snapshot.cc, snapshot_io.cc): file access with pread, the block tree hash of
// docs/measurement-snapshot.md and a small parallel-for. Not for use outside src/measure.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace dfdg::measure::internal {

// Bytes per hash block (16 MiB): a byte stream is hashed as XXH3-64 over the little-endian XXH3-64 hashes of its
// blocks, so blocks can be hashed on parallel threads.
constexpr uint64_t kHashBlock = uint64_t{1} << 24;

constexpr char kMagic[8] = {'D', 'F', 'D', 'G', 'M', 'S', 'N', 'P'};
constexpr size_t kHeaderBytes = 24;  // magic, version, section count, table hash
constexpr size_t kEntryBytes = 32;   // tag, record size, count, offset, hash

// The sections of docs/measurement-snapshot.md, in file order.
enum Section : uint32_t {
  kInfo,
  kStamps,
  kPersons,
  kPayments,
  kDagpenge,
  kGroups,
  kVisitations,
  kAbsences,
  kInterviews,
  kOffers,
  kResidence,
  kContacts,
  kProblems,
  kSectionCount
};
struct Spec {
  char tag[5];
  uint32_t record_size;
};
// Order and record sizes of docs/measurement-snapshot.md.
constexpr Spec kSpecs[kSectionCount] = {{"INFO", 8},  {"STMP", 48}, {"PERS", 16}, {"PAYM", 24}, {"DPFD", 8},
                                        {"CGRP", 20}, {"VIST", 1},  {"ABSN", 24}, {"INTV", 16}, {"OFFR", 16},
                                        {"RESI", 16}, {"FCON", 8},  {"PROB", 1}};

struct Entry {
  uint64_t count = 0;
  uint64_t offset = 0;
  uint64_t hash = 0;
};

template <typename T>
inline void Put(char*& p, T v) {
  std::memcpy(p, &v, sizeof v);
  p += sizeof v;
}
template <typename T>
inline T Take(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}
inline int32_t Day(Date d) { return static_cast<int32_t>(d.time_since_epoch().count()); }

// Records per hash chunk of a section.
inline uint64_t ChunkRecords(Section s) { return kHashBlock / kSpecs[s].record_size; }

uint64_t Xxh3(const void* data, size_t size);
// The tree hash from the hashes of the blocks, in order.
uint64_t TreeHash(const std::vector<uint64_t>& block_hashes);

// A file opened for reading with pread. Not copyable.
class PreadFile {
 public:
  PreadFile() = default;
  PreadFile(const PreadFile&) = delete;
  PreadFile& operator=(const PreadFile&) = delete;
  ~PreadFile();
  Status Open(const std::string& path);
  uint64_t size() const { return size_; }
  // Reads exactly `n` bytes at `offset`; IOError when the file is shorter or unreadable.
  Status Read(uint64_t offset, size_t n, void* out) const;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string path_;
};

// Bytes read at a time (hash blocks are read in pieces: two threads then need 2 MiB of buffers, not 32 MiB).
constexpr uint64_t kReadPiece = uint64_t{1} << 20;

// XXH3-64 of `n` bytes of `file` from `offset`, read in pieces into `buffer`. The same value as Xxh3 over the
// bytes at once. Errors: IOError.
Status HashRange(const PreadFile& file, uint64_t offset, uint64_t n, std::vector<char>* buffer, uint64_t* hash);

// Calls fn(job, thread) for job in [0, jobs) on `threads` threads (the caller's thread is thread 0).
// The first non-ok Status wins; the remaining jobs are skipped once one has failed.
Status ParallelFor(size_t jobs, int threads, const std::function<Status(size_t, int)>& fn);

}  // namespace dfdg::measure::internal
