// A promptbook: a named, ordered list of steps with typed `<param>` parameters, read from a YAML
// (or JSON) file, and its lint. Each step is a free-text prompt or a direct call of one skill.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "secpilot/manifest/diagnostic.hpp"
#include "secpilot/manifest/manifest.hpp"

namespace secpilot::skills {
class Catalog;
}

namespace secpilot::promptbook {

using manifest::Diagnostic;
using manifest::FieldLocations;
using manifest::Severity;
using manifest::SourceLocation;

struct Parameter {
  std::string name;  // written `<name>` in steps: case-sensitive, no spaces
  std::string description;
  std::string type = "string";  // canonical (manifest::canonical_input_type); as written if unknown
  bool required = true;         // false when a Default is given and Required is not written
  std::optional<std::string> default_value;  // Default / DefaultValue, as written
  SourceLocation where;
  FieldLocations fields;      // "Name", "Type", "Required", "Default"
  boost::json::object extra;  // unknown keys, kept as written
};

enum class StepKind { Prompt, Skill };

// One input of a direct skill call, in the order written.
struct StepInput {
  std::string name;
  std::string value;  // scalars as written, mappings and lists as JSON text; may hold `<param>`s
  SourceLocation name_at;
  SourceLocation value_at;
};

struct Step {
  StepKind kind = StepKind::Prompt;
  std::string name;    // optional label
  std::string prompt;  // StepKind::Prompt: the text, with `<param>`s
  std::string skill;   // StepKind::Skill: "Plugin.Skill"
  std::vector<StepInput> inputs;
  SourceLocation where;
  FieldLocations fields;  // "Name", "Prompt", "Skill", "Inputs"
  boost::json::object extra;
};

struct Promptbook {
  std::filesystem::path path;  // the file it was read from
  std::string name;            // an identifier, like a plugin's Descriptor.Name
  std::string display_name;
  std::string description;
  std::vector<std::string> tags;
  std::vector<Parameter> parameters;
  std::vector<Step> steps;
  boost::json::object extra;  // unknown top-level keys, kept
  SourceLocation where;       // the document's root
  FieldLocations fields;      // "Name", "DisplayName", "Description", "Tags", "Parameters", "Steps"

  const Parameter* parameter(std::string_view name) const noexcept;  // exact name
};

struct ParseResult {
  std::optional<Promptbook> promptbook;  // absent when the file could not be read or parsed at all
  std::vector<Diagnostic> diagnostics;   // YAML syntax, wrong node kinds, unknown keys
};

// Parses text as if it were the file `path` (JSON is read as YAML). Keys match
// case-insensitively; unknown keys are kept in `extra` and reported as warnings.
ParseResult parse_promptbook(std::string_view text, const std::filesystem::path& path);
ParseResult parse_promptbook_file(const std::filesystem::path& path);

// Every check on a parsed promptbook (parse diagnostics not included), sorted by position. With a
// catalog, direct calls are also checked against it: the skill exists, takes those inputs, and
// gets every input it requires.
std::vector<Diagnostic> lint(const Promptbook& promptbook,
                             const skills::Catalog* catalog = nullptr);

// Parse + lint in one go: what `secpilot promptbook lint FILE` prints.
std::vector<Diagnostic> lint_file(const std::filesystem::path& path,
                                  const skills::Catalog* catalog = nullptr);

}  // namespace secpilot::promptbook
