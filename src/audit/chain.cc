#include "audit/chain.h"

#include <openssl/evp.h>

namespace dfdg::audit {

const std::string kZeroHash(64, '0');

std::string RowHash(const std::string& prev_hash, const AuditEntry& e) {
  std::string data = prev_hash;
  for (const std::string* field : {&e.at, &e.system, &e.controller, &e.cpr, &e.operation, &e.outcome, &e.request_id}) {
    data += '\x1f';
    data += *field;
  }
  data += '\x1f';
  data += std::to_string(e.seq);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Status ChainVerifier::Next(const AuditEntry& e) {
  int64_t expected = rows_ + 1;
  if (e.seq != expected) {
    return Status::Corruption("audit row " + std::to_string(expected) + " is missing (next row is " +
                              std::to_string(e.seq) + ")");
  }
  if (RowHash(head_, e) != e.hash) {
    return Status::Corruption("audit row " + std::to_string(e.seq) + " does not match its hash (changed or moved)");
  }
  head_ = e.hash;
  ++rows_;
  return Status::Ok();
}

}  // namespace dfdg::audit
