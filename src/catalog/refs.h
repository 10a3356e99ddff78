// Small shared types of the catalogue model: source and file references, channels and modes.
#pragma once

#include <optional>
#include <string>

namespace dfdg::catalog {

// Where a rule's text stands: seed id ("001") and 1-based line.
struct SourceRef {
  std::string seed;
  int line = 0;
};

// Where an entry was read from in the catalogue itself (for error messages and traceability).
struct FileRef {
  std::string file;
  int line = 0;
};

// The channel a registration arrives through.
enum class Channel { kJobcenter, kAkasse, kCitizen, kKsd, kDfdg, kUdb };  // kUdb: the youth database
const char* ChannelKey(Channel channel);
std::optional<Channel> ParseChannel(const std::string& key);

// Bilag 1 (must register) or Bilag 2 (may register).
enum class Mode { kMust, kMay };
const char* ModeKey(Mode mode);

}  // namespace dfdg::catalog
