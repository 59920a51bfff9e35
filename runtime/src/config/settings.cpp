#include "secpilot/config/settings.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace secpilot::config {
namespace {

std::string where(const std::string& origin, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return origin + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Error bad(const std::string& origin, const YAML::Node& node, const std::string& what) {
  return make_error(Status::invalid_input, where(origin, node) + ": " + what);
}

// Reads a mapping of scalar values, expanding environment references.
Outcome read_values(const std::string& origin, const YAML::Node& node,
                    std::map<std::string, std::string, CaseInsensitiveLess>& out) {
  if (!node.IsMap())
    return bad(origin, node, "expected a mapping of NAME: value — write one setting per line");
  for (const auto& item : node) {
    if (!item.second.IsScalar())
      return bad(origin, item.second,
                 "setting '" + item.first.Scalar() + "' must be a single value (quote it)");
    auto value = expand_environment(item.second.Scalar());
    if (!value)
      return bad(origin, item.second,
                 "setting '" + item.first.Scalar() + "': " + value.error().message);
    out[item.first.Scalar()] = std::move(*value);
  }
  return Done{};
}

bool key_is(const YAML::Node& key, std::string_view name) {
  return !CaseInsensitiveLess{}(key.Scalar(), name) && !CaseInsensitiveLess{}(name, key.Scalar());
}

Outcome read_plugin(const std::string& origin, const YAML::Node& node, PluginSettings& out) {
  if (!node.IsMap())
    return bad(origin, node, "expected settings:, secrets: and egress: under the plugin's name");
  for (const auto& item : node) {
    if (key_is(item.first, "settings")) {
      if (auto done = read_values(origin, item.second, out.values); !done) return done;
    } else if (key_is(item.first, "secrets")) {
      if (auto done = read_values(origin, item.second, out.secrets); !done) return done;
    } else if (key_is(item.first, "egress")) {
      if (!item.second.IsSequence())
        return bad(origin, item.second, "egress must be a list of host patterns");
      for (const auto& host : item.second)
        out.egress.push_back(host.Scalar());
    } else {
      return bad(origin, item.first,
                 "unknown key '" + item.first.Scalar() + "' — use settings, secrets or egress");
    }
  }
  return Done{};
}

}  // namespace

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
  Settings settings;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return make_error(Status::invalid_input, origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                 std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (root.IsNull()) return settings;
  if (!root.IsMap())
    return bad(origin, root, "expected a mapping with plugins: and security: sections");
  for (const auto& section : root) {
    if (key_is(section.first, "plugins")) {
      if (!section.second.IsMap() && !section.second.IsNull())
        return bad(origin, section.second, "plugins: must map plugin names to their settings");
      for (const auto& plugin : section.second) {
        if (auto done =
                read_plugin(origin, plugin.second, settings.plugins_[plugin.first.Scalar()]);
            !done)
          return done.error();
      }
    } else if (key_is(section.first, "security")) {
      for (const auto& item : section.second) {
        if (!key_is(item.first, "allow_writable_plugins"))
          return bad(origin, item.first,
                     "unknown key '" + item.first.Scalar() + "' — use allow_writable_plugins");
        try {
          settings.allow_writable_plugins_ = item.second.as<bool>();
        } catch (const YAML::Exception&) {
          return bad(origin, item.second, "allow_writable_plugins must be true or false");
        }
      }
    } else {
      return bad(origin, section.first,
                 "unknown section '" + section.first.Scalar() + "' — use plugins or security");
    }
  }
  return settings;
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

}  // namespace secpilot::config
