// The statistics API's `format=xlsx` answer (docs/statistics.md): one sheet "data" written with libxlsxwriter.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace dfdg::api {

// The rows (each holds every column) as an .xlsx file's bytes: the header bold and frozen, numbers as number cells
// (fractions with 4 decimals), ".." for a suppressed (null) value. IOError when the workbook cannot be written.
Result<std::string> StatsXlsx(const std::vector<std::string>& columns,
                              const std::vector<std::map<std::string, nlohmann::ordered_json>>& rows);

}  // namespace dfdg::api
