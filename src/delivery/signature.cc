#include "delivery/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace dfdg::delivery {

std::string Sign(const std::string& secret, int64_t unix_seconds, const std::string& body) {
  std::string message = std::to_string(unix_seconds);
  message.append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * static_cast<size_t>(length));
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 15]);
  }
  return hex;
}

std::string SignatureHeader(const std::string& key_id, const std::string& secret, int64_t unix_seconds,
                            const std::string& body) {
  std::string header = "t=";
  header.append(std::to_string(unix_seconds)).append(",kid=").append(key_id).append(",v1=");
  header.append(Sign(secret, unix_seconds, body));
  return header;
}

bool Verify(const std::string& header, const std::string& key_id, const std::string& secret, const std::string& body,
            int64_t now_seconds, int64_t max_skew_seconds) {
  std::string t, kid, v1;
  std::stringstream parts(header);
  std::string part;
  while (std::getline(parts, part, ',')) {
    size_t eq = part.find('=');
    if (eq == std::string::npos) return false;
    std::string name = part.substr(0, eq), value = part.substr(eq + 1);
    if (name == "t") t = value;
    if (name == "kid") kid = value;
    if (name == "v1") v1 = value;
  }
  if (t.empty() || kid != key_id || v1.size() != 64) return false;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
  }
  int64_t at = std::strtoll(t.c_str(), nullptr, 10);
  if (at < now_seconds - max_skew_seconds || at > now_seconds + max_skew_seconds) return false;
  std::string expected = Sign(secret, at, body);
  return CRYPTO_memcmp(expected.data(), v1.data(), 64) == 0;
}

}  // namespace dfdg::delivery
