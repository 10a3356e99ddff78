// `dfdg measure --input DIR [--db FILE] --from YYYY-MM [--to YYYY-MM] --out DIR [--format csv|json|xlsx] [--detail]`
// and `dfdg measure explain --input DIR --cpr X --month YYYY-MM` (seed 004; docs/measurement.md).
// `dfdg measure import --input DIR --out FILE` writes the validated input as a snapshot
// (docs/measurement-snapshot.md); `--snapshot FILE` then measures from it after checking it against DIR.
// `--db FILE|URL` adds what the registry holds (absences, interviews, contact groups, municipality) to the CSV input;
// `--read-db URL` reads it from a PostgreSQL streaming replica (docs/storage.md "Read routing").
// Exit codes: 1 bad usage or bad input rows, 2 person not found, 3 broken catalogue, 4 cannot write output,
// 5 store failure.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "cli/cli.h"
#include "measure/detail_stream.h"
#include "measure/engine.h"
#include "measure/output.h"
#include "measure/output_xlsx.h"
#include "measure/registry_input.h"
#include "measure/snapshot.h"
#include "measure/whatif.h"
#include "stats/from_measure.h"
#include "store/open_store.h"

namespace dfdg::cli {
namespace {

struct MeasureOptions {
  std::string input;
  std::string db;
  std::string read_db;
  std::string snapshot;
  std::string whatif;
  std::string from;
  std::string to;
  std::string out;
  std::string format = "csv";
  std::string store_db;  // --store-db: stored results for the statistics API (docs/statistics.md)
  bool detail = false;
  bool allow_bad_rows = false;
  int threads = 2;
  std::string cpr;
  std::string month;
};

bool ParseMonth(const std::string& text, Date* out) {
  auto d = ParseDate(text + "-01");
  if (text.size() != 7 || !d.ok()) return false;
  *out = *d;
  return true;
}

// Reads the input and the rules; prints problems. Returns false (exit code set) on failure.
bool Load(Context& context, const MeasureOptions& o, measure::InputData* input, measure::MethodRules* rules) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return false;
  auto built = measure::BuildRules(*catalog);
  if (!built.ok()) {
    std::cerr << "dfdg: " << built.status().message() << "\n";
    context.exit_code = 3;
    return false;
  }
  *rules = std::move(built).value();
  measure::SnapshotTimes times;
  auto read =
      o.snapshot.empty() ? measure::ReadInput(o.input) : measure::ReadSnapshot(o.snapshot, o.input, o.threads, &times);
  if (!o.snapshot.empty()) {
    if (read.ok()) {
      std::cerr << "dfdg measure: snapshot " << o.snapshot << " (" << times.snapshot_bytes / 1000000
                << " MB) passer til " << o.input << " (" << times.input_bytes / 1000000 << " MB kontrolleret); kontrol "
                << times.verify_seconds << " s, indlæsning af snapshot " << times.load_seconds << " s\n";
    }
  }
  if (!read.ok()) {
    std::cerr << "dfdg: " << read.status().message() << "\n";
    context.exit_code = 1;
    return false;
  }
  *input = std::move(read).value();
  if (!o.db.empty()) {
    auto db_start = std::chrono::steady_clock::now();
    auto store = store::OpenStore(o.db, o.read_db);  // SQLite file or postgresql:// URL (+ replica)
    Status st = store.ok() ? measure::AddRegistryFacts(**store, *catalog, input, o.threads) : store.status();
    if (!st.ok()) {
      std::cerr << "dfdg: --db " << o.db << ": " << st.message() << "\n";
      context.exit_code = 5;
      return false;
    }
    std::cerr << "dfdg measure: --db: registret læst på "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - db_start).count() << " s ("
              << (measure::RegistryScans(**store) ? "én gennemløbning" : "person for person") << ")\n";
  }
  for (const auto& p : input->problems) std::cerr << "dfdg: " << o.input << "/" << p.ToString() << "\n";
  if (!input->problems.empty() && !o.allow_bad_rows) {
    std::cerr << "dfdg: " << input->problems.size() << " fejlbehæftede rækker; intet målt (brug --allow-bad-rows "
              << "for at måle de gyldige rækker)\n";
    context.exit_code = 1;
    return false;
  }
  return true;
}

// Loads --whatif CHANGES.yaml against the catalogue; prints the refusal (file:line) and sets exit code 1.
bool LoadChanges(Context& context, const MeasureOptions& o, measure::WhatIf* out) {
  auto catalog = context.LoadCatalog();
  if (!catalog) return false;
  auto loaded = measure::LoadWhatIf(o.whatif, *catalog);
  if (!loaded.ok()) {
    std::cerr << "dfdg: --whatif: " << loaded.status().message() << "\n";
    context.exit_code = 1;
    return false;
  }
  *out = std::move(loaded).value();
  out->rules.catalog_version += "+whatif";
  return true;
}

// `measure --whatif`: both rule sets in one pass; the normal tables (base) plus whatif_forskel.csv and
// whatif_personer.csv (docs/measurement-whatif.md). With --detail, the detail of the catalogue's rules (as a run
// without --whatif writes it) from a second pass: streamed for csv/json, in memory for xlsx. With --format xlsx,
// one workbook with the normal sheets and the two what-if tables as sheets.
void RunWhatIfMeasure(Context& context, const MeasureOptions& o, const measure::InputData& input,
                      const measure::MethodRules& rules, const measure::WhatIf& whatif,
                      const measure::RunOptions& run) {
  namespace fs = std::filesystem;
  measure::WhatIfResult result = measure::RunWhatIf(input, rules, whatif, run);
  const bool xlsx = o.format == "xlsx";
  auto format = o.format == "json" ? measure::Format::kJson : measure::Format::kCsv;
  fs::path scratch = fs::path(o.out) / ".whatif";
  auto slurp = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  // The difference files go to --out, or (xlsx) to the scratch directory and from there into the workbook.
  const fs::path diff_dir = xlsx ? scratch / "forskel" : fs::path(o.out);
  std::vector<Status> written = {
      measure::WriteMeasures((scratch / "foer").string(), *result.base, measure::Format::kCsv, rules.catalog_version),
      measure::WriteMeasures((scratch / "efter").string(), *result.whatif, measure::Format::kCsv,
                             whatif.rules.catalog_version)};
  if (written[0].ok() && written[1].ok()) {
    written.push_back(measure::WriteWhatIf(diff_dir.string(), input, whatif, result,
                                           slurp(scratch / "foer" / "maalinger.csv"),
                                           slurp(scratch / "efter" / "maalinger.csv")));
  }
  bool ok = std::all_of(written.begin(), written.end(), [](const Status& st) { return st.ok(); });
  measure::StreamStats stream;
  if (ok && xlsx) {
    measure::RunResult detail;
    if (o.detail) {
      measure::RunOptions with_detail = run;
      with_detail.detail = true;
      with_detail.progress = nullptr;
      detail = measure::Run(input, rules, with_detail);
    }
    std::vector<measure::XlsxSheet> sheets = {{"whatif_forskel", slurp(diff_dir / "whatif_forskel.csv")},
                                              {"whatif_personer", slurp(diff_dir / "whatif_personer.csv")}};
    written.push_back(measure::WriteXlsx(o.out, *result.base, input, o.detail ? &detail.detail : nullptr,
                                         rules.catalog_version, sheets));
  } else if (ok) {
    written.push_back(measure::WriteMeasures(o.out, *result.base, format, rules.catalog_version));
    written.push_back(measure::WriteSkaerpetTilsyn(o.out, *result.base, format));
    if (o.detail) {
      measure::RunOptions streamed = run;
      streamed.progress = nullptr;
      auto detail = measure::RunStreamingDetail(o.out, input, rules, streamed, format, &stream);
      written.push_back(detail.ok() ? Status::Ok() : detail.status());
    }
  }
  std::error_code ec;
  fs::remove_all(scratch, ec);
  for (const Status& st : written) {
    if (!st.ok()) {
      std::cerr << "dfdg: " << st.message() << "\n";
      context.exit_code = 4;
      return;
    }
  }
  std::cerr << "dfdg measure: hvad-nu-hvis med " << whatif.changes.size() << " ændring(er): " << result.changed.size()
            << " person-måneder får et andet resultat ("
            << (xlsx ? "arkene whatif_personer og whatif_forskel i maalinger.xlsx"
                     : "whatif_personer.csv, whatif_forskel.csv")
            << ")\n";
  if (o.detail && !xlsx) {
    std::cerr << "dfdg measure: " << stream.rows << " detaljerækker (efter kataloget) skrevet løbende\n";
  }
}

void RunMeasure(Context& context, const MeasureOptions& o) {
  Date from;
  Date to;
  if (!ParseMonth(o.from, &from) || (!o.to.empty() && !ParseMonth(o.to, &to))) {
    std::cerr << "dfdg: --from/--to skal være ÅÅÅÅ-MM\n";
    context.exit_code = 1;
    return;
  }
  if (o.to.empty()) to = from;
  if (to < from) {
    std::cerr << "dfdg: --to ligger før --from\n";
    context.exit_code = 1;
    return;
  }
  measure::WhatIf whatif;
  if (!o.whatif.empty() && !LoadChanges(context, o, &whatif)) return;
  auto t0 = std::chrono::steady_clock::now();
  measure::InputData input;
  measure::MethodRules rules;
  if (!Load(context, o, &input, &rules)) return;
  auto t1 = std::chrono::steady_clock::now();

  std::chrono::year_month_day a{from};
  std::chrono::year_month_day b{to};
  measure::RunOptions run;
  run.first_month = from;
  run.months = (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
               static_cast<int>(static_cast<unsigned>(b.month())) - static_cast<int>(static_cast<unsigned>(a.month())) +
               1;
  run.detail = o.detail;
  run.threads = o.threads;
  bool tty = isatty(fileno(stderr));
  std::mutex progress_mutex;
  if (tty) {
    run.progress = [&](size_t done, size_t total) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      int pct = total ? static_cast<int>(done * 100 / total) : 100;
      std::string bar(pct / 4, '#');
      bar.resize(25, '.');
      std::fprintf(stderr, "\rmåler [%s] %3d %% (%zu/%zu personer)", bar.c_str(), pct, done, total);
    };
  }
  if (!o.whatif.empty() && !o.store_db.empty()) {
    std::cerr << "dfdg measure: --store-db kan ikke bruges med --whatif (kun gældende regler offentliggøres)\n";
    context.exit_code = 1;
    return;
  }
  if (!o.whatif.empty()) {
    RunWhatIfMeasure(context, o, input, rules, whatif, run);
    auto t2 = std::chrono::steady_clock::now();
    std::cerr << "dfdg measure: " << input.persons.size() << " personer, " << input.rows_read << " rækker; indlæsning "
              << std::chrono::duration<double>(t1 - t0).count() << " s, måling med hvad-nu-hvis "
              << std::chrono::duration<double>(t2 - t1).count() << " s\n";
    return;
  }
  // CSV/JSON detail is streamed to --out while measuring (bounded memory); xlsx builds its workbook in memory.
  const bool stream_detail = o.detail && o.format != "xlsx";
  measure::RunResult result;
  measure::StreamStats stream;
  if (stream_detail) {
    auto streamed = measure::RunStreamingDetail(
        o.out, input, rules, run, o.format == "json" ? measure::Format::kJson : measure::Format::kCsv, &stream);
    if (!streamed.ok()) {
      std::cerr << "dfdg: " << streamed.status().message() << "\n";
      context.exit_code = 4;
      return;
    }
    result = std::move(streamed).value();
  } else {
    result = measure::Run(input, rules, run);
  }
  if (tty) std::fprintf(stderr, "\n");
  auto t2 = std::chrono::steady_clock::now();

  auto format = o.format == "json" ? measure::Format::kJson : measure::Format::kCsv;
  std::vector<Status> written;
  if (o.format == "xlsx") {
    written.push_back(measure::WriteXlsx(o.out, *result.aggregates, input, o.detail ? &result.detail : nullptr,
                                         rules.catalog_version));
  } else {
    written = {measure::WriteMeasures(o.out, *result.aggregates, format, rules.catalog_version),
               measure::WriteSkaerpetTilsyn(o.out, *result.aggregates, format),
               Status::Ok()};  // the detail was written while measuring
  }
  for (const Status& st : written) {
    if (!st.ok()) {
      std::cerr << "dfdg: " << st.message() << "\n";
      context.exit_code = 4;
      return;
    }
  }
  if (!o.store_db.empty()) {
    nlohmann::ordered_json inputs{{"input", o.input},
                                  {"snapshot", o.snapshot},
                                  {"db", o.db.rfind("postgresql:", 0) == 0 ? std::string("postgresql") : o.db},
                                  {"persons", input.persons.size()},
                                  {"rows_read", input.rows_read},
                                  {"allow_bad_rows", o.allow_bad_rows}};
    int64_t run_id = 0;
    Status st = stats::StoreMeasurement(o.store_db, *result.aggregates, rules, inputs.dump(), &run_id);
    if (!st.ok()) {
      std::cerr << "dfdg: " << st.message_da() << " (" << st.message() << ")\n";
      context.exit_code = 5;
      return;
    }
    std::cerr << "dfdg measure: måleresultater gemt i " << o.store_db << " (kørsel " << run_id << ")\n";
  }
  auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::cerr << "dfdg measure: " << input.persons.size() << " personer, " << input.rows_read << " rækker, " << run.months
            << " måned(er), " << result.person_months << " person-måneder; indlæsning " << seconds(t1 - t0)
            << " s, måling " << seconds(t2 - t1) << " s; katalog " << rules.catalog_version << "\n";
  if (stream_detail) {
    std::cerr << "dfdg measure: " << stream.rows << " detaljerækker skrevet løbende (højst " << stream.max_chunk_rows
              << " rækker i hukommelsen pr. tråd)\n";
  }
}

// `measure import`: reads and validates the CSV input once and writes the snapshot. Every bad row is listed as
// by `measure`; with bad rows nothing is written unless --allow-bad-rows (then the rows are kept as problems in
// the snapshot and every run from it lists them again).
void RunImport(Context& context, const MeasureOptions& o) {
  if (o.out.empty()) {
    std::cerr << "dfdg measure import: --out FIL er påkrævet\n";
    context.exit_code = 1;
    return;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto stamps = measure::StampInputs(o.input, o.threads);  // before reading: a later change makes it stale
  if (!stamps.ok()) {
    std::cerr << "dfdg: " << stamps.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  auto read = measure::ReadInput(o.input);
  if (!read.ok()) {
    std::cerr << "dfdg: " << read.status().message() << "\n";
    context.exit_code = 1;
    return;
  }
  for (const auto& p : read->problems) std::cerr << "dfdg: " << o.input << "/" << p.ToString() << "\n";
  if (!read->problems.empty() && !o.allow_bad_rows) {
    std::cerr << "dfdg: " << read->problems.size() << " fejlbehæftede rækker; intet snapshot skrevet (brug "
              << "--allow-bad-rows for at gemme de gyldige rækker)\n";
    context.exit_code = 1;
    return;
  }
  if (Status st = measure::WriteSnapshot(o.out, *stamps, *read); !st.ok()) {
    std::cerr << "dfdg: " << st.message() << "\n";
    context.exit_code = 4;
    return;
  }
  auto t1 = std::chrono::steady_clock::now();
  std::cerr << "dfdg measure import: " << read->persons.size() << " personer, " << read->rows_read << " rækker, "
            << read->problems.size() << " fejlbehæftede; snapshot " << o.out << " skrevet på "
            << std::chrono::duration<double>(t1 - t0).count() << " s\n";
}

void RunExplain(Context& context, const MeasureOptions& o) {
  Date month;
  if (!ParseMonth(o.month, &month)) {
    std::cerr << "dfdg: --month skal være ÅÅÅÅ-MM\n";
    context.exit_code = 1;
    return;
  }
  measure::InputData input;
  measure::MethodRules rules;
  if (!Load(context, o, &input, &rules)) return;
  uint32_t index = 0;
  std::string digits;
  for (char c : o.cpr) {
    if (c != '-') digits += c;
  }
  if (!input.Find(digits, &index)) {
    std::cerr << "dfdg: personen findes ikke i " << o.input << "/persons.csv\n";
    context.exit_code = 2;
    return;
  }
  if (o.whatif.empty()) {
    std::cout << measure::ExplainText(input, measure::Explain(input, rules, index, month), rules.catalog_version);
    return;
  }
  measure::WhatIf whatif;
  if (!LoadChanges(context, o, &whatif)) return;
  measure::PersonMonth before = measure::Explain(input, rules, index, month);
  measure::PersonMonth after = measure::Explain(input, whatif.rules, index, month);
  std::cout << "== Efter kataloget ==\n" << measure::ExplainText(input, before, rules.catalog_version);
  std::cout << "\n== Med ændringerne i " << o.whatif << " ==\n";
  for (const auto& c : whatif.changes) std::cout << "  " << c.where << ": " << c.what << "\n";
  std::cout << measure::ExplainText(input, after, whatif.rules.catalog_version);
  std::cout << "\nResultat: " << (measure::ResultDiffers(before, after) ? "ÆNDRET" : "uændret") << "\n";
}

}  // namespace

void AddMeasureCommand(CLI::App& app, Context& context) {
  auto o = std::make_shared<MeasureOptions>();
  CLI::App* cmd = app.add_subcommand("measure", "Måling: Jobsamtaler til alle ydelsesmodtagere (seed 004)");
  cmd->add_option("--input", o->input, "Inputmappe (docs/measurement-input.md)")->required();
  cmd->add_option("--snapshot", o->snapshot,
                  "Snapshot fra `dfdg measure import` af --input (afvises hvis forældet eller beskadiget)");
  cmd->add_option("--whatif", o->whatif,
                  "Hvad-nu-hvis: mål også med ændringerne i CHANGES.yaml (docs/measurement-whatif.md)");
  cmd->add_option("--read-db", o->read_db,
                  "postgresql://-URL til en streaming-replika, som registrets data læses fra (--db er primæren)");
  cmd->add_option(
      "--db", o->db,
      "Registrets database (SQLite-fil eller postgresql://-URL): fravær, samtaler, kontaktgrupper og kommune");
  cmd->add_option("--from", o->from, "Første måned ÅÅÅÅ-MM");
  cmd->add_option("--to", o->to, "Sidste måned ÅÅÅÅ-MM (standard: --from)");
  cmd->add_option("--out", o->out, "Uddatamappe");
  cmd->add_option("--format", o->format, "csv, json eller xlsx (én projektmappe maalinger.xlsx)")
      ->check(CLI::IsMember({"csv", "json", "xlsx"}));
  cmd->add_option("--store-db", o->store_db,
                  "Gem tabellerne i denne SQLite-fil til statistik-API'et (docs/statistics.md)");
  cmd->add_flag("--detail", o->detail, "Én række pr. person og måned (handlingsliste)");
  cmd->add_flag("--allow-bad-rows", o->allow_bad_rows, "Mål de gyldige rækker selv om nogle er fejlbehæftede");
  cmd->add_option("--threads", o->threads, "Antal tråde")->check(CLI::Range(1, 256));
  CLI::App* explain = cmd->add_subcommand("explain", "Forklar én person i én måned");
  explain->fallthrough();  // --input may follow `explain`
  explain->add_option("--cpr", o->cpr, "CPR-nummer")->required();
  explain->add_option("--month", o->month, "Måned ÅÅÅÅ-MM")->required();
  explain->callback([&context, o]() { RunExplain(context, *o); });
  CLI::App* import = cmd->add_subcommand("import", "Indlæs og kontrollér input én gang; skriv et snapshot til --out");
  import->fallthrough();
  import->callback([&context, o]() { RunImport(context, *o);
});
cmd->callback([&context, o, cmd]() {
  if (cmd->got_subcommand("explain") || cmd->got_subcommand("import")) return;
  if (o->from.empty() || o->out.empty()) {
    std::cerr << "dfdg measure: --from og --out er påkrævet\n";
    context.exit_code = 1;
    return;
  }
  RunMeasure(context, *o);
});
}  // namespace dfdg::cli

}  // namespace dfdg::cli
