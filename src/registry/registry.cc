#include "registry/registry.h"

#include <algorithm>

#include "automation/triggers.h"
#include "core/worker_pool.h"
#include "notify/notifications.h"
#include "registry/batch_render.h"
#include "registry/planner.h"
#include "registry/record_report.h"
#include "registry/stage_times.h"
#include "registry/staged_internal.h"
#include "registry/status_report.h"
#include "registry/validator.h"

namespace dfdg::registry {

using Json = nlohmann::ordered_json;

Result<PersonHistory*> Registry::Person(const std::string& cpr, store::Store* from) {
  auto it = cache_.find(cpr);
  if (it != cache_.end()) return &it->second;
  auto loaded = (from ? from : store_)->LoadPerson(cpr);
  if (!loaded.ok()) return loaded.status();
  return &cache_.emplace(cpr, std::move(loaded).value()).first->second;
}

Result<CommandResult> Registry::ExecuteOne(const ParsedCommand& parsed) {
  if (!parsed.command) return CommandResult{false, Rejected(parsed, parsed.violations).dump()};
  const Command& c = *parsed.command;
  // Idempotency: a repeated id with the same request returns the stored result.
  if (!c.id.empty()) {
    std::optional<std::pair<std::string, std::string>> previous;
    int64_t previous_seq = 0;
    if (auto it = batch_ids_.find(c.id); it != batch_ids_.end()) {
      previous = it->second;
    } else {
      auto found = store_->FindCommand(c.id);
      if (!found.ok()) return found.status();
      if (*found) {
        previous = std::make_pair((*found)->request, (*found)->result);
        previous_seq = (*found)->seq;
      }
    }
    if (previous) {
      if (previous->first != c.canonical) {
        return CommandResult{false, Rejected(parsed, {MakeViolation(*catalog_, 1009, {{"detail", c.id}})}).dump()};
      }
      Json replay = Json::parse(previous->second);
      if (previous_seq) replay["seq"] = previous_seq;
      replay["replayed"] = true;
      return CommandResult{true, replay.dump()};
    }
  }
  auto person = Person(c.Subject());
  if (!person.ok()) return person.status();
  PersonHistory* history = *person;
  PersonView view(*history, std::nullopt);
  // A marking on a named project reads the run-time projects too (docs/decisions/0039).
  std::optional<PersonView> projects;
  if (NamesProject(c)) {
    auto subject = Person(kProjectSubject);
    if (!subject.ok()) return subject.status();
    projects.emplace(**subject, std::nullopt);
  }
  std::vector<Violation> violations = Validate(*catalog_, view, c, projects ? &*projects : nullptr);
  if (!violations.empty()) return CommandResult{false, Rejected(parsed, violations).dump()};

  int64_t next_entity_before = history->next_entity_id;
  std::vector<Fact> facts = PlanFacts(*catalog_, c, view, history);
  // DFDG's own actions: triggered facts join the command's facts; messages are written after Append.
  std::vector<store::OutboxMessage> messages;
  if (automation_ && c.cpr) {  // DFDG's own actions concern persons, not the project subject
    for (Fact& f : automation::TriggeredFacts(*catalog_, *automation_, view, c, facts)) facts.push_back(std::move(f));
    messages = notify::Messages(*catalog_, *automation_, view, c, facts);
  }
  store::CommandRecord record{0, c.id, c.Subject(), FormatDate(c.registered), parsed.name, c.canonical, ""};
  // Accepted results are written as JSON text directly (the bulk-import path; docs/commands.md shape).
  auto render = [&](int64_t seq) { return RenderAccepted(*catalog_, parsed, record.registered_at, facts, seq); };
  // The full result is kept for commands with an idempotency id, so a repeat can return it.
  if (!c.id.empty()) record.result = render(0);
  Status s = store_->Append(c.Subject(), history->version, history->next_entity_id, &facts, &record);
  if (!s.ok()) {
    history->next_entity_id = next_entity_before;
    return s;
  }
  if (!messages.empty()) {
    for (size_t i = 0; i < messages.size(); ++i) {
      messages[i].command_seq = record.seq;
      messages[i].id = std::to_string(record.seq) + "-" + std::to_string(i + 1);
    }
    // A failure here fails the batch, which rolls back the command's facts too.
    if (Status o = store_->AppendOutbox(&messages); !o.ok()) return o;
  }
  history->version += 1;
  for (Fact& f : facts) history->facts.push_back(f);
  std::string result = render(record.seq);
  if (!c.id.empty()) batch_ids_[c.id] = {c.canonical, result};
  return CommandResult{true, std::move(result)};
}

Result<std::vector<CommandResult>> Registry::RunBatch(const std::vector<ParsedCommand>& parsed,
                                                      const BeforeCommit& before_commit) {
  Flush();
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto others_wrote = store_->Begin();
    if (!others_wrote.ok()) return others_wrote.status();
    if (*others_wrote || attempt > 0) cache_.clear();
    batch_ids_.clear();
    std::vector<std::string> uncached, ids;
    for (const ParsedCommand& p : parsed) {
      if (p.command && !cache_.count(p.command->Subject())) uncached.push_back(p.command->Subject());
      if (p.command && NamesProject(*p.command) && !cache_.count(kProjectSubject)) uncached.push_back(kProjectSubject);
      if (p.command && !p.command->id.empty()) ids.push_back(p.command->id);
    }
    Status prefetched = store_->Prefetch(uncached);
    if (prefetched.ok()) prefetched = store_->PrefetchCommands(ids);
    if (!prefetched.ok()) {
      store_->Rollback();
      return prefetched;
    }
    std::vector<CommandResult> results;
    results.reserve(parsed.size());
    Status failure;
    for (const ParsedCommand& p : parsed) {
      auto result = ExecuteOne(p);
      if (!result.ok()) {
        failure = result.status();
        break;
      }
      results.push_back(std::move(result).value());
    }
    failure = FinishBatch(failure, results, before_commit);
    if (failure.ok()) return results;
    if (failure.code() != Status::Code::kConflict) return failure;
  }
  return Status::Conflict("the batch conflicted with another writer twice");
}

Status Registry::FinishBatch(Status failure, const std::vector<CommandResult>& results,
                             const BeforeCommit& before_commit, std::chrono::steady_clock::time_point* since) {
  auto lap = [since](std::atomic<uint64_t>* counter) {
    if (since) staged::Lap(counter, since);
  };
  if (failure.ok() && before_commit) failure = before_commit(results);
  lap(&ProcessStageTimes().before_commit_ns);
  if (failure.ok()) {
    failure = store_->Commit();
    lap(&ProcessStageTimes().commit_ns);
    if (failure.ok()) return failure;
  }
  store_->Rollback();
  cache_.clear();
  return failure;
}

Result<std::vector<Json>> Registry::ExecuteBatch(const std::vector<nlohmann::json>& commands) {
  return ExecuteBatch(commands, {});
}

Result<std::vector<Json>> Registry::ExecuteBatch(const std::vector<nlohmann::json>& commands,
                                                 const BeforeCommit& before_commit) {
  Date today = clock_->Today();
  std::vector<ParsedCommand> parsed;
  parsed.reserve(commands.size());
  for (const auto& object : commands) parsed.push_back(ParseCommand(*catalog_, object, today));
  auto results = RunBatch(parsed, before_commit);
  if (!results.ok()) return results.status();
  std::vector<Json> out;
  for (const auto& r : *results) out.push_back(Json::parse(r.json));
  return out;
}

Result<std::vector<CommandResult>> Registry::ExecuteLines(const std::vector<std::string>& lines) {
  return RunBatch(ParseLines(lines));
}

std::vector<ParsedCommand> Registry::ParseLines(const std::vector<std::string>& lines) const {
  Date today = clock_->Today();
  std::vector<ParsedCommand> parsed;
  parsed.reserve(lines.size());
  for (const auto& line : lines) parsed.push_back(ParseCommandLine(*catalog_, line, today));
  return parsed;
}

Result<std::vector<CommandResult>> Registry::ExecuteParsed(const std::vector<ParsedCommand>& parsed) {
  return RunBatch(parsed);
}

namespace {

// The person of a read: `loaded` when it is that person's, else loaded from `store` into `own`.
Result<const PersonHistory*> ReadPerson(store::Store& store, const std::string& digits, const PersonHistory* loaded,
                                        std::optional<PersonHistory>* own) {
  if (loaded && loaded->cpr == digits) return loaded;
  auto history = store.LoadPerson(digits);
  if (!history.ok()) return history.status();
  own->emplace(std::move(history).value());
  return &**own;
}

}  // namespace

Result<Json> Registry::PersonStatus(const std::string& cpr_text, Date date, std::optional<Date> known_at,
                                    std::optional<std::chrono::sys_seconds> now, const PersonHistory* loaded) {
  Flush();
  auto cpr = Cpr::Parse(cpr_text);
  if (!cpr.ok()) return cpr.status();
  std::optional<PersonHistory> own;
  auto history = ReadPerson(*store_, cpr->digits(), loaded, &own);
  if (!history.ok()) return history.status();
  return BuildStatus(*catalog_, **history, cpr->Masked(), date, known_at, now);
}

Result<Json> Registry::RecordHistory(const std::string& cpr_text, const std::string& record_type, int64_t entity_id,
                                     std::optional<Date> known_at, std::optional<RecordReader> reader,
                                     const PersonHistory* loaded) {
  Flush();
  auto cpr = Cpr::Parse(cpr_text);
  if (!cpr.ok()) return cpr.status();
  if (!record_type.empty() && !catalog_->FindRecordType(record_type)) {
    return Status::NotFound("unknown record type '" + record_type + "'");
  }
  std::optional<PersonHistory> own;
  auto history = ReadPerson(*store_, cpr->digits(), loaded, &own);
  if (!history.ok()) return history.status();
  return RecordHistoryJson(*catalog_, **history, cpr->Masked(), record_type, entity_id, known_at, reader);
}

Result<Json> Registry::CitizenRecords(const std::string& cpr_text, Date date, const PersonHistory* loaded) {
  Flush();
  auto cpr = Cpr::Parse(cpr_text);
  if (!cpr.ok()) return cpr.status();
  std::optional<PersonHistory> own;
  auto history = ReadPerson(*store_, cpr->digits(), loaded, &own);
  if (!history.ok()) return history.status();
  return CitizenRecordsJson(*catalog_, **history, cpr->Masked(), date);
}

Result<Json> Registry::LookupRecords(const std::string& cpr_text, const std::string& record_type,
                                     const std::string& purpose, Date date, catalog::Channel channel,
                                     const PersonHistory* loaded) {
  Flush();
  auto cpr = Cpr::Parse(cpr_text);
  if (!cpr.ok()) return cpr.status();
  const catalog::RecordType* type = catalog_->FindRecordType(record_type);
  if (!type) return Status::NotFound("unknown record type '" + record_type + "'");
  if (!type->lookup) return Status::InvalidArgument("record type '" + record_type + "' has no lookup");
  const auto& channels = type->lookup->channels;
  if (std::find(channels.begin(), channels.end(), channel) == channels.end()) {
    return Status::InvalidArgument(std::string("channel '") + catalog::ChannelKey(channel) + "' may not look up '" +
                                   record_type + "'");
  }
  const catalog::RecordCode* code = LookupPurpose(*type, purpose);
  if (!code) {
    return Status::InvalidArgument(purpose.empty() ? std::string("a lookup needs its purpose (begrundelse)")
                                                   : "unknown purpose '" + purpose + "' (" +
                                                         type->lookup->purpose_code_list + ")");
  }
  std::optional<PersonHistory> own;
  auto history = ReadPerson(*store_, cpr->digits(), loaded, &own);
  if (!history.ok()) return history.status();
  return LookupRecordsJson(*catalog_, *type, **history, cpr->Masked(), *code, date);
}

}  // namespace dfdg::registry
