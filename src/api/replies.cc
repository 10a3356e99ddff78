// The replies shared by the server's files (server_impl.h).
#include "api/server_impl.h"

namespace dfdg::api {

Reply Problem(int status, const std::string& key, const std::string& title_da, const std::string& detail_en,
              Json violations) {
  Json body{{"type", std::string("urn:dfdg:problem:").append(key)},
            {"title", title_da},
            {"status", status},
            {"detail", detail_en}};
  if (!violations.is_null()) body["violations"] = std::move(violations);
  return {status, std::move(body), true, ""};
}

// The one answer for every refusal: the same whether or not the person exists.
Reply Refused() { return Problem(403, "forbidden", "Adgang nægtet", "Access denied."); }

// True when `text` holds something shaped like a CPR number: DDMMYY, an optional '-', then 4 digits, with no
// digit right before or after (day 0-3x, month 0-1x, as a cheap pre-check).
bool LooksLikeCpr(std::string_view text) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  for (size_t i = 0; i + 10 <= text.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    size_t j = i;
    while (digit(j) && j - i < 6) ++j;
    if (j - i != 6 || text[i] > '3' || text[i + 2] > '1') continue;
    if (j < text.size() && text[j] == '-') ++j;
    size_t k = j;
    while (digit(k)) ++k;
    if (k - j == 4 || (j - i == 6 && k - i == 10)) return true;
  }
  return false;
}

// The value of the cookie dfdg_dev_system (plain HTTP development only: the pages' stand-in for a client
// certificate), or "".
std::string DevSystemCookie(const std::string& header) {
  const std::string key = "dfdg_dev_system=";
  size_t at = 0;
  while ((at = header.find(key, at)) != std::string::npos) {
    if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') {
      size_t end = header.find(';', at);
      return header.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
    }
    at += key.size();
  }
  return "";
}

// The JSON of one stored fact version (GET resources).
Json FactJson(const registry::Fact& f) {
  Json out{{"entity_id", f.entity_id},
           {"seq", f.seq},
           {"kind", registry::FactKindKey(f.kind)},
           {"recorded_on", FormatDate(f.recorded_on)},
           {"deleted", f.deleted},
           {"channel", catalog::ChannelKey(f.channel)},
           {"start", FormatDate(f.start)}};
  out["end"] = f.end ? Json(FormatDate(*f.end)) : Json(nullptr);
  if (f.event_date) out["event_date"] = FormatDate(*f.event_date);
  if (f.code) out["code"] = f.code;
  if (!f.text.empty()) out["text"] = f.text;
  if (!f.comment.empty()) out["comment"] = f.comment;
  if (!f.extra.is_null()) out["extra"] = f.extra;
  return out;
}

}  // namespace dfdg::api
