#include "measure/csv.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace dfdg::measure {

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

Status CsvReader::Open(const std::string& path, const std::vector<std::string>& required,
                       const std::vector<std::string>& optional) {
  in_.open(path, std::ios::binary);
  if (!in_) return Status::IOError(path + ": kan ikke læses");
  data_.clear();
  pos_ = 0;
  line_ = 0;
  eof_ = false;
  Refill();
  if (data_.size() >= 3 && data_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // UTF-8 byte-order mark
  if (!Next()) return Status::InvalidArgument(path + ":1: tom fil; første linje skal være en overskrift");
  if (!row_error_.empty()) return Status::InvalidArgument(path + ":1: " + row_error_);
  header_.clear();
  for (auto f : fields_) header_.emplace_back(f);
  for (size_t i = 0; i < header_.size(); ++i) {
    const auto& name = header_[i];
    bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                 std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!known) return Status::InvalidArgument(path + ":1: ukendt kolonne '" + name + "'");
    if (std::count(header_.begin(), header_.end(), name) > 1) {
      return Status::InvalidArgument(path + ":1: kolonnen '" + name + "' står to gange");
    }
  }
  for (const auto& name : required) {
    if (Column(name) < 0) return Status::InvalidArgument(path + ":1: mangler kolonnen '" + name + "'");
  }
  return Status::Ok();
}

void CsvReader::Refill() {
  constexpr size_t kChunk = 1 << 22;
  data_.erase(0, pos_);
  pos_ = 0;
  size_t old = data_.size();
  data_.resize(old + kChunk);
  in_.read(data_.data() + old, static_cast<std::streamsize>(kChunk));
  data_.resize(old + static_cast<size_t>(in_.gcount()));
  if (!in_) eof_ = true;
}

bool CsvReader::Next() {
  while (true) {
    size_t end = data_.find('\n', pos_);
    while (end == std::string::npos && !eof_) {
      size_t searched = data_.size() - pos_;
      Refill();
      end = data_.find('\n', searched);
    }
    if (pos_ >= data_.size()) return false;
    if (end == std::string::npos) end = data_.size();
    std::string_view line(data_.data() + pos_, end - pos_);
    pos_ = end + 1;
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    row_error_.clear();
    if (!SplitLine(line)) return true;
    if (!header_.empty() && fields_.size() != header_.size()) {
      row_error_ = "forventede " + std::to_string(header_.size()) + " felter, fandt " + std::to_string(fields_.size());
    }
    return true;
  }
}

bool CsvReader::SplitLine(std::string_view line) {
  fields_.clear();
  unquoted_.clear();
  unquoted_.reserve(line.size());  // no reallocation: fields_ point into unquoted_
  size_t i = 0;
  while (true) {
    if (i < line.size() && line[i] == '"') {
      std::string value;
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        value.push_back(line[i++]);
      }
      if (!closed || (i < line.size() && line[i] != ',')) {
        row_error_ = "fejl i anførselstegn";
        return false;
      }
      unquoted_.push_back(std::move(value));
      fields_.emplace_back(unquoted_.back());
    } else {
      size_t comma = line.find(',', i);
      if (comma == std::string_view::npos) comma = line.size();
      fields_.push_back(line.substr(i, comma - i));
      i = comma;
    }
    if (i >= line.size()) break;
    ++i;  // skip ','
    if (i == line.size()) {
      fields_.emplace_back();
      break;
    }
  }
  return true;
}

int CsvReader::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view CsvReader::Field(int column) const {
  if (column < 0 || static_cast<size_t>(column) >= fields_.size()) return {};
  return fields_[column];
}

}  // namespace dfdg::measure
