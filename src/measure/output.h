// Writing the measurement: measures 1-5 (maalinger.csv|json), the skærpet-tilsyn table
// (skaerpet_tilsyn.csv|json), the per-person detail (detaljer.csv|json) and the readable explanation of one
// person-month. Formats are described in docs/measurement.md. Column names and text are Danish.
//
// Contract: every writer returns IOError naming the file when it cannot write; nothing throws. CPR numbers
// are written in full only in the detail file (the job centre's action list) and in `explain`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "measure/aggregate.h"
#include "measure/evaluate.h"
#include "measure/input.h"

namespace dfdg::measure {

enum class Format { kCsv, kJson };

Status WriteMeasures(const std::string& dir, const Aggregates& aggregates, Format format,
                     const std::string& catalog_version);
// Skærpet tilsyn: for each month with 12 months of data in the run, the average of measure 4 for
// "12 måneder og derover" over the latest 12 months (sum / 12; a month with measure 2 = 0 adds 0 and is
// counted in `maaneder_uden_population`), per geography, all benefit groups together.
Status WriteSkaerpetTilsyn(const std::string& dir, const Aggregates& aggregates, Format format);
Status WriteDetail(const std::string& dir, const InputData& input, const std::vector<PersonMonth>& detail,
                   Format format);
// A readable Danish explanation of one person-month.
std::string ExplainText(const InputData& input, const PersonMonth& month, const std::string& catalog_version);
// The same person-month as JSON (GET /v1/Maaling/forklaring, docs/api.md): the detaljer.json row's fields, plus
// `i_maalingen` (measured or exempt), `fritaget`, the exemption days and limit, and `tekst` = ExplainText.
nlohmann::ordered_json ExplainJson(const InputData& input, const PersonMonth& month,
                                   const std::string& catalog_version);

}  // namespace dfdg::measure
