// RedCanary: Red Canary MDR detections and endpoints for secpilot. Written against the public SDK
// only (<secpilot/sdk.hpp>), as Red Canary or any vendor would; the logic lives in red_canary_core
// and this file only wires it to the host: settings, ctx.http(), waiting, and error statuses.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "red_canary/client.hpp"
#include "red_canary/errors.hpp"
#include "red_canary/skills.hpp"

namespace {

namespace sdk = secpilot::sdk;
namespace rc = red_canary;

sp_status status_of(rc::ErrorKind kind) {
  switch (kind) {
    case rc::ErrorKind::invalid_input:
      return SP_ERR_INVALID_INPUT;
    case rc::ErrorKind::not_found:
      return SP_ERR_NOT_FOUND;
    case rc::ErrorKind::unauthorized:
      return SP_ERR_UNAUTHORIZED;
    case rc::ErrorKind::rate_limited:
      return SP_ERR_RATE_LIMITED;
    case rc::ErrorKind::upstream:
      return SP_ERR_UPSTREAM;
    case rc::ErrorKind::timeout:
      return SP_ERR_TIMEOUT;
    case rc::ErrorKind::cancelled:
      return SP_ERR_CANCELLED;
    case rc::ErrorKind::forbidden:
      return SP_ERR_FORBIDDEN;
    case rc::ErrorKind::too_large:
      return SP_ERR_TOO_LARGE;
    case rc::ErrorKind::internal:
      return SP_ERR_INTERNAL;
  }
  return SP_ERR_INTERNAL;
}

rc::ErrorKind kind_of(sp_status status) {
  switch (status) {
    case SP_ERR_INVALID_INPUT:
      return rc::ErrorKind::invalid_input;
    case SP_ERR_NOT_FOUND:
      return rc::ErrorKind::not_found;
    case SP_ERR_UNAUTHORIZED:
      return rc::ErrorKind::unauthorized;
    case SP_ERR_RATE_LIMITED:
      return rc::ErrorKind::rate_limited;
    case SP_ERR_TIMEOUT:
      return rc::ErrorKind::timeout;
    case SP_ERR_CANCELLED:
      return rc::ErrorKind::cancelled;
    case SP_ERR_FORBIDDEN:
      return rc::ErrorKind::forbidden;
    case SP_ERR_TOO_LARGE:
      return rc::ErrorKind::too_large;
    case SP_ERR_UPSTREAM:
      return rc::ErrorKind::upstream;
    default:
      return rc::ErrorKind::internal;
  }
}

// The host's HTTP client as the core's transport: TLS, timeouts, proxy and the egress allow-list
// stay the host's.
rc::HttpResponse send_through_host(const sdk::Context& ctx, const rc::HttpRequest& request) {
  sdk::HttpRequest out;
  out.method = request.method;
  out.url = request.url;
  out.headers.assign(request.headers.begin(), request.headers.end());
  out.body = request.body;
  try {
    sdk::HttpResponse response = ctx.http(out);
    return {response.status, std::move(response.headers), std::move(response.body)};
  } catch (const sdk::Error& e) {
    throw rc::Error(kind_of(e.code()), e.what());
  }
}

// The SDK has no timer, so a Retry-After wait sleeps in short slices and stops as soon as the
// host cancels the call (its TimeoutSeconds passed, or the caller went away).
bool wait_unless_cancelled(const sdk::Context& ctx, std::chrono::milliseconds delay) {
  using clock = std::chrono::steady_clock;
  const auto until = clock::now() + delay;
  while (!ctx.cancelled()) {
    const auto left = until - clock::now();
    if (left <= clock::duration::zero()) return true;
    std::this_thread::sleep_for(std::min<clock::duration>(left, std::chrono::milliseconds(50)));
  }
  return false;
}

// Runs one skill of the core with a client for this call, turning core errors into statuses.
template <class Skill>
boost::json::value run(sdk::Context& ctx, Skill&& skill) {
  try {
    rc::ApiClient client(
        rc::read_instance(ctx.setting("InstanceURL"), ctx.setting("ApiToken")),
        [&ctx](const rc::HttpRequest& request) { return send_through_host(ctx, request); },
        [&ctx](std::chrono::milliseconds delay) { return wait_unless_cancelled(ctx, delay); },
        [&ctx] { return ctx.cancelled(); });
    return skill(client, ctx.json());
  } catch (const rc::Error& e) {
    throw sdk::Error(status_of(e.kind()), e.what());
  }
}

class RedCanaryPlugin {
 public:
  boost::json::value list_detections(sdk::Context& ctx) const {
    return run(ctx, [](rc::ApiClient& client, const boost::json::object& input) {
      return rc::list_detections(client, input, std::chrono::system_clock::now());
    });
  }
  boost::json::value get_detection(sdk::Context& ctx) const { return run(ctx, rc::get_detection); }
  boost::json::value list_endpoints(sdk::Context& ctx) const {
    return run(ctx, rc::list_endpoints);
  }
  boost::json::value get_endpoint(sdk::Context& ctx) const { return run(ctx, rc::get_endpoint); }
  boost::json::value update_detection_state(sdk::Context& ctx) const {
    return run(ctx, rc::update_detection_state);
  }
};

}  // namespace

// Each call builds its own client from the current settings, so the skills share no state and
// may run concurrently.
SECPILOT_PLUGIN(
    RedCanaryPlugin, "RedCanary", "1.0.0",
    sdk::skill<&RedCanaryPlugin::list_detections>(
        "ListDetections", SP_SKILL_THREAD_SAFE,
        "Lists Red Canary detections, filtered by time, severity and state"),
    sdk::skill<&RedCanaryPlugin::get_detection>(
        "GetDetection", SP_SKILL_THREAD_SAFE,
        "One detection with its timeline, techniques, indicators, host and user"),
    sdk::skill<&RedCanaryPlugin::list_endpoints>("ListEndpoints", SP_SKILL_THREAD_SAFE,
                                                 "Lists the endpoints Red Canary monitors"),
    sdk::skill<&RedCanaryPlugin::get_endpoint>("GetEndpoint", SP_SKILL_THREAD_SAFE,
                                               "One endpoint by id or host name"),
    sdk::skill<&RedCanaryPlugin::update_detection_state>(
        "UpdateDetectionState", SP_SKILL_THREAD_SAFE,
        "Marks a detection acknowledged, or sets its remediation state"));
