// The entity types as a small enum, for the scanners (the public API names them by string).
#pragma once

#include <cstdint>
#include <string_view>

#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding::detail {

enum class Kind : std::uint8_t {
  ip,
  cidr,
  domain,
  url,
  email,
  md5,
  sha1,
  sha256,
  cve,
  mitre_technique,
  mitre_tactic,
  host,
  user,
  file_path,
  incident_id,
  script,
  kql,
};

constexpr std::string_view kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::ip:
      return entity_type::ip;
    case Kind::cidr:
      return entity_type::cidr;
    case Kind::domain:
      return entity_type::domain;
    case Kind::url:
      return entity_type::url;
    case Kind::email:
      return entity_type::email;
    case Kind::md5:
      return entity_type::md5;
    case Kind::sha1:
      return entity_type::sha1;
    case Kind::sha256:
      return entity_type::sha256;
    case Kind::cve:
      return entity_type::cve;
    case Kind::mitre_technique:
      return entity_type::mitre_technique;
    case Kind::mitre_tactic:
      return entity_type::mitre_tactic;
    case Kind::host:
      return entity_type::host;
    case Kind::user:
      return entity_type::user;
    case Kind::file_path:
      return entity_type::file_path;
    case Kind::incident_id:
      return entity_type::incident_id;
    case Kind::script:
      return entity_type::script;
    case Kind::kql:
      return entity_type::kql;
  }
  return {};
}

}  // namespace secpilot::grounding::detail
