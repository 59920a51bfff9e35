// The daemon's configuration: one YAML file (`secpilotd --config FILE`) in which every key is
// optional. Keys and choices match case-insensitively, relative paths are relative to the file,
// and every problem is reported at once as "file:line:col: error: what — how to fix".
// docs/configuration.md describes each key.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/model/model_options.hpp"
#include "secpilot/net/http_client.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::config {

// What an API key may do (docs/operations.md has the permission table). Declared in the same
// order as store::Role, with the same names.
enum class Role { owner, contributor, reader };
std::string_view role_name(Role role) noexcept;  // "owner", "contributor", "reader"
std::optional<Role> role_from_name(std::string_view name) noexcept;  // case-insensitive

enum class LogFormat { text, json };
// In spdlog's order (trace = 0 ... off = 6), so a cast to spdlog::level::level_enum is exact.
enum class LogLevel { trace, debug, info, warning, error, critical, off };
std::string_view log_format_name(LogFormat format) noexcept;  // "text", "json"
std::string_view log_level_name(LogLevel level) noexcept;     // "trace" ... "off"

// Where the API listens. The host is an IP literal (IPv6 without its brackets).
struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8480;  // 0 = an ephemeral port, chosen at bind time (tests)

  bool is_ipv6() const noexcept;
  bool is_loopback() const noexcept;  // 127.0.0.0/8 or ::1
  std::string to_string() const;      // "127.0.0.1:8480", "[::1]:8480"

  bool operator==(const ListenAddress&) const = default;
};

// Parses "host:port" ("127.0.0.1:8480", "[::1]:8480", "0.0.0.0:0"). Host names are refused: a
// daemon binds to an address. Errors say what is wrong and how to write it instead.
Expected<ListenAddress> parse_listen_address(std::string_view text);

struct TlsFiles {
  std::filesystem::path certificate;  // PEM, the chain after the leaf
  std::filesystem::path key;          // PEM private key

  bool operator==(const TlsFiles&) const = default;
};

struct StoreOptions {
  std::filesystem::path path;  // the SQLite database

  bool operator==(const StoreOptions&) const = default;
};

// An API key known from the config file rather than the store (e.g. for CI or first start).
// Only its hash is written down.
struct BootstrapApiKey {
  std::string name;  // for people and the audit log; unique in the file
  Role role = Role::reader;
  std::string user;    // whose sessions the key sees; the name when not given
  std::string sha256;  // SHA-256 of the whole bearer token, 64 lower-case hex digits

  bool operator==(const BootstrapApiKey&) const = default;
};

// Owner settings: which role an action needs.
struct RolePolicy {
  Role upload_manifests = Role::owner;  // owner or contributor

  bool operator==(const RolePolicy&) const = default;
};

struct Limits {
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds request_timeout{30};  // to receive a whole request
  std::chrono::seconds idle_timeout{60};     // a keep-alive connection with nothing to do
  std::size_t max_concurrent_evaluations = 16;
  std::uint32_t rate_limit_per_minute = 600;       // per API key; 0 = no limit
  std::uint32_t failed_auth_per_minute = 30;       // per client address; 0 = no limit
  std::chrono::seconds skill_timeout{30};          // one skill call
  std::size_t max_result_bytes = 4 * 1024 * 1024;  // one skill's result

  bool operator==(const Limits&) const = default;
};

struct ThreadCounts {
  unsigned io = 0;    // network I/O; 0 = one per core
  unsigned work = 0;  // skill calls and evaluations; 0 = one per core

  bool operator==(const ThreadCounts&) const = default;
};
// `configured`, or the number of cores (at least 1) when it is 0.
unsigned resolve_thread_count(unsigned configured) noexcept;

struct LogOptions {
  LogFormat format = LogFormat::text;
  LogLevel level = LogLevel::info;

  bool operator==(const LogOptions&) const = default;
};

struct ReloadOptions {
  bool watch_plugin_dirs = true;  // reload when a plugin folder changes (SIGHUP always reloads)
  std::chrono::milliseconds debounce{500};  // wait for a burst of changes to settle

  bool operator==(const ReloadOptions&) const = default;
};

// The MCP endpoint (/mcp). Browsers send an Origin header; a page from another site must not
// reach a local daemon through DNS rebinding, so only loopback origins and these are served.
struct McpOptions {
  std::vector<std::string> allowed_origins;  // "https://ide.example.com", scheme://host[:port]

  bool operator==(const McpOptions&) const = default;
};

struct DaemonConfig {
  std::filesystem::path source;  // the file read, absolute; empty for defaults()
  ListenAddress listen;
  std::optional<TlsFiles> tls;                     // plain HTTP when absent
  std::vector<std::filesystem::path> plugin_dirs;  // absolute
  StoreOptions store;                              // absolute path
  Settings settings;                               // the plugins: and security: sections
  std::vector<BootstrapApiKey> api_keys;
  RolePolicy roles;
  Limits limits;
  ThreadCounts threads;
  std::chrono::seconds shutdown_grace{10};  // to finish in-flight work after SIGTERM
  LogOptions log;
  ReloadOptions reload;
  McpOptions mcp;
  net::HttpClientOptions http_client;  // ca_file absolute when set
  // The language model of the LLM planner (the model: section); none = the local planner only.
  // api_key is expanded from the environment and secret: never log or echo it.
  std::optional<model::ModelOptions> model;
  // Folders searched recursively for promptbooks, absolute. Unset: the promptbooks folder of the
  // build or installation (<bin>/../promptbooks, <bin>/../share/secpilot/promptbooks); [] for none.
  std::optional<std::vector<std::filesystem::path>> promptbook_dirs;

  // What secpilotd runs with when given no file. The store is secpilot.db in $STATE_DIRECTORY
  // (set by systemd's StateDirectory=) or else in the current directory; no plugin folders.
  static DaemonConfig defaults();
};

// Everything a check of the file found, for `secpilotd --check-config FILE` and for logging.
struct ConfigCheck {
  DaemonConfig config;                // as read; defaults stand in for values that were wrong
  std::vector<std::string> problems;  // "file:line:col: error: what — how to fix", in file order
  std::vector<std::string> warnings;  // "file:line:col: warning: ..." (valid, but risky)
  bool ok() const noexcept { return problems.empty(); }
};

// `origin` names the file in messages, as given. Relative paths in the file are relative to the
// folder holding `origin` (made absolute against the current directory), or to the current
// directory when `origin` is empty.
ConfigCheck check_daemon_config(std::string_view yaml, const std::filesystem::path& origin);
// As above, reading the file; an unreadable file is one problem naming it.
ConfigCheck check_daemon_config_file(const std::filesystem::path& path);

// The config, or an Error (invalid_input; not_found for an unreadable file) whose message holds
// one problem per line. Warnings are dropped: use the check_ functions to show them.
Expected<DaemonConfig> parse_daemon_config(std::string_view yaml,
                                           const std::filesystem::path& origin);
Expected<DaemonConfig> load_daemon_config(const std::filesystem::path& path);

}  // namespace secpilot::config
