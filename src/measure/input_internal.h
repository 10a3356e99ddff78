// Internals of the input reader (input.cc): one CSV file being read, with typed field parsers that record a
// Problem (file, line, Danish message) and return false on a bad value. Not for use outside src/measure.
#pragma once

#include <charconv>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "measure/csv.h"
#include "measure/input.h"

namespace dfdg::measure::internal {

// One file being read: the reader plus the problem sink, with typed field parsers that record a problem and
// return false on a bad value.
struct FileCtx {
  std::string name;
  CsvReader csv;
  InputData* data = nullptr;                 // rows go to this file's own vector; by_cpr is only read
  std::vector<Problem>* problems = nullptr;  // this file's problems (files may be read on parallel threads)
  size_t* rows = nullptr;
  bool row_ok = true;

  void Fail(const std::string& message) {
    if (row_ok) problems->push_back({name, csv.line(), message});
    row_ok = false;
  }
  // Column indexes cached by the address of the (literal) name: Get is called for every field of every row.
  std::vector<std::pair<const char*, int>> columns;
  uint64_t last_key = 0;
  uint32_t last_person = 0;

  std::string_view Get(const char* col) {
    for (const auto& [name, index] : columns) {
      if (name == col) return csv.Field(index);
    }
    columns.emplace_back(col, csv.Column(col));
    return csv.Field(columns.back().second);
  }

  bool Person(uint32_t* out) {
    auto text = Get("cpr");
    uint64_t key = CprKey(text);
    if (key != 0 && key == last_key) {  // rows usually come grouped by person
      *out = last_person;
      return true;
    }
    auto it = data->by_cpr.find(key);
    if (it == data->by_cpr.end()) {
      Fail("cpr " + std::string(text.substr(0, std::min<size_t>(6, text.size()))) + "-**** findes ikke i persons.csv");
      return false;
    }
    *out = it->second;
    last_key = key;
    last_person = it->second;
    return true;
  }
  bool DateField(const char* col, Date* out, bool required = true, Date fallback = Date{}) {
    auto text = Get(col);
    if (text.empty()) {
      if (required) Fail("mangler " + std::string(col));
      *out = fallback;
      return !required;
    }
    auto parsed = ParseDate(text);
    if (!parsed.ok()) {
      Fail(std::string(col) + ": ugyldig dato '" + std::string(text) + "' (forventet ÅÅÅÅ-MM-DD)");
      return false;
    }
    *out = *parsed;
    return true;
  }
  bool Period(Date* from, Date* to) {
    if (!DateField("from", from) || !DateField("to", to, false, OpenEnd())) return false;
    if (*to < *from) {
      Fail("to (" + FormatDate(*to) + ") ligger før from (" + FormatDate(*from) + ")");
      return false;
    }
    return true;
  }
  bool IntField(const char* col, int* out, bool required = true, int fallback = 0) {
    auto text = Get(col);
    if (text.empty()) {
      if (required) Fail("mangler " + std::string(col));
      *out = fallback;
      return !required;
    }
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      Fail(std::string(col) + ": ikke et heltal '" + std::string(text) + "'");
      return false;
    }
    return true;
  }
  bool Bool(const char* col, bool* out) {
    auto text = Get(col);
    if (text.empty() || text == "0") {
      *out = false;
    } else if (text == "1") {
      *out = true;
    } else {
      Fail(std::string(col) + ": forventet 0 eller 1, fandt '" + std::string(text) + "'");
      return false;
    }
    return true;
  }
  // Decimal with at most two decimals -> hundredths.
  bool Hundredths(const char* col, int64_t* out) {
    auto text = Get(col);
    *out = 0;
    if (text.empty()) return true;
    int64_t whole = 0;
    int64_t frac = 0;
    int frac_digits = 0;
    bool dot = false;
    bool any = false;
    for (char c : text) {
      if (c == '.' && !dot) {
        dot = true;
      } else if (c >= '0' && c <= '9' && (!dot || frac_digits < 2)) {
        any = true;
        if (dot) {
          frac = frac * 10 + (c - '0');
          ++frac_digits;
        } else {
          whole = whole * 10 + (c - '0');
          if (whole > 1'000'000'000) break;
        }
      } else {
        any = false;
        break;
      }
    }
    if (!any || whole > 1'000'000'000) {
      Fail(std::string(col) + ": ugyldigt tal '" + std::string(text) + "' (højst to decimaler, punktum)");
      return false;
    }
    if (frac_digits == 1) frac *= 10;
    *out = whole * 100 + frac;
    return true;
  }
  template <typename E>
  bool Enum(const char* col, E* out, std::initializer_list<std::pair<const char*, E>> values, bool required,
            E fallback) {
    auto text = Get(col);
    if (text.empty()) {
      if (required) Fail("mangler " + std::string(col));
      *out = fallback;
      return !required;
    }
    for (const auto& [key, value] : values) {
      if (text == key) {
        *out = value;
        return true;
      }
    }
    Fail(std::string(col) + ": ukendt værdi '" + std::string(text) + "'");
    return false;
  }
};

// Reads one file row by row. Returns a Status error for file-level problems; a missing optional file is ok.
inline Status ReadFile(const std::string& dir, const std::string& name, bool required,
                       const std::vector<std::string>& req, const std::vector<std::string>& opt, InputData* data,
                       std::vector<Problem>* problems, size_t* rows, const std::function<void(FileCtx&)>& row) {
  std::string path = (std::filesystem::path(dir) / name).string();
  if (!FileExists(path)) {
    return required ? Status::NotFound(path + ": filen mangler") : Status::Ok();
  }
  FileCtx ctx;
  ctx.name = name;
  ctx.data = data;
  ctx.problems = problems;
  ctx.rows = rows;
  if (auto st = ctx.csv.Open(path, req, opt); !st.ok()) return st;
  while (ctx.csv.Next()) {
    ++*rows;
    ctx.row_ok = true;
    if (!ctx.csv.row_error().empty()) {
      ctx.Fail(ctx.csv.row_error());
      continue;
    }
    row(ctx);
  }
  return Status::Ok();
}

}  // namespace dfdg::measure::internal
