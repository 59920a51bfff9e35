#include "mcp_stdio.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "daemon/promptbook_folders.hpp"
#include "secpilot/daemon/host_options.hpp"
#include "secpilot/mcp/server.hpp"
#include "secpilot/mcp/stdio.hpp"
#include "secpilot/model/chat_client.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/store/sqlite_store.hpp"

namespace secpilot::daemon {
namespace {

// The daemon's store, when there is one: the settings and secrets owners set through the API,
// which plugins the organisation turned off, and the audit log. An MCP client starts secpilotd in
// a folder of its choosing, so a store that does not exist yet is not created there.
std::shared_ptr<store::Store> existing_store(const config::DaemonConfig& config) {
  if (!std::filesystem::exists(config.store.path)) {
    spdlog::info("no store at {}: settings come from the config only, every plugin is enabled",
                 config.store.path.string());
    return nullptr;
  }
  auto opened = store::open_sqlite_store(config.store.path);
  if (!opened) {
    spdlog::warn("store {} not used: {}", config.store.path.string(), opened.error().message);
    return nullptr;
  }
  return std::shared_ptr<store::Store>(std::move(*opened));
}

// As the daemon builds its host, without the folder of uploaded manifests.
std::shared_ptr<const plugin::PluginHost> build_host(const config::DaemonConfig& config,
                                                     const std::shared_ptr<store::Store>& store) {
  std::shared_ptr<const model::ChatModel> model;
  if (config.model) model = model::make_chat_client(config.http_client, *config.model);
  return std::make_shared<const plugin::PluginHost>(host_options(config, store, model));
}

}  // namespace

int serve_mcp_stdio(const config::DaemonConfig& config) {
  const auto store = existing_store(config);
  std::shared_ptr<const plugin::PluginHost> host;
  try {
    host = build_host(config, store);
  } catch (const std::exception& e) {
    spdlog::critical("cannot load the plugins: {}", e.what());
    return 1;
  }
  spdlog::info("MCP over stdio: {} plugin(s), {} skill(s)", host->plugins().size(),
               host->catalog().size());

  mcp::ServerOptions options;
  options.hosts = [host] { return host; };
  // The daemon's promptbooks, as prompts (the shipped ones unless the config names folders).
  options.promptbooks = [books = load_promptbooks(promptbook_folders(config), host->catalog())] {
    return books;
  };
  options.default_timeout = config.limits.skill_timeout;
  options.threads = std::make_shared<skills::CallThreads>();
  if (store) {
    // The organisation's choice: a stdio client has no API key, hence no user of its own.
    options.enabled = [store](const skills::SkillEntry& entry, const mcp::Caller&) {
      auto on = store->plugin_enabled("", entry.plugin);
      return on && *on;
    };
    options.on_call = [store](const skills::SkillEntry& entry, const Error* error,
                              std::chrono::nanoseconds took, const mcp::Caller&) {
      const Status status = error ? error->status : Status::ok;
      store->queue_audit(
          {.actor = "mcp-stdio",
           .action = "skill.invoke",
           .target = entry.full_name,
           .outcome = error ? store::AuditOutcome::error : store::AuditOutcome::ok,
           .details = {
               {"status", status_name(status)},
               {"durationMs", std::chrono::duration_cast<std::chrono::milliseconds>(took).count()},
               {"transport", "mcp-stdio"}}});
    };
  }
  ::signal(SIGPIPE, SIG_IGN);  // a client that hangs up ends the loop through write()
  mcp::serve_stdio(mcp::Server(std::move(options)));
  spdlog::info("MCP over stdio: stdin closed, exiting");
  return 0;
}

}  // namespace secpilot::daemon
