// The manifest model: a plugin as Security Copilot describes it (Descriptor + SkillGroups), plus
// secpilot's extensions (Native format, typed inputs, Outputs, SideEffects, timeouts, aliases).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace secpilot::manifest {

// Where a value came from in its file; line and column are 1-based (0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Format { Native, GPT, API, MCP, KQL, Agent, LogicApp, Promptbook, Unknown };
enum class SideEffects { None, Read, Write, Destructive };
enum class Isolation { InProcess, Process };

// Canonical spelling ("Native", "GPT", ...); parse is case-insensitive and knows aliases.
std::string_view format_name(Format format) noexcept;
std::optional<Format> parse_format(std::string_view text) noexcept;
std::string_view side_effects_name(SideEffects effects) noexcept;  // "none", "read", ...
std::optional<SideEffects> parse_side_effects(std::string_view text) noexcept;
std::string_view isolation_name(Isolation isolation) noexcept;  // "InProcess", "Process"
std::optional<Isolation> parse_isolation(std::string_view text) noexcept;

// Input types: security entity types and plain JSON types, lower-case canonical names.
// Entity types: ip domain url email hash md5 sha1 sha256 cve mitre_technique host user
// incident_id script kql. JSON types: string number integer boolean object array.
bool is_known_input_type(std::string_view canonical) noexcept;
// Lower-cases and resolves aliases ("IPAddress" -> "ip", "bool" -> "boolean"); empty if unknown.
std::string canonical_input_type(std::string_view text);

struct Input {
  std::string name;
  std::string description;
  std::string type = "string";  // canonical, see canonical_input_type
  bool required = true;
  std::optional<std::string> default_value;  // DefaultValue / Default
  std::string placeholder;                   // PlaceholderValue
  SourceLocation where;
};

struct Skill {
  std::string name;
  std::string display_name;
  std::string description;
  std::string description_for_model;
  std::vector<std::string> example_prompts;  // ExamplePrompts / ExamplePrompt
  std::vector<Input> inputs;
  std::optional<boost::json::value> outputs;  // a JSON Schema (extension)
  std::vector<std::string> output_entities;   // entity types the result yields (Outputs.Entities)
  SideEffects side_effects = SideEffects::Read;
  std::optional<int> timeout_seconds;
  std::string version;
  std::vector<std::string> aliases;  // earlier names that still resolve
  boost::json::object settings;      // per-format skill Settings, keys as written
  boost::json::object extra;         // unknown keys, kept as written
  SourceLocation where;
};

// Group settings of Format: Native, read from the group's Settings.
struct NativeSettings {
  std::string library;                 // relative to the manifest's folder
  std::optional<std::string> sha256;   // lower-case hex, when pinned
  std::optional<std::string> abi;      // "MAJOR.MINOR" as written, when given
  std::optional<Isolation> isolation;  // InProcess | Process; unset = host default
  SourceLocation where;
};

struct SkillGroup {
  Format format = Format::Unknown;
  std::string format_text;      // as written, for messages
  boost::json::object settings; // group Settings, keys as written
  std::optional<NativeSettings> native;
  std::vector<Skill> skills;
  SourceLocation where;
};

// Descriptor.Settings entries: values a team fills in at install time, referenced as {{Name}}.
struct Setting {
  std::string name;
  std::string label;
  std::string description;
  std::string hint_text;
  std::string type = "string";  // string | bool | array | enum | secretString | number
  bool required = false;
  std::optional<std::string> default_value;
  std::vector<std::string> acceptable_values;
  SourceLocation where;

  bool is_secret() const noexcept { return type == "secretString"; }
};

struct Descriptor {
  std::string name;
  std::string display_name;
  std::string description;
  std::string description_display;
  std::string description_for_model;
  std::string category;
  std::string icon;
  std::string version;
  std::vector<Setting> settings;
  std::vector<std::string> supported_auth_types;
  boost::json::object authorization;  // as written
  boost::json::object extra;          // unknown keys, kept
  SourceLocation where;
};

struct Manifest {
  std::filesystem::path path;  // the file it was read from
  Descriptor descriptor;
  std::vector<SkillGroup> groups;
  boost::json::object extra;  // unknown top-level keys (AgentDefinitions, ...), kept
  boost::json::value raw;     // the whole document as JSON, for round-tripping

  std::filesystem::path directory() const { return path.parent_path(); }
};

}  // namespace secpilot::manifest
