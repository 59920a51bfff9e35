// Jamf: the Jamf Pro API as skills — list and inspect managed Macs, find the unhealthy ones, and
// lock one by MDM. Written against the public SDK only (<secpilot/sdk.hpp>), as a vendor would;
// the logic lives in jamf_core, and this file adapts it to the host: settings, HTTP through the
// host's client and allow-list, cancellation, and status codes.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "jamf/client.hpp"
#include "jamf/error.hpp"
#include "jamf/settings.hpp"
#include "jamf/skills.hpp"
#include "jamf/token_cache.hpp"

namespace {

namespace sdk = secpilot::sdk;
namespace json = boost::json;

sp_status to_status(jamf::ErrorKind kind) {
  switch (kind) {
    case jamf::ErrorKind::invalid_input:
      return SP_ERR_INVALID_INPUT;
    case jamf::ErrorKind::not_found:
      return SP_ERR_NOT_FOUND;
    case jamf::ErrorKind::unauthorized:
      return SP_ERR_UNAUTHORIZED;
    case jamf::ErrorKind::rate_limited:
      return SP_ERR_RATE_LIMITED;
    case jamf::ErrorKind::upstream:
      return SP_ERR_UPSTREAM;
    case jamf::ErrorKind::timeout:
      return SP_ERR_TIMEOUT;
    case jamf::ErrorKind::cancelled:
      return SP_ERR_CANCELLED;
    case jamf::ErrorKind::forbidden:
      return SP_ERR_FORBIDDEN;
    case jamf::ErrorKind::internal:
      break;
  }
  return SP_ERR_INTERNAL;
}

jamf::ErrorKind to_kind(sp_status status) {
  switch (status) {
    case SP_ERR_TIMEOUT:
      return jamf::ErrorKind::timeout;
    case SP_ERR_CANCELLED:
      return jamf::ErrorKind::cancelled;
    case SP_ERR_FORBIDDEN:
      return jamf::ErrorKind::forbidden;
    case SP_ERR_INVALID_INPUT:
      return jamf::ErrorKind::invalid_input;
    default:
      return jamf::ErrorKind::upstream;
  }
}

// HTTP through the host (TLS, timeouts, egress allow-list), and waits that end on cancellation.
class HostTransport final : public jamf::Transport {
 public:
  HostTransport(const sdk::Context& ctx, std::string base_url)
      : ctx_(ctx), base_url_(std::move(base_url)) {}

  jamf::HttpResponse send(const jamf::HttpRequest& request) override {
    sdk::HttpRequest out;
    out.method = request.method;
    out.url = request.url;
    out.headers = request.headers;
    out.body = request.body;
    out.timeout = request.timeout;
    try {
      sdk::HttpResponse in = ctx_.http(out);
      return {in.status, std::move(in.headers), std::move(in.body)};
    } catch (const sdk::Error& e) {
      throw jamf::Error(to_kind(e.code()),
                        "could not reach Jamf Pro at " + base_url_ + ": " + e.what());
    }
  }

  bool wait(std::chrono::milliseconds delay) override {
    // Short slices, so that a cancelled call stops waiting at once.
    const auto until = std::chrono::steady_clock::now() + delay;
    for (auto now = std::chrono::steady_clock::now(); now < until;
         now = std::chrono::steady_clock::now()) {
      if (ctx_.cancelled()) return false;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(50), until - now));
    }
    return !ctx_.cancelled();
  }

 private:
  const sdk::Context& ctx_;
  std::string base_url_;
};

class JamfPlugin {
 public:
  json::value list_computers(sdk::Context& ctx) {
    return run(ctx, [](jamf::JamfClient& client, const json::object& input,
                       const jamf::SettingReader&) { return jamf::list_computers(client, input); });
  }

  json::value get_computer(sdk::Context& ctx) {
    return run(ctx, [](jamf::JamfClient& client, const json::object& input,
                       const jamf::SettingReader&) { return jamf::get_computer(client, input); });
  }

  json::value find_unhealthy_computers(sdk::Context& ctx) {
    return run(ctx, [](jamf::JamfClient& client, const json::object& input,
                       const jamf::SettingReader& settings) {
      const auto now =
          std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
      return jamf::find_unhealthy_computers(client, input, settings, now);
    });
  }

  json::value lock_computer(sdk::Context& ctx) {
    return run(ctx, [](jamf::JamfClient& client, const json::object& input,
                       const jamf::SettingReader&) { return jamf::lock_computer(client, input); });
  }

 private:
  template <class Skill>
  json::value run(sdk::Context& ctx, Skill&& skill) {
    try {
      const jamf::SettingReader settings = [&ctx](const char* name) { return ctx.setting(name); };
      jamf::Connection connection = jamf::read_connection(settings);
      HostTransport transport(ctx, connection.base_url);
      jamf::JamfClient client(std::move(connection), tokens_, transport);
      return skill(client, ctx.json(), settings);
    } catch (const jamf::Error& e) {
      throw sdk::Error(to_status(e.kind()), e.what());
    }
  }

  // One token for every call of this instance, until it nears expiry (thread-safe).
  jamf::TokenCache tokens_;
};

}  // namespace

SECPILOT_PLUGIN(JamfPlugin, "Jamf", "1.0.0",
                sdk::skill<&JamfPlugin::list_computers>(
                    "ListComputers", SP_SKILL_THREAD_SAFE,
                    "Lists managed Macs in Jamf Pro, filtered by name, serial, user, macOS "
                    "version or last check-in"),
                sdk::skill<&JamfPlugin::get_computer>(
                    "GetComputer", SP_SKILL_THREAD_SAFE,
                    "One Mac's hardware, macOS, security settings, check-in and user"),
                sdk::skill<&JamfPlugin::find_unhealthy_computers>(
                    "FindUnhealthyComputers", SP_SKILL_THREAD_SAFE,
                    "Macs with out-of-date macOS, FileVault off, stale check-in or security "
                    "settings off, with fixes"),
                sdk::skill<&JamfPlugin::lock_computer>(
                    "LockComputer", SP_SKILL_THREAD_SAFE,
                    "Locks a Mac with the MDM DEVICE_LOCK command and a six-digit PIN"));
