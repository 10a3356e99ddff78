#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "measure/snapshot.h"
#include "measure/snapshot_internal.h"

namespace dfdg::measure {
namespace internal {

static_assert(std::endian::native == std::endian::little, "the snapshot format is little-endian");

uint64_t Xxh3(const void* data, size_t size) { return XXH3_64bits(data, size); }

uint64_t TreeHash(const std::vector<uint64_t>& block_hashes) {
  return Xxh3(block_hashes.data(), block_hashes.size() * sizeof(uint64_t));
}

PreadFile::~PreadFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status PreadFile::Open(const std::string& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Status::IOError(path + ": kan ikke læses (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Status::IOError(path + ": kan ikke læses (" + std::strerror(errno) + ")");
  size_ = static_cast<uint64_t>(st.st_size);
  return Status::Ok();
}

Status PreadFile::Read(uint64_t offset, size_t n, void* out) const {
  auto* p = static_cast<char*>(out);
  while (n > 0) {
    ssize_t got = ::pread(fd_, p, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Status::IOError(path_ + ": kunne ikke læse byte " + std::to_string(offset));
    p += got;
    offset += static_cast<uint64_t>(got);
    n -= static_cast<size_t>(got);
  }
  return Status::Ok();
}

Status HashRange(const PreadFile& file, uint64_t offset, uint64_t n, std::vector<char>* buffer, uint64_t* hash) {
  XXH3_state_t* state = XXH3_createState();
  if (!state) return Status::IOError("XXH3: ingen hukommelse");
  XXH3_64bits_reset(state);
  buffer->resize(kReadPiece);
  Status st;
  for (uint64_t at = 0; at < n && st.ok(); at += kReadPiece) {
    size_t piece = static_cast<size_t>(std::min<uint64_t>(kReadPiece, n - at));
    st = file.Read(offset + at, piece, buffer->data());
    if (st.ok()) XXH3_64bits_update(state, buffer->data(), piece);
  }
  *hash = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return st;
}

Status ParallelFor(size_t jobs, int threads, const std::function<Status(size_t, int)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first;
  auto worker = [&](int thread) {
    for (size_t job = next++; job < jobs && !failed; job = next++) {
      Status st = fn(job, thread);
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failed) first = st;
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  int n = std::max(1, threads);
  for (int t = 1; t < n; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  return first;
}

}  // namespace internal

// The CSV files of docs/measurement-input.md, in the order they are stamped.
static const char* const kInputFiles[] = {"persons.csv",        "benefits.csv",  "dagpenge_periods.csv",
                                          "contact_groups.csv", "absences.csv",  "interviews.csv",
                                          "offers.csv",         "residence.csv", "first_contacts.csv"};

Result<InputStamps> StampInputs(const std::string& input_dir, int threads) {
  struct Job {
    size_t file;
    uint64_t block;
  };
  InputStamps stamps;
  std::vector<std::unique_ptr<internal::PreadFile>> files;
  std::vector<std::vector<uint64_t>> block_hashes;
  std::vector<Job> jobs;
  for (const char* name : kInputFiles) {
    InputStamp stamp;
    stamp.file = name;
    std::string path = (std::filesystem::path(input_dir) / name).string();
    auto file = std::make_unique<internal::PreadFile>();
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
      if (auto st = file->Open(path); !st.ok()) return st;
      stamp.present = true;
      stamp.size = file->size();
    }
    uint64_t blocks = (stamp.size + internal::kHashBlock - 1) / internal::kHashBlock;
    for (uint64_t b = 0; b < blocks; ++b) jobs.push_back({stamps.size(), b});
    block_hashes.emplace_back(blocks);
    files.push_back(std::move(file));
    stamps.push_back(stamp);
  }
  std::vector<std::vector<char>> buffers(std::max(1, threads));
  Status st = internal::ParallelFor(jobs.size(), threads, [&](size_t j, int thread) {
    const Job& job = jobs[j];
    uint64_t offset = job.block * internal::kHashBlock;
    size_t n = static_cast<size_t>(std::min(internal::kHashBlock, stamps[job.file].size - offset));
    return internal::HashRange(*files[job.file], offset, n, &buffers[thread], &block_hashes[job.file][job.block]);
  });
  if (!st.ok()) return st;
  for (size_t i = 0; i < stamps.size(); ++i) stamps[i].hash = internal::TreeHash(block_hashes[i]);
  return stamps;
}

}  // namespace dfdg::measure
