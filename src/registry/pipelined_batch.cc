// Registry::ExecuteAdmittedAsync (registry.h; docs/decisions/0027-pipelined-commit.md): ExecuteAdmitted's
// stages with the commit (the fsync) on a committer thread, so the next batch is parsed, loaded and validated
// meanwhile.
//   calling thread: parse; stage A from the reader (the committed state) and the cache (which already holds the
//     batch in flight, with its idempotency ids in inflight_ids_); stage B; wait for the commit in flight; Begin;
//     stage C; before_commit; hand Commit to the committer thread.
//   committer thread: Commit; then the store is free for the calling thread, and `durable` runs with the results
//     or the error (the answer overlaps the next group's transaction).
// When the commit in flight failed, or another process wrote since this store's last commit, the batch's
// staging rested on facts that are not (or no longer) the store's: the cache is dropped and the batch runs
// through RunStaged inside the transaction instead, as ExecuteAdmitted does. The store (the writer connection)
// is used by the committer thread while a commit is in flight and by the calling thread otherwise.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "registry/registry.h"
#include "registry/stage_times.h"
#include "registry/staged_internal.h"

namespace dfdg::registry {

using staged::Groups;
using staged::Lap;
using staged::RunTasks;

struct Registry::Pipeline {
  std::unique_ptr<store::Store> reader;
  std::mutex mu;
  std::condition_variable cv;
  std::function<void()> task;  // the commit handed over, until the committer takes it
  bool busy = false;           // a commit handed over whose store work is not finished
  int answering = 0;           // commits handed over whose `durable` has not returned yet (at most 2)
  bool failed = false;         // the last commit failed (read and reset by the calling thread)
  bool stopping = false;
  std::thread thread;

  void Loop() {
    std::unique_lock lock(mu);
    while (true) {
      cv.wait(lock, [&] { return stopping || task; });
      if (!task) return;  // stopping and idle
      std::function<void()> run = std::move(task);
      task = nullptr;
      lock.unlock();
      run();  // clears `busy` (Committed) as soon as the store is free, before the answer
      lock.lock();
      --answering;
      cv.notify_all();
    }
  }
  // Waits until no commit is in flight (and, with `answered`, its `durable` has returned); returns whether the
  // last one failed (and forgets it).
  bool Wait(bool answered) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return !busy && (!answered || answering == 0); });
    return std::exchange(failed, false);
  }
  // On the committer thread: the commit is done (failed or not), the store is the calling thread's again.
  void Committed(bool ok) {
    {
      std::lock_guard lock(mu);
      busy = false;
      if (!ok) failed = true;
    }
    cv.notify_all();
  }
  void Start(std::function<void()> commit) {
    {
      std::lock_guard lock(mu);
      busy = true;
      ++answering;
      task = std::move(commit);
    }
    cv.notify_all();
  }
  ~Pipeline() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    cv.notify_all();
    if (thread.joinable()) thread.join();
  }
};

// Here, where Pipeline is complete.
Registry::Registry(std::shared_ptr<const catalog::Catalog> catalog, store::Store* store, const Clock* clock)
    : catalog_(std::move(catalog)), store_(store), clock_(clock) {}

Registry::~Registry() = default;

Result<bool> Registry::EnablePipeline() {
  auto reader = store_->OpenReader();
  if (!reader.ok()) return reader.status();
  if (!*reader) return false;
  pipeline_ = std::make_unique<Pipeline>();
  pipeline_->reader = std::move(reader).value();
  pipeline_->thread = std::thread([p = pipeline_.get()] { p->Loop(); });
  return true;
}

void Registry::Flush() {
  if (!pipeline_) return;
  if (pipeline_->Wait(true)) cache_.clear();  // it may hold the failed batch's facts
  inflight_ids_.clear();                  // committed (the store finds them) or never written
}

Status Registry::ExecuteAdmittedAsync(const std::vector<nlohmann::json>& commands, const Admit& admit,
                                      const BeforeCommit& before_commit, Durable durable) {
  if (!pipeline_) {
    auto results = ExecuteAdmitted(commands, admit, before_commit);
    if (!results.ok()) return results.status();
    durable(std::move(results));
    return Status::Ok();
  }
  std::vector<ParsedCommand> parsed;
  std::vector<std::string> cprs;
  if (Status s = ParseAdmitted(commands, &parsed, &cprs); !s.ok()) {
    Flush();
    return s;
  }
  auto t = std::chrono::steady_clock::now();
  size_t n = parsed.size();
  std::vector<std::vector<size_t>> groups = Groups(parsed, cprs);
  Staged staged;
  staged.parsed = &parsed;
  staged.history.assign(n, nullptr);
  staged.commands.assign(n, StagedCommand{});
  // Stages A and B while the previous batch commits.
  Status early = LoadStage(pipeline_->reader.get(), cprs, &staged);
  Lap(&ProcessStageTimes().load_ns, &t);
  if (early.ok()) {
    early = RunTasks(pool_.get(), groups.size(), [&](size_t g) { StageGroup(groups[g], &staged, admit); });
  }
  Lap(&ProcessStageTimes().validate_ns, &t);
  bool previous_failed = pipeline_->Wait(false);  // its answer may still be on its way
  inflight_ids_.clear();
  Lap(&ProcessStageTimes().commit_wait_ns, &t);
  auto others_wrote = store_->Begin();
  if (!others_wrote.ok()) {
    cache_.clear();
    return others_wrote.status();
  }
  if (previous_failed || *others_wrote || !early.ok()) {
    // The staging rests on facts that are not the store's: validate again, against the store, and commit here.
    store_->Rollback();
    cache_.clear();
    ProcessStageTimes().restaged++;
    auto results = RunStaged(parsed, cprs, admit, before_commit);
    if (!results.ok()) return results.status();
    durable(std::move(results));
    return Status::Ok();
  }
  // Stage C.
  std::vector<CommandResult> results;
  std::vector<store::CommandRecord> records;
  Status failure = WriteStaged(&staged, &results, &records);
  Lap(&ProcessStageTimes().write_ns, &t);
  if (failure.ok() && before_commit) failure = before_commit(results);
  Lap(&ProcessStageTimes().before_commit_ns, &t);
  if (!failure.ok()) {
    store_->Rollback();
    cache_.clear();
    return failure;
  }
  for (store::CommandRecord& record : records) {
    std::string id = record.id;
    inflight_ids_.insert_or_assign(std::move(id), std::move(record));
  }
  pipeline_->Start([this, results = std::move(results), durable = std::move(durable)]() mutable {
    auto tc = std::chrono::steady_clock::now();
    Status s = store_->Commit();
    if (!s.ok()) store_->Rollback();
    Lap(&ProcessStageTimes().commit_ns, &tc);
    pipeline_->Committed(s.ok());  // the calling thread may begin the next transaction while this one answers
    if (s.ok()) {
      durable(std::move(results));
    } else {
      durable(s);
    }
  });
  return Status::Ok();
}

}  // namespace dfdg::registry
