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

// The direct reader of ParseFactExtra: false as soon as the text leaves the form it knows (the caller then
// asks nlohmann::json::parse, which also judges text that is no JSON).
class ExtraReader {
 public:
  explicit ExtraReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}
  bool AtEnd() const { return p_ == end_; }

  bool Value(nlohmann::json* out, int depth) {
    if (p_ == end_ || depth > kMaxDepth) return false;
    switch (*p_) {
      case '{':
        return Object(out, depth);
      case '[':
        return Array(out, depth);
      case '"': {
        std::string text;
        if (!String(&text)) return false;
        *out = std::move(text);
        return true;
      }
      case 't':
        return Literal("true", out, nlohmann::json(true));
      case 'f':
        return Literal("false", out, nlohmann::json(false));
      case 'n':
        return Literal("null", out, nlohmann::json(nullptr));
      default:
        return Number(out);
    }
  }

 private:
  static constexpr int kMaxDepth = 64;

  bool Object(nlohmann::json* out, int depth) {
    ++p_;
    *out = nlohmann::json::object();
    auto& object = out->get_ref<nlohmann::json::object_t&>();
    if (p_ != end_ && *p_ == '}') return ++p_, true;
    while (true) {
      std::string key;
      if (p_ == end_ || *p_ != '"' || !String(&key) || p_ == end_ || *p_ != ':') return false;
      ++p_;
      if (!Value(&object[std::move(key)], depth + 1) || p_ == end_) return false;
      if (*p_ == '}') return ++p_, true;
      if (*p_++ != ',') return false;
    }
  }

  bool Array(nlohmann::json* out, int depth) {
    ++p_;
    *out = nlohmann::json::array();
    auto& array = out->get_ref<nlohmann::json::array_t&>();
    if (p_ != end_ && *p_ == ']') return ++p_, true;
    while (true) {
      if (!Value(&array.emplace_back(), depth + 1) || p_ == end_) return false;
      if (*p_ == ']') return ++p_, true;
      if (*p_++ != ',') return false;
    }
  }

  // A string without escapes or control characters, of valid UTF-8 (RFC 3629, as nlohmann's lexer checks it).
  bool String(std::string* out) {
    const char* begin = ++p_;
    while (p_ != end_) {
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out->assign(begin, p_);
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      if (c < 0x80) {
        ++p_;
        continue;
      }
      int more = 0;
      unsigned char low = 0x80, high = 0xBF;  // the second byte's range
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        if (c == 0xE0) low = 0xA0;
        if (c == 0xED) high = 0x9F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        if (c == 0xF0) low = 0x90;
        if (c == 0xF4) high = 0x8F;
      } else {
        return false;
      }
      if (end_ - p_ <= more) return false;
      for (int i = 1; i <= more; ++i) {
        auto b = static_cast<unsigned char>(p_[i]);
        if (b < (i == 1 ? low : 0x80) || b > (i == 1 ? high : 0xBF)) return false;
      }
      p_ += more + 1;
    }
    return false;
  }

  bool Literal(std::string_view word, nlohmann::json* out, nlohmann::json value) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    *out = std::move(value);
    return true;
  }

  // An integer of at most 18 digits (no fraction, no exponent): number_integer when negative, else
  // number_unsigned, as nlohmann's parser types them.
  bool Number(nlohmann::json* out) {
    bool negative = *p_ == '-';
    if (negative) ++p_;
    const char* digits = p_;
    uint64_t value = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') value = value * 10 + static_cast<uint64_t>(*p_++ - '0');
    size_t count = static_cast<size_t>(p_ - digits);
    if (count == 0 || count > 18 || (digits[0] == '0' && count > 1)) return false;
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    if (negative) {
      *out = -static_cast<int64_t>(value);
    } else {
      *out = value;
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

bool ParseFactExtra(std::string_view text, nlohmann::json* out) {
  ExtraReader reader(text);
  if (reader.Value(out, 0) && reader.AtEnd()) return true;
  *out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return !out->is_discarded();
}

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
    } else if (!extra.empty() && !ParseFactExtra(extra, &f.extra)) {
      return Status::Corruption("fact record with unreadable details");
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
