// What every `secpilot` command shares: global options, exit codes, and building the host.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "secpilot/plugin/plugin_host.hpp"

namespace CLI {
class App;
}

namespace secpilot::cli {

// Documented in docs/cli.md; scripts rely on them.
enum ExitCode : int {
  kOk = 0,
  kFailed = 1,         // a lint error, or the skill returned an error
  kUsage = 2,          // bad options or malformed --json / --input
  kNotFound = 3,       // unknown plugin or skill (remote: the server answered 404)
  kConfig = 4,         // settings file unreadable or malformed
  kUnreachable = 5,    // remote: cannot reach the server, or an answer that is not the API's
  kNotAuthorised = 6,  // remote: 401 or 403 (no key, unknown or revoked key, role too low)
};

struct GlobalOptions {
  std::vector<std::filesystem::path> plugin_dirs;
  std::filesystem::path settings_file;
  bool json = false;
  std::string log_level = "warn";
  // Remote mode (set when `server` is not empty): the daemon's base URL, the API key, and extra
  // trust anchors for its TLS certificate. main() fills them from $SECPILOT_SERVER,
  // $SECPILOT_KEY and $SECPILOT_CA_FILE when the options are not given.
  std::string server;
  std::string key;
  std::string ca_file;

  bool remote() const noexcept { return !server.empty(); }
};

// Folders to search: `given` when not empty, else $`env_var` (colon-separated), else the first of
// `beside_executable` (relative to the executable's folder) that exists.
std::vector<std::filesystem::path> search_dirs(
    const std::vector<std::filesystem::path>& given, const char* env_var,
    std::initializer_list<const char*> beside_executable);

// Plugin folders to use: --plugins-dir, else $SECPILOT_PLUGINS_DIR (colon-separated), else the
// plugins folder beside the installation (<exe>/../plugins, <exe>/../lib/secpilot/plugins).
std::vector<std::filesystem::path> plugin_dirs(const GlobalOptions& options);

// The settings file (--settings, else $SECPILOT_SETTINGS; none: defaults); on failure prints why,
// sets `exit_code` and returns nothing.
std::optional<config::Settings> load_settings(const GlobalOptions& options, int& exit_code);

// Loads settings and discovers plugins; on failure prints why and sets `exit_code`.
std::unique_ptr<plugin::PluginHost> make_host(const GlobalOptions& options, int& exit_code);

// Prints `value` as indented JSON on stdout.
void print_json(const boost::json::value& value);
// Prints "secpilot: error: <message>" (or {"error": ...} with --json) on stderr.
void print_error(const GlobalOptions& options, std::string_view status, const std::string& message);

// Registers each command group on `app`; the callbacks store their exit code in `exit_code`.
void add_plugins_commands(CLI::App& app, GlobalOptions& options, int& exit_code);
// `plugins verify`, registered under the `plugins` command by add_plugins_commands.
void add_plugins_verify_command(CLI::App& plugins, GlobalOptions& options, int& exit_code);
void add_skills_commands(CLI::App& app, GlobalOptions& options, int& exit_code);
void add_invoke_command(CLI::App& app, GlobalOptions& options, int& exit_code);
void add_manifest_commands(CLI::App& app, GlobalOptions& options, int& exit_code);
void add_promptbook_commands(CLI::App& app, GlobalOptions& options, int& exit_code);
// Remote-only command groups (they need --server).
void add_sessions_commands(CLI::App& app, GlobalOptions& options, int& exit_code);
void add_ask_command(CLI::App& app, GlobalOptions& options, int& exit_code);
void add_keys_commands(CLI::App& app, GlobalOptions& options, int& exit_code);
void add_approvals_commands(CLI::App& app, GlobalOptions& options, int& exit_code);

}  // namespace secpilot::cli
