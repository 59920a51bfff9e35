// The security: section: which plugins are trusted, and how the others are isolated.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "config/settings_yaml.hpp"
#include "secpilot/config/settings.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::config {
namespace detail {
namespace {

constexpr std::string_view kSecurityKeys =
    "allow_writable_plugins, trusted_sha256, trusted_plugins, trusted_publishers, "
    "require_pinned, isolation, isolation_overrides or runner";
constexpr std::string_view kRunnerKeys =
    "memory_mb, cpu_seconds, open_files, allow_network, allow_processes, user, "
    "restart_backoff_ms, restart_backoff_max_ms or unhealthy_after";

bool read_bool(const YAML::Node& key, const YAML::Node& value, bool& out, YamlProblems& problems) {
  if (value.IsScalar() && YAML::convert<bool>::decode(value, out)) return true;
  problems.push_back({value_mark(key, value), key.Scalar() + " must be true or false"});
  return false;
}

void read_count(const YAML::Node& key, const YAML::Node& value, std::uint64_t min,
                std::uint64_t max, std::uint64_t& out, YamlProblems& problems) {
  const std::string text = value.IsScalar() ? value.Scalar() : "";
  std::uint64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < min ||
      number > max) {
    problems.push_back(
        {value_mark(key, value), "runner." + key.Scalar() + " must be a whole number from " +
                                     std::to_string(min) + " to " + std::to_string(max)});
    return;
  }
  out = number;
}

// A list of names (`what` says of what, for the message); a single scalar is a list of one.
void read_names(const YAML::Node& key, const YAML::Node& value, std::string_view what,
                std::vector<std::string>& out, YamlProblems& problems) {
  if (value.IsNull()) return;
  if (value.IsScalar() && !value.Scalar().empty()) {
    out.push_back(value.Scalar());
    return;
  }
  if (!value.IsSequence()) {
    problems.push_back({value_mark(key, value), key.Scalar() + " must be a list of " +
                                                    std::string(what) + " — write [A, B]"});
    return;
  }
  for (const auto& item : value) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      problems.push_back(
          {item.Mark(), "each entry of " + key.Scalar() + " must be one " + std::string(what)});
      continue;
    }
    out.push_back(item.Scalar());
  }
}

void read_hashes(const YAML::Node& key, const YAML::Node& value, std::vector<std::string>& out,
                 YamlProblems& problems) {
  if (value.IsNull()) return;
  if (!value.IsSequence()) {
    problems.push_back(
        {value_mark(key, value),
         "trusted_sha256 must be a list of SHA-256 digests — write [<64 hex>, ...]"});
    return;
  }
  for (const auto& item : value) {
    std::string hash = item.IsScalar() ? to_lower_ascii(item.Scalar()) : "";
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      problems.push_back({item.Mark(), "'" + (item.IsScalar() ? item.Scalar() : "") +
                                           "' is not a SHA-256 digest (64 hex digits) — print "
                                           "one with `sha256sum LIBRARY` or `secpilot plugins "
                                           "verify`"});
      continue;
    }
    out.push_back(std::move(hash));
  }
}

bool read_mode(const std::string& label, const YAML::Node& key, const YAML::Node& value,
               IsolationMode& out, YamlProblems& problems) {
  const std::string text = value.IsScalar() ? value.Scalar() : "";
  if (text == "process" || text == "in_process") {
    out = text == "process" ? IsolationMode::process : IsolationMode::in_process;
    return true;
  }
  problems.push_back(
      {value_mark(key, value), label + " must be process or in_process, not '" + text + "'"});
  return false;
}

void read_overrides(const YAML::Node& key, const YAML::Node& value,
                    std::map<std::string, IsolationMode, CaseInsensitiveLess>& out,
                    YamlProblems& problems) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    problems.push_back({value_mark(key, value),
                        "isolation_overrides must map plugin names to process or in_process — "
                        "write e.g. {ThreatIntel: in_process}"});
    return;
  }
  for (const auto& item : value) {
    IsolationMode mode{};
    const std::string label = "isolation_overrides." + item.first.Scalar();
    if (read_mode(label, item.first, item.second, mode, problems)) out[item.first.Scalar()] = mode;
  }
}

void read_runner(const YAML::Node& key, const YAML::Node& value, RunnerPolicy& out,
                 YamlProblems& problems) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    problems.push_back({value_mark(key, value),
                        "runner: must be a mapping — write memory_mb: "
                        "512 and the other limits indented under it"});
    return;
  }
  const auto backoff_mark = value.Mark();
  for (const auto& item : value) {
    const auto& k = item.first;
    const auto& v = item.second;
    if (key_is(k, "memory_mb")) {
      read_count(k, v, 16, 1024 * 1024, out.memory_mb, problems);
    } else if (key_is(k, "cpu_seconds")) {
      read_count(k, v, 0, 86400, out.cpu_seconds, problems);
    } else if (key_is(k, "open_files")) {
      read_count(k, v, 16, 1024 * 1024, out.open_files, problems);
    } else if (key_is(k, "allow_network")) {
      read_names(k, v, "plugin names", out.allow_network, problems);
    } else if (key_is(k, "allow_processes")) {
      read_names(k, v, "plugin names", out.allow_processes, problems);
    } else if (key_is(k, "user")) {
      if (v.IsScalar() && !v.Scalar().empty())
        out.user = v.Scalar();
      else
        problems.push_back({value_mark(k, v), "runner.user must be one user name"});
    } else if (key_is(k, "restart_backoff_ms")) {
      read_count(k, v, 1, 30000, out.restart_backoff_ms, problems);
    } else if (key_is(k, "restart_backoff_max_ms")) {
      read_count(k, v, 1, 3600000, out.restart_backoff_max_ms, problems);
    } else if (key_is(k, "unhealthy_after")) {
      read_count(k, v, 1, 1000, out.unhealthy_after, problems);
    } else {
      problems.push_back({k.Mark(), "unknown key '" + k.Scalar() + "' in runner: — use " +
                                        std::string(kRunnerKeys)});
    }
  }
  if (out.restart_backoff_ms > out.restart_backoff_max_ms)
    problems.push_back({backoff_mark, "runner.restart_backoff_ms (" +
                                          std::to_string(out.restart_backoff_ms) +
                                          ") is above restart_backoff_max_ms (" +
                                          std::to_string(out.restart_backoff_max_ms) +
                                          ") — lower the first, or raise the second"});
}

}  // namespace

void SettingsYaml::read_security(const YAML::Node& key, const YAML::Node& section, Settings& out,
                                 YamlProblems& problems) {
  if (section.IsNull()) return;
  if (!section.IsMap()) {
    problems.push_back({value_mark(key, section),
                        "security: must be a mapping — write allow_writable_plugins: false "
                        "indented under it"});
    return;
  }
  for (const auto& item : section) {
    const auto& k = item.first;
    const auto& v = item.second;
    if (key_is(k, "allow_writable_plugins")) {
      read_bool(k, v, out.allow_writable_plugins_, problems);
    } else if (key_is(k, "require_pinned")) {
      read_bool(k, v, out.require_pinned_, problems);
    } else if (key_is(k, "trusted_sha256")) {
      read_hashes(k, v, out.trusted_sha256_, problems);
    } else if (key_is(k, "trusted_plugins")) {
      read_names(k, v, "plugin names", out.trusted_plugins_, problems);
    } else if (key_is(k, "trusted_publishers")) {
      read_names(k, v, "publisher names", out.trusted_publishers_, problems);
    } else if (key_is(k, "isolation")) {
      read_mode("isolation", k, v, out.isolation_.untrusted, problems);
      out.isolation_.enforced = true;
    } else if (key_is(k, "isolation_overrides")) {
      read_overrides(k, v, out.isolation_.overrides, problems);
    } else if (key_is(k, "runner")) {
      read_runner(k, v, out.isolation_.runner, problems);
    } else {
      problems.push_back({k.Mark(), "unknown key '" + k.Scalar() + "' in security: — use " +
                                        std::string(kSecurityKeys)});
    }
  }
}

}  // namespace detail

std::string_view isolation_mode_name(IsolationMode mode) noexcept {
  return mode == IsolationMode::process ? "process" : "in_process";
}

namespace {
bool lists(const std::vector<std::string>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& item) { return iequals_ascii(item, name); });
}
}  // namespace

std::optional<IsolationMode> IsolationPolicy::override_for(std::string_view plugin) const {
  auto it = overrides.find(plugin);
  if (it == overrides.end()) return std::nullopt;
  return it->second;
}

bool IsolationPolicy::allows_network(std::string_view plugin) const {
  return lists(runner.allow_network, plugin);
}

bool IsolationPolicy::allows_processes(std::string_view plugin) const {
  return lists(runner.allow_processes, plugin);
}

}  // namespace secpilot::config
