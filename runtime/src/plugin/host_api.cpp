// The host services of plugin.h, implemented over a call's sp_call state.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "plugin/call_state.hpp"

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

sp_bytes keep_bytes(sp_call* call, std::string text) {
  const std::string& kept = call->keep(std::move(text));
  return {kept.data(), kept.size()};
}

sp_status http_request(sp_call* call, const sp_http_request* raw_request,
                       sp_http_response* response) {
  if (!call || !raw_request || !response) return SP_ERR_INVALID_INPUT;
  // Read only what both sides know of each struct (they only grow at the end).
  sp_http_request request{};
  std::memcpy(&request, raw_request,
              std::min<std::size_t>(raw_request->struct_size, sizeof request));
  sp_http_response out{};
  out.struct_size = response->struct_size;
  auto finish = [&](sp_status status) {
    std::memcpy(response, &out, std::min<std::size_t>(response->struct_size, sizeof out));
    return status;
  };
  auto fail = [&](sp_status status, std::string message) {
    std::lock_guard lock(call->mutex);
    out.error = keep_bytes(call, std::move(message));
    return finish(status);
  };
  if (call->is_init) return fail(SP_ERR_UNSUPPORTED, "HTTP requests are not allowed during init");
  if (!request.url || !request.method)
    return fail(SP_ERR_INVALID_INPUT, "method and url are required");
  const auto& env = call->environment;
  if (!env.http) return fail(SP_ERR_UNSUPPORTED, "this host has no HTTP client configured");

  net::HttpRequest http;
  http.method = request.method;
  http.url = request.url;
  for (std::size_t i = 0; i < request.header_count && request.headers; ++i)
    if (request.headers[i].name && request.headers[i].value)
      http.headers.emplace_back(request.headers[i].name, request.headers[i].value);
  if (request.body.data) http.body.assign(request.body.data, request.body.size);
  http.follow_redirects = (request.flags & SP_HTTP_FOLLOW_REDIRECTS) != 0;
  http.timeout = std::chrono::milliseconds(request.timeout_ms);
  if (call->deadline != std::chrono::steady_clock::time_point::max()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        call->deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail(SP_ERR_TIMEOUT, "the call's deadline has passed");
    if (http.timeout.count() == 0 || http.timeout > left) http.timeout = left;
  }

  auto result = env.http->request(http, env.egress, [call] { return call->cancelled(); });
  if (!result) {
    const auto& error = result.error();
    return fail(static_cast<sp_status>(error.status), error.message);
  }
  std::lock_guard lock(call->mutex);
  auto headers = std::make_unique<std::vector<sp_header>>();
  headers->reserve(result->headers.size());
  for (auto& [name, value] : result->headers) {
    const char* kept_name = call->keep(std::move(name)).c_str();
    const char* kept_value = call->keep(std::move(value)).c_str();
    headers->push_back({kept_name, kept_value});
  }
  out.status = result->status;
  out.headers = headers->data();
  out.header_count = headers->size();
  call->header_arrays.push_back(std::move(headers));
  out.body = keep_bytes(call, std::move(result->body));
  return finish(SP_OK);
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
