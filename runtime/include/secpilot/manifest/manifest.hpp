// The manifest model: a plugin as Security Copilot describes it (Descriptor + SkillGroups), plus
// secpilot's extensions (Native format, typed inputs, Outputs, SideEffects, timeouts, aliases).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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

// Where the values of an entry's fields were written, keyed by field name ("Name", "Type",
// "Settings.Template", "Aliases/0"; case-insensitive), so that lint can point at the offending
// value rather than at the entry.
class FieldLocations {
 public:
  void add(std::string field, int line, int column);
  bool contains(std::string_view field) const noexcept;
  // The value's location (in fallback.file), or `fallback` when the field was not written.
  SourceLocation find(std::string_view field, const SourceLocation& fallback) const;

 private:
  struct Mark {
    std::string field;
    int line = 0;
    int column = 0;
  };
  std::vector<Mark> marks_;
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
// Whether `canonical` is one of the entity types (not a plain JSON type): what Outputs.Entities
// may name.
bool is_entity_type(std::string_view canonical) noexcept;
// What an input's Accepts may list: an entity type (file_path, cidr and mitre_tactic too), or
// text (a pasted block), json (a pasted JSON document), prompt (the request as written),
// session (the session so far, exported), timespan (7d), datetime (ISO 8601).
bool is_accepted_kind(std::string_view canonical) noexcept;
// Lower-cases and resolves aliases ("IPAddress" -> "ip", "bool" -> "boolean"); empty if unknown.
std::string canonical_input_type(std::string_view text);

struct Input {
  std::string name;
  std::string description;
  std::string type = "string";  // canonical, see canonical_input_type
  bool required = true;
  std::optional<std::string> default_value;  // DefaultValue / Default
  std::string placeholder;                   // PlaceholderValue
  // What the planners may fill the input with (secpilot extensions, docs/manifest.md): kinds
  // beyond its Type (`Accepts: [ip, domain, url, hash]`, see is_accepted_kind), the values it
  // takes (`AcceptableValues`) and words that mean each of them (`Synonyms`).
  std::vector<std::string> accepts;
  std::vector<std::string> acceptable_values;
  std::vector<std::pair<std::string, std::vector<std::string>>> synonyms;
  SourceLocation where;
  boost::json::object extra;  // unknown keys, kept as written
  FieldLocations fields;
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
  // Extension: the KQL Targets (Defender, Sentinel, ...) this skill can run queries for, as a
  // query backend taking the query in an input named `query`.
  std::vector<std::string> query_backend_for;
  // Extension: the one-line summary of a result that opens the answer, a template over the
  // result and the inputs ("**{{verdict}}** for {{inputs.indicator}}"); see docs/manifest.md.
  std::string summary;
  boost::json::object settings;  // per-format skill Settings, keys as written
  boost::json::object extra;     // unknown keys, kept as written
  SourceLocation where;
  FieldLocations fields;
};

// Group settings of Format: Native, read from the group's Settings.
struct NativeSettings {
  std::string library;                 // relative to the manifest's folder
  std::optional<std::string> sha256;   // lower-case hex, when pinned
  std::optional<std::string> abi;      // "MAJOR.MINOR" as written, when given
  std::optional<Isolation> isolation;  // InProcess | Process; unset = host default
  SourceLocation where;
  FieldLocations fields;
};

struct SkillGroup {
  Format format = Format::Unknown;
  std::string format_text;       // as written, for messages
  boost::json::object settings;  // group Settings, keys as written
  std::optional<NativeSettings> native;
  std::vector<Skill> skills;
  SourceLocation where;
  boost::json::object extra;  // unknown keys, kept as written
  FieldLocations fields;      // "Format", "Skills", "Settings", "Settings.<key as written>"
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
  boost::json::object extra;  // unknown keys (DisplayType, ...), kept as written
  FieldLocations fields;

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
  FieldLocations fields;
};

// AgentDefinitions[].Triggers[]: when an agent runs and on what.
struct AgentTrigger {
  std::string name;
  std::optional<int> poll_period_seconds;  // DefaultPollPeriodSeconds / DefaultPeriodSeconds
  std::string fetch_skill;                 // "Skillset.Skill" or a skill of this manifest
  std::string process_skill;               // the Agent skill each fetched item is given to
  boost::json::object extra;
  SourceLocation where;
  FieldLocations fields;
};

// AgentDefinitions[] (Security Copilot's agent format). Also kept, as written, in Manifest::extra.
struct AgentDefinition {
  std::string name;
  std::string display_name;
  std::string description;
  std::string publisher;
  std::string product;
  std::vector<std::string> required_skillsets;
  std::string single_instance;  // AgentSingleInstanceConstraint: None | Workspace | Tenant
  std::string prompt_skill;
  std::vector<Setting> settings;
  std::vector<AgentTrigger> triggers;
  boost::json::object extra;
  SourceLocation where;
  FieldLocations fields;
};

struct Manifest {
  std::filesystem::path path;  // the file it was read from
  Descriptor descriptor;
  std::vector<SkillGroup> groups;
  boost::json::object extra;            // unknown top-level keys (AgentDefinitions, ...), kept
  boost::json::value raw;               // the whole document as JSON, for round-tripping
  std::vector<AgentDefinition> agents;  // AgentDefinitions, read (they stay in `extra` too)
  SourceLocation where;                 // the document's root
  FieldLocations fields;                // "Descriptor", "SkillGroups", "AgentDefinitions"

  std::filesystem::path directory() const { return path.parent_path(); }
};

}  // namespace secpilot::manifest
