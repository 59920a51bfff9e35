#include "secpilot/config/settings.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/settings_yaml.hpp"

namespace secpilot::config {
namespace detail {
namespace {

using Values = std::map<std::string, std::string, CaseInsensitiveLess>;

// Reads a mapping of scalar values, expanding environment references. `kind` is "setting" or
// "secret"; a secret's value never appears in a message.
void read_values(const YAML::Node& key, const YAML::Node& node, std::string_view kind, Values& out,
                 YamlProblems& problems) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    problems.push_back({value_mark(key, node), "expected a mapping of NAME: value — write one " +
                                                   std::string(kind) + " per line"});
    return;
  }
  for (const auto& item : node) {
    const std::string name = item.first.Scalar();
    if (!item.second.IsScalar()) {
      problems.push_back({value_mark(item.first, item.second),
                          std::string(kind) + " '" + name + "' must be a single value (quote it)"});
      continue;
    }
    auto value = expand_environment(item.second.Scalar());
    if (!value) {
      problems.push_back({value_mark(item.first, item.second),
                          std::string(kind) + " '" + name + "': " + value.error().message});
      continue;
    }
    out[name] = std::move(*value);
  }
}

void read_egress(const YAML::Node& key, const YAML::Node& node, std::vector<std::string>& out,
                 YamlProblems& problems) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    problems.push_back({value_mark(key, node), "egress must be a list of host patterns"});
    return;
  }
  for (const auto& host : node) {
    if (!host.IsScalar() || host.Scalar().empty()) {
      problems.push_back({host.Mark(),
                          "each egress entry must be one host pattern — write e.g. "
                          "\"api.example.com\" or \"*.example.com\""});
      continue;
    }
    out.push_back(host.Scalar());
  }
}

void read_plugin(const YAML::Node& key, const YAML::Node& node, PluginSettings& out,
                 YamlProblems& problems) {
  if (!node.IsMap()) {
    problems.push_back({value_mark(key, node),
                        "expected settings:, secrets: and egress: under the plugin's name"});
    return;
  }
  for (const auto& item : node) {
    if (key_is(item.first, "settings")) {
      read_values(item.first, item.second, "setting", out.values, problems);
    } else if (key_is(item.first, "secrets")) {
      read_values(item.first, item.second, "secret", out.secrets, problems);
    } else if (key_is(item.first, "egress")) {
      read_egress(item.first, item.second, out.egress, problems);
    } else {
      problems.push_back({item.first.Mark(), "unknown key '" + item.first.Scalar() +
                                                 "' — use settings, secrets or egress"});
    }
  }
}

}  // namespace

YAML::Mark value_mark(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull() || value.Mark().is_null()) return key.Mark();
  return value.Mark();
}

std::string yaml_location(std::string_view origin, const YAML::Mark& mark) {
  if (mark.is_null()) return std::string(origin);
  return std::string(origin) + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

bool key_is(const YAML::Node& key, std::string_view name) {
  return key.IsScalar() && !CaseInsensitiveLess{}(key.Scalar(), name) &&
         !CaseInsensitiveLess{}(name, key.Scalar());
}

void SettingsYaml::read_plugins(const YAML::Node& key, const YAML::Node& section, Settings& out,
                                YamlProblems& problems) {
  if (section.IsNull()) return;
  if (!section.IsMap()) {
    problems.push_back(
        {value_mark(key, section), "plugins: must map plugin names to their settings"});
    return;
  }
  for (const auto& plugin : section)
    read_plugin(plugin.first, plugin.second, out.plugins_[plugin.first.Scalar()], problems);
}

void SettingsYaml::read_query_backends(const YAML::Node& key, const YAML::Node& section,
                                       Settings& out, YamlProblems& problems) {
  if (section.IsNull()) return;
  if (!section.IsMap()) {
    problems.push_back({value_mark(key, section),
                        "query_backends: must be a mapping of KQL Targets to skills — write "
                        "Defender: LogHunt.RunKql indented under it"});
    return;
  }
  for (const auto& item : section) {
    const std::string skill = item.second.IsScalar() ? item.second.Scalar() : "";
    const auto dot = skill.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == skill.size()) {
      problems.push_back({value_mark(item.first, item.second),
                          "query_backends." + item.first.Scalar() +
                              " must name a skill as Plugin.Skill — e.g. LogHunt.RunKql"});
      continue;
    }
    out.query_backends_[item.first.Scalar()] = skill;
  }
}

Expected<Settings> settings_from_yaml(const YAML::Node& root, const std::string& origin) {
  Settings settings;
  if (root.IsNull()) return settings;
  YamlProblems problems;
  if (!root.IsMap()) {
    problems.push_back({root.Mark(), "expected a mapping with plugins: and security: sections"});
  } else {
    for (const auto& section : root) {
      if (key_is(section.first, "plugins")) {
        SettingsYaml::read_plugins(section.first, section.second, settings, problems);
      } else if (key_is(section.first, "security")) {
        SettingsYaml::read_security(section.first, section.second, settings, problems);
      } else if (key_is(section.first, "query_backends")) {
        SettingsYaml::read_query_backends(section.first, section.second, settings, problems);
      } else {
        problems.push_back(
            {section.first.Mark(), "unknown section '" + section.first.Scalar() +
                                       "' — use plugins, security or query_backends"});
      }
    }
  }
  if (problems.empty()) return settings;
  // The settings file reports its first problem, as it always has.
  return make_error(Status::invalid_input,
                    yaml_location(origin, problems.front().mark) + ": " + problems.front().text);
}

}  // namespace detail

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

Expected<std::string> expand_environment(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] != '{') {
      out += text[i];
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos)
      return make_error(Status::invalid_input, "unterminated ${...} reference");
    std::string_view inner = text.substr(i + 2, close - i - 2);
    std::optional<std::string_view> fallback;
    if (auto sep = inner.find(":-"); sep != std::string_view::npos) {
      fallback = inner.substr(sep + 2);
      inner = inner.substr(0, sep);
    }
    const std::string name(inner);
    if (const char* value = std::getenv(name.c_str()); value && *value) {
      out += value;
    } else if (fallback) {
      out += *fallback;
    } else {
      return make_error(Status::invalid_input, "environment variable " + name +
                                                   " is not set — export it, or write ${" + name +
                                                   ":-default}");
    }
    i = close;
  }
  return out;
}

Expected<Settings> Settings::parse(std::string_view yaml, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return make_error(Status::invalid_input, detail::yaml_location(origin, e.mark) + ": " + e.msg);
  }
  return detail::settings_from_yaml(root, origin);
}

Expected<Settings> Settings::load(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file)
    return make_error(Status::not_found, "cannot read settings file " + path.string() +
                                             " — check the path given to --settings");
  std::stringstream text;
  text << file.rdbuf();
  return parse(text.str(), path.string());
}

const PluginSettings* Settings::plugin(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : &it->second;
}

const std::string* Settings::query_backend(std::string_view target) const {
  auto it = query_backends_.find(target);
  return it == query_backends_.end() ? nullptr : &it->second;
}

}  // namespace secpilot::config
