// The storage interface of the registry. SQLite (embedded, default) and PostgreSQL (store/postgres) implement
// the same contract. Persisted format: docs/storage.md.
//
// Contract: all writes happen inside Begin()/Commit(). Commit() returns ok only when the transaction is durable.
// Append() checks the person's version (optimistic concurrency): it fails with Conflict when the stored version
// differs from `expected_version`, so two writers cannot both apply a command based on the same state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "core/status.h"
#include "registry/person.h"

namespace dfdg::store {

// An accepted command as stored (for idempotency and audit).
struct CommandRecord {
  int64_t seq = 0;  // assigned by Append
  std::string id;   // client idempotency key, may be empty
  std::string cpr;
  std::string registered_at;
  std::string command;  // command name
  std::string request;  // canonical request JSON
  std::string result;   // the result JSON returned to the client
};

// ---- DFDG's own actions (docs/automation.md): outbox messages and daily runs (docs/storage.md "Outbox") ----
// A message DFDG must send, written in the same transaction as the change that causes it.
struct OutboxMessage {
  int64_t seq = 0;                // assigned by AppendOutbox: delivery order
  std::string id;                 // unique: "<command_seq>-<n>" (n-th message of that command, from 1)
  int64_t command_seq = 0;        // the command whose transaction wrote it
  std::string type;               // message type (catalog/automation.yaml `notifications[].type`)
  std::string recipient_kind;     // a recipient kind of catalog/recipients.yaml (akasse, jobcenter, citizen, ...)
  std::string recipient;          // a-kasse number, kommunekode, the recipient's id, or "" for the citizen
  std::string cpr;                // 10 digits (masked whenever shown)
  std::string created_on;         // registration date of the causing command, YYYY-MM-DD
  std::string payload;            // JSON object with the catalogue codes
  std::string cause;              // JSON object {rule, legal_ref, source}
  std::string state = "pending";  // pending | delivered | dead (docs/delivery.md)
  // Delivery (migration 4): attempts since the last (re)queue, the earliest next attempt (Unix ms), when it
  // was delivered (ISO 8601 UTC, "" until then) and the last failure.
  int64_t attempts = 0;
  int64_t next_attempt_ms = 0;
  std::string delivered_at;
  std::string last_error;
};

// One delivery attempt of an outbox message (docs/delivery.md "Attempts").
struct DeliveryAttempt {
  int64_t seq = 0;  // assigned by the store
  std::string message_id;
  int64_t attempt = 0;  // 1-based, since the last (re)queue
  int64_t at_ms = 0;    // Unix ms when the request was sent
  std::string at;       // the same as ISO 8601 UTC with milliseconds (set by the caller)
  int64_t duration_ms = 0;
  std::string url;
  int http_status = 0;          // 0 = no HTTP response (refused, timeout)
  std::string error;            // "" when delivered
  std::string outcome;          // delivered | retry | dead: the message's state afterwards
  int64_t next_attempt_ms = 0;  // retry: the earliest next attempt
};

class Store {
 public:
  virtual ~Store() = default;

  // The person's full history (empty history with version 0 when unknown).
  virtual Result<registry::PersonHistory> LoadPerson(const std::string& cpr) = 0;
  // The stored command with this idempotency id, if any.
  virtual Result<std::optional<CommandRecord>> FindCommand(const std::string& id) = 0;

  // Optional hint, inside Begin()/Commit(): the persons the transaction is about to load. A backend with
  // per-query latency (PostgreSQL) loads them in one round trip; LoadPerson then serves them. Default: nothing.
  virtual Status Prefetch(const std::vector<std::string>& cprs) {
    (void)cprs;
    return Status::Ok();
  }
  // Optional hint, inside Begin()/Commit(): the idempotency ids the transaction is about to look up with
  // FindCommand; a backend with per-query latency looks them up in one round trip. Default: nothing.
  virtual Status PrefetchCommands(const std::vector<std::string>& ids) {
    (void)ids;
    return Status::Ok();
  }

  // Optional: a second connection to the same database, for LoadPerson, Prefetch and FindCommand only, usable on
  // another thread while this store commits (registry.h EnablePipeline). It sees the committed state (never this
  // store's open transaction). Default: none (nullptr).
  virtual Result<std::unique_ptr<Store>> OpenReader() { return std::unique_ptr<Store>(); }

  // Starts a write transaction (exclusive for the writer). Returns whether other writers committed since this
  // store's last commit (then cached person histories must be reloaded).
  virtual Result<bool> Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // REQUIRES: inside Begin()/Commit(). Appends `facts` (their seq and command_seq are assigned and written back)
  // and the command record for person `cpr`, moving its version from expected_version to expected_version + 1.
  // Conflict (here or at Commit) if the stored version is not expected_version.
  virtual Status Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                        std::vector<registry::Fact>* facts, CommandRecord* command) = 0;

  // ---- DFDG's own actions (docs/automation.md). Defaults fail, so a store without them is noticed. ----
  // REQUIRES: inside Begin()/Commit(), after the causing command's Append. Writes the messages, with the transaction;
  // seq in their order (SQLite: written back; PostgreSQL: at Commit, left 0). A used id: Conflict (here or at Commit).
  virtual Status AppendOutbox(std::vector<OutboxMessage>* messages) {
    (void)messages;
    return Status::IOError("this store has no outbox");
  }
  // Messages with seq > after_seq in seq order, at most `limit`.
  virtual Result<std::vector<OutboxMessage>> ListOutbox(int64_t after_seq, int64_t limit) {
    (void)after_seq, (void)limit;
    return Status::IOError("this store has no outbox");
  }
  virtual Result<std::optional<OutboxMessage>> FindOutbox(const std::string& id) {
    (void)id;
    return Status::IOError("this store has no outbox");
  }
  // Up to `limit` person CPRs greater than `after`, ascending (the daily run's scan).
  virtual Result<std::vector<std::string>> ListPersons(const std::string& after, int64_t limit) {
    (void)after, (void)limit;
    return Status::IOError("this store cannot list persons");
  }
  // Up to `limit` persons with a CPR greater than `after`, ascending, each with its full history: the daily run's
  // scan, one query per page instead of one per person. Default: ListPersons, then LoadPerson for each.
  virtual Result<std::vector<registry::PersonHistory>> LoadPersons(const std::string& after, int64_t limit) {
    auto cprs = ListPersons(after, limit);
    if (!cprs.ok()) return cprs.status();
    std::vector<registry::PersonHistory> out;
    out.reserve(cprs->size());
    for (const std::string& cpr : *cprs) {
      auto history = LoadPerson(cpr);
      if (!history.ok()) return history.status();
      out.push_back(std::move(history).value());
    }
    return out;
  }
  // The latest date (YYYY-MM-DD) whose daily run completed, if any.
  virtual Result<std::optional<std::string>> LastDailyRun() { return Status::IOError("this store has no daily runs"); }
  // REQUIRES: inside Begin()/Commit(). Marks the daily run of `date` complete (Conflict when already marked).
  virtual Status RecordDailyRun(const std::string& date, const std::string& summary) {
    (void)date, (void)summary;
    return Status::IOError("this store has no daily runs");
  }
  // ---- Delivery of the outbox (docs/delivery.md; migration 4). Defaults fail. ----
  // Pending messages with seq > after_seq in seq order, at most `limit` (the delivery worker's scan).
  virtual Result<std::vector<OutboxMessage>> ListPendingOutbox(int64_t after_seq, int64_t limit) {
    (void)after_seq, (void)limit;
    return Status::IOError("this store has no outbox delivery");
  }
  // REQUIRES: outside Begin()/Commit() (it is its own transaction). Records `attempt` and moves the message to
  // attempt.outcome: delivered (delivered_at = attempt.at), retry (stays pending with
  // attempts = attempt.attempt and next_attempt_ms) or dead. NotFound when the message is not pending.
  virtual Status RecordDeliveryAttempt(const DeliveryAttempt& attempt) {
    (void)attempt;
    return Status::IOError("this store has no outbox delivery");
  }
  // The attempts of one message in the order made.
  virtual Result<std::vector<DeliveryAttempt>> ListDeliveryAttempts(const std::string& message_id) {
    (void)message_id;
    return Status::IOError("this store has no outbox delivery");
  }
  // Puts messages back to pending with no attempts, due at once: the message `id` when it is dead or pending
  // (retry), or — when `id` is empty — every delivered message whose delivered_at day (UTC) is in
  // [from_day, to_day], both inclusive (replay). Returns how many. Its own transaction.
  virtual Result<int64_t> RequeueOutbox(const std::string& id, const std::string& from_day, const std::string& to_day) {
    (void)id, (void)from_day, (void)to_day;
    return Status::IOError("this store has no outbox delivery");
  }
  // Number of outbox messages in `state` (pending | delivered | dead): the dead-letter gauge of /metrics.
  virtual Result<int64_t> CountOutbox(const std::string& state) {
    (void)state;
    return Status::IOError("this store has no outbox");
  }
  // ---- Retention (docs/automation.md "Deletion"; store/erase.h). Defaults fail. ----
  // REQUIRES: outside Begin()/Commit() (it is its own transaction). Erases the content of every stored version
  // of entity `entity_id` of person `cpr` (store/erase.h EraseFactContent, with `trace` as the erasure note),
  // and the request and result of the commands that wrote them; kind, entity, dates, channel, actor, record
  // type and the correction mark stay. Increases the person's version (caches reload). Returns how many versions
  // it erased (0 when every version was erased before: idempotent).
  virtual Result<int64_t> EraseEntity(const std::string& cpr, int64_t entity_id, const std::string& trace) {
    (void)cpr, (void)entity_id, (void)trace;
    return Status::IOError("this store cannot erase");
  }
  // ---- end of DFDG's own actions ----
  // ---- Audit trail in the store (docs/storage.md "Audit trail"; `dfdg serve`, `dfdg audit`) ----
  // REQUIRES: inside Begin()/Commit(). Stages `rows` (seq and hash ignored); Commit() writes them in the same
  // transaction as the transaction's facts, numbered and chained after the stored head under a lock that
  // every writer of the chain takes (so several processes on one database keep ONE chain). Rollback() and a
  // failed Commit() drop them. Default: IOError.
  virtual Status AppendAudit(const std::vector<audit::AuditEntry>& rows) {
    (void)rows;
    return Status::IOError("this store keeps no audit trail");
  }
  // Stored audit rows with seq > after_seq in seq order, at most `limit`; only the person's when `cpr` (digits)
  // is not empty. Default: IOError.
  virtual Result<std::vector<audit::AuditEntry>> ReadAudit(const std::string& cpr, int64_t after_seq, int64_t limit) {
    (void)cpr, (void)after_seq, (void)limit;
    return Status::IOError("this store keeps no audit trail");
  }
  // The last stored audit row (seq 0 and 64 zeros as hash when there is none).
  virtual Result<audit::AuditEntry> AuditHead() { return Status::IOError("this store keeps no audit trail"); }
  // ---- end of audit trail ----
};

}  // namespace dfdg::store
