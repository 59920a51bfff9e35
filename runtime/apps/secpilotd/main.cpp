// secpilotd: the secpilot daemon. Reads one YAML config, serves the REST API, reloads plugins on
// SIGHUP or when a plugin folder changes, and stops gracefully on SIGTERM or SIGINT.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>

#include "daemon/json_log_sink.hpp"
#include "mcp_stdio.hpp"
#include "secpilot/daemon/daemon.hpp"
#include "secpilot/store/sqlite_store.hpp"

namespace {

using namespace secpilot;

void set_up_logging(const config::LogOptions& log) {
  std::shared_ptr<spdlog::logger> logger;
  if (log.format == config::LogFormat::json)
    logger = std::make_shared<spdlog::logger>("secpilotd", std::make_shared<daemon::JsonLogSink>());
  else
    logger = spdlog::stderr_color_mt("secpilotd");
  spdlog::set_default_logger(logger);
  spdlog::set_level(static_cast<spdlog::level::level_enum>(log.level));
}

int check_config(const std::string& file) {
  auto check = config::check_daemon_config_file(file);
  for (const auto& problem : check.problems)
    std::cout << problem << '\n';
  for (const auto& warning : check.warnings)
    std::cout << warning << '\n';
  std::cerr << file << ": " << check.problems.size() << " error(s), " << check.warnings.size()
            << " warning(s)\n";
  return check.ok() ? 0 : 1;
}

// Creates an API key in the store and prints its secret once: how the first owner gets in.
int create_key(const config::DaemonConfig& config, const std::string& name,
               const std::string& role_name, const std::string& user) {
  const auto role = store::parse_role(role_name);
  if (!role) {
    std::cerr << "secpilotd: --role must be owner, contributor or reader\n";
    return 2;
  }
  auto store = store::open_sqlite_store(config.store.path);
  if (!store) {
    std::cerr << "secpilotd: " << store.error().message << '\n';
    return 1;
  }
  auto created = (*store)->create_api_key(name, *role, user.empty() ? name : user);
  if (!created) {
    std::cerr << "secpilotd: " << created.error().message << '\n';
    return 1;
  }
  auto audited = (*store)->append_audit({.actor = "system",
                                         .action = "key.create",
                                         .target = created->key.id,
                                         .details = {{"name", name}, {"role", role_name}}});
  (void)audited;
  std::cout << created->secret << '\n';
  std::cerr << "secpilotd: created " << role_name << " key '" << name << "' (" << created->key.id
            << "); the secret above is shown once — keep it safe\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"secpilotd — the secpilot daemon"};
  std::string config_file, check_file, listen, store_path, key_name, key_role = "reader", key_user;
  std::vector<std::string> plugin_dirs;
  app.add_option("--config", config_file, "YAML config file (see docs/configuration.md)");
  app.add_option("--check-config", check_file,
                 "Check a config file, print every problem as file:line:col, and exit");
  app.add_option("--listen", listen, "Override listen: host:port (port 0 = any free port)");
  app.add_option("--plugins-dir", plugin_dirs, "Add a plugin folder (repeatable)");
  app.add_option("--store", store_path, "Override the SQLite store path");
  app.add_option("--create-key", key_name, "Create an API key with this name, print it, and exit");
  app.add_option("--role", key_role,
                 "Role of the key --create-key makes: owner|contributor|reader");
  app.add_option("--user", key_user, "User the created key acts as (default: its name)");
  bool mcp_stdio = false;
  app.add_flag("--mcp-stdio", mcp_stdio,
               "Serve the plugins' skills as MCP tools over stdin/stdout (no HTTP; logs on "
               "stderr) until stdin closes; see docs/mcp.md");
  CLI11_PARSE(app, argc, argv);

  if (!check_file.empty()) return check_config(check_file);

  std::optional<config::ListenAddress> listen_override;
  if (!listen.empty()) {
    auto address = config::parse_listen_address(listen);
    if (!address) {
      std::cerr << "secpilotd: --listen: " << address.error().message << '\n';
      return 2;
    }
    listen_override = *address;
  }
  // The file with the command line's overrides on top; read again on SIGHUP.
  auto read_config = [&]() -> Expected<config::DaemonConfig> {
    auto config = config_file.empty()
                      ? Expected<config::DaemonConfig>(config::DaemonConfig::defaults())
                      : config::load_daemon_config(config_file);
    if (!config) return config;
    if (listen_override) config->listen = *listen_override;
    for (const auto& dir : plugin_dirs)
      config->plugin_dirs.push_back(std::filesystem::absolute(dir).lexically_normal());
    if (!store_path.empty()) config->store.path = std::filesystem::absolute(store_path);
    return config;
  };
  auto config = read_config();
  if (!config) {
    std::cerr << config.error().message << '\n';
    return 4;
  }
  if (!key_name.empty()) return create_key(*config, key_name, key_role, key_user);

  set_up_logging(config->log);
  if (mcp_stdio) return daemon::serve_mcp_stdio(*config);
  // Signals are taken by this thread only (sigwait); every thread started later inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGTERM, SIGINT, SIGHUP})
    sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  auto daemon = daemon::Daemon::start(std::move(*config));
  if (!daemon) {
    spdlog::critical("cannot start: {}", daemon.error().message);
    return 1;
  }
  // For scripts and tests: the address, once the daemon is ready.
  std::printf("secpilotd: listening on port %u\n", static_cast<unsigned>((*daemon)->port()));
  std::fflush(stdout);

  while (true) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGHUP) {
      spdlog::info("SIGHUP: re-reading the config and reloading plugins");
      auto fresh = read_config();
      if (!fresh) {
        // A broken edit must not take the daemon down: it keeps the config it has.
        spdlog::error("the config has problems; keeping the running one:\n{}",
                      fresh.error().message);
        continue;
      }
      if (auto done = (*daemon)->reload(*fresh); !done)
        spdlog::error("reload failed: {}", done.error().message);
      continue;
    }
    spdlog::info("{}: stopping", received == SIGTERM ? "SIGTERM" : "SIGINT");
    (*daemon)->stop();
    return 0;
  }
}
