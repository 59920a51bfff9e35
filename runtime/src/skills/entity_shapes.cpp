// The shapes of security entity types (ip, domain, sha256, cve, ...), checked on skill inputs.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "secpilot/skills/input_validation.hpp"

namespace secpilot::skills {
namespace {

bool is_hex(std::string_view text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// Defanged forms ("1.2.3[.]4", "hxxp://", "a(.)b", "user[@]x") must pass the shape checks.
bool looks_defanged(std::string_view value) {
  return value.find_first_of("[(") != std::string_view::npos || value.rfind("hxxp", 0) == 0;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

std::string refang(std::string_view value) {
  std::string out(value);
  replace_all(out, "[.]", ".");
  replace_all(out, "(.)", ".");
  replace_all(out, "[:]", ":");
  replace_all(out, "[@]", "@");
  replace_all(out, "[://]", "://");
  if (out.rfind("hxxp", 0) == 0) out.replace(0, 4, "http");
  return out;
}

bool is_ip(std::string_view value) {
  if (auto slash = value.find('/'); slash != std::string_view::npos) {  // CIDR
    if (!is_digits(value.substr(slash + 1))) return false;
    value = value.substr(0, slash);
  }
  char text[INET6_ADDRSTRLEN + 1];  // inet_pton wants a NUL-terminated copy
  if (value.size() >= sizeof text) return false;
  value.copy(text, value.size());
  text[value.size()] = '\0';
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, text, buffer) == 1 || ::inet_pton(AF_INET6, text, buffer) == 1;
}

bool is_domain(std::string_view value) {
  if (value.empty() || value.size() > 253 || value.find('.') == std::string_view::npos)
    return false;
  if (value.back() == '.') value.remove_suffix(1);
  std::size_t start = 0;
  while (start <= value.size()) {
    auto end = value.find('.', start);
    if (end == std::string_view::npos) end = value.size();
    auto label = value.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    start = end + 1;
  }
  return true;
}

bool is_url(std::string_view value) {
  auto scheme = value.find("://");
  return scheme != std::string_view::npos && scheme > 0 && scheme + 3 < value.size();
}

bool is_email(std::string_view value) {
  auto at = value.find('@');
  return at != std::string_view::npos && at > 0 && is_domain(value.substr(at + 1));
}

bool is_cve(std::string_view value) {
  if (value.size() < 13) return false;
  std::string upper(value.substr(0, 4));
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "CVE-" && is_digits(value.substr(4, 4)) && value[8] == '-' &&
         is_digits(value.substr(9)) && value.size() - 9 >= 4;
}

bool is_technique(std::string_view value) {
  if (value.size() < 5 || (value[0] != 'T' && value[0] != 't')) return false;
  if (!is_digits(value.substr(1, 4))) return false;
  if (value.size() == 5) return true;
  return value.size() == 9 && value[5] == '.' && is_digits(value.substr(6, 3));
}

bool matches_shape(std::string_view type, std::string_view value) {
  if (type == "ip") return is_ip(value);
  if (type == "domain") return is_domain(value);
  if (type == "url") return is_url(value);
  if (type == "email") return is_email(value);
  if (type == "md5") return is_hex(value, 32);
  if (type == "sha1") return is_hex(value, 40);
  if (type == "sha256") return is_hex(value, 64);
  if (type == "hash") return is_hex(value, 32) || is_hex(value, 40) || is_hex(value, 64);
  if (type == "cve") return is_cve(value);
  if (type == "mitre_technique") return is_technique(value);
  return !value.empty();  // host, user, incident_id, script, kql: free text, but not empty
}

}  // namespace

bool matches_entity_type(std::string_view type, std::string_view value) {
  return looks_defanged(value) ? matches_shape(type, refang(value)) : matches_shape(type, value);
}

}  // namespace secpilot::skills
