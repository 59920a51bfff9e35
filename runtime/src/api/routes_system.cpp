// Unauthenticated operational routes: liveness, readiness, metrics, and the API description.
#include "api/openapi_document.hpp"
#include "api/routes.hpp"
#include "secpilot/observability/metrics.hpp"

namespace secpilot::api {

void add_system_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
  // These answer from memory at once: on the I/O thread, with no hand-off to the work pool.
  router.get(
      "/healthz",
      [](auto&, auto&) {
        return server::Reply(server::json(200, {{"status", "ok"}}));
      },
      server::on_io_thread());
  router.get(
      "/readyz",
      [context](auto&, auto&) {
        const bool ready = context->ready && context->ready->load();
        const auto host = context->hosts();
        std::size_t loaded = 0, failed = 0;
        for (const auto& record : host->plugins())
          (record.state == plugin::PluginState::Failed ? failed : loaded)++;
        const bool store_ok = context->store != nullptr;
        boost::json::object body{{"status", ready && store_ok ? "ready" : "not ready"},
                                 {"store", store_ok ? "open" : "not open"},
                                 {"plugins", {{"loaded", loaded}, {"failed", failed}}}};
        return server::Reply(server::json(ready && store_ok ? 200 : 503, body));
      },
      server::on_io_thread());
  router.get(
      "/metrics",
      [context](auto&, auto&) {
        if (!context->metrics) return server::Reply(server::problem(404, "metrics are off"));
        return server::Reply(server::text(200, context->metrics->render(),
                                          std::string(observability::kContentType)));
      },
      server::on_io_thread());
  router.get(
      "/v1/openapi.json",
      [](auto&, auto&) {
        return server::Reply(
            server::text(200, std::string(openapi_document()), "application/json"));
      },
      server::on_io_thread());
}

}  // namespace secpilot::api
