// Plugin settings and secrets, read from a YAML settings file. Values may reference environment
// variables (${NAME} or ${NAME:-fallback}) so secrets need not be written into the file.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "secpilot/util/expected.hpp"

namespace secpilot::config {

namespace detail {
struct SettingsYaml;  // reads the YAML sections (the settings file, the daemon's config)
}

// Orders strings case-insensitively (ASCII): setting and plugin names match that way.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept;
};

struct PluginSettings {
  std::map<std::string, std::string, CaseInsensitiveLess> values;   // non-secret settings
  std::map<std::string, std::string, CaseInsensitiveLess> secrets;  // never logged or echoed
  std::vector<std::string> egress;  // hosts this plugin may reach (see net::EgressPolicy)
};

// The settings file:
//   plugins:
//     RedCanary:
//       settings: { InstanceURL: "https://acme.my.redcanary.co" }
//       secrets:  { ApiToken: "${REDCANARY_TOKEN}" }
//       egress:   [ "acme.my.redcanary.co" ]
//   security:
//     allow_writable_plugins: false
//   query_backends:              # which skill runs KQL skills' queries, by their Target
//     Defender: LogHunt.RunKql
//     Sentinel: LogHunt.RunKql
class Settings {
 public:
  // Errors name the file, line and column, and what to do (e.g. an unset environment variable).
  static Expected<Settings> load(const std::filesystem::path& path);
  static Expected<Settings> parse(std::string_view yaml, const std::string& origin);

  // Settings for one plugin (case-insensitive name), or nullptr when the file has none.
  const PluginSettings* plugin(std::string_view name) const;
  bool allow_writable_plugins() const noexcept { return allow_writable_plugins_; }
  // The skill ("Plugin.Skill") configured for a KQL Target, or nullptr (then a skill declaring
  // itself a QueryBackend for the Target is used).
  const std::string* query_backend(std::string_view target) const;
  const std::map<std::string, std::string, CaseInsensitiveLess>& query_backends() const noexcept {
    return query_backends_;
  }

 private:
  friend struct detail::SettingsYaml;

  std::map<std::string, PluginSettings, CaseInsensitiveLess> plugins_;
  bool allow_writable_plugins_ = false;
  std::map<std::string, std::string, CaseInsensitiveLess> query_backends_;
};

// Expands ${NAME} and ${NAME:-fallback}; "$$" is a literal "$". An unset variable with no fallback
// is an error naming it.
Expected<std::string> expand_environment(std::string_view text);

}  // namespace secpilot::config
