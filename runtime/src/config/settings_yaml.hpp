// Reads the plugins: and security: sections of a parsed YAML document into Settings, collecting
// every problem with its location. Shared by the settings file and the daemon's config file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::config::detail {

// One problem: where, and "what is wrong — how to fix it". Each caller formats the location its
// own way (the daemon's config adds "error:").
struct YamlProblem {
  YAML::Mark mark;
  std::string text;
};
using YamlProblems = std::vector<YamlProblem>;

// Where a value is: the value itself, or its key when the value is an implicit null (yaml-cpp
// places an empty value at the start of the next token, which would point at the wrong line).
YAML::Mark value_mark(const YAML::Node& key, const YAML::Node& value);

// "origin:line:col" (1-based).
std::string yaml_location(std::string_view origin, const YAML::Mark& mark);

bool key_is(const YAML::Node& key, std::string_view name);

// Friend of Settings: fills its private fields. Reading goes on after a problem, so every problem
// in a section is reported at once; a section that is null (written but empty) is fine.
struct SettingsYaml {
  static void read_plugins(const YAML::Node& key, const YAML::Node& section, Settings& out,
                           YamlProblems& problems);
  static void read_security(const YAML::Node& key, const YAML::Node& section, Settings& out,
                            YamlProblems& problems);
  static void read_query_backends(const YAML::Node& key, const YAML::Node& section, Settings& out,
                                  YamlProblems& problems);
};

// A whole settings file whose root holds plugins: and security:. Fails with the first problem,
// formatted "origin:line:col: what — how to fix".
Expected<Settings> settings_from_yaml(const YAML::Node& root, const std::string& origin);

}  // namespace secpilot::config::detail
