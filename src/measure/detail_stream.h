// Streaming `--detail`: the measurement run that writes detaljer.csv|json while it measures, in bounded memory.
//
// Contract: RunStreamingDetail gives the same aggregates as Run and writes a detail file byte-identical to
// WriteDetail(dir, input, Run(...).detail, format): rows in (month, CPR) order, formatted by WriteDetail itself
// (one batch of rows at a time), so there is one row format. Memory beyond the input and the tables: one chunk
// of persons' rows per thread. The months are measured one after another (a person's spells are rebuilt for
// each month): slower than Run for many months, in exchange for never holding more than a chunk of rows.
// Errors: IOError naming the file; then the partly written file is removed.
#pragma once

#include <string>

#include "measure/engine.h"
#include "measure/output.h"

namespace dfdg::measure {

struct StreamStats {
  size_t rows = 0;            // detail rows written
  size_t max_chunk_rows = 0;  // the most rows one chunk held (the memory bound in rows)
};

Result<RunResult> RunStreamingDetail(const std::string& dir, const InputData& input, const MethodRules& rules,
                                     const RunOptions& options, Format format, StreamStats* stats);

}  // namespace dfdg::measure
