#include "measure/detail_stream.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <sstream>
#include <thread>

#include "measure/spells.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;

constexpr size_t kChunk = 512;  // persons per chunk (in CPR order)

// The detail file of `rows` as WriteDetail writes it, via a scratch directory of this thread.
Result<std::string> FormatRows(const fs::path& scratch, const InputData& input, const std::vector<PersonMonth>& rows,
                               measure::Format format) {
  if (Status st = WriteDetail(scratch.string(), input, rows, format); !st.ok()) return st;
  std::ifstream in(scratch / (format == measure::Format::kCsv ? "detaljer.csv" : "detaljer.json"), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  if (!in) return Status::IOError(scratch.string() + ": kan ikke læses");
  return s.str();
}

// The rows part of a detail file: CSV without the header line; JSON without the opening "[\n" and the closing
// "\n]\n" (empty for an empty array).
std::string Body(const std::string& file, measure::Format format) {
  if (format == measure::Format::kCsv) {
    size_t nl = file.find('\n');
    return nl == std::string::npos ? std::string() : file.substr(nl + 1);
  }
  if (file.size() < 6 || file.compare(0, 2, "[\n") != 0) return std::string();  // "[]\n"
  return file.substr(2, file.size() - 2 - 3);
}

}  // namespace

Result<RunResult> RunStreamingDetail(const std::string& dir, const InputData& input, const MethodRules& rules,
                                     const RunOptions& options, measure::Format format, StreamStats* stats) {
  const int threads = std::max(1, options.threads);
  const std::string name = format == measure::Format::kCsv ? "detaljer.csv" : "detaljer.json";
  const fs::path path = fs::path(dir) / name;
  std::vector<fs::path> scratch;
  scratch.reserve(threads);
  for (int t = 0; t < threads; ++t) scratch.push_back(fs::path(dir) / (".detaljer-" + std::to_string(t)));
  auto cleanup = [&] {
    std::error_code ec;
    for (const auto& s : scratch) fs::remove_all(s, ec);
  };

  // The head of the file (CSV header) from the writer itself.
  auto empty = FormatRows(scratch[0], input, {}, format);
  if (!empty.ok()) {
    cleanup();
    return empty.status();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    cleanup();
    return Status::IOError(path.string() + ": kan ikke skrives");
  }
  if (format == measure::Format::kCsv) out << *empty;

  // Persons in CPR order; chunks numbered month-major: job = month * chunks + chunk.
  std::vector<uint32_t> order(input.persons.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return input.persons[a].cpr < input.persons[b].cpr; });
  const size_t chunks = (order.size() + kChunk - 1) / kChunk;
  const size_t jobs = chunks * static_cast<size_t>(options.months);

  std::vector<std::unique_ptr<Aggregates>> tables;
  tables.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    tables.push_back(std::make_unique<Aggregates>(rules, options.first_month, options.months));
  }
  std::atomic<size_t> next{0};
  std::atomic<size_t> person_months{0};
  std::mutex mu;
  std::condition_variable turn;
  size_t next_to_write = 0;  // guarded by mu
  bool any_row = false;      // guarded by mu
  Status failure;            // guarded by mu
  StreamStats local;         // guarded by mu

  auto worker = [&](int t) {
    std::vector<PersonMonth> rows;
    for (size_t job = next++; job < jobs; job = next++) {
      const Date month_first = AddMonthsFirst(options.first_month, static_cast<int>(job / chunks));
      const Date month_last = MonthLast(month_first);
      const size_t begin = (job % chunks) * kChunk;
      const size_t end = std::min(order.size(), begin + kChunk);
      rows.clear();
      for (size_t i = begin; i < end; ++i) {
        PersonView view = input.View(order[i]);
        bool any = std::any_of(view.payments.begin(), view.payments.end(),
                               [&](const Payment& p) { return p.from <= month_last && p.to >= month_first; });
        if (!any) continue;
        PersonSpells spells = BuildSpells(view, rules);
        PersonMonth pm = EvaluateMonth(view, spells, rules, month_first, true);
        if (pm.outcome == Outcome::kNoBenefit) continue;
        tables[t]->Add(pm);
        rows.push_back(std::move(pm));
      }
      person_months += rows.size();
      Result<std::string> text =
          rows.empty() ? Result<std::string>(std::string()) : FormatRows(scratch[t], input, rows, format);
      std::unique_lock<std::mutex> lock(mu);
      turn.wait(lock, [&] { return next_to_write == job || !failure.ok(); });
      if (!failure.ok()) return;
      if (!text.ok()) {
        failure = text.status();
      } else if (!rows.empty()) {
        std::string body = Body(*text, format);
        if (format == measure::Format::kJson) out << (any_row ? ",\n" : "[\n");
        out << body;
        any_row = true;
        local.rows += rows.size();
        local.max_chunk_rows = std::max(local.max_chunk_rows, rows.size());
        if (!out) failure = Status::IOError(path.string() + ": kan ikke skrives");
      }
      ++next_to_write;
      turn.notify_all();
      if (options.progress && job % chunks == chunks - 1) options.progress(job + 1, jobs);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  cleanup();
  if (failure.ok()) {
    if (format == measure::Format::kJson) out << (any_row ? "\n]\n" : "[]\n");
    out.close();
    if (!out) failure = Status::IOError(path.string() + ": kan ikke skrives");
  }
  if (!failure.ok()) {
    out.close();
    std::error_code ec;
    fs::remove(path, ec);
    return failure;
  }
  RunResult result;
  result.aggregates = std::move(tables[0]);
  for (int t = 1; t < threads; ++t) result.aggregates->Merge(*tables[t]);
  result.person_months = person_months;
  if (stats) *stats = local;
  return result;
}

}  // namespace dfdg::measure
