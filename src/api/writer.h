// Group commit: one writer thread owns the Registry. HTTP threads submit jobs; the writer takes every job
// waiting (up to a bound) and executes all write commands as ONE registry batch (Registry::ExecuteAdmitted;
// docs/decisions/0023-parallel-validation.md): the commands of different persons are access-checked (the Admit
// callback), validated and planned in parallel on the validation threads, one person's in submission order
// (jobs are taken FIFO), each seeing the group's earlier commands of that person; then everything is written in
// one transaction (one fsync) that also writes the group's audit rows (store.h AppendAudit; a group of reads
// only commits an empty batch with its audit rows), and only then are the jobs answered — so a response always
// follows a durable commit of the change and its audit rows. With the registry's pipeline enabled
// (limits.pipelined_commit; Registry::ExecuteAdmittedAsync, docs/decisions/0027-pipelined-commit.md) the commit
// runs on its committer thread while the writer validates the next group. A group is answered with ONE wake-up
// of its waiting HTTP threads (Wait).
// Reads: when the store has reader connections (api/readers.h; SQLite), a read is access-checked and answered
// on its HTTP thread before it is submitted (AnswerRead; docs/decisions/0050-reads-off-the-writer.md), and the
// writer only appends its audit row to the next group's commit; otherwise (PostgreSQL, a routed store) the
// writer checks and answers it, against the committed state (after the commit in flight).
// When another process committed to the same persons first (Conflict), the whole group is validated again
// against the new state (bounded retries with a short random pause; then the group's requests get 503).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/access.h"
#include "audit/chain.h"
#include "registry/registry.h"
#include "store/store.h"

namespace dfdg::api {

// A read, run after the access check against a registry and its store (a reader's on an HTTP thread, or the
// writer's): (registry, store, cpr digits, person) -> (http status, body). `person` is the person as the access
// check has just loaded it from that store (nullptr when it loaded none): a read of the person uses it instead of
// loading the person again (Registry's reads' `loaded`). Status 403 refuses the read (JobOutcome::read_refused,
// audited as `refused`). Reads the store through the arguments only.
using ReadFn = std::function<std::pair<int, nlohmann::ordered_json>(
    registry::Registry&, store::Store&, const std::string&, const registry::PersonHistory*)>;

// Per command (writes) or the one read: refused, or the registry's result / the read's answer.
struct JobOutcome {
  bool store_failed = false;
  std::vector<bool> refused;         // writes, per command
  std::vector<std::string> results;  // writes, per command: the registry's result as JSON text ("" when refused)
  bool read_refused = false;
  int read_status = 200;
  nlohmann::ordered_json read_body;
};

struct Job {
  const ConnectedSystem* system = nullptr;
  std::string resource;  // access-rule resource name
  bool write = false;
  std::string operation;                 // audit: "POST /v1/Fravaer"
  std::string request_id;                // audit
  std::vector<nlohmann::json> commands;  // writes: each with its cpr (batch: many)
  std::string cpr;                       // reads: the person's CPR digits (a project read: its audit subject)
  ReadFn read;
  // A read that judges access itself (GET /v1/Projekter: per project, relation project_owner) and answers 403
  // when refused: no person relation is loaded and no check is made before it; `cpr` is then the audit subject
  // ("projekter" for the list, "projekter/<id>" for one project).
  bool checks_itself = false;
  // A read whose own 403 is a refusal (audited "refused", answered as the access rules' refusal): every read
  // that checks itself, and reads that refine the rules' answer (GET /v1/Opslag: the lookup's channels).
  bool refuses_itself = false;
  // A read already answered (AnswerRead on a reader): its answer and audit outcome. The writer only appends
  // the audit row and hands `answer` back after that row's commit is durable. Empty audit: not answered yet.
  JobOutcome answer{};
  std::string answer_audit{};
};

struct WriterStats {
  std::atomic<uint64_t> commits{0}, committed_commands{0}, conflict_retries{0};
  // Commits some of whose commands were access-checked (so validated) on a validation thread besides the writer.
  std::atomic<uint64_t> parallel_commits{0};
  // Time in nanoseconds: the writer thread's forming the batch (prepare, reads included), the access checks and
  // answers of the reads it answers itself (read; not the reads answered on a reader), the registry's
  // ExecuteAdmittedAsync including retries (execute; its stages, the audit rows among them:
  // registry/stage_times.h); answering the group's jobs (respond; on the committer thread when pipelined).
  std::atomic<uint64_t> prepare_ns{0}, read_ns{0}, execute_ns{0}, respond_ns{0};
  std::atomic<uint64_t> batch_hist[8] = {};  // commands per commit: 1, 2-4, 5-16, 17-64, 65-256, 257-1024, >1024, 0
};

class Writer {
 public:
  // REQUIRES: registry, its store, rules and clock outlive the Writer. The store is read (LoadPerson) for
  // the reads not yet answered and written (AppendAudit) for the audit trail, on the writer thread only; the
  // access checks of writes run on the registry's validation threads (Registry::SetValidationThreads).
  Writer(registry::Registry* registry, store::Store* store, const AccessRules* rules, const Clock* clock);
  ~Writer();  // Stop()s

  // A submitted job; the writer answers it (Wait). Opaque to callers.
  struct Ticket;
  std::shared_ptr<Ticket> Submit(Job job);
  // Waits at most `timeout` for the job's outcome (sent after its commit is durable); nullopt on timeout (the
  // job still runs, its outcome is dropped). Call once per ticket.
  std::optional<JobOutcome> Wait(const std::shared_ptr<Ticket>& ticket, std::chrono::milliseconds timeout);
  // Finishes the queued jobs, then stops the thread.
  void Stop();
  bool running() const { return running_; }
  const WriterStats& stats() const { return stats_; }

 private:
  struct Group;
  void Loop();
  void RunGroup(std::shared_ptr<Group> group);
  // Answers the group's jobs (failed: 503) with one wake-up of its waiters; only the first call counts.
  void Answer(Group* group, bool failed);

  registry::Registry* registry_;
  store::Store* store_;
  const AccessRules* rules_;
  const Clock* clock_;
  std::mutex mu_;               // the queue
  std::condition_variable cv_;  // the writer: jobs queued or stopping
  std::mutex done_mu_;          // the tickets' done flags (so woken HTTP threads do not contend with the queue)
  // Waiters of group g wait on done_cv_[g % 4]: a group's answer wakes its own jobs' threads only (two groups
  // are open at once, the one committing and the one being validated, and more jobs wait in the queue).
  std::condition_variable done_cv_[4];
  std::atomic<uint64_t> taken_{0};  // groups taken from the queue (written under mu_)
  std::deque<std::shared_ptr<Ticket>> queue_;
  bool stopping_ = false;
  std::atomic<bool> running_{true};
  WriterStats stats_;
  std::thread thread_;
};

// What the access rules need of a person: the current municipality and a-kasse on `today`.
PersonRelationFacts RelationOf(const registry::PersonView& person, Date today);
// A read job's access check (the person's relation from `store`, unless job.checks_itself) and, when allowed,
// its answer (job.read against `registry` and `store`) into `out`'s read fields. Returns the audit outcome:
// "read", "refused" or "not_found". `relations` (optional) keeps the relations loaded, per CPR digits.
// REQUIRES: `store` is `registry`'s store, used by this thread only for the call.
std::string AnswerRead(const Job& job, const AccessRules& rules, Date today, registry::Registry& registry,
                       store::Store& store, JobOutcome* out,
                       std::unordered_map<std::string, PersonRelationFacts>* relations = nullptr);
// A project command's owner as "<project_kind>/<owner>" (a municipality code without leading zeros), "" when
// the command names neither (access relation project_owner, docs/api.md).
std::string ProjectOwnerOf(const nlohmann::json& command);
// The CPR digits of a command's "cpr" field, or "" when it is missing or malformed.
std::string CommandCprDigits(const nlohmann::json& command);
// The audit subject of a command without a person: "projekter/<project>" for a project command
// (create_project, close_project, correct_project naming a project), else "".
std::string ProjectAuditSubject(const nlohmann::json& command);
// UTC now as 2025-01-02T03:04:05.678Z.
std::string UtcNow();

}  // namespace dfdg::api
