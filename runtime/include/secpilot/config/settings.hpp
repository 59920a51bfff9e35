// Plugin settings and secrets, read from a YAML settings file. Values may reference environment
// variables (${NAME} or ${NAME:-fallback}) so secrets need not be written into the file.
#pragma once

#include <cstdint>
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

// Where a plugin's library runs: in its own sandboxed secpilot-runner process, or in the daemon.
enum class IsolationMode { process, in_process };
std::string_view isolation_mode_name(IsolationMode mode) noexcept;  // "process", "in_process"

// Limits and permissions of a secpilot-runner process (security.runner).
struct RunnerPolicy {
  std::uint64_t memory_mb = 512;                 // address space limit
  std::uint64_t cpu_seconds = 0;                 // 0: none beyond the call timeout
  std::uint64_t open_files = 256;                // RLIMIT_NOFILE
  std::vector<std::string> allow_network;        // plugins whose runner may open network sockets
  std::vector<std::string> allow_processes;      // plugins whose runner may create processes
  std::optional<std::string> user;               // dedicated user when the daemon runs as root
  std::uint64_t restart_backoff_ms = 100;        // first restart delay, doubled per failure...
  std::uint64_t restart_backoff_max_ms = 30000;  // ...up to this
  std::uint64_t unhealthy_after = 3;             // consecutive failures before "unhealthy"
};

// How plugins are isolated (the security: section). Trusted plugins run in process; the others
// get `untrusted` unless `overrides` names them.
struct IsolationPolicy {
  IsolationMode untrusted = IsolationMode::process;
  // Whether this policy decides where plugins run. secpilotd and secpilot always set it (see
  // plugin/shipped_policy.hpp): untrusted plugins then run in a runner even when `isolation:` is
  // not given. A program embedding the host without it lets each manifest choose (see
  // docs/security.md, "Choosing where a plugin runs"); overrides always apply.
  bool enforced = false;
  std::map<std::string, IsolationMode, CaseInsensitiveLess> overrides;
  RunnerPolicy runner;

  std::optional<IsolationMode> override_for(std::string_view plugin) const;
  bool allows_network(std::string_view plugin) const;
  bool allows_processes(std::string_view plugin) const;
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
//   security:                    # docs/configuration.md and docs/security.md
//     allow_writable_plugins: false
//     trusted_sha256: [ <hex>, ... ]   # libraries trusted by content
//     trusted_plugins: [ Name, ... ]   # plugins trusted by name
//     trusted_publishers: [ Acme ]     # Descriptor.Publisher, only with a matching pin
//     require_pinned: false            # refuse a Native library that is not pinned
//     isolation: process               # for untrusted plugins: process | in_process
//     isolation_overrides: { Name: in_process }
//     runner: { memory_mb: 512, cpu_seconds: 0, open_files: 256, allow_network: [Name], ... }
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
  // Supply-chain trust (see plugin/trust_policy.hpp for the decision made from them).
  const std::vector<std::string>& trusted_sha256() const noexcept { return trusted_sha256_; }
  const std::vector<std::string>& trusted_plugins() const noexcept { return trusted_plugins_; }
  const std::vector<std::string>& trusted_publishers() const noexcept {
    return trusted_publishers_;
  }
  bool require_pinned() const noexcept { return require_pinned_; }
  // Digests of the libraries built and shipped with secpilot (share/secpilot/first-party.sha256),
  // trusted like trusted_sha256. Set by the programs (plugin/shipped_policy.hpp), never by a file.
  const std::vector<std::string>& first_party_sha256() const noexcept {
    return first_party_sha256_;
  }
  void set_first_party_sha256(std::vector<std::string> digests) {
    first_party_sha256_ = std::move(digests);
  }
  const IsolationPolicy& isolation() const noexcept { return isolation_; }
  // Makes the isolation policy decide where plugins run, `isolation:` given or not.
  void enforce_isolation() noexcept { isolation_.enforced = true; }
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
  std::vector<std::string> trusted_sha256_;  // lower-case hex
  std::vector<std::string> trusted_plugins_;
  std::vector<std::string> trusted_publishers_;
  bool require_pinned_ = false;
  std::vector<std::string> first_party_sha256_;  // lower-case hex
  IsolationPolicy isolation_;
  std::map<std::string, std::string, CaseInsensitiveLess> query_backends_;
};

// Expands ${NAME} and ${NAME:-fallback}; "$$" is a literal "$". An unset variable with no fallback
// is an error naming it.
Expected<std::string> expand_environment(std::string_view text);

}  // namespace secpilot::config
