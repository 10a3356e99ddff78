#include <algorithm>

#include "catalog/model.h"

namespace dfdg::catalog {
namespace {

constexpr const char* kActionKeys[kRecordActionCount] = {"create", "change", "correct", "delete", "read"};
constexpr const char* kActionDa[kRecordActionCount] = {"oprette", "ændre", "berigtige", "slette", "læse"};

struct FieldTypeName {
  FieldType type;
  const char* key;
};
constexpr FieldTypeName kFieldTypes[] = {
    {FieldType::kDate, "date"},
    {FieldType::kDateTime, "datetime"},
    {FieldType::kInt, "int"},
    {FieldType::kDecimal, "decimal"},
    {FieldType::kText, "text"},
    {FieldType::kBool, "bool"},
    {FieldType::kCvr, "cvr"},
    {FieldType::kPNumber, "pnumber"},
    {FieldType::kCpr, "cpr"},
    {FieldType::kCode, "code"},
    {FieldType::kMunicipality, "municipality"},
    {FieldType::kList, "list"},
    {FieldType::kTime, "time"},
    {FieldType::kId, "id"},
};

struct SlotName {
  CommandSlot slot;
  const char* key;
  FieldType type;
};
constexpr SlotName kSlots[] = {
    {CommandSlot::kContactGroup, "contact_group", FieldType::kInt},
    {CommandSlot::kReason, "reason", FieldType::kInt},
    {CommandSlot::kRegistrationCategory, "registration_category", FieldType::kInt},
    {CommandSlot::kMunicipality, "municipality", FieldType::kInt},
    {CommandSlot::kLedighedsgrad, "ledighedsgrad", FieldType::kInt},
    {CommandSlot::kVisitation, "visitation", FieldType::kText},
    {CommandSlot::kAkasse, "akasse", FieldType::kText},
    {CommandSlot::kMarking, "marking", FieldType::kText},
    {CommandSlot::kInterviewType, "interview_type", FieldType::kText},
    {CommandSlot::kDeregistrationReason, "deregistration_reason", FieldType::kText},
    {CommandSlot::kComment, "comment", FieldType::kText},
    {CommandSlot::kStart, "start", FieldType::kDate},
    {CommandSlot::kEnd, "end", FieldType::kDate},
    {CommandSlot::kEventDate, "event_date", FieldType::kDate},
    {CommandSlot::kDate, "date", FieldType::kDate},
    {CommandSlot::kAbsenceId, "absence_id", FieldType::kId},
    {CommandSlot::kMindreIntensiv, "mindre_intensiv", FieldType::kBool},
    {CommandSlot::kJobTitles, "job_titles", FieldType::kList},
    {CommandSlot::kTargetId, "target_id", FieldType::kId},
    {CommandSlot::kParticipants, "participants", FieldType::kList},
    {CommandSlot::kTexts, "texts", FieldType::kText},
    {CommandSlot::kDates, "dates", FieldType::kDate},
    {CommandSlot::kFlags, "flags", FieldType::kBool},
};

bool HasChannel(const std::vector<Channel>& list, Channel channel) {
  for (Channel c : list) {
    if (c == channel) return true;
  }
  return false;
}

}  // namespace

const char* RecordActionKey(RecordAction action) { return kActionKeys[static_cast<int>(action)]; }
const char* RecordActionDa(RecordAction action) { return kActionDa[static_cast<int>(action)]; }

std::optional<RecordAction> ParseRecordAction(const std::string& key) {
  for (int i = 0; i < kRecordActionCount; ++i) {
    if (key == kActionKeys[i]) return static_cast<RecordAction>(i);
  }
  return std::nullopt;
}

const char* FieldTypeKey(FieldType type) {
  for (const auto& t : kFieldTypes) {
    if (t.type == type) return t.key;
  }
  return "text";
}

const char* CommandSlotKey(CommandSlot slot) {
  for (const auto& s : kSlots) {
    if (s.slot == slot) return s.key;
  }
  return "none";
}

std::optional<CommandSlot> ParseCommandSlot(const std::string& key) {
  for (const auto& s : kSlots) {
    if (key == s.key) return s.slot;
  }
  return std::nullopt;
}

FieldType CommandSlotType(CommandSlot slot) {
  for (const auto& s : kSlots) {
    if (s.slot == slot) return s.type;
  }
  return FieldType::kText;
}

std::optional<FieldType> ParseFieldType(const std::string& key) {
  for (const auto& t : kFieldTypes) {
    if (key == t.key) return t.type;
  }
  return std::nullopt;
}

bool FieldDecl::RequiredFor(Channel channel) const { return required || HasChannel(required_for, channel); }
bool FieldDecl::AllowedFor(Channel channel) const { return channels.empty() || HasChannel(channels, channel); }

bool ActorRule::May(RecordAction action) const {
  for (RecordAction a : may) {
    if (a == action) return true;
  }
  return false;
}

int RecordType::FieldIndex(const std::string& field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].key == field) return static_cast<int>(i);
  }
  return -1;
}

bool ScopeEntry::CoversGroup(int contact_group, std::optional<int> registration_category) const {
  auto contains = [](const std::vector<int>& list, int value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  if (!all_contact_groups && !contains(contact_groups, contact_group)) return false;
  if (contains(registered_jobseekers_only, contact_group) && !registration_category) return false;
  auto categories = registration_categories.find(contact_group);
  return categories == registration_categories.end() || categories->second.empty() ||
         (registration_category && contains(categories->second, *registration_category));
}

const ScopeEntry* RecordType::ScopeFor(const std::string& key, Channel channel, Date date) const {
  auto find = [&](const std::vector<ScopeEntry>& entries, bool* named) -> const ScopeEntry* {
    for (const ScopeEntry& s : entries) {
      if (s.key != key) continue;
      *named = true;
      if (s.validity.Contains(date)) return &s;
    }
    return nullptr;
  };
  bool named = false;
  for (const ActorRule& actor : actors) {
    if (actor.channel != channel || !actor.validity.Contains(date)) continue;
    const ScopeEntry* own = find(actor.scope, &named);
    if (named) return own;
  }
  return find(scope, &named);
}

const ActorRule* RecordType::ActorOn(Channel channel, Date date) const {
  for (const ActorRule& actor : actors) {
    if (actor.channel == channel && actor.validity.Contains(date)) return &actor;
  }
  return nullptr;
}

}  // namespace dfdg::catalog
