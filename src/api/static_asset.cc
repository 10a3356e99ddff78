#include "api/static_asset.h"

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace dfdg::api {

std::string Fnv64Hex(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

bool AcceptsGzip(const std::string& accept_encoding) {
  std::stringstream in(accept_encoding);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    std::string name =
        item.substr(b, item.find(';', b) == std::string::npos ? std::string::npos : item.find(';', b) - b);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name != "gzip") continue;
    size_t q = item.find("q=");
    return q == std::string::npos || std::atof(item.c_str() + q + 2) > 0;
  }
  return false;
}

bool EtagMatches(const std::string& if_none_match, const std::string& etag) {
  if (etag.empty() || if_none_match.empty()) return false;
  std::string plain = etag.rfind("W/", 0) == 0 ? etag.substr(2) : etag;
  std::stringstream in(if_none_match);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    if (item == "*") return true;
    if (item.rfind("W/", 0) == 0) item = item.substr(2);
    if (item == plain) return true;
  }
  return false;
}

std::string Gzip(std::string_view bytes) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

StaticFile ReadStatic(const std::string& path, bool gzip_ok) {
  StaticFile out;
  std::ifstream plain(path, std::ios::binary);
  if (!plain) return out;
  out.found = true;
  std::ifstream gz;
  if (gzip_ok) gz.open(path + ".gz", std::ios::binary);
  bool use_gz = gz.is_open() && gz.good();
  std::stringstream buffer;
  if (use_gz) {
    buffer << gz.rdbuf();
    out.encoding = "gzip";
  } else {
    buffer << plain.rdbuf();
  }
  out.body = buffer.str();
  out.etag = std::string("\"").append(Fnv64Hex(out.body)).append(use_gz ? "-gz" : "").append("\"");
  return out;
}

}  // namespace dfdg::api
