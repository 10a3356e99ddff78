// Registry::ExecuteAdmitted (registry.h; docs/decisions/0023-parallel-validation.md): a batch in three stages.
//   A (calling thread, the store): every named person's history into the cache, every idempotency id looked up.
//   B (validation threads): the commands fall into groups that share no person and no id; each group's commands
//     are admitted, validated and planned in input order against the person's cached history, and each accepted
//     command's facts are appended to that history at once, so the person's next command sees them.
//   C (calling thread, the store): the staged commands written in input order, results rendered, committed.
// A failed stage or commit rolls back and drops the cache (it holds the batch's uncommitted facts).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <unordered_map>

#include "automation/triggers.h"
#include "core/cpr.h"
#include "core/worker_pool.h"
#include "notify/notifications.h"
#include "registry/batch_render.h"
#include "registry/planner.h"
#include "registry/registry.h"
#include "registry/stage_times.h"
#include "registry/staged_internal.h"
#include "registry/validator.h"
#include "registry/violation.h"

namespace dfdg::registry {

using staged::CprDigits;
using staged::Groups;
using staged::Lap;
using staged::RunTasks;
using Json = nlohmann::ordered_json;

StageTimes& ProcessStageTimes() {
  static StageTimes times;
  return times;
}

namespace staged {

// Adds the time since `*since` to `counter` and restarts `*since`.
void Lap(std::atomic<uint64_t>* counter, std::chrono::steady_clock::time_point* since) {
  auto now = std::chrono::steady_clock::now();
  counter->fetch_add(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - *since).count()),
                     std::memory_order_relaxed);
  *since = now;
}

// Runs task(0..count-1) on the pool (or here), and turns an exception of a task (a bug; the pool's threads must
// not throw) into an error for the whole batch instead of ending the process.
Status RunTasks(WorkerPool* pool, size_t count, const std::function<void(size_t)>& task) {
  std::atomic<bool> thrown{false};
  std::string what;  // the first exception's text (written by the thread that set `thrown`)
  auto guarded = [&](size_t i) {
    try {
      task(i);
    } catch (const std::exception& e) {
      if (!thrown.exchange(true)) what = e.what();
    }
  };
  if (pool) {
    pool->Run(count, guarded);
  } else {
    for (size_t i = 0; i < count; ++i) guarded(i);
  }
  return thrown ? Status::IOError("a validation task failed: " + what) : Status::Ok();
}


// The CPR digits of a JSON command's "cpr", or "" when missing or malformed.
std::string CprDigits(const nlohmann::json& command) {
  if (!command.is_object()) return "";
  auto it = command.find("cpr");
  if (it == command.end() || !it->is_string()) return "";
  auto cpr = Cpr::Parse(it->get<std::string>());
  return cpr.ok() ? cpr->digits() : "";
}

// Commands linked by a person or an idempotency id, transitively: each group in input order, groups ordered by
// their first command.
std::vector<std::vector<size_t>> Groups(const std::vector<ParsedCommand>& parsed,
                                        const std::vector<std::string>& cprs) {
  size_t n = parsed.size();
  std::vector<size_t> parent(n);
  for (size_t i = 0; i < n; ++i) parent[i] = i;
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<std::string, size_t> owner;  // "p<cpr>" / "i<id>" -> a command naming it
  auto link = [&](size_t i, std::string key) {
    auto [it, inserted] = owner.emplace(std::move(key), i);
    if (!inserted) {
      size_t a = root(i), b = root(it->second);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  };
  for (size_t i = 0; i < n; ++i) {
    if (!cprs[i].empty()) link(i, "p" + cprs[i]);
    // A marking on a named project reads the project subject: after the batch's project commands, in order.
    if (parsed[i].command && NamesProject(*parsed[i].command)) link(i, std::string("p") + kProjectSubject);
    if (parsed[i].command && !parsed[i].command->id.empty()) link(i, "i" + parsed[i].command->id);
  }
  std::vector<std::vector<size_t>> groups;
  std::unordered_map<size_t, size_t> index;  // root -> group
  for (size_t i = 0; i < n; ++i) {
    auto [it, inserted] = index.emplace(root(i), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

}  // namespace staged


void Registry::SetValidationThreads(int threads) {
  pool_ = threads > 0 ? std::make_unique<WorkerPool>(threads) : nullptr;
}

Status Registry::ParseAdmitted(const std::vector<nlohmann::json>& commands, std::vector<ParsedCommand>* parsed,
                               std::vector<std::string>* cprs) {
  auto t = std::chrono::steady_clock::now();
  Date today = clock_->Today();
  size_t n = commands.size();
  parsed->assign(n, ParsedCommand{});
  cprs->assign(n, std::string());
  // Parsing touches only the catalogue: chunks of commands on the validation threads.
  size_t chunk = 64, chunks = (n + chunk - 1) / chunk;
  auto parse = [&](size_t k) {
    for (size_t i = k * chunk; i < std::min(n, (k + 1) * chunk); ++i) {
      (*parsed)[i] = ParseCommand(*catalog_, commands[i], today);
      (*cprs)[i] = (*parsed)[i].command ? (*parsed)[i].command->Subject() : CprDigits(commands[i]);
    }
  };
  Status parsed_ok = RunTasks(pool_.get(), chunks, parse);
  Lap(&ProcessStageTimes().parse_ns, &t);
  return parsed_ok;
}

Result<std::vector<CommandResult>> Registry::ExecuteAdmitted(const std::vector<nlohmann::json>& commands,
                                                             const Admit& admit, const BeforeCommit& before_commit) {
  Flush();
  std::vector<ParsedCommand> parsed;
  std::vector<std::string> cprs;
  if (Status s = ParseAdmitted(commands, &parsed, &cprs); !s.ok()) return s;
  return RunStaged(parsed, cprs, admit, before_commit);
}

Result<std::vector<CommandResult>> Registry::RunStaged(const std::vector<ParsedCommand>& parsed,
                                                       const std::vector<std::string>& cprs, const Admit& admit,
                                                       const BeforeCommit& before_commit) {
  size_t n = parsed.size();
  std::vector<std::vector<size_t>> groups = Groups(parsed, cprs);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto t = std::chrono::steady_clock::now();
    auto others_wrote = store_->Begin();
    if (!others_wrote.ok()) return others_wrote.status();
    if (*others_wrote || attempt > 0) cache_.clear();
    Staged staged;
    staged.parsed = &parsed;
    staged.history.assign(n, nullptr);
    staged.commands.assign(n, StagedCommand{});
    // Stage A.
    Status failure = LoadStage(store_, cprs, &staged);
    Lap(&ProcessStageTimes().load_ns, &t);
    // Stage B: groups share no person and no id, so each history is touched by one thread.
    if (failure.ok()) {
      failure = RunTasks(pool_.get(), groups.size(), [&](size_t g) { StageGroup(groups[g], &staged, admit); });
    }
    Lap(&ProcessStageTimes().validate_ns, &t);
    // Stage C.
    std::vector<CommandResult> results;
    if (failure.ok()) failure = WriteStaged(&staged, &results);
    Lap(&ProcessStageTimes().write_ns, &t);
    failure = FinishBatch(failure, results, before_commit, &t);
    if (failure.ok()) return results;
    if (failure.code() != Status::Code::kConflict) return failure;
  }
  return Status::Conflict("the batch conflicted with another writer twice");
}

Status Registry::LoadStage(store::Store* from, const std::vector<std::string>& cprs, Staged* staged) {
  const std::vector<ParsedCommand>& parsed = *staged->parsed;
  size_t n = parsed.size();
  std::vector<std::string> uncached, ids;
  bool projects = false;
  for (size_t i = 0; i < n; ++i) {
    if (!cprs[i].empty() && !cache_.count(cprs[i])) uncached.push_back(cprs[i]);
    if (parsed[i].command && !parsed[i].command->id.empty()) ids.push_back(parsed[i].command->id);
    projects = projects || (parsed[i].command && NamesProject(*parsed[i].command));
  }
  if (projects && !cache_.count(kProjectSubject)) uncached.push_back(kProjectSubject);
  if (Status s = from->Prefetch(uncached); !s.ok()) return s;
  if (Status s = from->PrefetchCommands(ids); !s.ok()) return s;
  staged->projects = nullptr;
  if (projects) {
    auto subject = Person(kProjectSubject, from);
    if (!subject.ok()) return subject.status();
    staged->projects = *subject;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!cprs[i].empty()) {
      auto person = Person(cprs[i], from);  // element pointers of the cache stay valid while it grows
      if (!person.ok()) return person.status();
      staged->history[i] = *person;
    }
    const std::string* id = parsed[i].command && !parsed[i].command->id.empty() ? &parsed[i].command->id : nullptr;
    if (!id || staged->stored_ids.count(*id)) continue;
    // A commit still in flight (pipelined_batch.cc) is not visible to `from` yet: its ids are kept here.
    if (auto inflight = inflight_ids_.find(*id); inflight != inflight_ids_.end()) {
      staged->stored_ids.emplace(*id, inflight->second);
      continue;
    }
    auto found = from->FindCommand(*id);
    if (!found.ok()) return found.status();
    staged->stored_ids.emplace(*id, std::move(found).value());
  }
  return Status::Ok();
}

void Registry::StageGroup(const std::vector<size_t>& group, Staged* staged, const Admit& admit) {
  // Ids accepted earlier in this group: id -> (canonical request, command index).
  std::unordered_map<std::string, std::pair<const std::string*, size_t>> accepted_ids;
  for (size_t i : group) {
    const ParsedCommand& p = (*staged->parsed)[i];
    StagedCommand& out = staged->commands[i];
    PersonHistory* history = staged->history[i];
    std::optional<PersonView> view;
    if (history) view.emplace(*history, std::nullopt);
    if (admit && !admit(i, view ? &*view : nullptr)) {
      out.kind = StagedCommand::Kind::kRefused;
      continue;
    }
    auto reject = [&](const std::vector<Violation>& violations) {
      out.kind = StagedCommand::Kind::kRejected;
      out.text = Rejected(p, violations).dump();
    };
    if (!p.command) {
      reject(p.violations);
      continue;
    }
    const Command& c = *p.command;
    // Idempotency: a repeated id with the same request returns the earlier result (as ExecuteOne).
    if (!c.id.empty()) {
      if (auto it = accepted_ids.find(c.id); it != accepted_ids.end()) {
        if (*it->second.first != c.canonical) {
          reject({MakeViolation(*catalog_, 1009, {{"detail", c.id}})});
        } else {
          out.kind = StagedCommand::Kind::kReplayInBatch;
          out.earlier = it->second.second;
        }
        continue;
      }
      if (const auto& found = staged->stored_ids.at(c.id)) {
        if (found->request != c.canonical) {
          reject({MakeViolation(*catalog_, 1009, {{"detail", c.id}})});
        } else {
          out.kind = StagedCommand::Kind::kReplayStored;
          out.text = found->result;
          out.stored_seq = found->seq;
        }
        continue;
      }
    }
    std::optional<PersonView> projects;
    if (staged->projects && NamesProject(c)) projects.emplace(*staged->projects, std::nullopt);
    std::vector<Violation> violations = Validate(*catalog_, *view, c, projects ? &*projects : nullptr);
    if (!violations.empty()) {
      reject(violations);
      continue;
    }
    std::vector<Fact> facts = PlanFacts(*catalog_, c, *view, history);
    if (automation_ && c.cpr) {  // DFDG's own actions concern persons, not the project subject
      for (Fact& f : automation::TriggeredFacts(*catalog_, *automation_, *view, c, facts)) {
        facts.push_back(std::move(f));
      }
      out.messages = notify::Messages(*catalog_, *automation_, *view, c, facts);
    }
    view.reset();  // it points into history->facts, which grows now
    out.kind = StagedCommand::Kind::kAccepted;
    out.history = history;
    out.expected_version = history->version++;
    out.next_entity_id = history->next_entity_id;
    out.fact_offset = history->facts.size();
    history->facts.insert(history->facts.end(), facts.begin(), facts.end());
    out.facts = std::move(facts);
    if (!c.id.empty()) accepted_ids[c.id] = {&c.canonical, i};
  }
}

Status Registry::WriteStaged(Staged* staged, std::vector<CommandResult>* results,
                             std::vector<store::CommandRecord>* records) {
  const std::vector<ParsedCommand>& parsed = *staged->parsed;
  results->assign(parsed.size(), CommandResult{});
  for (size_t i = 0; i < parsed.size(); ++i) {
    StagedCommand& s = staged->commands[i];
    CommandResult& r = (*results)[i];
    switch (s.kind) {
      case StagedCommand::Kind::kRefused:
        r.refused = true;
        break;
      case StagedCommand::Kind::kRejected:
        r.json = std::move(s.text);
        break;
      case StagedCommand::Kind::kReplayStored:
      case StagedCommand::Kind::kReplayInBatch: {
        Json replay = Json::parse(s.kind == StagedCommand::Kind::kReplayStored ? s.text : (*results)[s.earlier].json);
        if (s.stored_seq) replay["seq"] = s.stored_seq;
        replay["replayed"] = true;
        r = CommandResult{true, replay.dump()};
        break;
      }
      case StagedCommand::Kind::kAccepted: {
        const ParsedCommand& p = parsed[i];
        const Command& c = *p.command;
        std::string cpr = c.Subject();
        store::CommandRecord record{0, c.id, cpr, FormatDate(c.registered), p.name, c.canonical, ""};
        // The full result is kept for commands with an idempotency id, so a repeat can return it.
        if (!c.id.empty()) record.result = RenderAccepted(*catalog_, p, record.registered_at, s.facts, 0);
        Status appended = store_->Append(cpr, s.expected_version, s.next_entity_id, &s.facts, &record);
        if (!appended.ok()) return appended;
        if (!s.messages.empty()) {
          for (size_t m = 0; m < s.messages.size(); ++m) {
            s.messages[m].command_seq = record.seq;
            s.messages[m].id = std::to_string(record.seq) + "-" + std::to_string(m + 1);
          }
          if (Status o = store_->AppendOutbox(&s.messages); !o.ok()) return o;
        }
        // The cached history holds the facts since stage B; now with the seq numbers the store gave them.
        for (size_t k = 0; k < s.facts.size(); ++k) {
          Fact& cached = s.history->facts[s.fact_offset + k];
          cached.seq = s.facts[k].seq;
          cached.command_seq = s.facts[k].command_seq;
        }
        r = CommandResult{true, RenderAccepted(*catalog_, p, record.registered_at, s.facts, record.seq)};
        if (records && !c.id.empty()) records->push_back(std::move(record));
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace dfdg::registry
