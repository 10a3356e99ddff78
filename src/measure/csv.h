// A small CSV reader for the measurement input (docs/measurement-input.md): header line, `,` separator,
// optional `"` quoting, `\n` or `\r\n` line ends, empty lines skipped.
//
// Contract: Open() reads the whole file and checks the header against the allowed columns (unknown, duplicate
// or missing required columns are errors). Next() yields one row at a time with its 1-based line number;
// Field(col) returns the field of a column index from Column(), or "" for an absent optional column.
#pragma once

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dfdg::measure {

class CsvReader {
 public:
  // `required` and `optional` are the allowed column names.
  Status Open(const std::string& path, const std::vector<std::string>& required,
              const std::vector<std::string>& optional);
  // Advances to the next non-empty row. False at the end. A malformed row (bad quoting, wrong field count)
  // sets `row_error` and still returns true.
  bool Next();
  int line() const { return line_; }
  const std::string& row_error() const { return row_error_; }
  // Column index of `name` (-1 when the file does not have it).
  int Column(std::string_view name) const;
  std::string_view Field(int column) const;

 private:
  bool SplitLine(std::string_view line);
  void Refill();  // drops consumed bytes and reads the next chunk of the file

  std::ifstream in_;
  bool eof_ = false;
  std::string data_;
  size_t pos_ = 0;
  int line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::vector<std::string> unquoted_;  // storage for fields that needed unquoting
  std::string row_error_;
};

// True when `path` exists as a regular file.
bool FileExists(const std::string& path);

}  // namespace dfdg::measure
