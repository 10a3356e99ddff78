#include "measure/output_xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "measure/output.h"

namespace dfdg::measure {
namespace {

// Columns written as numbers when the field parses as one; every other column is text (CPR keeps its zeros).
const std::set<std::string>& NumericColumns() {
  static const std::set<std::string> columns = {"geo_kode", "m1_0", "m1_1", "m1_2", "m1_3", "m1_4", "m1_5plus", "m2",
                                                "m3", "m4", "m5", "m4_gennemsnit_12_maaneder",
                                                "maaneder_uden_population", "varighed_dage", "varighed_timer",
                                                "fritaget_pct", "kommune", "samtaler_talt",
                                                // what-if tables (docs/measurement-whatif.md)
                                                "foer", "efter", "forskel", "samtaler_talt_foer", "samtaler_talt_efter",
                                                "fritaget_promille_foer", "fritaget_promille_efter"};
  return columns;
}

bool IsRatio(const std::string& column) { return column == "m4" || column == "m4_gennemsnit_12_maaneder"; }

// Splits CSV text as output.cc writes it: `,` separator, `"` quoting (quoted fields may hold `,`, `""` and
// line breaks), `\n` line ends.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

std::string LxwMessage(lxw_error error) { return std::string(" (libxlsxwriter: ") + lxw_strerror(error) + ")"; }

// Writes one CSV table as a sheet. Returns a Danish error text, or "" when all went well.
std::string WriteSheet(lxw_workbook* workbook, const std::string& name, const std::string& csv_text, lxw_format* bold,
                       lxw_format* ratio) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
  if (sheet == nullptr) return "arket " + name + " kan ikke oprettes";
  std::vector<std::vector<std::string>> rows = ParseCsv(csv_text);
  if (rows.empty()) return "arket " + name + " mangler kolonneoverskrifter";
  if (rows.size() > LXW_ROW_MAX) {
    return "arket " + name + " har " + std::to_string(rows.size() - 1) + " rækker; et regneark kan højst rumme " +
           std::to_string(LXW_ROW_MAX - 1) + " (brug --format csv)";
  }
  const std::vector<std::string>& header = rows[0];
  std::vector<bool> numeric(header.size());
  for (size_t col = 0; col < header.size(); ++col) numeric[col] = NumericColumns().count(header[col]) > 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t col = 0; col < rows[r].size() && col < header.size(); ++col) {
      const std::string& value = rows[r][col];
      auto row = static_cast<lxw_row_t>(r);
      auto column = static_cast<lxw_col_t>(col);
      double number = 0;
      lxw_error error = LXW_NO_ERROR;
      if (r == 0) {
        error = worksheet_write_string(sheet, row, column, value.c_str(), bold);
      } else if (value.empty()) {
        continue;
      } else if (numeric[col] && ParseNumber(value, &number)) {
        error = worksheet_write_number(sheet, row, column, number, IsRatio(header[col]) ? ratio : nullptr);
      } else {
        error = worksheet_write_string(sheet, row, column, value.c_str(), nullptr);
      }
      if (error != LXW_NO_ERROR) {
        return "arket " + name + ", række " + std::to_string(r + 1) + ", kolonne " + header[col] + " kan ikke skrives" +
               LxwMessage(error);
      }
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  return "";
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Status WriteXlsx(const std::string& dir, const Aggregates& aggregates, const InputData& input,
                 const std::vector<PersonMonth>* detail, const std::string& catalog_version,
                 const std::vector<XlsxSheet>& extra) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = (std::filesystem::path(dir) / "maalinger.xlsx").string();

  // The CSV writers produce the rows; they go to a private temporary directory and are read back.
  static std::atomic<unsigned> counter{0};
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec) /
                              ("dfdg_xlsx_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  if (ec || !std::filesystem::create_directories(tmp, ec)) {
    return Status::IOError(path + ": kan ikke skrives (ingen midlertidig mappe)");
  }
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{tmp};
  std::vector<std::pair<std::string, std::string>> tables;  // sheet name, CSV file
  Status st = WriteMeasures(tmp.string(), aggregates, Format::kCsv, catalog_version);
  if (st.ok()) st = WriteSkaerpetTilsyn(tmp.string(), aggregates, Format::kCsv);
  if (st.ok() && detail != nullptr) st = WriteDetail(tmp.string(), input, *detail, Format::kCsv);
  if (!st.ok()) return Status::IOError(path + ": kan ikke skrives (" + st.message() + ")");
  tables.emplace_back("maalinger", "maalinger.csv");
  tables.emplace_back("skaerpet_tilsyn", "skaerpet_tilsyn.csv");
  if (detail != nullptr) tables.emplace_back("detaljer", "detaljer.csv");

  std::string tmpdir = tmp.string();
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;  // rows go to disk as written: the detail sheet can be large
  options.tmpdir = tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (workbook == nullptr) return Status::IOError(path + ": kan ikke oprettes");
  std::string title = "Jobsamtaler til alle ydelsesmodtagere i jobcentrene (v1.75)";
  std::string comments = "katalog " + catalog_version;
  lxw_doc_properties properties = {};
  properties.title = title.data();
  properties.comments = comments.data();
  workbook_set_properties(workbook, &properties);
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* ratio = workbook_add_format(workbook);
  format_set_num_format(ratio, "0.0000");

  std::string problem;
  for (const auto& [sheet, file] : tables) {
    problem = WriteSheet(workbook, sheet, ReadText(tmp / file), bold, ratio);
    if (!problem.empty()) break;
  }
  for (size_t i = 0; i < extra.size() && problem.empty(); ++i) {
    problem = WriteSheet(workbook, extra[i].name, extra[i].csv, bold, ratio);
  }
  lxw_error closed = workbook_close(workbook);  // frees the workbook whatever happened
  if (problem.empty() && closed != LXW_NO_ERROR) problem = "kan ikke skrives" + LxwMessage(closed);
  if (!problem.empty()) {
    std::filesystem::remove(path, ec);
    return Status::IOError(path + ": " + problem);
  }
  return Status::Ok();
}

}  // namespace dfdg::measure
