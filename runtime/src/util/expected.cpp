#include "secpilot/util/expected.hpp"

namespace secpilot {

std::string_view status_name(Status status) noexcept {
  switch (status) {
    case Status::ok:
      return "ok";
    case Status::invalid_input:
      return "invalid_input";
    case Status::not_found:
      return "not_found";
    case Status::unauthorized:
      return "unauthorized";
    case Status::rate_limited:
      return "rate_limited";
    case Status::upstream:
      return "upstream";
    case Status::timeout:
      return "timeout";
    case Status::cancelled:
      return "cancelled";
    case Status::internal:
      return "internal";
    case Status::too_large:
      return "too_large";
    case Status::unsupported:
      return "unsupported";
    case Status::forbidden:
      return "forbidden";
  }
  return "internal";
}

Status status_from_abi(int code) noexcept {
  if (code < 0 || code > static_cast<int>(Status::forbidden)) return Status::internal;
  return static_cast<Status>(code);
}

}  // namespace secpilot
