#include "catalog/model.h"

namespace dfdg::catalog {

const char* ChannelKey(Channel channel) {
  switch (channel) {
    case Channel::kJobcenter:
      return "jobcenter";
    case Channel::kAkasse:
      return "akasse";
    case Channel::kCitizen:
      return "citizen";
    case Channel::kKsd:
      return "ksd";
    case Channel::kDfdg:
      return "dfdg";
    case Channel::kUdb:
      return "udb";
  }
  return "jobcenter";
}

std::optional<Channel> ParseChannel(const std::string& key) {
  for (Channel c : {Channel::kJobcenter, Channel::kAkasse, Channel::kCitizen, Channel::kKsd, Channel::kDfdg,
                    Channel::kUdb}) {
    if (key == ChannelKey(c)) return c;
  }
  return std::nullopt;
}

const char* ModeKey(Mode mode) { return mode == Mode::kMay ? "may" : "must"; }

const char* AddressingName(Addressing a) {
  switch (a) {
    case Addressing::kMembership:
      return "membership";
    case Addressing::kMunicipality:
      return "municipality";
    case Addressing::kFixed:
      return "id";
    case Addressing::kPerson:
      return "person";
    case Addressing::kRequester:
      return "requester";
  }
  return "id";
}

std::optional<Addressing> ParseAddressing(const std::string& name) {
  for (Addressing a : {Addressing::kMembership, Addressing::kMunicipality, Addressing::kFixed, Addressing::kPerson,
                       Addressing::kRequester}) {
    if (name == AddressingName(a)) return a;
  }
  return std::nullopt;
}

}  // namespace dfdg::catalog
