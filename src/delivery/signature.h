// The webhook signature (docs/delivery.md "Signature"): HMAC-SHA256, keyed with the recipient's secret, over
// "<timestamp>.<body>", sent as `X-DFDG-Signature: t=<timestamp>,kid=<key id>,v1=<64 lowercase hex>`.
#pragma once

#include <cstdint>
#include <string>

namespace dfdg::delivery {

// Lowercase hex HMAC-SHA256 of "<unix_seconds>.<body>" with `secret`.
std::string Sign(const std::string& secret, int64_t unix_seconds, const std::string& body);

// The header value for a signature made now.
std::string SignatureHeader(const std::string& key_id, const std::string& secret, int64_t unix_seconds,
                            const std::string& body);

// The receiver's check: `header` parses, names `key_id`, its t is within `max_skew_seconds` of `now_seconds`
// and its v1 equals Sign(secret, t, body) (compared in constant time). Used by the tests and as the reference
// for receivers.
bool Verify(const std::string& header, const std::string& key_id, const std::string& secret, const std::string& body,
            int64_t now_seconds, int64_t max_skew_seconds);

}  // namespace dfdg::delivery
