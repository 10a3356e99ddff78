#include "registry/batch_render.h"


#include "registry/person.h"
#include "registry/record.h"

namespace dfdg::registry {

using Json = nlohmann::ordered_json;

namespace {

// A fact's end date as JSON: "YYYY-MM-DD" or null.
void AppendEnd(std::string* out, const std::optional<Date>& end) {
  if (!end) {
    *out += "null";
    return;
  }
  out->push_back('"');
  *out += FormatDate(*end);
  out->push_back('"');
}

// The "stored" entry of a record version: {"entity_id", "kind" (the record type), "seq", "action", "deleted"
// (delete marks), "start", "end", "fields"} (docs/records.md).
void AppendStoredRecord(const catalog::Catalog& catalog, std::string* out, const Fact& f) {
  *out += "{\"entity_id\":" + std::to_string(f.entity_id) + ",\"kind\":";
  AppendJsonString(out, f.text);
  *out += ",\"seq\":" + std::to_string(f.seq) + ",\"action\":\"" + RecordActionOf(f) + "\"";
  if (f.deleted) *out += ",\"deleted\":true";
  *out += ",\"start\":\"" + FormatDate(f.start) + "\",\"end\":";
  AppendEnd(out, f.end);
  const catalog::RecordType* type = catalog.FindRecordType(f.text);
  *out += ",\"fields\":";
  if (type) {
    AppendFieldsForOutput(out, *type, RecordFields(f));
  } else {
    *out += "{}";
  }
  out->push_back('}');
}

// The "stored" entry of one fact version, as JSON text (seq filled in after the commit).
void AppendStored(const catalog::Catalog& catalog, std::string* out, const Fact& f) {
  if (f.kind == FactKind::kRecord) {
    AppendStoredRecord(catalog, out, f);
    return;
  }
  *out += "{\"entity_id\":" + std::to_string(f.entity_id) + ",\"kind\":\"" + FactKindKey(f.kind) +
          "\",\"seq\":" + std::to_string(f.seq);
  if (f.deleted) *out += ",\"corrected\":true";
  *out += ",\"start\":\"" + FormatDate(f.start) + "\",\"end\":";
  AppendEnd(out, f.end);
  switch (f.kind) {
    case FactKind::kAbsence:
      *out += ",\"reason\":" + std::to_string(f.code);
      break;
    case FactKind::kContactGroup:
      *out += ",\"contact_group\":" + std::to_string(f.code);
      break;
    case FactKind::kJobseeker:
      *out += ",\"category\":" + std::to_string(f.code);
      break;
    case FactKind::kMunicipality:
      *out += ",\"municipality\":" + std::to_string(f.code);
      break;
    case FactKind::kVisitation:
    case FactKind::kAkasse:
    case FactKind::kMarking:
    case FactKind::kInterview:
    case FactKind::kSummons:
    case FactKind::kDeadline:
    case FactKind::kAkasseChoice:
    case FactKind::kFollowUp:
    case FactKind::kCvStatus:
    case FactKind::kRecord:
    case FactKind::kProject:
      *out += ",\"value\":";
      AppendJsonString(out, f.text);
      break;
  }
  if (f.extra.is_object() && !f.extra.empty()) *out += ",\"details\":" + f.extra.dump();
  out->push_back('}');
}

}  // namespace

Json Rejected(const ParsedCommand& parsed, const std::vector<Violation>& violations) {
  Json out{{"status", "rejected"}, {"command", parsed.name}};
  if (!parsed.id.empty()) out["id"] = parsed.id;
  if (!parsed.masked_cpr.empty()) out["cpr"] = parsed.masked_cpr;
  Json list = Json::array();
  for (const Violation& v : violations) list.push_back(v.ToJson());
  out["violations"] = list;
  return out;
}

std::string RenderAccepted(const catalog::Catalog& catalog, const ParsedCommand& parsed,
                           const std::string& registered_at, const std::vector<Fact>& facts, int64_t seq) {
  const Command& c = *parsed.command;
  std::string out = "{\"status\":\"accepted\",\"command\":\"" + parsed.name + "\"";
  if (!c.id.empty()) {
    out += ",\"id\":";
    AppendJsonString(&out, c.id);
  }
  // A project command names the project subject instead of a person (docs/commands.md "Projects").
  out += c.cpr ? ",\"cpr\":\"" + c.cpr->Masked() : std::string(",\"subject\":\"") + kProjectSubject;
  out += "\",\"registered_at\":\"" + registered_at + "\",\"catalog_version\":\"" + catalog.version() + "\",\"stored\":[";
  for (size_t i = 0; i < facts.size(); ++i) {
    if (i) out.push_back(',');
    AppendStored(catalog, &out, facts[i]);
  }
  out += "]";
  if (seq) out += ",\"seq\":" + std::to_string(seq);
  out += "}";
  return out;
}

}  // namespace dfdg::registry
