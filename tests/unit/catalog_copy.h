// A copy of the real catalogue (DFDG_SOURCE_DIR/catalog) in a fresh temporary directory, removed when the copy
// goes: the tests that change one declaration and load the result use it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "catalog/catalog.h"

namespace dfdg::testing_util {

class CatalogCopy {
 public:
  // Copies the catalogue to <tmp>/dfdg_<tag>_<pid>_<n> (n counts the copies of this process).
  explicit CatalogCopy(const std::string& tag) {
    dir_ = std::filesystem::temp_directory_path() /
           std::string("dfdg_").append(tag).append("_").append(std::to_string(::getpid())).append("_").append(
               std::to_string(count_++));
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(std::filesystem::path(DFDG_SOURCE_DIR) / "catalog", dir_,
                          std::filesystem::copy_options::recursive);
  }
  ~CatalogCopy() { std::filesystem::remove_all(dir_); }
  CatalogCopy(const CatalogCopy&) = delete;
  CatalogCopy& operator=(const CatalogCopy&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // Writes `text` as file `name` (relative to the copy), replacing any file of that name.
  void Write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }

  // The text of file `name` (relative to the copy).
  std::string Read(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  // Replaces the one occurrence of `from` in file `name` by `to`. A test failure (and no change) when `from` is
  // absent or occurs more than once; returns whether it replaced.
  bool Replace(const std::string& name, const std::string& from, const std::string& to) const {
    std::string text = Read(name);
    size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
      ADD_FAILURE() << name << (at == std::string::npos ? ": not found: " : ": more than once: ") << from;
      return false;
    }
    text.replace(at, from.size(), to);
    Write(name, text);
    return true;
  }

  // Removes the lines of file `name` that contain `needle`. A test failure when there is none; returns whether
  // it removed one.
  bool RemoveLine(const std::string& name, const std::string& needle) const {
    std::istringstream in(Read(name));
    std::string line, text;
    bool found = false;
    while (std::getline(in, line)) {
      if (line.find(needle) != std::string::npos) {
        found = true;
        continue;
      }
      text.append(line).append("\n");
    }
    if (!found) {
      ADD_FAILURE() << name << ": no line with: " << needle;
      return false;
    }
    Write(name, text);
    return true;
  }

  // Loads the copy as the catalogue.
  Result<std::shared_ptr<const catalog::Catalog>> Load() const { return catalog::Catalog::Load(dir_.string()); }

 private:
  std::filesystem::path dir_;
  static inline int count_ = 0;
};

}  // namespace dfdg::testing_util
