// secpilot: the command line for secpilot plugins, skills and manifests, locally or against a
// secpilotd daemon (--server).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"

int main(int argc, char** argv) {
  using namespace secpilot::cli;
  // Logs go to stderr so stdout stays clean for results and --json.
  spdlog::set_default_logger(spdlog::stderr_color_mt("secpilot"));
  spdlog::set_pattern("secpilot: %l: [%n] %v");

  CLI::App app{"secpilot — run and inspect security copilot plugins"};
  app.require_subcommand(1);
  app.fallthrough();  // so `secpilot skills list --json` reaches the global --json flag
  GlobalOptions options;
  app.add_option("--plugins-dir", options.plugin_dirs,
                 "Folder of plugin manifests (repeatable; default $SECPILOT_PLUGINS_DIR or the "
                 "installation's plugins folder)");
  app.add_option(
      "--settings", options.settings_file,
      "YAML settings file with plugin settings and secrets (default $SECPILOT_SETTINGS)");
  app.add_flag("--json", options.json, "Machine-readable JSON output");
  app.add_option("--server", options.server,
                 "secpilotd base URL, e.g. http://127.0.0.1:8480: run the commands against the "
                 "daemon instead of local plugin folders")
      ->envname("SECPILOT_SERVER");
  app.add_option("--key", options.key,
                 "API key for --server (prefer $SECPILOT_KEY: arguments are visible to other "
                 "local users)")
      ->envname("SECPILOT_KEY");
  app.add_option("--ca-file", options.ca_file,
                 "Extra trusted CA certificates (PEM) for an https:// --server")
      ->envname("SECPILOT_CA_FILE");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.footer(
      "Exit codes: 0 success, 1 failure (lint errors, skill error, failed evaluation, other API "
      "error), 2 usage error, 3 unknown plugin, skill, session or key (404), 4 settings error, 5 "
      "cannot reach the server, 6 not authorised (401/403).");
  app.parse_complete_callback(
      [&] { spdlog::set_level(spdlog::level::from_str(options.log_level)); });

  int exit_code = kOk;
  add_plugins_commands(app, options, exit_code);
  add_skills_commands(app, options, exit_code);
  add_invoke_command(app, options, exit_code);
  add_manifest_commands(app, options, exit_code);
  add_promptbook_commands(app, options, exit_code);
  add_ask_command(app, options, exit_code);
  add_sessions_commands(app, options, exit_code);
  add_keys_commands(app, options, exit_code);
  add_approvals_commands(app, options, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kOk : kUsage;
  }
  return exit_code;
}
