// Erasing personal data when its retention period is over (seed 002 §§ 7.1–7.2, docs/automation.md "Deletion"):
// what is kept of an erased fact version and of the command that wrote it. Shared by both backends.
#pragma once

#include <string>

#include "registry/fact.h"

namespace dfdg::store {

// Erases the content of `fact` in place: comment emptied, `extra` replaced by
// {"action": <the record action, if any>, "fields": {}, "erased": <trace as JSON>}; `text` (the record type or a
// code-like value) and the dates stay. Returns false (and changes nothing) when it was erased before.
bool EraseFactContent(registry::Fact* fact, const std::string& trace);

// The stored request of a command whose facts were erased: {"command": <name>, "erased": true}.
std::string ErasedRequest(const std::string& command);
// The stored result of such a command: {"status": "accepted", "erased": true}.
std::string ErasedResult();

}  // namespace dfdg::store
