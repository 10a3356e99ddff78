// `dfdg serve` (the registry as an HTTP/JSON service, docs/api.md) and `dfdg audit verify|show`.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "api/server.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/cpr.h"
#include "delivery/background.h"
#include "measure/engine.h"
#include "measure/output.h"
#include "measure/snapshot.h"
#include "registry/registry.h"
#include "store/open_store.h"
#include "store/sqlite/sqlite_store.h"

namespace dfdg::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnSignal(int) { g_stop = true; }

struct ServeCliOptions {
  std::string db;
  std::string read_db;
  std::string config;
  std::string audit;
  std::string openapi = DFDG_DEFAULT_OPENAPI;
  std::string stats_db;                        // stored measurement results (docs/statistics.md)
  std::string web_dir = DFDG_DEFAULT_WEB_DIR;  // the bundled statistics page
  std::string measure_input;                   // seed-004 measurement input for /v1/Maaling/forklaring
  std::string measure_snapshot;                // its snapshot (dfdg measure import), optional
  std::string host;
  int port = -1;
  bool plain_http = false;
  bool sandbox = false;
  int sandbox_persons = 500;
  std::string sandbox_list;  // where the sandbox's CPR list goes; default <db>.persons.txt (SQLite)
  std::string cpr;
  std::string project;       // audit show --project: the rows of one own person-group project (docs/decisions/0044)
  bool no_delivery = false;  // docs/delivery.md "In dfdg serve"
  bool no_daily = false;
  std::string daily_at = "00:00";
  int daily_check_seconds = 60;
};

// Loads the measurement input (and rules) once for GET /v1/Maaling/forklaring: the explainer, or an empty
// function when no input is given; nullopt with the error printed and the exit code set when it fails to load.
std::optional<decltype(api::ServeOptions::explain_month)> LoadExplainer(Context& context, const ServeCliOptions& o,
                                                                        const catalog::Catalog& catalog) {
  decltype(api::ServeOptions::explain_month) none;
  if (o.measure_input.empty()) return none;
  auto rules = measure::BuildRules(catalog);
  measure::SnapshotTimes times;
  auto input = !rules.ok()                  ? Result<measure::InputData>(rules.status())
               : o.measure_snapshot.empty() ? measure::ReadInput(o.measure_input)
                                            : measure::ReadSnapshot(o.measure_snapshot, o.measure_input, 2, &times);
  if (input.ok() && !input->problems.empty())
    input = Status::InvalidArgument(input->problems.front().ToString() + " (and " +
                                    std::to_string(input->problems.size() - 1) + " more bad rows)");
  if (!input.ok()) {
    std::cerr << "dfdg serve: --measure-input " << o.measure_input << ": " << input.status().message() << "\n";
    context.exit_code = 1;
    return std::nullopt;
  }
  auto data = std::make_shared<const measure::InputData>(std::move(input).value());
  auto method = std::make_shared<const measure::MethodRules>(std::move(rules).value());
  std::cerr << "dfdg serve: measurement input " << o.measure_input << ": " << data->persons.size() << " persons\n";
  return [data, method](const std::string& cpr, Date month) {
    uint32_t index = 0;
    if (!data->Find(cpr, &index)) return std::pair<int, nlohmann::ordered_json>{404, nullptr};
    measure::PersonMonth m = measure::Explain(*data, *method, index, month);
    return std::pair<int, nlohmann::ordered_json>{200, measure::ExplainJson(*data, m, method->catalog_version)};
  };
}

// Starts delivery (when the config has a delivery: section) and the daily job (when the catalogue has
// automation rules) beside the API, unless disabled. nullptr with exit code set on failure.
std::unique_ptr<delivery::BackgroundJobs> StartBackground(Context& context, const ServeCliOptions& o,
                                                          const std::string& db,
                                                          std::shared_ptr<const catalog::Catalog> catalog,
                                                          std::shared_ptr<const automation::Rules> rules) {
  delivery::BackgroundOptions b;
  b.db = db;
  if (!o.no_delivery && !o.config.empty()) {
    auto config = delivery::LoadDeliveryConfig(o.config, *catalog);
    if (!config.ok()) {
      std::cerr << "dfdg serve: " << config.status().message() << "\n";
      context.exit_code = 1;
      return nullptr;
    }
    b.delivery = std::move(config).value();
  }
  b.daily = !o.no_daily && rules != nullptr;
  b.catalog = std::move(catalog);
  b.rules = std::move(rules);
  b.clock = context.clock.get();
  int hours = 0, minutes = 0;
  if (std::sscanf(o.daily_at.c_str(), "%d:%d", &hours, &minutes) != 2 || hours < 0 || hours > 23 || minutes < 0 ||
      minutes > 59) {
    std::cerr << "dfdg serve: --daily-at must be HH:MM (UTC)\n";
    context.exit_code = 1;
    return nullptr;
  }
  b.daily_at_minutes = hours * 60 + minutes;
  b.daily_check_ms = int64_t{1000} * o.daily_check_seconds;
  b.log = [](const std::string& line) { std::cerr << line + "\n" << std::flush; };
  auto jobs = delivery::BackgroundJobs::Start(std::move(b));
  if (!jobs.ok()) {
    std::cerr << "dfdg serve: " << jobs.status().message() << "\n";
    context.exit_code = 5;
    return nullptr;
  }
  return std::move(jobs).value();
}

// The legacy audit file (before the audit trail moved into the store): --audit, else <db>.audit for a SQLite
// file, else none.
std::string LegacyAuditPath(const ServeCliOptions& o) {
  if (!o.audit.empty()) return o.audit;
  return store::IsPostgresUrl(o.db) ? "" : o.db + ".audit";
}

// Moves a legacy audit file into the store (docs/storage.md "Audit trail"): when the file exists, its chain
// verifies and the store's trail is empty, its rows are appended in one transaction (same seq, same hashes:
// the chain continues unchanged) and the file is renamed to <file>.imported. A file that does not verify, or a
// store that already has a trail, is an error: nothing is changed and the service does not start.
Status ImportLegacyAudit(store::Store& store, const std::string& path) {
  if (path.empty() || !std::filesystem::exists(path)) return Status::Ok();
  auto opened = audit::AuditLog::Open(path);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<audit::AuditLog> legacy = std::move(opened).value();
  auto verified = legacy->Verify();
  if (!verified.ok()) return Status::Corruption("legacy audit file " + path + ": " + verified.status().message());
  auto rows = legacy->All();
  if (!rows.ok()) return rows.status();
  auto head = store.AuditHead();
  if (!head.ok()) return head.status();
  if (head->seq != 0 && !rows->empty()) {
    return Status::InvalidArgument("legacy audit file " + path +
                                   " exists but the store already keeps an audit trail; verify it with "
                                   "`dfdg audit verify --audit " +
                                   path + "` and move it away");
  }
  if (!rows->empty()) {
    auto began = store.Begin();
    if (!began.ok()) return began.status();
    Status s = store.AppendAudit(*rows);
    if (s.ok()) {
      s = store.Commit();
    } else {
      store.Rollback();
    }
    if (!s.ok()) return s;
    head = store.AuditHead();
    if (!head.ok()) return head.status();
    if (head->hash != legacy->head()) return Status::Corruption("imported audit chain has a different head");
  }
  legacy.reset();
  std::error_code error;
  std::filesystem::rename(path, path + ".imported", error);
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix, error);
  std::cerr << "dfdg serve: " << rows->size() << " audit rows moved from " << path
            << " into the store (file renamed to " << path << ".imported)\n";
  return Status::Ok();
}

// A synthetic population for --sandbox (§§ 10-11): persons in contact group 2, job-ready, spread over four
// municipalities, every third a member of a-kasse 10. Their CPR numbers go to <db>.persons.txt (synthetic).
Status LoadSandbox(registry::Registry& registry, const Clock& clock, int persons, const std::string& list_path) {
  std::string today = FormatDate(clock.Today());
  const int municipalities[] = {101, 147, 751, 461};
  std::vector<nlohmann::json> commands;
  std::ofstream list(list_path);
  for (int i = 0; i < persons; ++i) {
    char cpr[64];
    std::snprintf(cpr, sizeof cpr, "%02d%02d%02d%04d", 1 + i % 28, 1 + (i / 28) % 12, 70 + (i / 336) % 30, i % 10000);
    int municipality = municipalities[i % 4];
    list << cpr << " municipality=" << municipality << (i % 3 == 0 ? " akasse=10" : "") << "\n";
    std::string id = "sandbox-" + std::to_string(i) + "-";
    commands.push_back({{"id", id + "m"},
                        {"command", "set_municipality"},
                        {"cpr", cpr},
                        {"registered_at", today},
                        {"municipality", municipality},
                        {"start", today}});
    commands.push_back({{"id", id + "kg"},
                        {"command", "set_contact_group"},
                        {"cpr", cpr},
                        {"registered_at", today},
                        {"contact_group", 2},
                        {"start", today}});
    commands.push_back({{"id", id + "v"},
                        {"command", "set_visitation"},
                        {"cpr", cpr},
                        {"registered_at", today},
                        {"category", "jobparat"}});
    if (i % 3 == 0) {
      commands.push_back({{"id", id + "a"},
                          {"command", "set_akasse"},
                          {"cpr", cpr},
                          {"registered_at", today},
                          {"akasse", "10"},
                          {"start", today}});
    }
  }
  auto results = registry.ExecuteBatch(commands);
  return results.ok() ? Status::Ok() : results.status();
}

void RunServe(Context& context, const ServeCliOptions& o) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return;
  api::ServeOptions options;
  // The kinds of connected system are the access rules' (catalog/access.yaml `system_kinds`): read before the
  // configuration, whose systems are checked against them.
  auto kinds = api::SystemKinds::Load(context.catalog_dir + "/access.yaml");
  if (!kinds.ok()) {
    std::cerr << "dfdg serve: " << kinds.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  if (!o.config.empty()) {
    auto config = api::LoadServeConfig(o.config, *kinds);
    if (!config.ok()) {
      std::cerr << "dfdg serve: " << config.status().message() << "\n";
      context.exit_code = 1;
      return;
    }
    options.config = std::move(config).value();
  } else if (o.sandbox) {
    options.config = api::SandboxConfig();
  } else {
    std::cerr << "dfdg serve: --config is required (or --sandbox)\n";
    context.exit_code = 1;
    return;
  }
  if (!o.host.empty()) options.config.host = o.host;
  if (o.port >= 0) options.config.port = o.port;
  options.plain_http = o.plain_http;
  if (!o.plain_http && options.config.client_ca.empty()) {
    std::cerr << "dfdg serve: TLS needs tls.cert, tls.key and tls.client_ca in the config (or --plain-http)\n";
    context.exit_code = 1;
    return;
  }
  ServeCliOptions opts = o;
  if (opts.db.empty()) opts.db = "dfdg-sandbox.db";
  options.openapi_path = o.openapi;
  options.access_rules_path = context.catalog_dir + "/access.yaml";
  options.statistics_yaml = context.catalog_dir + "/statistics.yaml";
  options.stats_db = o.stats_db;
  options.web_dir = o.web_dir;
  auto explainer = LoadExplainer(context, o, *catalog);
  if (!explainer) return;
  options.explain_month = std::move(*explainer);
  options.automation = LoadAutomationRules(context, *catalog);
  if (context.exit_code != 0) return;
  std::shared_ptr<const automation::Rules> automation_rules = options.automation;
  auto store = store::OpenStore(opts.db, opts.read_db);
  if (!store.ok()) {
    std::cerr << "dfdg serve: " << store.status().message() << "\n";
    context.exit_code = 5;
    return;
  }
  if (Status imported = ImportLegacyAudit(**store, LegacyAuditPath(opts)); !imported.ok()) {
    std::cerr << "dfdg serve: " << imported.message() << "\n";
    context.exit_code = 4;
    return;
  }
  if (o.sandbox) {
    registry::Registry loader(catalog, store->get(), context.clock.get());
    // A postgresql:// URL is no file name: there the list goes to dfdg-sandbox.persons.txt unless named.
    std::string list = !o.sandbox_list.empty()          ? o.sandbox_list
                       : store::IsPostgresUrl(opts.db) ? std::string("dfdg-sandbox.persons.txt")
                                                       : opts.db + ".persons.txt";
    Status s = LoadSandbox(loader, *context.clock, o.sandbox_persons, list);
    if (!s.ok()) {
      std::cerr << "dfdg serve: sandbox population: " << s.message() << "\n";
      context.exit_code = 5;
      return;
    }
    std::cerr << "dfdg serve: sandbox with " << o.sandbox_persons << " synthetic persons (" << list << ")\n";
  }
  // SQLite: WAL checkpoints on a thread of their own, not inside the writer's commits (docs/storage.md "WAL
  // checkpoints"; DFDG_CHECKPOINT_IN_COMMIT=1 keeps them in the commit, for A/B measurements;
  // DFDG_CHECKPOINT_PAGES=N checkpoints every N pages, for the crash test).
  const char* in_commit = std::getenv("DFDG_CHECKPOINT_IN_COMMIT");
  auto* lite = dynamic_cast<store::SqliteStore*>(store->get());
  if (lite && !(in_commit && std::string(in_commit) == "1")) {
    store::CheckpointPolicy policy;
    if (const char* pages = std::getenv("DFDG_CHECKPOINT_PAGES")) policy.passive_pages = std::max(1, std::atoi(pages));
    if (Status s = lite->StartCheckpointer(policy); !s.ok()) {
      std::cerr << "dfdg serve: " << s.message() << "\n";
      context.exit_code = 5;
      return;
    }
  }
  auto server = api::ApiServer::Create(std::move(options), catalog, store->get(), context.clock.get());
  if (!server.ok()) {
    std::cerr << "dfdg serve: " << server.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  auto port = (*server)->Bind();
  if (!port.ok()) {
    std::cerr << "dfdg serve: " << port.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  auto background = StartBackground(context, o, opts.db, catalog, automation_rules);
  if (context.exit_code != 0) return;
  api::ApiServer* raw = server->get();
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!g_stop && !done) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (g_stop) raw->Shutdown();
  });
  raw->Run();
  done = true;
  watcher.join();
  background->Stop();
}

// Prints one audit row as JSON Lines (without the CPR: the caller asked about that person).
void PrintAuditRow(const audit::AuditEntry& e) {
  nlohmann::ordered_json line{{"seq", e.seq},
                              {"at", e.at},
                              {"system", e.system},
                              {"controller", e.controller},
                              {"operation", e.operation},
                              {"outcome", e.outcome}};
  std::cout << line.dump() << "\n";
}

// `dfdg audit verify|show --db FILE|URL` reads the trail in the store; `--audit FILE` a legacy audit file.
void RunAudit(Context& context, const ServeCliOptions& o, bool verify) {
  const char* name = verify ? "dfdg audit verify" : "dfdg audit show";
  std::string cpr_digits;
  if (!verify && !o.project.empty()) {
    cpr_digits = std::string(registry::kProjectSubject).append("/").append(o.project);  // a project's rows
  } else if (!verify) {
    auto cpr = Cpr::Parse(o.cpr);
    if (!cpr.ok()) {
      std::cerr << name << ": --cpr: " << cpr.status().message() << "\n";
      context.exit_code = 1;
      return;
    }
    cpr_digits = cpr->digits();
  }
  if (!o.audit.empty()) {  // a legacy audit file
    if (!std::filesystem::exists(o.audit)) {
      std::cerr << name << ": no audit file " << o.audit << "\n";
      context.exit_code = 5;
      return;
    }
    auto log = audit::AuditLog::Open(o.audit);
    auto rows = log.ok() ? (verify ? (*log)->Verify() : Result<int64_t>(0)) : Result<int64_t>(log.status());
    if (!rows.ok()) {
      std::cerr << name << ": " << rows.status().message() << "\n";
      context.exit_code = log.ok() ? 4 : 5;
      return;
    }
    if (verify) {
      std::cout << "Revisionsloggen er intakt: " << *rows << " rækker, hoved " << (*log)->head() << "\n";
      return;
    }
    auto found = (*log)->ForCpr(cpr_digits);
    if (!found.ok()) {
      std::cerr << name << ": " << found.status().message() << "\n";
      context.exit_code = 5;
      return;
    }
    for (const auto& e : *found) PrintAuditRow(e);
    return;
  }
  if (o.db.empty() || (!store::IsPostgresUrl(o.db) && !std::filesystem::exists(o.db))) {
    std::cerr << name << ": --db names no database (or give --audit FILE)\n";
    context.exit_code = 1;
    return;
  }
  auto store = store::OpenStore(o.db);
  if (!store.ok()) {
    std::cerr << name << ": " << store.status().message() << "\n";
    context.exit_code = 5;
    return;
  }
  audit::ChainVerifier verifier;
  int64_t after = 0;
  for (;;) {  // pages of 10,000 rows, bounded by the table
    auto page = (*store)->ReadAudit(cpr_digits, after, 10000);
    if (!page.ok()) {
      std::cerr << name << ": " << page.status().message() << "\n";
      context.exit_code = 5;
      return;
    }
    if (page->empty()) break;
    for (const auto& e : *page) {
      if (!verify) {
        PrintAuditRow(e);
        continue;
      }
      if (Status s = verifier.Next(e); !s.ok()) {
        std::cerr << name << ": " << s.message() << "\n";
        context.exit_code = 4;
        return;
      }
    }
    after = page->back().seq;
  }
  if (!verify) return;
  auto head = (*store)->AuditHead();
  if (!head.ok() || head->seq != verifier.rows() || head->hash != verifier.head()) {
    std::cerr << name << ": "
              << (head.ok() ? "the stored head (row " + std::to_string(head->seq) + ") is not the chain's last row (" +
                                  std::to_string(verifier.rows()) + "): rows removed at the end?"
                            : head.status().message())
              << "\n";
    context.exit_code = 4;
    return;
  }
  std::cout << "Revisionsloggen er intakt: " << verifier.rows() << " rækker, hoved " << verifier.head() << "\n";
}

}  // namespace

void AddServeCommands(CLI::App& app, Context& context) {
  auto o = std::make_shared<ServeCliOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Serve the registry over HTTPS (mutual TLS) as a JSON API");
  serve->add_option("--db", o->db, "SQLite database file (created if missing) or postgresql:// URL");
  serve->add_option("--read-db", o->read_db, "postgresql:// URL of a streaming replica for reads (read your writes)");
  serve->add_option("--config", o->config, "Service configuration (YAML, docs/api.md)");
  serve->add_option("--audit", o->audit,
                    "Legacy audit file to move into the store at start (default: <db>.audit, if it exists)");
  serve->add_option("--openapi", o->openapi, "OpenAPI document served at /openapi.json")->capture_default_str();
  serve->add_option("--stats-db", o->stats_db,
                    "Stored measurement results (dfdg measure --store-db) for /v3/* and /statistik");
  serve->add_option("--measure-input", o->measure_input,
                    "Measurement input folder (dfdg measure --input) for GET /v1/Maaling/forklaring");
  serve->add_option("--measure-snapshot", o->measure_snapshot,
                    "Snapshot of --measure-input (dfdg measure import); refused if stale or damaged");
  serve->add_option("--web-dir", o->web_dir, "The statistics page's bundled assets")->capture_default_str();
  serve->add_option("--host", o->host, "Listen address (overrides the config)");
  serve->add_option("--port", o->port, "Listen port, 0 = any free port (overrides the config)");
  serve->add_flag("--plain-http", o->plain_http, "Plain HTTP, system named by header x-dev-system (development only)");
  serve->add_flag("--sandbox", o->sandbox, "Test environment: a synthetic population, no real personal data");
  serve->add_option("--sandbox-persons", o->sandbox_persons, "Synthetic persons in the sandbox")
      ->check(CLI::Range(1, 100000));
  serve->add_option("--sandbox-list", o->sandbox_list,
                    "File for the sandbox's CPR list (default <db>.persons.txt; dfdg-sandbox.persons.txt for a URL)");
  serve->add_flag("--no-delivery", o->no_delivery, "Do not deliver the outbox (docs/delivery.md)");
  serve->add_flag("--no-daily", o->no_daily, "Do not run the daily job (then run `dfdg daily` from outside)");
  serve->add_option("--daily-at", o->daily_at, "Earliest time of day (UTC, HH:MM) for the daily job")
      ->capture_default_str();
  serve->add_option("--daily-check-seconds", o->daily_check_seconds, "How often the daily job checks its day")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->callback([&context, o]() {
    if (o->db.empty() && !o->sandbox) {
      std::cerr << "dfdg serve: --db is required (or --sandbox)\n";
      context.exit_code = 1;
      return;
    }
    RunServe(context, *o);
  });

  CLI::App* audit = app.add_subcommand("audit", "The API's audit trail");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "Check the audit hash chain");
  verify->add_option("--db", o->db, "Registry database (SQLite file or postgresql:// URL) holding the audit trail");
  verify->add_option("--audit", o->audit, "A legacy audit file instead (<db>.audit of earlier versions)");
  verify->callback([&context, o]() { RunAudit(context, *o, true); });
  CLI::App* show = audit->add_subcommand("show", "Who has read or written a person's data");
  show->add_option("--db", o->db, "Registry database (SQLite file or postgresql:// URL) holding the audit trail");
  show->add_option("--audit", o->audit, "A legacy audit file instead (<db>.audit of earlier versions)");
  auto* cpr = show->add_option("--cpr", o->cpr, "The person's CPR number");
  auto* project = show->add_option("--project", o->project, "An own person-group project's id instead (§ 135)");
  cpr->excludes(project);
  show->callback([&context, o]() {
    if (o->cpr.empty() && o->project.empty()) {
      std::cerr << "dfdg audit show: --cpr or --project is required\n";
      context.exit_code = 1;
      return;
    }
    RunAudit(context, *o, false);
  });
}

}  // namespace dfdg::cli
