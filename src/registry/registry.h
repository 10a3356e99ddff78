// The registry: parse → validate (catalogue + person state) → append facts → result.
//
// One writer per store. Commands are executed in batches; a batch is one store transaction, and results are
// returned only after it is durably committed, so an "accepted" result never refers to lost data. Person
// histories are cached between batches and dropped when another writer committed in between.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "registry/command.h"
#include "registry/person.h"
#include "registry/record_report.h"
#include "store/store.h"

namespace dfdg {
class WorkerPool;
}
namespace dfdg::automation {
struct Rules;
}

namespace dfdg::registry {

// One command's result: accepted or not, and the result object as JSON text (docs/commands.md). `refused`:
// the batch's Admit refused it (ExecuteAdmitted): not validated, nothing written, `json` empty.
struct CommandResult {
  bool accepted = false;
  std::string json;
  bool refused = false;
};

class Registry {
 public:
  // REQUIRES: catalog, store and clock outlive the Registry.
  Registry(std::shared_ptr<const catalog::Catalog> catalog, store::Store* store, const Clock* clock);

  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Executes JSON objects in one transaction; one result object per input, in order (docs/commands.md).
  // Error (and nothing written) only when the store fails.
  Result<std::vector<nlohmann::ordered_json>> ExecuteBatch(const std::vector<nlohmann::json>& commands);
  // Called inside a batch's transaction after every command ran and before Commit, with the results in order
  // (again after a conflict retry); an error aborts the batch, nothing written. `dfdg serve` writes its audit
  // rows here, in the transaction of the change they record (store.h AppendAudit).
  using BeforeCommit = std::function<Status(const std::vector<CommandResult>&)>;
  Result<std::vector<nlohmann::ordered_json>> ExecuteBatch(const std::vector<nlohmann::json>& commands,
                                                           const BeforeCommit& before_commit);
  // Called once per command on a validation thread, before the command is validated, with the person's state
  // as this batch has made it so far (the person's earlier commands of the batch included), or nullptr when the
  // command names no valid CPR; false refuses the command. Must be safe to call concurrently for different persons.
  using Admit = std::function<bool(size_t index, const PersonView* person)>;
  // ExecuteBatch for `dfdg serve` (docs/decisions/0023-parallel-validation.md): the commands are split into
  // groups that share no person and no idempotency id; the groups are admitted, validated and planned in
  // parallel on the validation threads (each group's commands in order, each seeing the ones before it), then
  // written in input order in ONE transaction (before_commit inside it) and committed. Results as JSON text, in
  // order; an error (nothing written, nothing to acknowledge) only when the store fails, or when a task on a
  // validation thread throws (a bug; IOError naming it). Same results as ExecuteBatch for the same commands.
  Result<std::vector<CommandResult>> ExecuteAdmitted(const std::vector<nlohmann::json>& commands, const Admit& admit,
                                                     const BeforeCommit& before_commit);
  // Threads that validate an ExecuteAdmitted batch besides the calling thread (0 = only the caller).
  void SetValidationThreads(int threads);

  // Pipelined commits (docs/decisions/0027-pipelined-commit.md). Opens the store's reader (Store::OpenReader)
  // and a committer thread; false when the store offers no reader (then ExecuteAdmittedAsync commits in the
  // calling thread). Error when the reader cannot be opened. Call once, before the first batch.
  Result<bool> EnablePipeline();
  // Called once with a batch's results when its commit is durable, or with the error when it failed (nothing of
  // the batch written): on the committer thread, or on the calling thread when no commit was in flight to
  // overlap with. Must not call back into the Registry.
  using Durable = std::function<void(Result<std::vector<CommandResult>>)>;
  // ExecuteAdmitted whose commit overlaps the next batch: parsing, loading (from the reader: the committed state,
  // plus the cache, which holds the batch in flight and its idempotency ids) and validation of this batch run
  // while the previous batch's commit (fsync) runs on the committer thread; then, after that commit is known,
  // this batch is written in one transaction (before_commit inside it) and handed to the committer, and this
  // returns. Ok: `durable` will be (or was) called exactly once. Error: nothing of the batch written and
  // `durable` is never called (Conflict: call again). When the previous commit failed, or another process wrote
  // since, this batch is validated again against the store before it is written: no batch is ever written on top
  // of facts that did not become durable. REQUIRES: one calling thread (the owner of the Registry).
  Status ExecuteAdmittedAsync(const std::vector<nlohmann::json>& commands, const Admit& admit,
                              const BeforeCommit& before_commit, Durable durable);
  // Waits until no commit is in flight (its `durable` has returned). Every other member function calls it first,
  // so the store is used by one thread at a time.
  void Flush();

  // Same for JSON Lines text (malformed lines give rejected results, code 1001), with results as JSON text:
  // the bulk path of `dfdg apply`.
  Result<std::vector<CommandResult>> ExecuteLines(const std::vector<std::string>& lines);
  // ExecuteLines in two steps, so a caller can parse the next batch on another thread while one executes.
  // ParseLines touches only the (immutable) catalogue and the clock: it is safe to call concurrently.
  std::vector<ParsedCommand> ParseLines(const std::vector<std::string>& lines) const;
  Result<std::vector<CommandResult>> ExecuteParsed(const std::vector<ParsedCommand>& parsed);

  // status(cpr, date, known_at) as JSON (registry/status_report.h); `now` (UTC) for the view of today by the
  // clock's moment (§ 89 stk. 4), nullopt for a view by the day. InvalidArgument for a malformed CPR.
  Result<nlohmann::ordered_json> PersonStatus(const std::string& cpr, Date date, std::optional<Date> known_at,
                                              std::optional<std::chrono::sys_seconds> now = std::nullopt);

  // The version history of the person's records of declared types (registry/record_report.h,
  // RecordHistoryJson): `record_type` "" = every type, `entity_id` 0 = every entity; `reader` (when given) only
  // the types whose `actors` let that channel read on `reader->on`. InvalidArgument for a malformed CPR.
  Result<nlohmann::ordered_json> RecordHistory(const std::string& cpr, const std::string& record_type,
                                               int64_t entity_id, std::optional<Date> known_at,
                                               std::optional<RecordReader> reader = std::nullopt);
  // The citizen's view (Jobnet) of the person's records on `date` (registry/record_report.h, CitizenRecordsJson).
  Result<nlohmann::ordered_json> CitizenRecords(const std::string& cpr, Date date);

  // A purpose-bound lookup of the person's current records of `record_type` on `date` by a system of `channel`
  // (registry/record_report.h, LookupRecordsJson; § 61 stk. 5). NotFound for an unknown type; InvalidArgument
  // for a malformed CPR, a type without a lookup, a channel the lookup does not name, or a purpose ("" included)
  // that is no code of the lookup's purpose list. The caller audits the lookup with its purpose.
  Result<nlohmann::ordered_json> LookupRecords(const std::string& cpr, const std::string& record_type,
                                               const std::string& purpose, Date date, catalog::Channel channel);

  const catalog::Catalog& catalog() const { return *catalog_; }

  // DFDG's own actions (docs/automation.md): with rules set, every accepted command also gets the facts its
  // triggers add (channel dfdg) and writes its outbox messages, in the same transaction. nullptr = none.
  void SetAutomation(std::shared_ptr<const automation::Rules> rules) { automation_ = std::move(rules); }

 private:
  Result<std::vector<CommandResult>> RunBatch(const std::vector<ParsedCommand>& parsed,
                                              const BeforeCommit& before_commit = {});
  Result<CommandResult> ExecuteOne(const ParsedCommand& parsed);
  // Ends a batch's transaction after its commands ran with `failure` (Ok so far or not): before_commit (when
  // given) with the results, then Commit. Ok: the batch is durable. Otherwise the transaction is rolled back,
  // the cache dropped and the failure returned (Conflict: the caller may run the batch again). With `since`,
  // the before-commit and commit times are added to the process's stage times (stage_times.h).
  Status FinishBatch(Status failure, const std::vector<CommandResult>& results, const BeforeCommit& before_commit,
                     std::chrono::steady_clock::time_point* since = nullptr);
  // ExecuteAdmitted's stages (staged_batch.cc).
  struct Staged;
  Result<std::vector<CommandResult>> RunStaged(const std::vector<ParsedCommand>& parsed,
                                               const std::vector<std::string>& cprs, const Admit& admit,
                                               const BeforeCommit& before_commit);
  Status ParseAdmitted(const std::vector<nlohmann::json>& commands, std::vector<ParsedCommand>* parsed,
                       std::vector<std::string>* cprs);
  // Stage A: the named persons into the cache (loaded from `from` when not cached), every id's stored command.
  Status LoadStage(store::Store* from, const std::vector<std::string>& cprs, Staged* staged);
  void StageGroup(const std::vector<size_t>& group, Staged* staged, const Admit& admit);
  // Stage C; `records` (optional) receives the written command records that carry an idempotency id.
  Status WriteStaged(Staged* staged, std::vector<CommandResult>* results,
                     std::vector<store::CommandRecord>* records = nullptr);
  Result<PersonHistory*> Person(const std::string& cpr, store::Store* from = nullptr);

  std::shared_ptr<const catalog::Catalog> catalog_;
  store::Store* store_;
  const Clock* clock_;
  std::unordered_map<std::string, PersonHistory> cache_;
  std::unordered_map<std::string, std::pair<std::string, std::string>> batch_ids_;  // id -> (request, result)
  std::shared_ptr<const automation::Rules> automation_;
  std::unique_ptr<WorkerPool> pool_;
  // The command records (with idempotency ids) of the batch whose commit is in flight (pipelined_batch.cc).
  std::unordered_map<std::string, store::CommandRecord> inflight_ids_;
  struct Pipeline;
  std::unique_ptr<Pipeline> pipeline_;  // last member: its committer thread stops first
};

}  // namespace dfdg::registry
