#include "api/stats_xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dfdg::api {

using Json = nlohmann::ordered_json;

// The rows as one Excel sheet "data" (libxlsxwriter): the header bold, numbers as number cells (m4 and the
// tilsyn average with 4 decimals), ".." for a suppressed value. Written to a temporary file, read back, removed.
Result<std::string> StatsXlsx(const std::vector<std::string>& columns,
                              const std::vector<std::map<std::string, Json>>& rows) {
  static std::atomic<uint64_t> counter{0};
  std::string path = (std::filesystem::temp_directory_path() /
                      ("dfdg-stats-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".xlsx"))
                         .string();
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return Status::IOError("cannot create " + path);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "data");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* ratio = workbook_add_format(workbook);
  format_set_num_format(ratio, "0.0000");
  for (size_t c = 0; c < columns.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), columns[c].c_str(), bold);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const Json& v = rows[r].at(columns[c]);
      auto row = static_cast<lxw_row_t>(r + 1);
      auto col = static_cast<lxw_col_t>(c);
      if (v.is_null()) {
        worksheet_write_string(sheet, row, col, "..", nullptr);
      } else if (v.is_string()) {
        worksheet_write_string(sheet, row, col, v.get<std::string>().c_str(), nullptr);
      } else {
        worksheet_write_number(sheet, row, col, v.get<double>(), v.is_number_float() ? ratio : nullptr);
      }
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_error closed = workbook_close(workbook);
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (closed != LXW_NO_ERROR || buffer.str().empty()) return Status::IOError("cannot write the workbook");
  return buffer.str();
}

}  // namespace dfdg::api
