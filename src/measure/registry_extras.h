// The keys of a stored fact's `extra` JSON that the measurement reads, from either path of registry_input.cc:
// a parsed JSON value, or the stored text scanned without building it. Internal to src/measure.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "measure/input.h"

namespace dfdg::measure {

// The interview form of a stored key ("personligt", "digitalt"/"video", "telefonisk"/"telefon"; else andet).
InterviewForm FormOf(std::string_view key);

// The keys of a fact's `extra` JSON that the measurement reads (`form` already mapped; absent = andet).
struct Extras {
  InterviewForm form = InterviewForm::kAndet;
  bool expected_back_13w = false;
  bool first_contact = false;
  bool standby = false;
};

// The read keys of a parsed `extra` (anything but an object gives the defaults).
Extras FromJson(const nlohmann::json& extra);

// Reads the top-level keys of a JSON object without building it: string values and true/false are taken,
// nested values skipped. Returns false when the text is not that simple (an escape anywhere, not an object,
// malformed); the caller then parses it fully. Stored extras are nlohmann dumps (compact, no whitespace).
bool ScanTopLevel(std::string_view s, Extras* out);

}  // namespace dfdg::measure
