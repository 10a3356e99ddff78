#include "store/sqlite/fact_codec.h"

#include <cstring>

namespace dfdg::store {
namespace {

constexpr uint8_t kRecordVersion = 1;
constexpr int32_t kNoDate = INT32_MIN;

template <typename T>
void Put(std::string* out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // little-endian hosts only (x86_64, aarch64); see docs/storage.md
  out->append(bytes, sizeof(T));
}

void PutString(std::string* out, std::string_view text) {
  Put<uint32_t>(out, static_cast<uint32_t>(text.size()));
  out->append(text.data(), text.size());
}

int32_t DayNumber(Date date) { return static_cast<int32_t>(date.time_since_epoch().count()); }
Date FromDayNumber(int32_t days) { return Date{std::chrono::days{days}}; }

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return pos_ >= bytes_.size(); }
  bool ok() const { return ok_; }

  template <typename T>
  T Get() {
    T value{};
    if (pos_ + sizeof(T) > bytes_.size()) {
      ok_ = false;
      return value;
    }
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }

  std::string GetString() { return std::string(GetView()); }

  // The next length-prefixed string as a view into the bytes.
  std::string_view GetView() {
    uint32_t size = Get<uint32_t>();
    if (!ok_ || pos_ + size > bytes_.size()) {
      ok_ = false;
      return {};
    }
    std::string_view out = bytes_.substr(pos_, size);
    pos_ += size;
    return out;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

void EncodeFact(const registry::Fact& f, std::string* out) {
  Put<uint8_t>(out, kRecordVersion);
  Put<int64_t>(out, f.seq);
  Put<int64_t>(out, f.entity_id);
  Put<int64_t>(out, f.command_seq);
  Put<uint8_t>(out, static_cast<uint8_t>(f.kind));
  Put<int32_t>(out, DayNumber(f.recorded_on));
  Put<uint8_t>(out, f.deleted ? 1 : 0);
  Put<uint8_t>(out, static_cast<uint8_t>(f.channel));
  Put<int32_t>(out, DayNumber(f.start));
  Put<int32_t>(out, f.end ? DayNumber(*f.end) : kNoDate);
  Put<int32_t>(out, f.event_date ? DayNumber(*f.event_date) : kNoDate);
  Put<int32_t>(out, f.code);
  PutString(out, f.actor);
  PutString(out, f.text);
  PutString(out, f.comment);
  PutString(out, f.extra.is_null() ? std::string() : f.extra.dump());
}

namespace {

// Decodes every record; the raw extra text of each fact goes to `extras` (when given) or is parsed into
// Fact::extra (when not).
Status Decode(std::string_view bytes, std::vector<registry::Fact>* out, std::vector<std::string_view>* extras) {
  Reader r(bytes);
  while (!r.done()) {
    registry::Fact f;
    uint8_t version = r.Get<uint8_t>();
    if (version != kRecordVersion) return Status::Corruption("unknown fact record version " + std::to_string(version));
    f.seq = r.Get<int64_t>();
    f.entity_id = r.Get<int64_t>();
    f.command_seq = r.Get<int64_t>();
    uint8_t kind = r.Get<uint8_t>();
    f.recorded_on = FromDayNumber(r.Get<int32_t>());
    f.deleted = r.Get<uint8_t>() != 0;
    uint8_t channel = r.Get<uint8_t>();
    f.start = FromDayNumber(r.Get<int32_t>());
    int32_t end = r.Get<int32_t>();
    int32_t event = r.Get<int32_t>();
    f.code = r.Get<int32_t>();
    f.actor = r.GetString();
    f.text = r.GetString();
    f.comment = r.GetString();
    std::string_view extra = r.GetView();
    if (!r.ok() || kind >= registry::kFactKindCount || channel > static_cast<uint8_t>(catalog::Channel::kUdb)) {
      return Status::Corruption("truncated or invalid fact record");
    }
    f.kind = static_cast<registry::FactKind>(kind);
    f.channel = static_cast<catalog::Channel>(channel);
    if (end != kNoDate) f.end = FromDayNumber(end);
    if (event != kNoDate) f.event_date = FromDayNumber(event);
    if (extras) {
      extras->push_back(extra);
    } else if (!extra.empty()) {
      f.extra = nlohmann::json::parse(extra, nullptr, /*allow_exceptions=*/false);
      if (f.extra.is_discarded()) return Status::Corruption("fact record with unreadable details");
    }
    out->push_back(std::move(f));
  }
  return Status::Ok();
}

}  // namespace

Status DecodeFactRecords(std::string_view bytes, std::vector<FactRecord>* out) {
  Reader r(bytes);
  while (!r.done()) {
    FactRecord& f = out->emplace_back();
    uint8_t version = r.Get<uint8_t>();
    if (version != kRecordVersion) return Status::Corruption("unknown fact record version " + std::to_string(version));
    f.seq = r.Get<int64_t>();
    f.entity_id = r.Get<int64_t>();
    r.Get<int64_t>();  // command_seq
    uint8_t kind = r.Get<uint8_t>();
    f.recorded_on = FromDayNumber(r.Get<int32_t>());
    f.deleted = r.Get<uint8_t>() != 0;
    uint8_t channel = r.Get<uint8_t>();
    f.start = FromDayNumber(r.Get<int32_t>());
    f.end = r.Get<int32_t>();
    f.event_date = r.Get<int32_t>();
    f.code = r.Get<int32_t>();
    f.actor = r.GetView();
    f.text = r.GetView();
    f.comment = r.GetView();
    f.extra = r.GetView();
    if (!r.ok() || kind >= registry::kFactKindCount || channel > static_cast<uint8_t>(catalog::Channel::kDfdg)) {
      return Status::Corruption("truncated or invalid fact record");
    }
    f.kind = static_cast<registry::FactKind>(kind);
    f.channel = static_cast<catalog::Channel>(channel);
  }
  return Status::Ok();
}

Status DecodeFacts(std::string_view bytes, std::vector<registry::Fact>* out) { return Decode(bytes, out, nullptr); }

Status DecodeFactsRaw(std::string_view bytes, std::vector<registry::Fact>* out, std::vector<std::string_view>* extras) {
  return Decode(bytes, out, extras);
}

}  // namespace dfdg::store
