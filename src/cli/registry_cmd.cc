// `dfdg apply` (JSON Lines of commands → JSON Lines of results), `dfdg status`, `dfdg history`, `dfdg lookup`
// and `dfdg projects list|show` (the run-time person-group projects, docs/decisions/0044).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>

#include "api/writer.h"
#include "cli/cli.h"
#include "core/cpr.h"
#include "registry/project_report.h"
#include "registry/registry.h"
#include "registry/status_report.h"
#include "store/open_store.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::cli {
namespace {

struct RegistryOptions {
  std::string db = "dfdg.db";
  std::string read_db;
  std::string input = "-";
  size_t batch = 10000;
  std::string cpr;
  std::string date;
  std::string known_at;
  bool json = false;
  std::string record_type;
  int64_t entity_id = 0;
  bool citizen = false;
  std::string project;
  std::string akasse;   // dfdg lookup: the asking a-kasse's code
  std::string purpose;  // dfdg lookup: the purpose code (begrundelse)
};

// `location` is a SQLite file or a postgresql:// URL (store/open_store.h).
std::unique_ptr<store::Store> OpenStore(Context& context, const std::string& location,
                                        const std::string& read_location = "") {
  auto store = store::OpenStore(location, read_location);
  if (!store.ok()) {
    std::cerr << "dfdg: " << store.status().message() << "\n";
    context.exit_code = 5;
    return nullptr;
  }
  return std::move(store).value();
}

// Reads the date option `text` (called `name` in the error) into `*out` when it is given; an empty option leaves
// `*out` as it is. False, with the error on stderr and exit code 1, when it is not a date. `T` is Date or
// std::optional<Date>.
template <typename T>
bool ReadDateOption(Context& context, const std::string& text, const char* name, T* out) {
  if (text.empty()) return true;
  auto parsed = ParseDate(text);
  if (!parsed.ok()) {
    std::cerr << "dfdg: " << name << ": " << parsed.status().message() << "\n";
    context.exit_code = 1;
    return false;
  }
  *out = *parsed;
  return true;
}

void RunApply(Context& context, const RegistryOptions& options) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  auto automation = LoadAutomationRules(context, *catalog);
  if (context.exit_code != 0) return;
  auto store = OpenStore(context, options.db);
  if (!store) return;
  registry::Registry registry(catalog, store.get(), context.clock.get());
  registry.SetAutomation(automation);  // DFDG's own actions and the outbox (docs/automation.md)

  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.input != "-") {
    file.open(options.input);
    if (!file) {
      std::cerr << "dfdg: cannot read '" << options.input << "'\n";
      context.exit_code = 1;
      return;
    }
    in = &file;
  }
  std::ios::sync_with_stdio(false);
  size_t line_no = 0, accepted = 0, rejected = 0;

  // Reads the next batch of non-empty lines; false at end of input.
  struct Batch {
    std::vector<std::string> lines;
    std::vector<size_t> numbers;
  };
  auto read_batch = [&](Batch* batch) {
    std::string line;
    while (batch->lines.size() < options.batch && std::getline(*in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      batch->lines.push_back(std::move(line));
      batch->numbers.push_back(line_no);
    }
    return !batch->lines.empty();
  };
  // Pipeline on two cores: while batch N executes (validation + SQLite, this thread), a helper task writes the
  // results of batch N-1 (already committed) and reads and parses batch N+1. Tasks run one after another,
  // so results come out in input order.
  Batch current;
  if (!read_batch(&current)) {
    std::cerr << "dfdg apply: 0 accepted, 0 rejected\n";
    return;
  }
  std::vector<registry::ParsedCommand> parsed = registry.ParseLines(current.lines);
  auto write_results = [&](const std::vector<registry::CommandResult>& results, const std::vector<size_t>& numbers) {
    std::string buffer;
    buffer.reserve(results.size() * 256);
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& result = results[i];
      (result.accepted ? accepted : rejected)++;
      // {"line":N, then the result's own fields.
      const std::string& body = result.json;
      buffer += "{\"line\":";
      buffer += std::to_string(numbers[i]);
      if (body.size() > 2) buffer += ',';
      buffer.append(body, 1, std::string::npos);
      buffer += '\n';
    }
    std::cout << buffer;
    std::cout.flush();
  };
  std::vector<registry::CommandResult> previous_results;
  std::vector<size_t> previous_numbers;
  double execute_seconds = 0, wait_seconds = 0;
  while (true) {
    Batch next;
    auto next_parsed = std::async(std::launch::async, [&]() {
      write_results(previous_results, previous_numbers);
      read_batch(&next);
      return registry.ParseLines(next.lines);
    });
    auto t0 = std::chrono::steady_clock::now();
    auto results = registry.ExecuteParsed(parsed);
    auto t1 = std::chrono::steady_clock::now();
    execute_seconds += std::chrono::duration<double>(t1 - t0).count();
    parsed = next_parsed.get();
    wait_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (!results.ok()) {
      std::cerr << "dfdg: store failure, batch of " << current.lines.size() << " commands from line "
                << current.numbers.front() << " not applied: " << results.status().message() << "\n";
      context.exit_code = 5;
      return;
    }
    previous_results = std::move(results).value();
    previous_numbers = std::move(current.numbers);
    if (next.lines.empty()) break;
    current = std::move(next);
  }
  write_results(previous_results, previous_numbers);
  std::cerr << "dfdg apply: " << accepted << " accepted, " << rejected << " rejected\n";
  // A SQLite registry: move the WAL into the database file now, so that the next process (e.g. `measure --db`,
  // which reads the whole registry) neither rebuilds the index of a WAL of up to wal_autocheckpoint pages nor
  // reads those pages from it. Best effort: when another connection is busy, the WAL stays as it is.
  if (auto* sqlite = dynamic_cast<store::SqliteStore*>(store.get())) {
    if (Status st = sqlite->Checkpoint(); !st.ok() && st.code() != Status::Code::kConflict) {
      std::cerr << "dfdg apply: " << st.message() << "\n";
    }
  }
  if (std::getenv("DFDG_APPLY_PROFILE")) {
    std::cerr << "dfdg apply: execute " << execute_seconds << " s, waiting for the reader/writer task " << wait_seconds
              << " s\n";
  }
}

void RunStatus(Context& context, const RegistryOptions& options) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  Date date = context.clock->Today();
  std::optional<std::chrono::sys_seconds> now = context.clock->Now();  // § 89 stk. 4; --date: by the day
  std::optional<Date> known_at;
  if (!options.date.empty()) now.reset();
  if (!ReadDateOption(context, options.date, "--date", &date) ||
      !ReadDateOption(context, options.known_at, "--known-at", &known_at))
    return;
  auto store = OpenStore(context, options.db, options.read_db);
  if (!store) return;
  registry::Registry registry(catalog, store.get(), context.clock.get());
  auto status = registry.PersonStatus(options.cpr, date, known_at, now);
  if (!status.ok()) {
    std::cerr << "dfdg: --cpr: " << status.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  std::cout << (options.json ? status->dump(2) + "\n" : registry::StatusText(*status));
}

// `dfdg history`: the versions of a person's records of declared types, or with --citizen the citizen's view.
void RunHistory(Context& context, const RegistryOptions& options) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  std::optional<Date> known_at;
  Date date = context.clock->Today();
  if (!ReadDateOption(context, options.known_at, "--known-at", &known_at) ||
      !ReadDateOption(context, options.date, "--date", &date))
    return;
  auto store = OpenStore(context, options.db, options.read_db);
  if (!store) return;
  registry::Registry registry(catalog, store.get(), context.clock.get());
  auto result = options.citizen ? registry.CitizenRecords(options.cpr, date)
                                : registry.RecordHistory(options.cpr, options.record_type, options.entity_id, known_at);
  if (!result.ok()) {
    std::cerr << "dfdg: " << result.status().message() << "\n";
    context.exit_code = result.status().code() == Status::Code::kNotFound ? 2 : 1;
    return;
  }
  std::cout << result->dump(2) << "\n";
}

// `dfdg projects list` (`project` empty) and `dfdg projects show --project ID`: the run-time person-group
// projects as JSON (registry/project_report.h). Exit 2 when `show` names no project (as known on --known-at).
void RunProjects(Context& context, const RegistryOptions& options, bool show) {
  registry::ProjectQuery query;
  query.project = options.project;
  query.history = show;
  if (!ReadDateOption(context, options.known_at, "--known-at", &query.known_at) ||
      !ReadDateOption(context, options.date, "--date", &query.exists_on))
    return;
  auto store = OpenStore(context, options.db, options.read_db);
  if (!store) return;
  auto subject = store->LoadPerson(registry::kProjectSubject);
  if (!subject.ok()) {
    std::cerr << "dfdg: " << subject.status().message() << "\n";
    context.exit_code = 5;
    return;
  }
  nlohmann::ordered_json found = registry::ProjectsJson(*subject, query);
  if (!show) {
    std::cout << found.dump(2) << "\n";
    return;
  }
  if (found.empty()) {
    std::cerr << "dfdg: no project '" << options.project << "'\n";
    context.exit_code = 2;
    return;
  }
  nlohmann::ordered_json project = found[0]["versions"].back();
  project["versions"] = found[0]["versions"];
  std::cout << project.dump(2) << "\n";
}

// `dfdg lookup`: an a-kasse's purpose-bound lookup of a person's current records (a record type's `lookup`;
// § 61 stk. 5), written to the store's audit trail with its purpose in the same transaction as the answer is
// read; refused (exit 1) without a known purpose.
void RunLookup(Context& context, const RegistryOptions& options) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  Date date = context.clock->Today();
  if (!ReadDateOption(context, options.date, "--date", &date)) return;
  auto cpr = Cpr::Parse(options.cpr);
  if (!cpr.ok()) {
    std::cerr << "dfdg: --cpr: " << cpr.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  auto store = OpenStore(context, options.db);
  if (!store) return;
  registry::Registry registry(catalog, store.get(), context.clock.get());
  auto result =
      registry.LookupRecords(options.cpr, options.record_type, options.purpose, date, catalog::Channel::kAkasse);
  if (!result.ok()) {
    std::cerr << "dfdg: " << result.status().message() << "\n";
    context.exit_code = result.status().code() == Status::Code::kNotFound ? 2 : 1;
    return;
  }
  // Who (the a-kasse), when, whom and why: the purpose is part of the operation, as GET /v1/Opslag writes it.
  audit::AuditEntry row{
      0,
      api::UtcNow(),
      "cli:akasse/" + options.akasse,
      "A-kasse " + options.akasse,
      cpr->digits(),
      std::string("dfdg lookup?type=").append(options.record_type).append("&begrundelse=").append(options.purpose),
      "read",
      "",
      ""};
  auto begun = store->Begin();
  Status written = begun.ok() ? store->AppendAudit({row}) : begun.status();
  if (written.ok()) {
    written = store->Commit();
  } else if (begun.ok()) {
    store->Rollback();
  }
  if (!written.ok()) {
    std::cerr << "dfdg: the lookup could not be audited: " << written.message() << "\n";
    context.exit_code = 5;
    return;
  }
  std::cout << result->dump(2) << "\n";
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Context& context) {
  auto options = std::make_shared<RegistryOptions>();
  CLI::App* apply = app.add_subcommand("apply", "Apply JSON Lines of registry commands; print one result per line");
  apply->add_option("--db", options->db, "SQLite database file (created if missing) or postgresql:// URL")->required();
  apply->add_option("--input", options->input, "JSON Lines file, - for standard input")->capture_default_str();
  apply->add_option("--batch", options->batch, "Commands per transaction")->check(CLI::Range(1, 1000000));
  apply->callback([&context, options]() { RunApply(context, *options); });

  CLI::App* status = app.add_subcommand("status", "What applies to a person on a date, and why");
  status->add_option("--db", options->db, "SQLite database file or postgresql:// URL")
      ->required()
      ->check(CLI::Validator(
          [](std::string& value) { return store::IsPostgresUrl(value) ? std::string() : CLI::ExistingFile(value); },
          "FILE|URL"));
  status->add_option("--read-db", options->read_db,
                     "postgresql:// URL of a streaming replica to read from (read-your-writes; --db the primary)");
  status->add_option("--cpr", options->cpr, "CPR number")->required();
  status->add_option("--date", options->date, "Date YYYY-MM-DD (default today)");
  status->add_option("--known-at", options->known_at, "As known by the registry on this day");
  status->add_flag("--json", options->json, "JSON instead of Danish text");
  status->callback([&context, options]() { RunStatus(context, *options); });

  CLI::App* history =
      app.add_subcommand("history", "Every version of a person's records of declared types (JSON, docs/records.md)");
  history->add_option("--db", options->db, "SQLite database file or postgresql:// URL")
      ->required()
      ->check(CLI::Validator(
          [](std::string& value) { return store::IsPostgresUrl(value) ? std::string() : CLI::ExistingFile(value); },
          "FILE|URL"));
  history->add_option("--read-db", options->read_db, "postgresql:// URL of a streaming replica to read from");
  history->add_option("--cpr", options->cpr, "CPR number")->required();
  history->add_option("--type", options->record_type, "Only this record type (catalog/records/)");
  history->add_option("--entity", options->entity_id, "Only this entity id")->check(CLI::PositiveNumber);
  history->add_option("--known-at", options->known_at, "Only versions registered on or before this day");
  history->add_flag("--citizen", options->citizen, "The citizen's view (Jobnet) instead of the history");
  history->add_option("--date", options->date, "With --citizen: the day of the view (default today)");
  history->callback([&context, options]() { RunHistory(context, *options); });

  CLI::App* projects = app.add_subcommand("projects", "The own person-group projects created at run time (§ 135)");
  projects->require_subcommand(1);
  auto existing_db = CLI::Validator(
      [](std::string& value) { return store::IsPostgresUrl(value) ? std::string() : CLI::ExistingFile(value); },
      "FILE|URL");
  CLI::App* list = projects->add_subcommand("list", "Every project's current version (JSON)");
  CLI::App* show = projects->add_subcommand("show", "One project: its current version and every version (JSON)");
  for (CLI::App* sub : {list, show}) {
    sub->add_option("--db", options->db, "SQLite database file or postgresql:// URL")->required()->check(existing_db);
    sub->add_option("--read-db", options->read_db, "postgresql:// URL of a streaming replica to read from");
    sub->add_option("--known-at", options->known_at, "As known by the registry on this day");
  }
  list->add_option("--date", options->date, "Only the projects that exist on this day (creation to closing)");
  show->add_option("--project", options->project, "The project id")->required();
  list->callback([&context, options]() { RunProjects(context, *options, false); });
  show->callback([&context, options]() { RunProjects(context, *options, true); });
  CLI::App* lookup = app.add_subcommand(
      "lookup", "An a-kasse's lookup of a person's current records with a purpose, audited (§ 61 stk. 5)");
  lookup->add_option("--db", options->db, "SQLite database file or postgresql:// URL")->required()->check(existing_db);
  lookup->add_option("--cpr", options->cpr, "CPR number")->required();
  lookup->add_option("--akasse", options->akasse, "The asking a-kasse's code (the audit's system)")->required();
  lookup->add_option("--purpose", options->purpose, "Purpose code (begrundelse) of the type's lookup list");
  lookup->add_option("--type", options->record_type, "Record type with a lookup")->default_str("akasse_membership");
  lookup->add_option("--date", options->date, "Date YYYY-MM-DD (default today)");
  lookup->callback([&context, options]() {
    RegistryOptions o = *options;
    if (o.record_type.empty()) o.record_type = "akasse_membership";
    RunLookup(context, o);
  });
}

}  // namespace dfdg::cli
