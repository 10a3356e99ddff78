// WAL checkpoints of the SQLite store (docs/storage.md "WAL checkpoints"): SQLite's automatic checkpoint
// replaced by a WAL hook that does the same inside the commit (timed for /metrics), or, for `dfdg serve`, a
// background thread with its own connection that checkpoints while the writer goes on committing.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/wal_stats.h"

namespace dfdg::store {
namespace {

using Clock = std::chrono::steady_clock;

// SQLite's automatic checkpoint threshold as this store had it (PRAGMA wal_autocheckpoint=10000).
constexpr int kAutoCheckpointPages = 10000;

uint64_t Nanos(Clock::duration d) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

// One checkpoint of `mode` on `db`, timed into the inline or background counters. Returns SQLite's code;
// `backfilled` = the WAL frames now in the database file, `log` = the frames in the WAL.
int TimedCheckpoint(sqlite3* db, const char* name, int mode, bool background, int* log, int* backfilled) {
  auto started = Clock::now();
  int rc = sqlite3_wal_checkpoint_v2(db, name, mode, log, backfilled);
  uint64_t ns = Nanos(Clock::now() - started);
  WalStats& stats = ProcessWalStats();
  if (background) {
    stats.background_checkpoints.fetch_add(1, std::memory_order_relaxed);
    stats.background_checkpoint_ns.fetch_add(ns, std::memory_order_relaxed);
    RecordMax(stats.background_checkpoint_max_ns, ns);
    if ((rc & 0xff) == SQLITE_BUSY) stats.background_busy.fetch_add(1, std::memory_order_relaxed);
  } else {
    stats.inline_checkpoints.fetch_add(1, std::memory_order_relaxed);
    stats.inline_checkpoint_ns.fetch_add(ns, std::memory_order_relaxed);
    RecordMax(stats.inline_checkpoint_max_ns, ns);
  }
  return rc;
}

}  // namespace

WalStats& ProcessWalStats() {
  static WalStats stats;
  return stats;
}

void RecordCommit(std::chrono::steady_clock::duration took) {
  WalStats& stats = ProcessWalStats();
  uint64_t ns = Nanos(took);
  double seconds = static_cast<double>(ns) / 1e9;
  int bucket = 0;
  while (bucket < WalStats::kCommitBucketCount - 1 && seconds > WalStats::kCommitBuckets[bucket]) ++bucket;
  stats.commit_hist[bucket].fetch_add(1, std::memory_order_relaxed);
  stats.commits.fetch_add(1, std::memory_order_relaxed);
  stats.commit_ns.fetch_add(ns, std::memory_order_relaxed);
  RecordMax(stats.commit_max_ns, ns);
}

void WriteWalMetrics(std::ostream& out) {
  const WalStats& stats = ProcessWalStats();
  uint64_t commits = stats.commits.load();
  if (commits == 0 && stats.background_checkpoints.load() == 0) return;  // no SQLite store in this process
  out << "# TYPE dfdg_store_commit_seconds histogram\n";
  uint64_t cumulative = 0;
  for (int i = 0; i < WalStats::kCommitBucketCount; ++i) {
    cumulative += stats.commit_hist[i].load();
    out << "dfdg_store_commit_seconds_bucket{le=\"";
    if (i < WalStats::kCommitBucketCount - 1) {
      out << WalStats::kCommitBuckets[i];
    } else {
      out << "+Inf";
    }
    out << "\"} " << cumulative << "\n";
  }
  out << "dfdg_store_commit_seconds_sum " << static_cast<double>(stats.commit_ns.load()) / 1e9 << "\n";
  out << "dfdg_store_commit_seconds_count " << cumulative << "\n";
  out << "# TYPE dfdg_store_commit_max_seconds gauge\ndfdg_store_commit_max_seconds "
      << static_cast<double>(stats.commit_max_ns.load()) / 1e9 << "\n";
  const std::pair<const char*, const std::atomic<uint64_t>*> paths[][3] = {
      {{"commit", &stats.inline_checkpoints}, {"", &stats.inline_checkpoint_ns}, {"", &stats.inline_checkpoint_max_ns}},
      {{"background", &stats.background_checkpoints},
       {"", &stats.background_checkpoint_ns},
       {"", &stats.background_checkpoint_max_ns}}};
  out << "# TYPE dfdg_wal_checkpoints_total counter\n";
  for (const auto& p : paths)
    out << "dfdg_wal_checkpoints_total{path=\"" << p[0].first << "\"} " << *p[0].second << "\n";
  out << "# TYPE dfdg_wal_checkpoint_seconds_total counter\n";
  for (const auto& p : paths) {
    out << "dfdg_wal_checkpoint_seconds_total{path=\"" << p[0].first << "\"} "
        << static_cast<double>(p[1].second->load()) / 1e9 << "\n";
  }
  out << "# TYPE dfdg_wal_checkpoint_max_seconds gauge\n";
  for (const auto& p : paths) {
    out << "dfdg_wal_checkpoint_max_seconds{path=\"" << p[0].first << "\"} "
        << static_cast<double>(p[2].second->load()) / 1e9 << "\n";
  }
  out << "# TYPE dfdg_wal_checkpoint_busy_total counter\ndfdg_wal_checkpoint_busy_total " << stats.background_busy
      << "\n";
  out << "# TYPE dfdg_wal_frames gauge\ndfdg_wal_frames " << stats.wal_frames << "\n";
  out << "# TYPE dfdg_wal_frames_max gauge\ndfdg_wal_frames_max " << stats.wal_frames_max << "\n";
}

struct SqliteStore::Checkpointer {
  sqlite3* db = nullptr;  // the checkpointer's own connection
  CheckpointPolicy policy;
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;            // under mu
  std::atomic<int> frames{0};       // frames in the WAL after the last commit (the WAL hook)
  std::atomic<int64_t> commits{0};  // commits seen by the WAL hook
  std::atomic<bool> wanted{false};  // the hook saw policy.passive_pages new frames
  std::atomic<int> backfilled{0};   // frames moved into the database file by the last checkpoint
  std::thread thread;

  ~Checkpointer() {
    {
      std::lock_guard guard(mu);
      stopping = true;
    }
    cv.notify_one();
    if (thread.joinable()) thread.join();
    sqlite3_close(db);
  }

  // Invariant: only this thread uses `db`.
  void Loop() {
    int64_t seen_commits = commits.load();
    Clock::time_point last_commit = Clock::now();
    bool truncated = false;  // no commit since the last TRUNCATE
    std::unique_lock lock(mu);
    while (!stopping) {
      cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return stopping || wanted.load(); });
      if (stopping) break;
      wanted = false;  // a request that comes during the checkpoint below wakes the loop once more, no more
      lock.unlock();
      int64_t now_commits = commits.load();
      if (now_commits != seen_commits) {
        seen_commits = now_commits;
        last_commit = Clock::now();
        truncated = false;
      }
      int f = frames.load();
      if (f < backfilled) backfilled = 0;  // the writer restarted the WAL from its beginning
      int log = 0, done = 0;
      if (f - backfilled >= policy.passive_pages) {
        if (TimedCheckpoint(db, "main", SQLITE_CHECKPOINT_PASSIVE, true, &log, &done) == SQLITE_OK) backfilled = done;
      } else if (!truncated && f > 0 && Clock::now() - last_commit >= policy.idle) {
        // Idle: the WAL back to 0 bytes (waits for no one: busy_timeout 0; tried again after the next commit).
        if (TimedCheckpoint(db, "main", SQLITE_CHECKPOINT_TRUNCATE, true, &log, &done) == SQLITE_OK) {
          truncated = true;
          backfilled = 0;
          frames = 0;
        }
      }
      lock.lock();
    }
  }
};

void SqliteStore::StopCheckpointer::operator()(Checkpointer* checkpointer) const { delete checkpointer; }

int SqliteStore::WalHook(void* store, sqlite3* db, const char* name, int frames) {
  auto* self = static_cast<SqliteStore*>(store);
  WalStats& stats = ProcessWalStats();
  stats.wal_frames.store(static_cast<uint64_t>(frames), std::memory_order_relaxed);
  RecordMax(stats.wal_frames_max, static_cast<uint64_t>(frames));
  Checkpointer* background = self->checkpointer_.get();
  if (background) {
    background->frames = frames;
    background->commits.fetch_add(1);
    if (frames - background->backfilled >= background->policy.passive_pages && !background->wanted.exchange(true)) {
      background->cv.notify_one();
    }
  }
  // Without the checkpointer, or when it cannot keep up: the commit checkpoints itself (PASSIVE, as SQLite's
  // automatic checkpoint does), which bounds the WAL.
  if (frames >= (background ? background->policy.max_pages : kAutoCheckpointPages)) {
    int log = 0, done = 0;
    TimedCheckpoint(db, name, SQLITE_CHECKPOINT_PASSIVE, false, &log, &done);
  }
  return SQLITE_OK;
}

Status SqliteStore::StartCheckpointer(const CheckpointPolicy& policy) {
  if (checkpointer_) return Status::InvalidArgument("the checkpointer runs already");
  if (in_transaction_) return Status::InvalidArgument("StartCheckpointer inside a transaction");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("checkpointer: cannot open '" + path_ + "': " + message);
  }
  sqlite3_busy_timeout(db, 0);  // never waits for the writer or a reader: tries again later
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  // synchronous=FULL: the WAL is synced before its pages are copied, the database file after.
  if (sqlite3_exec(db, "PRAGMA synchronous=FULL; SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return Status::IOError("checkpointer: " + message);
  }
  std::unique_ptr<Checkpointer, StopCheckpointer> background(new Checkpointer);
  background->db = db;
  background->policy = policy;
  background->thread = std::thread([c = background.get()] { c->Loop(); });
  checkpointer_ = std::move(background);
  return Status::Ok();
}

}  // namespace dfdg::store
