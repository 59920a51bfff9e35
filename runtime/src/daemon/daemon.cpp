#include "secpilot/daemon/daemon.hpp"
#include "secpilot/daemon/host_options.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <mutex>

#include "api/views.hpp"
#include "daemon/config_changes.hpp"
#include "daemon/folder_watcher.hpp"
#include "daemon/promptbook_folders.hpp"
#include "daemon/reload_requests.hpp"
#include "orchestrator/promptbook_run.hpp"
#include "plugin/mcp_clients.hpp"
#include "secpilot/api/api.hpp"
#include "secpilot/model/chat_client.hpp"
#include "secpilot/observability/metrics.hpp"
#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/server/http_server.hpp"
#include "secpilot/store/sqlite_store.hpp"

namespace secpilot::daemon {

struct Daemon::Impl {
  config::DaemonConfig config;
  std::shared_ptr<store::Store> store;
  observability::MetricsRegistry metrics;
  std::mutex host_mutex;
  std::shared_ptr<const plugin::PluginHost> host;
  std::shared_ptr<const promptbook::Registry> promptbooks;  // linted against `host`; host_mutex
  std::mutex reload_mutex;                                  // one rebuild at a time
  std::unique_ptr<orchestrator::Orchestrator> orchestrator;
  std::unique_ptr<orchestrator::PromptbookRuns> promptbook_runs;  // destroyed before it
  std::unique_ptr<server::HttpServer> server;
  std::unique_ptr<FolderWatcher> watcher;
  std::atomic<bool> ready{false};
  bool stopped = false;
  // The running MCP servers of Format: MCP groups, taken over by each reload's host; a server
  // whose tools changed asks for a reload through tool_changes (last: stopped first).
  std::shared_ptr<plugin::McpClients> mcp_clients;
  std::shared_ptr<ReloadRequests> tool_changes;

  std::shared_ptr<const plugin::PluginHost> current_host() {
    std::lock_guard lock(host_mutex);
    return host;
  }
  std::shared_ptr<const promptbook::Registry> current_promptbooks() {
    std::lock_guard lock(host_mutex);
    return promptbooks;
  }
  std::filesystem::path upload_dir() const {
    return config.store.path.parent_path() / "uploaded-manifests";
  }
  std::filesystem::path mcp_tool_cache() const {
    return config.store.path.parent_path() / "mcp-tools";
  }
  // The configured language model (none: the local planner, GPT skills unavailable).
  std::shared_ptr<const model::ChatModel> model;

  std::shared_ptr<const plugin::PluginHost> build_host() {
    auto options = host_options(config, store, model);
    options.plugin_dirs.push_back(upload_dir());
    options.mcp_clients = mcp_clients;
    return std::make_shared<const plugin::PluginHost>(std::move(options));
  }
  Outcome reload() {
    std::lock_guard serial(reload_mutex);
    auto fresh = build_host();
    std::size_t failed = 0;
    for (const auto& record : fresh->plugins())
      if (record.state == plugin::PluginState::Failed) ++failed;
    // Promptbooks are linted against the skills they will run on, so they reload with them.
    auto fresh_promptbooks = load_promptbooks(promptbook_folders(config), fresh->catalog());
    {
      std::lock_guard lock(host_mutex);
      host = fresh;
      promptbooks = std::move(fresh_promptbooks);
    }
    spdlog::info("plugins reloaded: {} plugin(s), {} failed, {} skill(s)", fresh->plugins().size(),
                 failed, fresh->catalog().size());
    return Done{};
  }
  void register_metrics();
};

void Daemon::Impl::register_metrics() {
  metrics.gauge_callback(
      "secpilot_plugin_healthy", "1 when a plugin loaded, 0 when it failed", {"plugin", "state"},
      [this] {
        observability::GaugeSamples samples;
        for (const auto& record : current_host()->plugins())
          samples.push_back({{record.name, std::string(plugin::state_name(record.state))},
                             record.state == plugin::PluginState::Failed ? 0.0 : 1.0});
        return samples;
      });
  metrics.gauge_callback("secpilot_evaluations_in_flight", "evaluations queued or running", {},
                         [this] {
                           return observability::GaugeSamples{
                               {{}, orchestrator ? double(orchestrator->in_flight()) : 0.0}};
                         });
}

Daemon::Daemon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Daemon::~Daemon() {
  stop();
}

Expected<std::unique_ptr<Daemon>> Daemon::start(config::DaemonConfig config) {
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  auto& d = *impl;

  auto store = store::open_sqlite_store(d.config.store.path);
  if (!store) return store.error();
  d.store = std::move(*store);
  if (auto interrupted = d.store->mark_interrupted_evaluations(); interrupted && *interrupted > 0)
    spdlog::warn("{} evaluation(s) were interrupted by the last stop and are marked failed",
                 *interrupted);
  // Uploaded manifests live beside the store, readable by this user only.
  std::error_code made;
  std::filesystem::create_directories(d.upload_dir(), made);
  std::filesystem::permissions(d.upload_dir(), std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, made);
  if (d.config.model) {
    try {
      d.model = model::make_chat_client(d.config.http_client, *d.config.model);
    } catch (const std::exception& e) {
      return make_error(Status::invalid_input, std::string("model: ") + e.what());
    }
    spdlog::info("model: {} {} — free-text prompts go to the LLM planner",
                 model::provider_name(d.config.model->provider), d.config.model->model);
  }
  Impl* self = impl.get();
  d.tool_changes = std::make_shared<ReloadRequests>(d.config.reload.debounce, [self] {
    spdlog::info("an MCP server's tools changed; reloading");
    if (auto done = self->reload(); !done) spdlog::error("reload failed: {}", done.error().message);
  });
  // Hosted MCP servers' tool lists are kept beside the store, so that the next start lists their
  // tools without starting them: each starts at its first call.
  std::filesystem::create_directories(d.mcp_tool_cache(), made);
  std::filesystem::permissions(d.mcp_tool_cache(), std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, made);
  d.mcp_clients = std::make_shared<plugin::McpClients>(
      [changes = std::weak_ptr<ReloadRequests>(d.tool_changes)] {
        if (auto live = changes.lock()) live->request();
      },
      made ? std::filesystem::path() : d.mcp_tool_cache());
  d.host = d.build_host();
  d.promptbooks = load_promptbooks(promptbook_folders(d.config), d.host->catalog());
  d.register_metrics();

  auto& skill_calls = d.metrics.counter("secpilot_skill_calls_total", "skill calls by outcome",
                                        {"skill", "outcome"});
  auto& skill_latency =
      d.metrics.histogram("secpilot_skill_call_duration_seconds", "skill call latency", {"skill"});
  orchestrator::OrchestratorOptions orchestration;
  orchestration.max_concurrent = d.config.limits.max_concurrent_evaluations;
  orchestration.default_skill_timeout = d.config.limits.skill_timeout;
  orchestration.call_threads = std::make_shared<skills::CallThreads>();
  orchestration.on_skill_call = [&skill_calls, &skill_latency](const std::string& skill,
                                                               std::string_view outcome,
                                                               double seconds) {
    skill_calls.with({skill, std::string(outcome)}).inc();
    skill_latency.with({skill}).observe(seconds);
  };
  orchestration.session_export = [store = d.store](const std::string& session_id,
                                                   const std::string& user) {
    auto session = store->get_session(session_id, user);
    auto detail = session ? api::session_detail(*store, *session, true)
                          : Expected<boost::json::object>(session.error());
    return detail ? boost::json::serialize(*detail) : std::string("{}");
  };
  if (d.model) {
    orchestration.model = d.model;
    orchestration.model_limits = d.config.model->loop;
    if (!d.config.model->api_key.empty())
      orchestration.model_secrets.push_back(d.config.model->api_key);
  }
  // Free-text prompts: the LLM planner with a model, else the local planner (no model needed).
  d.orchestrator = std::make_unique<orchestrator::Orchestrator>(
      d.store, [self] { return self->current_host(); },
      std::make_shared<orchestrator::LocalPlanning>(), orchestration);
  d.promptbook_runs = std::make_unique<orchestrator::PromptbookRuns>(*d.orchestrator, d.store);

  auto context = std::make_shared<api::ApiContext>();
  context->config = &d.config;
  context->store = d.store;
  context->hosts = [self] { return self->current_host(); };
  context->orchestrator = d.orchestrator.get();
  context->metrics = &d.metrics;
  context->reload = [self] { return self->reload(); };
  context->upload_dir = d.upload_dir();
  context->ready = &d.ready;
  context->on_skill_call = orchestration.on_skill_call;
  context->call_threads = orchestration.call_threads;
  context->promptbooks = [self] { return self->current_promptbooks(); };
  context->promptbook_runs = d.promptbook_runs.get();
  server::Router router;
  api::add_routes(router, context);

  server::HttpServerOptions http;
  http.address = d.config.listen.host;
  http.port = d.config.listen.port;
  http.io_threads = config::resolve_thread_count(d.config.threads.io);
  http.work_threads = d.config.threads.work;
  http.max_body_bytes = d.config.limits.max_body_bytes;
  http.max_header_bytes = d.config.limits.max_header_bytes;
  http.request_timeout = d.config.limits.request_timeout;
  http.idle_timeout = d.config.limits.idle_timeout;
  if (d.config.tls) http.tls = server::TlsFiles{d.config.tls->certificate, d.config.tls->key};
  server::HttpServerHooks hooks;
  auto& requests = d.metrics.counter("secpilot_http_requests_total", "HTTP requests by route",
                                     {"method", "route", "status"});
  auto& latency = d.metrics.histogram("secpilot_http_request_duration_seconds",
                                      "HTTP request latency by route", {"route"});
  hooks.on_request_complete = [&requests, &latency](const server::CompletedRequest& done) {
    const std::string_view route = done.route.empty() ? "(unmatched)" : done.route;
    requests.with({done.method, route, std::to_string(done.status)}).inc();
    latency.with({route}).observe(std::chrono::duration<double>(done.duration).count());
  };
  d.server = std::make_unique<server::HttpServer>(std::move(http), std::move(router), hooks);
  if (auto started = d.server->start(); !started) return started.error();

  if (d.config.reload.watch_plugin_dirs) {
    auto folders = d.config.plugin_dirs;
    folders.push_back(d.upload_dir());
    for (const auto& folder : promptbook_folders(d.config))
      folders.push_back(folder);
    d.watcher = std::make_unique<FolderWatcher>(folders, d.config.reload.debounce, [self] {
      spdlog::info("a plugin folder changed; reloading");
      if (auto done = self->reload(); !done)
        spdlog::error("reload failed: {}", done.error().message);
    });
  }
  d.ready = true;
  spdlog::info("secpilotd listening on {}://{}:{} with {} plugin(s)",
               d.config.tls ? "https" : "http", d.config.listen.host, d.server->port(),
               d.host->plugins().size());
  return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

std::uint16_t Daemon::port() const {
  return impl_->server->port();
}

Outcome Daemon::reload() {
  return impl_->reload();
}

Outcome Daemon::reload(const config::DaemonConfig& fresh) {
  auto& d = *impl_;
  {
    std::lock_guard serial(d.reload_mutex);
    for (const auto& section : sections_needing_restart(d.config, fresh))
      spdlog::warn("config: {} changed; it takes effect at the next restart", section);
    if (fresh.plugin_dirs != d.config.plugin_dirs && d.watcher)
      spdlog::warn(
          "config: plugin folders changed; new folders are loaded now but watched for "
          "changes only after a restart (SIGHUP reloads them meanwhile)");
    if (fresh.promptbook_dirs != d.config.promptbook_dirs && d.watcher)
      spdlog::warn(
          "config: promptbook folders changed; they are loaded now but watched for changes only "
          "after a restart (SIGHUP reloads them meanwhile)");
    // Only the reload path reads these, and it holds reload_mutex.
    d.config.plugin_dirs = fresh.plugin_dirs;
    d.config.settings = fresh.settings;
    d.config.http_client = fresh.http_client;
    d.config.promptbook_dirs = fresh.promptbook_dirs;
  }
  return d.reload();
}

void Daemon::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->ready = false;
  const auto grace =
      std::chrono::duration_cast<std::chrono::milliseconds>(impl_->config.shutdown_grace);
  impl_->watcher.reset();
  if (impl_->tool_changes) impl_->tool_changes->stop();
  // One grace period for the whole stop: what the server used is not given again.
  const auto deadline = std::chrono::steady_clock::now() + grace;
  if (impl_->server) impl_->server->stop(grace);
  // Before the orchestrator's grace period: no run starts its next step while the daemon stops.
  if (impl_->promptbook_runs) impl_->promptbook_runs->stop();
  if (impl_->orchestrator)
    impl_->orchestrator->stop(std::max(std::chrono::milliseconds(0),
                                       std::chrono::duration_cast<std::chrono::milliseconds>(
                                           deadline - std::chrono::steady_clock::now())));
  if (impl_->store)
    if (auto flushed = impl_->store->checkpoint(); !flushed)
      spdlog::warn("store checkpoint at stop failed: {}", flushed.error().message);
  spdlog::info("secpilotd stopped");
}

}  // namespace secpilot::daemon
