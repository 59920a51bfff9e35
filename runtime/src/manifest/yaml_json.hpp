// YAML nodes to Boost.JSON values, with YAML 1.2 core-schema typing of plain scalars, and the
// source locations of nodes (yaml-cpp marks are 0-based; ours are 1-based).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <boost/json/value.hpp>

#include "secpilot/manifest/diagnostic.hpp"

namespace secpilot::manifest::detail {

// Unquoted true/false become booleans, integers and floats numbers, null/~/nothing null; quoted
// and block scalars (and !!str) stay strings.
boost::json::value scalar_to_json(const YAML::Node& node);
boost::json::value yaml_to_json(const YAML::Node& node);

enum class KeyCase {
  manifest,  // case-insensitive, except under an "Outputs" key (JSON Schema property names)
  exact,     // everywhere case-sensitive (OpenAPI documents)
};

// yaml_to_json, also reporting keys written twice in one mapping, compared as `key_case` says.
// Nullopt (reported) when aliases expand the document beyond any plausible manifest ("billion
// laughs").
std::optional<boost::json::value> yaml_to_json_checked(const YAML::Node& node,
                                                       const std::string& file,
                                                       std::vector<Diagnostic>& diagnostics,
                                                       KeyCase key_case = KeyCase::manifest);

// A key of a mapping as text (complex keys are written back as YAML).
std::string key_text(const YAML::Node& key);

// 1-based; {file, 0, 0} when yaml-cpp has no mark.
SourceLocation location(const YAML::Node& node, const std::string& file);

// Loads one YAML (or JSON) document; nullopt after reporting a syntax error at its position, with
// what to check there (manifests and promptbooks read their files through it).
std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file,
                                    std::vector<Diagnostic>& diagnostics);

}  // namespace secpilot::manifest::detail
