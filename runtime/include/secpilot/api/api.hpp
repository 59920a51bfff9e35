// The daemon's REST API (/v1) on top of the HTTP server: routes, authentication and roles, and
// what they share. One file per route group under runtime/src/api/.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "secpilot/config/daemon_config.hpp"
#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/server/router.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::observability {
class MetricsRegistry;
}
namespace secpilot::orchestrator {
class PromptbookRuns;
}
namespace secpilot::promptbook {
class Registry;
}

namespace secpilot::api {

// Everything a route needs; owned by the daemon, which outlives the server.
struct ApiContext {
  const config::DaemonConfig* config = nullptr;
  std::shared_ptr<store::Store> store;
  orchestrator::HostSource hosts;  // the current plugin host
  orchestrator::Orchestrator* orchestrator = nullptr;
  observability::MetricsRegistry* metrics = nullptr;  // optional
  // Rebuilds the plugin host from the folders, settings and the store (after an upload or a
  // settings change); returns a summary or an error.
  std::function<Outcome()> reload;
  // Where uploaded manifests are written (created on demand).
  std::filesystem::path upload_dir;
  std::atomic<bool>* ready = nullptr;  // false while starting or stopping
  // Called after every direct skill call with the skill, its outcome and seconds (metrics).
  std::function<void(const std::string&, std::string_view, double)> on_skill_call;
  std::shared_ptr<skills::CallThreads> call_threads;  // where direct skill calls run
  // The promptbooks of the configured folders, linted against the current plugins (a reload
  // swaps them), and the runs of promptbooks.
  std::function<std::shared_ptr<const promptbook::Registry>()> promptbooks;
  orchestrator::PromptbookRuns* promptbook_runs = nullptr;
};

// Registers every /v1 route, /healthz, /readyz, /metrics and /v1/openapi.json on `router`.
void add_routes(server::Router& router, std::shared_ptr<ApiContext> context);

}  // namespace secpilot::api
