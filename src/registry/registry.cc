#include "registry/registry.h"

#include "registry/planner.h"
#include "registry/status_report.h"
#include "registry/validator.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::ordered_json;

Json Rejected(const ParsedCommand& parsed, const std::vector<Violation>& violations) {
  Json out{{"status", "rejected"}, {"command", parsed.name}};
  if (!parsed.id.empty()) out["id"] = parsed.id;
  if (!parsed.masked_cpr.empty()) out["cpr"] = parsed.masked_cpr;
  Json list = Json::array();
  for (const Violation& v : violations) list.push_back(v.ToJson());
  out["violations"] = list;
  return out;
}

Json Stored(const Fact& f) {
  Json out{{"entity_id", f.entity_id}, {"kind", FactKindKey(f.kind)}, {"seq", f.seq}};
  if (f.deleted) out["corrected"] = true;
  out["start"] = FormatDate(f.start);
  out["end"] = f.end ? Json(FormatDate(*f.end)) : Json(nullptr);
  switch (f.kind) {
    case FactKind::kAbsence:
      out["reason"] = f.code;
      break;
    case FactKind::kContactGroup:
      out["contact_group"] = f.code;
      break;
    case FactKind::kJobseeker:
      out["category"] = f.code;
      break;
    case FactKind::kMunicipality:
      out["municipality"] = f.code;
      break;
    case FactKind::kVisitation:
    case FactKind::kAkasse:
    case FactKind::kMarking:
    case FactKind::kInterview:
      out["value"] = f.text;
      break;
  }
  return out;
}

}  // namespace

Registry::Registry(std::shared_ptr<const catalog::Catalog> catalog, store::Store* store, const Clock* clock)
    : catalog_(std::move(catalog)), store_(store), clock_(clock) {}

Result<PersonHistory*> Registry::Person(const std::string& cpr) {
  auto it = cache_.find(cpr);
  if (it != cache_.end()) return &it->second;
  auto loaded = store_->LoadPerson(cpr);
  if (!loaded.ok()) return loaded.status();
  return &cache_.emplace(cpr, std::move(loaded).value()).first->second;
}

Result<Json> Registry::ExecuteOne(const ParsedCommand& parsed) {
  if (!parsed.command) return Rejected(parsed, parsed.violations);
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
        return Rejected(parsed, {MakeViolation(*catalog_, 1009, {{"detail", c.id}})});
      }
      Json replay = Json::parse(previous->second);
      if (previous_seq) replay["seq"] = previous_seq;
      replay["replayed"] = true;
      return replay;
    }
  }
  auto person = Person(c.cpr->digits());
  if (!person.ok()) return person.status();
  PersonHistory* history = *person;
  PersonView view(*history, std::nullopt);
  std::vector<Violation> violations = Validate(*catalog_, view, c);
  if (!violations.empty()) return Rejected(parsed, violations);

  int64_t next_entity_before = history->next_entity_id;
  std::vector<Fact> facts = PlanFacts(c, view, history);
  Json result{{"status", "accepted"}, {"command", parsed.name}};
  if (!c.id.empty()) result["id"] = c.id;
  result["cpr"] = c.cpr->Masked();
  result["registered_at"] = FormatDate(c.registered);
  result["catalog_version"] = catalog_->version();
  store::CommandRecord record{0, c.id, c.cpr->digits(), FormatDate(c.registered), parsed.name, c.canonical, ""};
  // The stored result cannot know its own seq before the insert; it is completed below and the record's
  // copy carries the facts without seq (seq is in the facts table).
  Json stored = Json::array();
  for (const Fact& f : facts) stored.push_back(Stored(f));
  result["stored"] = stored;
  record.result = result.dump();
  Status s = store_->Append(c.cpr->digits(), history->version, history->next_entity_id, &facts, &record);
  if (!s.ok()) {
    history->next_entity_id = next_entity_before;
    return s;
  }
  history->version += 1;
  for (Fact& f : facts) history->facts.push_back(f);
  result["seq"] = record.seq;
  for (size_t i = 0; i < facts.size(); ++i) result["stored"][i]["seq"] = facts[i].seq;
  if (!c.id.empty()) batch_ids_[c.id] = {c.canonical, result.dump()};
  return result;
}

Result<std::vector<Json>> Registry::RunBatch(const std::vector<ParsedCommand>& parsed) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto others_wrote = store_->Begin();
    if (!others_wrote.ok()) return others_wrote.status();
    if (*others_wrote || attempt > 0) cache_.clear();
    batch_ids_.clear();
    std::vector<Json> results;
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
    if (failure.ok()) {
      Status s = store_->Commit();
      if (s.ok()) return results;
      failure = s;
    }
    store_->Rollback();
    cache_.clear();
    if (failure.code() != Status::Code::kConflict) return failure;
  }
  return Status::Conflict("the batch conflicted with another writer twice");
}

Result<std::vector<Json>> Registry::ExecuteBatch(const std::vector<nlohmann::json>& commands) {
  Date today = clock_->Today();
  std::vector<ParsedCommand> parsed;
  parsed.reserve(commands.size());
  for (const auto& object : commands) parsed.push_back(ParseCommand(*catalog_, object, today));
  return RunBatch(parsed);
}

Result<std::vector<Json>> Registry::ExecuteLines(const std::vector<std::string>& lines) {
  Date today = clock_->Today();
  std::vector<ParsedCommand> parsed;
  parsed.reserve(lines.size());
  for (const auto& line : lines) parsed.push_back(ParseCommandLine(*catalog_, line, today));
  return RunBatch(parsed);
}

Result<Json> Registry::PersonStatus(const std::string& cpr_text, Date date, std::optional<Date> known_at) {
  auto cpr = Cpr::Parse(cpr_text);
  if (!cpr.ok()) return cpr.status();
  auto history = store_->LoadPerson(cpr->digits());
  if (!history.ok()) return history.status();
  return BuildStatus(*catalog_, *history, cpr->Masked(), date, known_at);
}

}  // namespace dfdg::registry
