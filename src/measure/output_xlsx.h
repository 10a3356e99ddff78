// Writing the measurement as one Excel workbook, `maalinger.xlsx` (`dfdg measure --format xlsx`), with
// libxlsxwriter. docs/measurement.md "Outputs".
//
// Contract: the workbook has one sheet per table the CSV writer produces, named like the CSV file without
// `.csv` ("maalinger", "skaerpet_tilsyn" and, when `detail` is given, "detaljer"); the columns and values are
// exactly those of the CSV files (the CSV writers in output.cc are the single source of the rows), numeric
// columns are written as numbers (empty cells stay empty), text columns (month, CPR, names, reasons) as text.
// Row 1 is the bold, frozen header. Extra sheets (CSV text given by the caller) follow the same rules. Errors (cannot
// write, a sheet with more rows than Excel allows, a too long text) are returned as IOError with a Danish message
// naming the file; a partial workbook is removed. Nothing throws or aborts.
#pragma once

#include <string>
#include <vector>

#include "measure/aggregate.h"
#include "measure/evaluate.h"
#include "measure/input.h"

namespace dfdg::measure {

// A further sheet: its name and its table as CSV text (header first), e.g. the what-if tables.
struct XlsxSheet {
  std::string name;
  std::string csv;
};

// `detail` may be null: then no "detaljer" sheet is written. `extra` sheets follow the standard ones, in order
// (`--whatif --format xlsx`: whatif_forskel and whatif_personer).
Status WriteXlsx(const std::string& dir, const Aggregates& aggregates, const InputData& input,
                 const std::vector<PersonMonth>* detail, const std::string& catalog_version,
                 const std::vector<XlsxSheet>& extra = {});

}  // namespace dfdg::measure
