// Names of the model's enumerations, input types and where values were written.
#include <array>
#include <utility>

#include "manifest/text.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/manifest/parser.hpp"

namespace secpilot::manifest {
namespace {

using detail::iequals;

constexpr std::array<std::pair<std::string_view, Format>, 8> kFormats{{
    {"Native", Format::Native},
    {"GPT", Format::GPT},
    {"API", Format::API},
    {"MCP", Format::MCP},
    {"KQL", Format::KQL},
    {"Agent", Format::Agent},
    {"LogicApp", Format::LogicApp},
    {"Promptbook", Format::Promptbook},
}};

constexpr std::array<std::string_view, 15> kEntityTypes{
    "ip",  "domain",          "url",  "email", "hash",        "md5",    "sha1", "sha256",
    "cve", "mitre_technique", "host", "user",  "incident_id", "script", "kql"};
constexpr std::array<std::string_view, 6> kJsonTypes{"string",  "number", "integer",
                                                     "boolean", "object", "array"};

// Spellings seen in manifests and OpenAPI specs, compared after lower-casing and dropping
// '_', '-' and spaces.
constexpr std::pair<std::string_view, std::string_view> kTypeAliases[] = {
    {"mitretechnique", "mitre_technique"},
    {"incidentid", "incident_id"},
    {"ipaddress", "ip"},
    {"ipaddr", "ip"},
    {"ipv4", "ip"},
    {"ipv6", "ip"},
    {"ipv4address", "ip"},
    {"ipv6address", "ip"},
    {"domainname", "domain"},
    {"fqdn", "domain"},
    {"uri", "url"},
    {"link", "url"},
    {"emailaddress", "email"},
    {"mail", "email"},
    {"mailaddress", "email"},
    {"filehash", "hash"},
    {"md5hash", "md5"},
    {"sha1hash", "sha1"},
    {"sha256hash", "sha256"},
    {"cveid", "cve"},
    {"vulnerability", "cve"},
    {"technique", "mitre_technique"},
    {"techniqueid", "mitre_technique"},
    {"mitre", "mitre_technique"},
    {"mitreattack", "mitre_technique"},
    {"attacktechnique", "mitre_technique"},
    {"ttp", "mitre_technique"},
    {"hostname", "host"},
    {"device", "host"},
    {"devicename", "host"},
    {"computer", "host"},
    {"computername", "host"},
    {"machine", "host"},
    {"upn", "user"},
    {"account", "user"},
    {"accountname", "user"},
    {"username", "user"},
    {"userprincipalname", "user"},
    {"incident", "incident_id"},
    {"commandline", "script"},
    {"kusto", "kql"},
    {"kustoquery", "kql"},
    {"str", "string"},
    {"text", "string"},
    {"float", "number"},
    {"double", "number"},
    {"decimal", "number"},
    {"int", "integer"},
    {"long", "integer"},
    {"bool", "boolean"},
    {"dict", "object"},
    {"map", "object"},
    {"json", "object"},
    {"list", "array"},
};

}  // namespace

std::string_view format_name(Format format) noexcept {
  for (const auto& [name, value] : kFormats)
    if (value == format) return name;
  return "Unknown";
}

std::optional<Format> parse_format(std::string_view text) noexcept {
  for (const auto& [name, value] : kFormats)
    if (iequals(text, name)) return value;
  if (iequals(text, "LogicApps") || iequals(text, "Logic App")) return Format::LogicApp;
  if (iequals(text, "Promptbooks")) return Format::Promptbook;
  return std::nullopt;
}

std::string_view side_effects_name(SideEffects effects) noexcept {
  switch (effects) {
    case SideEffects::None:
      return "none";
    case SideEffects::Read:
      return "read";
    case SideEffects::Write:
      return "write";
    case SideEffects::Destructive:
      return "destructive";
  }
  return "read";
}

std::optional<SideEffects> parse_side_effects(std::string_view text) noexcept {
  for (SideEffects effects :
       {SideEffects::None, SideEffects::Read, SideEffects::Write, SideEffects::Destructive})
    if (iequals(text, side_effects_name(effects))) return effects;
  return std::nullopt;
}

std::string_view isolation_name(Isolation isolation) noexcept {
  return isolation == Isolation::InProcess ? "InProcess" : "Process";
}

std::optional<Isolation> parse_isolation(std::string_view text) noexcept {
  if (iequals(text, "InProcess") || iequals(text, "in-process") || iequals(text, "in_process"))
    return Isolation::InProcess;
  if (iequals(text, "Process") || iequals(text, "OutOfProcess") ||
      iequals(text, "out-of-process") || iequals(text, "out_of_process"))
    return Isolation::Process;
  return std::nullopt;
}

bool is_entity_type(std::string_view canonical) noexcept {
  for (std::string_view type : kEntityTypes)
    if (type == canonical) return true;
  return false;
}

bool is_known_input_type(std::string_view canonical) noexcept {
  if (is_entity_type(canonical)) return true;
  for (std::string_view type : kJsonTypes)
    if (type == canonical) return true;
  return false;
}

bool is_accepted_kind(std::string_view canonical) noexcept {
  for (std::string_view kind : {"text", "json", "prompt", "session", "timespan", "datetime",
                                "file_path", "cidr", "mitre_tactic"})
    if (canonical == kind) return true;
  return is_entity_type(canonical);
}

std::string canonical_input_type(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  for (char c : text)
    if (c != '_' && c != '-' && c != ' ') key += detail::ascii_lower(c);
  for (std::string_view type : kEntityTypes)
    if (key == type) return std::string(type);
  for (std::string_view type : kJsonTypes)
    if (key == type) return std::string(type);
  for (const auto& [alias, canonical] : kTypeAliases)
    if (key == alias) return std::string(canonical);
  return {};
}

void FieldLocations::add(std::string field, int line, int column) {
  marks_.push_back({std::move(field), line, column});
}

bool FieldLocations::contains(std::string_view field) const noexcept {
  for (const Mark& mark : marks_)
    if (iequals(mark.field, field)) return true;
  return false;
}

SourceLocation FieldLocations::find(std::string_view field, const SourceLocation& fallback) const {
  for (const Mark& mark : marks_)
    if (iequals(mark.field, field)) return {fallback.file, mark.line, mark.column};
  return fallback;
}

std::string not_executable_reason(Format format) {
  switch (format) {
    case Format::Native:
      return {};
    case Format::GPT:
      return "GPT skills need a language model: configure the daemon's model: section "
             "(docs/model.md)";
    case Format::API:
      return {};
    case Format::MCP:
      return {};  // the server's tools are skills once it started (plugin/mcp_binding.hpp)
    case Format::KQL:
      return "KQL skills need a query backend, which this build does not include yet";
    case Format::Agent:
      return "Agent skills run a model loop over child skills, which this build does not include "
             "yet";
    case Format::LogicApp:
      return "LogicApp skills trigger an Azure Logic App, which this build does not support yet";
    case Format::Promptbook:
      return "Promptbook skills run through the orchestrator, which this build does not include "
             "yet";
    case Format::Unknown:
      break;
  }
  return "the skill group's Format is unknown";
}

}  // namespace secpilot::manifest
