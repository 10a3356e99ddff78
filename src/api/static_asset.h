// Validators and precompression for what the pages load (docs/performance.md "Pages"): the bundled files of
// build/web and the stored statistics. An answer carries an ETag; the client revalidates (Cache-Control:
// no-cache) and gets 304 without a body while the bytes are unchanged. A script is sent as its precompressed
// FILE.gz (written by web/build.mjs) when the client accepts gzip.
#pragma once

#include <string>
#include <string_view>

namespace dfdg::api {

// FNV-1a 64-bit of `bytes` as 16 lower-case hex digits.
std::string Fnv64Hex(std::string_view bytes);

// True when an Accept-Encoding header value lists gzip (without q=0).
bool AcceptsGzip(const std::string& accept_encoding);

// True when an If-None-Match header value names `etag` (a list, "*", or W/ prefixes are understood).
bool EtagMatches(const std::string& if_none_match, const std::string& etag);

struct StaticFile {
  bool found = false;
  std::string body;
  std::string etag;      // quoted, e.g. "\"9f0c…\"" (the gzip file has its own)
  std::string encoding;  // "gzip" when body is FILE.gz, else empty
};

// `bytes` gzip-compressed (zlib, level 6): for answers computed per request; a few hundred µs for 100 kB, where
// cpp-httplib's own brotli at quality 11 takes 15 ms and more. Empty on failure (the caller sends `bytes` as is).
std::string Gzip(std::string_view bytes);

// Reads `path` (or `path`.gz when `gzip_ok` and that file exists). found = false when `path` is missing.
StaticFile ReadStatic(const std::string& path, bool gzip_ok);

}  // namespace dfdg::api
