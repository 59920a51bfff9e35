// The shapes of security entity types (ip, domain, sha256, cve, ...), checked on skill inputs.
#include <string>

#include "secpilot/skills/input_validation.hpp"
#include "util/entity_syntax.hpp"

namespace secpilot::skills {
namespace {

using namespace entity_syntax;

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

bool is_url(std::string_view value) {
  auto scheme = value.find("://");
  return scheme != std::string_view::npos && scheme > 0 && scheme + 3 < value.size();
}

bool is_email(std::string_view value) {
  auto at = value.find('@');
  return at != std::string_view::npos && at > 0 && is_dns_name(value.substr(at + 1), true);
}

bool matches_shape(std::string_view type, std::string_view value) {
  if (type == "ip") return is_ip_or_cidr(value);
  if (type == "domain") return is_dns_name(value, true);
  if (type == "url") return is_url(value);
  if (type == "email") return is_email(value);
  if (type == "md5" || type == "sha1" || type == "sha256") return digest_type(value) == type;
  if (type == "hash") return !digest_type(value).empty();
  if (type == "cve") return is_cve(value);
  if (type == "mitre_technique") return is_mitre_technique(value);
  return !value.empty();  // host, user, incident_id, script, kql: free text, but not empty
}

}  // namespace

bool matches_entity_type(std::string_view type, std::string_view value) {
  return looks_defanged(value) ? matches_shape(type, refang(value)) : matches_shape(type, value);
}

}  // namespace secpilot::skills
