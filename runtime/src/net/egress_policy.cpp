// EgressPolicy: matching a host and port against a plugin's allow-list. Kept apart from the HTTP
// client so that it compiles without Asio or Beast.
#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/net/http_client.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::net {
namespace {

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// An IP address in binary form, so that "::1" and "0:0:0:0:0:0:0:1" compare equal.
struct IpAddress {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
};

std::optional<IpAddress> parse_ip(const std::string& text) {
  IpAddress ip;
  if (::inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET;
    return ip;
  }
  if (::inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
    return ip;
  }
  return std::nullopt;
}

// Lower-cased, without IPv6 brackets or a DNS root dot.
std::string normalize_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.size() > 1 && host.back() == '.') {
    host.remove_suffix(1);
  }
  return to_lower(host);
}

struct Pattern {
  std::string host;              // normalized; "*" = any host; "*.suffix" = subdomains of suffix
  std::optional<unsigned> port;  // nullopt = any port
};

std::optional<unsigned> parse_port(std::string_view text) {
  unsigned port = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (ec != std::errc{} || ptr != end || port == 0 || port > 65535) return std::nullopt;
  return port;
}

std::optional<Pattern> parse_pattern(std::string_view text) {
  text = trim_blanks(text);
  if (text.empty()) return std::nullopt;
  Pattern pattern;
  std::string_view host = text;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(0, close + 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      pattern.port = parse_port(rest.substr(1));
      if (!pattern.port) return std::nullopt;
    }
  } else if (const auto colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    host = text.substr(0, colon);
    pattern.port = parse_port(text.substr(colon + 1));
    if (!pattern.port) return std::nullopt;
  }  // else: a name, an IPv4 address, or a bare IPv6 address (any port)
  // The only wildcards are "*" on its own and a leading "*." label followed by a name.
  if (host.find('*') != std::string_view::npos && host != "*") {
    if (host.size() < 3 || host.substr(0, 2) != "*." || host[2] == '.' ||
        host.find('*', 1) != std::string_view::npos) {
      return std::nullopt;
    }
  }
  pattern.host = normalize_host(host);
  if (pattern.host.empty() || pattern.host == "*.") return std::nullopt;
  return pattern;
}

bool host_matches(const std::string& pattern, const std::string& host) {
  if (pattern == "*") return true;
  if (pattern.rfind("*.", 0) == 0) {
    if (parse_ip(host)) return false;  // "*.0.0.1" is not a way to allow addresses
    const std::string_view suffix = std::string_view(pattern).substr(1);  // ".example.com"
    return host.size() > suffix.size() &&
           std::string_view(host).substr(host.size() - suffix.size()) == suffix &&
           host[host.size() - suffix.size() - 1] != '.';
  }
  if (pattern == host) return true;
  const auto pattern_ip = parse_ip(pattern);
  return pattern_ip && pattern_ip == parse_ip(host);
}

}  // namespace

bool EgressPolicy::allows(std::string_view host, unsigned port) const {
  const std::string normalized = normalize_host(host);
  if (normalized.empty() || port == 0 || port > 65535) return false;
  for (const std::string& text : patterns_) {
    const auto pattern = parse_pattern(text);
    if (!pattern) continue;
    if (pattern->port && *pattern->port != port) continue;
    if (host_matches(pattern->host, normalized)) return true;
  }
  return false;
}

}  // namespace secpilot::net
