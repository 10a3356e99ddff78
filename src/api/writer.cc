#include "api/writer.h"

#include <chrono>
#include <ctime>
#include <random>
#include <thread>
#include <unordered_map>

#include "core/cpr.h"
#include "registry/akasse_rules.h"
#include "registry/person.h"

namespace dfdg::api {

constexpr size_t kMaxGroupCommands = 4096;
// A group that conflicts with other processes this often (each attempt already retries once inside the
// registry) fails with 503; between attempts a random pause of 1-8 ms lets the other writer finish.
constexpr int kMaxConflictAttempts = 25;

void ConflictPause() {
  thread_local std::minstd_rand rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::microseconds(1000 + rng() % 7000));
}

std::string CommandCprDigits(const nlohmann::json& command) {
  if (!command.is_object() || !command.contains("cpr") || !command["cpr"].is_string()) return "";
  auto cpr = Cpr::Parse(command["cpr"].get<std::string>());
  return cpr.ok() ? cpr->digits() : "";
}

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  int ms =
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buffer;
}

Writer::Writer(registry::Registry* registry, store::Store* store, const AccessRules* rules, const Clock* clock)
    : registry_(registry), store_(store), rules_(rules), clock_(clock), thread_([this] { Loop(); }) {}

Writer::~Writer() { Stop(); }

std::future<JobOutcome> Writer::Submit(Job job) {
  Pending pending{std::move(job), {}};
  auto future = pending.promise.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      JobOutcome outcome;
      outcome.store_failed = true;
      pending.promise.set_value(std::move(outcome));
      return future;
    }
    queue_.push_back(std::move(pending));
  }
  cv_.notify_one();
  return future;
}

void Writer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

void Writer::Loop() {
  while (true) {
    std::vector<Pending> group;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping and drained
      size_t commands = 0;
      while (!queue_.empty() && (group.empty() || commands < kMaxGroupCommands)) {
        commands += queue_.front().job.commands.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    try {
      RunGroup(&group);
    } catch (const std::exception&) {
      // A bug must not stop the writer: the group's requests fail (503) and nothing of it is answered twice.
      for (Pending& p : group) {
        JobOutcome failed;
        failed.store_failed = true;
        try {
          p.promise.set_value(std::move(failed));
        } catch (const std::future_error&) {
        }
      }
    }
  }
}

PersonRelationFacts Writer::Relation(const std::string& cpr_digits) {
  PersonRelationFacts facts;
  if (cpr_digits.empty()) return facts;
  // The current myndighedstilknytning and a-kasse membership, as everything registered shows them today.
  auto history = store_->LoadPerson(cpr_digits);
  if (!history.ok()) return facts;
  registry::PersonView view(*history, std::nullopt);
  Date today = clock_->Today();
  if (const registry::Fact* m = view.On(registry::FactKind::kMunicipality, today)) facts.municipality = m->code;
  // set_akasse or the akasse_membership record current today (registry/akasse_rules.h).
  if (auto akasse = registry::AkasseOn(view, today)) facts.akasse = *akasse;
  return facts;
}

void Writer::RunGroup(std::vector<Pending>* group) {
  std::vector<JobOutcome> outcomes(group->size());
  std::vector<nlohmann::json> batch;
  std::vector<std::pair<size_t, size_t>> origin;  // batch index -> (job, command)
  std::vector<audit::AuditEntry> audit_rows;
  std::unordered_map<std::string, PersonRelationFacts> relations;
  auto relation = [&](const std::string& cpr) -> const PersonRelationFacts& {
    auto it = relations.find(cpr);
    if (it == relations.end()) it = relations.emplace(cpr, Relation(cpr)).first;
    return it->second;
  };
  Date today = clock_->Today();  // the day the areas' declarations are read for
  auto audit_row = [&](const Job& job, const std::string& cpr, const std::string& outcome) {
    audit_rows.push_back(
        {0, UtcNow(), job.system->id, job.system->controller, cpr, job.operation, outcome, job.request_id, ""});
  };
  for (size_t j = 0; j < group->size(); ++j) {
    Job& job = (*group)[j].job;
    JobOutcome& out = outcomes[j];
    if (!job.write) {
      AccessDecision d = rules_->Check(*job.system, job.resource, false, relation(job.cpr), false, "", today);
      if (!d.allowed) {
        out.read_refused = true;
        audit_row(job, job.cpr, "refused");
        continue;
      }
      auto [status, body] = job.read(*registry_, job.cpr);
      out.read_status = status;
      out.read_body = std::move(body);
      audit_row(job, job.cpr, status < 300 ? "read" : "not_found");
      continue;
    }
    out.refused.assign(job.commands.size(), false);
    out.results.assign(job.commands.size(), nullptr);
    for (size_t c = 0; c < job.commands.size(); ++c) {
      std::string cpr = CommandCprDigits(job.commands[c]);
      const nlohmann::json& name = job.commands[c].is_object() && job.commands[c].contains("command")
                                       ? job.commands[c]["command"]
                                       : nlohmann::json();
      // A membership is begun by set_akasse or by the a-kasse's intake report (§ 61).
      bool creating_akasse = name.is_string() && (name.get<std::string>() == "set_akasse" ||
                                                  name.get<std::string>() == "register_akasse_intake");
      std::string command = name.is_string() ? name.get<std::string>() : std::string();
      AccessDecision d = rules_->Check(*job.system, job.resource, true, relation(cpr), creating_akasse, command, today);
      if (!d.allowed) {
        out.refused[c] = true;
        if (!cpr.empty()) audit_row(job, cpr, "refused");
        continue;
      }
      origin.emplace_back(j, c);
      batch.push_back(std::move(job.commands[c]));
    }
  }
  bool failed = false;
  // A group of reads only still commits its audit rows: through the registry with an empty batch, so a write
  // by another process since the last commit still drops the registry's cached histories.
  if (!batch.empty() || !audit_rows.empty()) {
    // The audit rows of this group's writes, built from the results inside the batch's transaction.
    auto write_audit = [&](const std::vector<registry::CommandResult>& results) {
      std::vector<audit::AuditEntry> rows = audit_rows;
      for (size_t i = 0; i < results.size(); ++i) {
        std::string cpr = CommandCprDigits(batch[i]);
        if (cpr.empty()) continue;
        std::string outcome = !results[i].accepted                                             ? "rejected"
                              : results[i].json.find("\"replayed\":true") != std::string::npos ? "replayed"
                                                                                               : "accepted";
        const Job& job = (*group)[origin[i].first].job;
        rows.push_back(
            {0, UtcNow(), job.system->id, job.system->controller, cpr, job.operation, outcome, job.request_id, ""});
      }
      return store_->AppendAudit(rows);
    };
    auto results = registry_->ExecuteBatch(batch, write_audit);
    for (int attempt = 1;
         !results.ok() && results.status().code() == Status::Code::kConflict && attempt < kMaxConflictAttempts;
         ++attempt) {
      stats_.conflict_retries++;
      ConflictPause();
      results = registry_->ExecuteBatch(batch, write_audit);
    }
    if (!results.ok()) {
      failed = true;
    } else if (!batch.empty()) {
      size_t n = batch.size();
      stats_.commits++;
      stats_.committed_commands += n;
      int bucket = n <= 1 ? 0 : n <= 4 ? 1 : n <= 16 ? 2 : n <= 64 ? 3 : n <= 256 ? 4 : n <= 1024 ? 5 : 6;
      stats_.batch_hist[bucket]++;
      for (size_t i = 0; i < n; ++i) {
        auto [j, c] = origin[i];
        outcomes[j].results[c] = std::move((*results)[i]);
      }
    }
  }
  for (size_t j = 0; j < group->size(); ++j) {
    if (failed) outcomes[j].store_failed = true;
    (*group)[j].promise.set_value(std::move(outcomes[j]));
  }
}

}  // namespace dfdg::api
