#include "api/writer.h"

#include <chrono>
#include <ctime>
#include <random>
#include <thread>
#include <unordered_map>

#include "core/cpr.h"
#include "registry/akasse_rules.h"
#include "registry/command.h"
#include "registry/person.h"

namespace dfdg::api {

constexpr size_t kMaxGroupCommands = 4096;
// A group that conflicts with other processes this often (each attempt already retries once inside the
// registry) fails with 503; between attempts a random pause of 1-8 ms lets the other writer finish.
constexpr int kMaxConflictAttempts = 25;

uint64_t Nanos(std::chrono::steady_clock::time_point since) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - since).count());
}

void ConflictPause() {
  thread_local std::minstd_rand rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::microseconds(1000 + rng() % 7000));
}

std::string CommandCprDigits(const nlohmann::json& command) {
  if (!command.is_object() || !command.contains("cpr") || !command["cpr"].is_string()) return "";
  auto cpr = Cpr::Parse(command["cpr"].get<std::string>());
  return cpr.ok() ? cpr->digits() : "";
}

std::string ProjectAuditSubject(const nlohmann::json& command) {
  if (!command.is_object()) return "";
  auto name = command.find("command");
  auto project = command.find("project");
  if (name == command.end() || !name->is_string() || project == command.end() || !project->is_string()) return "";
  const std::string n = name->get<std::string>();
  if (n != "create_project" && n != "close_project" && n != "correct_project") return "";
  return std::string(registry::kProjectSubject).append("/").append(project->get<std::string>());
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

struct Writer::Ticket {
  Job job;
  JobOutcome outcome;              // written before `done`
  bool done = false;               // under done_mu_
  std::atomic<uint64_t> group{0};  // the number of the group that took the job (0: still queued), set under mu_
};

struct Writer::Group {
  uint64_t number = 0;
  std::vector<std::shared_ptr<Ticket>> tickets;
  std::vector<JobOutcome> outcomes;
  std::vector<std::pair<size_t, size_t>> slots;  // per batch command: (job, command in the job)
  std::atomic<bool> answered{false};
};

Writer::Writer(registry::Registry* registry, store::Store* store, const AccessRules* rules, const Clock* clock)
    : registry_(registry), store_(store), rules_(rules), clock_(clock), thread_([this] { Loop(); }) {}

Writer::~Writer() { Stop(); }

std::shared_ptr<Writer::Ticket> Writer::Submit(Job job) {
  auto ticket = std::make_shared<Ticket>();
  ticket->job = std::move(job);
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      ticket->outcome.store_failed = true;
      std::lock_guard done(done_mu_);
      ticket->done = true;
      return ticket;
    }
    queue_.push_back(ticket);
  }
  cv_.notify_one();
  return ticket;
}

std::optional<JobOutcome> Writer::Wait(const std::shared_ptr<Ticket>& ticket, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(done_mu_);
  while (!ticket->done) {
    // taken_ before group: a job still queued when `taken` was read goes into group taken + 1 or later, so this
    // waits on its group's variable or an earlier one's (then wakes spuriously and looks again).
    uint64_t taken = taken_.load();
    uint64_t group = ticket->group.load();
    if (group == 0) group = taken + 1;
    if (done_cv_[group % 4].wait_until(lock, deadline) == std::cv_status::timeout && !ticket->done) {
      return std::nullopt;
    }
  }
  return std::move(ticket->outcome);
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

void Writer::Answer(Group* group, bool failed) {
  if (group->answered.exchange(true)) return;
  auto t = std::chrono::steady_clock::now();
  for (size_t j = 0; j < group->tickets.size(); ++j) {
    group->tickets[j]->outcome = std::move(group->outcomes[j]);
    if (failed) group->tickets[j]->outcome.store_failed = true;
  }
  {
    std::lock_guard lock(done_mu_);
    for (auto& ticket : group->tickets) ticket->done = true;
  }
  done_cv_[group->number % 4].notify_all();
  stats_.respond_ns += Nanos(t);
}

void Writer::Loop() {
  while (true) {
    auto group = std::make_shared<Group>();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping and drained
      group->number = taken_ + 1;
      size_t commands = 0;
      while (!queue_.empty() && (group->tickets.empty() || commands < kMaxGroupCommands)) {
        commands += queue_.front()->job.commands.size();
        queue_.front()->group = group->number;
        group->tickets.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      taken_ = group->number;  // after the tickets' numbers (Wait reads them in the other order)
    }
    try {
      RunGroup(group);
    } catch (const std::exception&) {
      // A bug must not stop the writer: the group's requests fail (503) and nothing of it is answered twice.
      registry_->Flush();
      Answer(group.get(), true);
    }
  }
  registry_->Flush();  // the last group's commit
}

std::string ProjectOwnerOf(const nlohmann::json& command) {
  if (!command.is_object()) return "";
  auto text = [&](const char* key) {
    auto it = command.find(key);
    return it != command.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string kind = text("project_kind"), owner = text("owner");
  if (kind.empty() && owner.empty()) return "";
  // A municipality code as the registry stores it (no leading zeros; registry/planner.cc).
  bool digits = !owner.empty() && owner.size() <= 4 && owner.find_first_not_of("0123456789") == std::string::npos;
  if (kind == "jobcenter" && digits) owner = std::to_string(std::stoi(owner));
  return kind + "/" + owner;
}

PersonRelationFacts RelationOf(const registry::PersonView& person, Date today) {
  PersonRelationFacts facts;
  // The current myndighedstilknytning and a-kasse membership, as everything registered shows them today.
  if (const registry::Fact* m = person.On(registry::FactKind::kMunicipality, today)) facts.municipality = m->code;
  // set_akasse or the akasse_membership record current today (registry/akasse_rules.h).
  if (auto akasse = registry::AkasseOn(person, today)) facts.akasse = *akasse;
  return facts;
}

std::string AnswerRead(const Job& job, const AccessRules& rules, Date today, registry::Registry& registry,
                       store::Store& store, JobOutcome* out,
                       std::unordered_map<std::string, PersonRelationFacts>* relations) {
  bool allowed = job.checks_itself;
  std::optional<registry::PersonHistory> person;  // as the access check loaded it
  if (!job.checks_itself) {
    const PersonRelationFacts* cached = nullptr;
    if (relations) {
      if (auto it = relations->find(job.cpr); it != relations->end()) cached = &it->second;
    }
    PersonRelationFacts relation = cached ? *cached : PersonRelationFacts{};
    if (!cached && !job.cpr.empty()) {
      auto history = store.LoadPerson(job.cpr);
      if (history.ok()) {
        relation = RelationOf(registry::PersonView(*history, std::nullopt), today);
        person.emplace(std::move(history).value());  // the read's person: loaded once per read
      }
      if (relations) relations->emplace(job.cpr, relation);
    }
    allowed = rules.Check(*job.system, job.resource, false, relation, false, "", today).allowed;
  }
  if (!allowed) {
    out->read_refused = true;
    return "refused";
  }
  auto [status, body] = job.read(registry, store, job.cpr, person ? &*person : nullptr);
  out->read_status = status;
  out->read_body = std::move(body);
  out->read_refused = (job.checks_itself || job.refuses_itself) && status == 403;
  return status < 300 ? "read" : out->read_refused ? "refused" : "not_found";
}

void Writer::RunGroup(std::shared_ptr<Group> group) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<JobOutcome>& outcomes = group->outcomes;
  outcomes.resize(group->tickets.size());
  std::vector<nlohmann::json> batch;
  // Per batch command: its job and command index, and what the access check needs besides the person.
  struct Origin {
    size_t job = 0, command = 0;
    std::string name;  // the command's name ("" when missing)
    bool creating_akasse = false;
    int named_municipality = 0;  // the municipality a set_municipality names (§ 16 stk. 5 takes_over), else 0
    std::string cpr;             // digits, "" when missing or malformed
    std::string project_owner;   // a project command's "<project_kind>/<owner>" (access relation project_owner)
    std::string audit_subject;   // the audit row's subject: the CPR digits, or "projekter/<id>" for a project line
  };
  std::vector<Origin> origin;
  std::vector<audit::AuditEntry> audit_rows;  // reads' rows; the writes' are added inside the transaction
  Date today = clock_->Today();               // the day the areas' declarations are read for
  std::string now = UtcNow();
  auto audit_row = [&](const Job& job, const std::string& cpr, const std::string& outcome) {
    return audit::AuditEntry{
        0, now, job.system->id, job.system->controller, cpr, job.operation, outcome, job.request_id, ""};
  };
  std::unordered_map<std::string, PersonRelationFacts> relations;  // reads: per person, loaded once per group
  bool flushed = false;
  for (size_t j = 0; j < group->tickets.size(); ++j) {
    Job& job = group->tickets[j]->job;
    JobOutcome& out = outcomes[j];
    if (!job.write && !job.answer_audit.empty()) {
      // Answered on a reader (AnswerRead): only its audit row, answered after the group's commit.
      out = std::move(job.answer);
      audit_rows.push_back(audit_row(job, job.cpr, job.answer_audit));
      continue;
    }
    if (!job.write) {
      // Reads against the committed state, before this group's writes (whose answers have not left yet): after
      // the commit in flight, which also frees the store for this thread.
      auto tr = std::chrono::steady_clock::now();
      if (!flushed) registry_->Flush();
      flushed = true;
      std::string audited = AnswerRead(job, *rules_, today, *registry_, *store_, &out, &relations);
      audit_rows.push_back(audit_row(job, job.cpr, audited));
      stats_.read_ns += Nanos(tr);
      continue;
    }
    out.refused.assign(job.commands.size(), false);
    out.results.assign(job.commands.size(), std::string());
    for (size_t c = 0; c < job.commands.size(); ++c) {
      Origin o{j, c, "", false, 0, CommandCprDigits(job.commands[c]), "", ""};
      const nlohmann::json& command = job.commands[c];
      if (command.is_object()) {
        auto it = command.find("command");
        if (it != command.end() && it->is_string()) o.name = it->get<std::string>();
        auto named = command.find("municipality");
        if (o.name == "set_municipality" && named != command.end() && named->is_number_integer()) {
          o.named_municipality = named->get<int>();
        }
      }
      o.project_owner = ProjectOwnerOf(command);
      o.audit_subject = o.cpr.empty() ? ProjectAuditSubject(command) : o.cpr;
      // A membership is begun by set_akasse or by the a-kasse's intake report (§ 61).
      o.creating_akasse = o.name == "set_akasse" || o.name == "register_akasse_intake";
      group->slots.emplace_back(j, c);
      origin.push_back(std::move(o));
      batch.push_back(std::move(job.commands[c]));
    }
  }
  // The access check of each write, on a validation thread, against the person as the group's earlier commands
  // left it (registry.h Admit): the registry refuses what the rules refuse, before validating it.
  std::thread::id writer = std::this_thread::get_id();
  std::atomic<bool> helper_admitted{false};  // some command was admitted on a validation thread (stats)
  auto admit = [&](size_t i, const registry::PersonView* person) {
    const Origin& o = origin[i];
    const Job& job = group->tickets[o.job]->job;
    PersonRelationFacts relation = person ? RelationOf(*person, today) : PersonRelationFacts{};
    // A batch names its subject in the header (job.cpr; Jobnet: the citizen): a line for another person is not self.
    relation.self = job.cpr.empty() || job.cpr == o.cpr;
    relation.project_owner = o.project_owner;
    if (std::this_thread::get_id() != writer) helper_admitted.store(true, std::memory_order_relaxed);
    return rules_
        ->Check(*job.system, job.resource, true, relation, o.creating_akasse, o.name, today, o.named_municipality)
        .allowed;
  };
  // The audit rows of the group: the reads', then one per write with a CPR or a project (subject
  // "projekter/<id>", docs/decisions/0044), inside the batch's transaction.
  auto write_audit = [&](const std::vector<registry::CommandResult>& results) {
    std::vector<audit::AuditEntry> rows = audit_rows;
    rows.reserve(rows.size() + results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      if (origin[i].audit_subject.empty()) continue;
      const registry::CommandResult& r = results[i];
      const char* outcome = r.refused                                               ? "refused"
                            : !r.accepted                                           ? "rejected"
                            : r.json.find("\"replayed\":true") != std::string::npos ? "replayed"
                                                                                    : "accepted";
      rows.push_back(audit_row(group->tickets[origin[i].job]->job, origin[i].audit_subject, outcome));
    }
    return store_->AppendAudit(rows);
  };
  stats_.prepare_ns += Nanos(t0);
  // A group of reads only still commits its audit rows: through the registry with an empty batch, so a write
  // by another process since the last commit still drops the registry's cached histories.
  if (batch.empty() && audit_rows.empty()) {
    Answer(group.get(), false);
    return;
  }
  // On the committer thread once the group's commit is durable (or failed): the results into the jobs' outcomes.
  auto durable = [this, group](const Result<std::vector<registry::CommandResult>>& results) {
    if (!results.ok()) {
      Answer(group.get(), true);
      return;
    }
    size_t n = results->size();
    if (n > 0) {
      stats_.commits++;
      stats_.committed_commands += n;
      int bucket = n <= 1 ? 0 : n <= 4 ? 1 : n <= 16 ? 2 : n <= 64 ? 3 : n <= 256 ? 4 : n <= 1024 ? 5 : 6;
      stats_.batch_hist[bucket]++;
    }
    for (size_t i = 0; i < n; ++i) {
      auto [job, command] = group->slots[i];
      JobOutcome& out = group->outcomes[job];
      out.refused[command] = (*results)[i].refused;
      out.results[command] = (*results)[i].json;
    }
    Answer(group.get(), false);
  };
  auto te = std::chrono::steady_clock::now();
  Status handed = registry_->ExecuteAdmittedAsync(batch, admit, write_audit, durable);
  for (int attempt = 1; !handed.ok() && handed.code() == Status::Code::kConflict && attempt < kMaxConflictAttempts;
       ++attempt) {
    stats_.conflict_retries++;
    ConflictPause();
    handed = registry_->ExecuteAdmittedAsync(batch, admit, write_audit, durable);
  }
  stats_.execute_ns += Nanos(te);
  if (helper_admitted && !batch.empty()) stats_.parallel_commits++;
  if (!handed.ok()) Answer(group.get(), true);
}

}  // namespace dfdg::api
