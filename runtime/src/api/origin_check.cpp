#include "api/origin_check.hpp"

#include "secpilot/util/ascii.hpp"

namespace secpilot::api {
namespace {

// The host of scheme://host[:port] (IPv6 with its brackets); empty when it is not one.
std::string_view host_of(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = origin.substr(scheme_end + 3);
  if (rest.find('/') != std::string_view::npos) return {};
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    return close == std::string_view::npos ? std::string_view{} : rest.substr(0, close + 1);
  }
  return rest.substr(0, rest.find(':'));
}

bool loopback_host(std::string_view host) {
  if (iequals_ascii(host, "localhost") || host == "[::1]") return true;
  // 127.0.0.0/8, written as four decimal parts.
  if (!host.starts_with("127.")) return false;
  int parts = 2, digits = 0;  // "127" and the one being read
  for (char c : host.substr(4)) {
    if (c == '.') {
      if (digits == 0) return false;
      ++parts;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 3) {
      ++digits;
    } else {
      return false;
    }
  }
  return parts == 4 && digits > 0;
}

}  // namespace

bool origin_allowed(std::string_view origin, std::span<const std::string> allowed) {
  const std::string_view scheme = origin.substr(0, origin.find("://"));
  if ((scheme == "http" || scheme == "https") && loopback_host(host_of(origin))) return true;
  for (const auto& entry : allowed)
    if (iequals_ascii(entry, origin)) return true;
  return false;
}

}  // namespace secpilot::api
