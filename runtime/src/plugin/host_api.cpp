// The host services of plugin.h, implemented over a call's sp_call state.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "plugin/call_state.hpp"
#include "plugin/http_call.hpp"

namespace secpilot::plugin {
namespace {

void log(sp_call* call, sp_log_level level, const char* message, std::size_t size) {
  if (!call || !message) return;
  const auto& logger = call->environment.logger;
  const auto spd_level = to_spdlog(level);
  if (!logger || !logger->should_log(spd_level)) return;
  logger->log(spd_level, "{}", call->environment.redact(std::string_view(message, size)));
}

sp_status get_setting(sp_call* call, const char* name, sp_bytes* value) {
  if (!call || !name || !value) return SP_ERR_INVALID_INPUT;
  auto found = call->environment.setting(name);
  if (!found) return SP_ERR_NOT_FOUND;
  std::lock_guard lock(call->mutex);
  const std::string& kept = call->keep(std::move(*found));
  *value = {kept.data(), kept.size()};
  return SP_OK;
}

sp_status http_request(sp_call* call, const sp_http_request* raw_request,
                       sp_http_response* response) {
  if (!call || !raw_request || !response) return SP_ERR_INVALID_INPUT;
  return serve_http_request(
      *call, raw_request, response,
      [call](const HttpCallRequest& request) -> std::variant<HttpCallResponse, HttpCallFailure> {
        const auto& env = call->environment;
        if (!env.http)
          return HttpCallFailure{SP_ERR_UNSUPPORTED, "this host has no HTTP client configured"};
        net::HttpRequest http;
        http.method = request.method;
        http.url = request.url;
        for (const auto& [name, value] : request.headers)
          http.headers.emplace_back(name, value);
        http.body = request.body;
        http.follow_redirects = request.follow_redirects;
        http.timeout = request.timeout;
        auto result = env.http->request(http, env.egress, [call] { return call->cancelled(); });
        if (!result)
          return HttpCallFailure{static_cast<sp_status>(result.error().status),
                                 result.error().message};
        return HttpCallResponse{result->status, std::move(result->headers),
                                std::move(result->body)};
      });
}

void progress(sp_call* call, double fraction, const char* message) {
  if (!call || !call->on_progress || !*call->on_progress) return;
  (*call->on_progress)(fraction, message ? std::string_view(message) : std::string_view());
}

int is_cancelled(sp_call* call) {
  return call && call->cancelled() ? 1 : 0;
}

sp_status set_result(sp_call* call, const char* json, std::size_t size) {
  if (!call || (!json && size)) return SP_ERR_INVALID_INPUT;
  if (call->is_init) return SP_ERR_INVALID_INPUT;
  std::lock_guard lock(call->mutex);
  if (size > call->environment.max_result_bytes) {
    call->rejected_result_size = size;
    call->has_result = false;
    call->result.clear();
    return SP_ERR_TOO_LARGE;
  }
  call->result.assign(json ? json : "", size);
  call->has_result = true;
  call->rejected_result_size = 0;
  return SP_OK;
}

void set_error(sp_call* call, sp_status code, const char* message, std::size_t size) {
  if (!call) return;
  std::lock_guard lock(call->mutex);
  call->error_code = code == SP_OK ? SP_ERR_INTERNAL : code;
  std::size_t limit = std::min(size, call->environment.max_error_bytes);
  call->error_message =
      call->environment.redact(std::string_view(message ? message : "", message ? limit : 0));
}

constexpr sp_host_api kHostApi = {
    sizeof(sp_host_api), SP_ABI_MAJOR, SP_ABI_MINOR,  &log,        &get_setting,
    &http_request,       &progress,    &is_cancelled, &set_result, &set_error,
};

}  // namespace

spdlog::level::level_enum to_spdlog(sp_log_level level) noexcept {
  switch (level) {
    case SP_LOG_TRACE:
      return spdlog::level::trace;
    case SP_LOG_DEBUG:
      return spdlog::level::debug;
    case SP_LOG_INFO:
      return spdlog::level::info;
    case SP_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

const sp_host_api& host_api() noexcept {
  return kHostApi;
}

}  // namespace secpilot::plugin
