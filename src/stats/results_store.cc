#include "stats/results_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace dfdg::stats {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS stat_run(
  run_id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, method_version TEXT NOT NULL,
  catalog_version TEXT NOT NULL, first_month TEXT NOT NULL, last_month TEXT NOT NULL, inputs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stat_area(
  run_id INTEGER NOT NULL, level TEXT NOT NULL, code INTEGER NOT NULL, name TEXT NOT NULL, parent INTEGER NOT NULL,
  ord INTEGER NOT NULL, PRIMARY KEY(run_id, level, code));
CREATE TABLE IF NOT EXISTS stat_dim(
  run_id INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, ord INTEGER NOT NULL,
  PRIMARY KEY(run_id, kind, key));
CREATE TABLE IF NOT EXISTS stat_cell(
  run_id INTEGER NOT NULL, group_key TEXT NOT NULL, interval TEXT NOT NULL, month TEXT NOT NULL,
  level TEXT NOT NULL, code INTEGER NOT NULL,
  m1_0 INTEGER NOT NULL, m1_1 INTEGER NOT NULL, m1_2 INTEGER NOT NULL, m1_3 INTEGER NOT NULL,
  m1_4 INTEGER NOT NULL, m1_5plus INTEGER NOT NULL, m2 INTEGER NOT NULL, m3 INTEGER NOT NULL, m5 INTEGER NOT NULL,
  PRIMARY KEY(run_id, group_key, interval, month, level, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stat_tilsyn(
  run_id INTEGER NOT NULL, month TEXT NOT NULL, level TEXT NOT NULL, code INTEGER NOT NULL, m4_average REAL,
  months_without_population INTEGER NOT NULL, PRIMARY KEY(run_id, month, level, code)) WITHOUT ROWID;
)sql";

// A prepared statement that finalises itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) {
    ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) == SQLITE_OK;
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return s_; }
  void Text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  bool Step() { return sqlite3_step(s_) == SQLITE_DONE; }
  bool Row() { return sqlite3_step(s_) == SQLITE_ROW; }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::string ColText(int i) {
    auto p = sqlite3_column_text(s_, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  int64_t ColInt(int i) { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

Status Error(sqlite3* db, const std::string& path) {
  return Status::IOError(path + ": " + (db ? sqlite3_errmsg(db) : "cannot open"))
      .WithDanish(path + ": måleresultaterne kan ikke gemmes eller læses");
}

std::mutex& ReadMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

Status WriteRun(const std::string& path, RunInfo* info, const std::vector<Area>& areas, const std::vector<Cell>& cells,
                const std::vector<TilsynRow>& tilsyn) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Status s = Error(db, path);
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(db, sqlite3_close);
  sqlite3_busy_timeout(db, 5000);
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return Error(db, path);
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return Error(db, path);
  auto fail = [&]() {
    Status s = Error(db, path);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  };
  {
    Stmt run(db,
             "INSERT INTO stat_run(created_at, method_version, catalog_version, first_month, last_month, inputs) "
             "VALUES(?,?,?,?,?,?)");
    if (!run.ok()) return fail();
    run.Text(1, info->created_at);
    run.Text(2, info->method_version);
    run.Text(3, info->catalog_version);
    run.Text(4, info->first_month);
    run.Text(5, info->last_month);
    run.Text(6, info->inputs_json);
    if (!run.Step()) return fail();
    info->run_id = sqlite3_last_insert_rowid(db);
    Stmt area(db, "INSERT INTO stat_area VALUES(?,?,?,?,?,?)");
    if (!area.ok()) return fail();
    for (size_t i = 0; i < areas.size(); ++i) {
      area.Reset();
      area.Int(1, info->run_id);
      area.Text(2, areas[i].level);
      area.Int(3, areas[i].code);
      area.Text(4, areas[i].name);
      area.Int(5, areas[i].parent);
      area.Int(6, static_cast<int64_t>(i));
      if (!area.Step()) return fail();
    }
    // Dimension orders: first appearance in the cells (the measurement writes them in its output order).
    Stmt dim(db, "INSERT OR IGNORE INTO stat_dim VALUES(?,?,?,?)");
    if (!dim.ok()) return fail();
    std::map<std::string, int> group_ord, interval_ord;
    for (const Cell& c : cells) {
      group_ord.emplace(c.group, static_cast<int>(group_ord.size()));
      interval_ord.emplace(c.interval, static_cast<int>(interval_ord.size()));
    }
    for (const auto* m : {&group_ord, &interval_ord}) {
      for (const auto& [key, ord] : *m) {
        dim.Reset();
        dim.Int(1, info->run_id);
        dim.Text(2, m == &group_ord ? "group" : "interval");
        dim.Text(3, key);
        dim.Int(4, ord);
        if (!dim.Step()) return fail();
      }
    }
    Stmt cell(db, "INSERT INTO stat_cell VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!cell.ok()) return fail();
    for (const Cell& c : cells) {
      cell.Reset();
      cell.Int(1, info->run_id);
      cell.Text(2, c.group);
      cell.Text(3, c.interval);
      cell.Text(4, c.month);
      cell.Text(5, c.level);
      cell.Int(6, c.code);
      for (int k = 0; k < 6; ++k) cell.Int(7 + k, c.m1[k]);
      cell.Int(13, c.m2);
      cell.Int(14, c.m3);
      cell.Int(15, c.m5);
      if (!cell.Step()) return fail();
    }
    Stmt t(db, "INSERT INTO stat_tilsyn VALUES(?,?,?,?,?,?)");
    if (!t.ok()) return fail();
    for (const TilsynRow& r : tilsyn) {
      t.Reset();
      t.Int(1, info->run_id);
      t.Text(2, r.month);
      t.Text(3, r.level);
      t.Int(4, r.code);
      if (r.m4_average) sqlite3_bind_double(t.get(), 5, *r.m4_average);
      t.Int(6, r.months_without_population);
      if (!t.Step()) return fail();
    }
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  return Status::Ok();
}

Result<std::unique_ptr<ResultsReader>> ResultsReader::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    Status s =
        Status::NotFound(path + ": no stored measurement results").WithDanish(path + ": ingen gemte måleresultater");
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<ResultsReader> r(new ResultsReader(db));
  {
    Stmt run(db,
             "SELECT run_id, created_at, method_version, catalog_version, first_month, last_month, inputs "
             "FROM stat_run ORDER BY run_id DESC LIMIT 1");
    if (!run.ok() || !run.Row()) {
      return Status::NotFound(path + ": no stored measurement results")
          .WithDanish(path + ": ingen gemte måleresultater");
    }
    r->run_ = {run.ColInt(0),  run.ColText(1), run.ColText(2), run.ColText(3),
               run.ColText(4), run.ColText(5), run.ColText(6)};
  }
  Stmt areas(db, "SELECT level, code, name, parent FROM stat_area WHERE run_id = ? ORDER BY ord");
  if (!areas.ok()) return Error(db, path);
  areas.Int(1, r->run_.run_id);
  while (areas.Row()) {
    r->areas_.push_back(
        {areas.ColText(0), static_cast<int>(areas.ColInt(1)), areas.ColText(2), static_cast<int>(areas.ColInt(3))});
  }
  Stmt dims(db, "SELECT kind, key FROM stat_dim WHERE run_id = ? ORDER BY kind, ord");
  if (!dims.ok()) return Error(db, path);
  dims.Int(1, r->run_.run_id);
  while (dims.Row()) (dims.ColText(0) == "group" ? r->groups_ : r->intervals_).push_back(dims.ColText(1));
  // Months: every month of the run (also months without a non-empty cell).
  int y = std::stoi(r->run_.first_month.substr(0, 4)), m = std::stoi(r->run_.first_month.substr(5, 2));
  for (int guard = 0; guard < 1200; ++guard) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    r->months_.push_back(buf);
    if (r->months_.back() >= r->run_.last_month) break;
    if (++m > 12) m = 1, ++y;
  }
  return r;
}

ResultsReader::~ResultsReader() { sqlite3_close(db_); }

namespace {

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

}  // namespace

Result<std::vector<Cell>> ResultsReader::Cells(const Query& q) const {
  std::string sql =
      "SELECT group_key, interval, month, level, code, m1_0, m1_1, m1_2, m1_3, m1_4, m1_5plus, m2, m3, m5 "
      "FROM stat_cell WHERE run_id = ?";
  if (!q.groups.empty()) sql += " AND group_key IN (" + Placeholders(q.groups.size()) + ")";
  if (!q.intervals.empty()) sql += " AND interval IN (" + Placeholders(q.intervals.size()) + ")";
  if (!q.months.empty()) sql += " AND month IN (" + Placeholders(q.months.size()) + ")";
  std::lock_guard lock(ReadMutex());
  Stmt s(db_, sql);
  if (!s.ok()) return Error(db_, "stat_cell");
  int i = 1;
  s.Int(i++, run_.run_id);
  for (const auto* list : {&q.groups, &q.intervals, &q.months}) {
    for (const auto& v : *list) s.Text(i++, v);
  }
  std::set<std::pair<std::string, int>> wanted(q.areas.begin(), q.areas.end());
  std::vector<Cell> out;
  while (s.Row()) {
    Cell c;
    c.group = s.ColText(0);
    c.interval = s.ColText(1);
    c.month = s.ColText(2);
    c.level = s.ColText(3);
    c.code = static_cast<int>(s.ColInt(4));
    if (!wanted.empty() && !wanted.count({c.level, c.code})) continue;
    for (int k = 0; k < 6; ++k) c.m1[k] = static_cast<uint32_t>(s.ColInt(5 + k));
    c.m2 = static_cast<uint32_t>(s.ColInt(11));
    c.m3 = static_cast<uint32_t>(s.ColInt(12));
    c.m5 = static_cast<uint32_t>(s.ColInt(13));
    out.push_back(std::move(c));
  }
  std::map<std::pair<std::string, int>, size_t> area_ord;
  for (size_t a = 0; a < areas_.size(); ++a) area_ord[{areas_[a].level, areas_[a].code}] = a;
  auto ord = [](const std::vector<std::string>& v, const std::string& k) {
    return static_cast<size_t>(std::find(v.begin(), v.end(), k) - v.begin());
  };
  std::sort(out.begin(), out.end(), [&](const Cell& a, const Cell& b) {
    auto ka = std::make_tuple(a.month, area_ord[{a.level, a.code}], ord(groups_, a.group), ord(intervals_, a.interval));
    auto kb = std::make_tuple(b.month, area_ord[{b.level, b.code}], ord(groups_, b.group), ord(intervals_, b.interval));
    return ka < kb;
  });
  return out;
}

Result<std::vector<TilsynRow>> ResultsReader::Tilsyn(const std::vector<std::string>& months,
                                                     const std::vector<std::pair<std::string, int>>& areas) const {
  std::string sql =
      "SELECT month, level, code, m4_average, months_without_population FROM stat_tilsyn WHERE run_id = ?";
  if (!months.empty()) sql += " AND month IN (" + Placeholders(months.size()) + ")";
  sql += " ORDER BY month";
  std::lock_guard lock(ReadMutex());
  Stmt s(db_, sql);
  if (!s.ok()) return Error(db_, "stat_tilsyn");
  s.Int(1, run_.run_id);
  for (size_t i = 0; i < months.size(); ++i) s.Text(static_cast<int>(i) + 2, months[i]);
  std::set<std::pair<std::string, int>> wanted(areas.begin(), areas.end());
  std::vector<TilsynRow> out;
  while (s.Row()) {
    TilsynRow r{s.ColText(0), s.ColText(1), static_cast<int>(s.ColInt(2)), std::nullopt, static_cast<int>(s.ColInt(4))};
    if (!wanted.empty() && !wanted.count({r.level, r.code})) continue;
    if (sqlite3_column_type(s.get(), 3) != SQLITE_NULL) r.m4_average = sqlite3_column_double(s.get(), 3);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dfdg::stats
