// Internals of Registry::ExecuteAdmitted shared by its serial-commit (staged_batch.cc) and pipelined
// (pipelined_batch.cc) forms. Not part of the registry's interface.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/worker_pool.h"
#include "registry/registry.h"

namespace dfdg::registry {

// What stage B decided for one command.
struct StagedCommand {
  enum class Kind { kRefused, kRejected, kReplayStored, kReplayInBatch, kAccepted };
  Kind kind = Kind::kRejected;
  std::string text;        // kRejected: the result; kReplayStored: the stored result
  int64_t stored_seq = 0;  // kReplayStored: the stored command's seq
  size_t earlier = 0;      // kReplayInBatch: the accepted command of this batch it repeats
  // kAccepted: the person's cached history, the version the command expects, the next entity id after it, where
  // its facts were appended to history->facts, the facts and DFDG's messages.
  PersonHistory* history = nullptr;
  int64_t expected_version = 0;
  int64_t next_entity_id = 0;
  size_t fact_offset = 0;
  std::vector<Fact> facts;
  std::vector<store::OutboxMessage> messages;
};

struct Registry::Staged {
  const std::vector<ParsedCommand>* parsed = nullptr;
  std::vector<PersonHistory*> history;  // per command: its person's cached history (nullptr: no valid CPR)
  // The run-time projects' cached history (kProjectSubject) when a marking names a project, else nullptr. The
  // markings naming a project and the project commands share one group (Groups), so it changes in one thread.
  PersonHistory* projects = nullptr;
  std::unordered_map<std::string, std::optional<store::CommandRecord>> stored_ids;  // each id's stored command
  std::vector<StagedCommand> commands;
};

namespace staged {

// Adds the time since `*since` to `counter` and restarts `*since`.
void Lap(std::atomic<uint64_t>* counter, std::chrono::steady_clock::time_point* since);
// Runs task(0..count-1) on the pool (or here, when pool is nullptr); an exception of a task (a bug) becomes an
// IOError for the whole batch instead of ending the process.
Status RunTasks(WorkerPool* pool, size_t count, const std::function<void(size_t)>& task);
// The CPR digits of a JSON command's "cpr", or "" when missing or malformed.
std::string CprDigits(const nlohmann::json& command);
// Commands linked by a person or an idempotency id, transitively: each group in input order, groups ordered by
// their first command.
std::vector<std::vector<size_t>> Groups(const std::vector<ParsedCommand>& parsed,
                                        const std::vector<std::string>& cprs);

}  // namespace staged
}  // namespace dfdg::registry
