// One sp_http_request from a plugin, served the same way by both hosts: in process
// (plugin/host_api.cpp, through the daemon's HTTP client) and in a runner
// (apps/secpilot-runner/runner_host.cpp, which forwards it to the daemon). This is the ABI side:
// the structs read and written as far as both sides know them, the checks, the call's deadline,
// and the answer kept alive in the call until it ends.
#pragma once

#include <secpilot/plugin.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace secpilot::plugin {

struct HttpCallRequest {
  std::string_view method, url;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
  bool follow_redirects = false;
  std::chrono::milliseconds timeout{0};  // 0: the client's default; never past the deadline
};

struct HttpCallResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpCallFailure {
  sp_status status = SP_ERR_INTERNAL;
  std::string message;
};

// `Call` keeps strings alive (keep), holds header arrays, a mutex, is_init and a deadline;
// `send(const HttpCallRequest&)` returns an HttpCallResponse or an HttpCallFailure.
template <class Call, class Send>
sp_status serve_http_request(Call& call, const sp_http_request* raw_request,
                             sp_http_response* response, Send&& send) {
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
    std::lock_guard lock(call.mutex);
    const std::string& kept = call.keep(std::move(message));
    out.error = {kept.data(), kept.size()};
    return finish(status);
  };
  if (call.is_init) return fail(SP_ERR_UNSUPPORTED, "HTTP requests are not allowed during init");
  if (!request.url || !request.method)
    return fail(SP_ERR_INVALID_INPUT, "method and url are required");

  HttpCallRequest http;
  http.method = request.method;
  http.url = request.url;
  for (std::size_t i = 0; i < request.header_count && request.headers; ++i)
    if (request.headers[i].name && request.headers[i].value)
      http.headers.emplace_back(request.headers[i].name, request.headers[i].value);
  if (request.body.data) http.body = std::string_view(request.body.data, request.body.size);
  http.follow_redirects = (request.flags & SP_HTTP_FOLLOW_REDIRECTS) != 0;
  http.timeout = std::chrono::milliseconds(request.timeout_ms);
  if (call.deadline != std::chrono::steady_clock::time_point::max()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        call.deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail(SP_ERR_TIMEOUT, "the call's deadline has passed");
    if (http.timeout.count() == 0 || http.timeout > left) http.timeout = left;
  }

  auto answer = send(static_cast<const HttpCallRequest&>(http));
  if (auto* failure = std::get_if<HttpCallFailure>(&answer))
    return fail(failure->status, std::move(failure->message));
  auto& result = std::get<HttpCallResponse>(answer);
  std::lock_guard lock(call.mutex);
  auto headers = std::make_unique<std::vector<sp_header>>();
  headers->reserve(result.headers.size());
  for (auto& [name, value] : result.headers) {
    const char* kept_name = call.keep(std::move(name)).c_str();
    const char* kept_value = call.keep(std::move(value)).c_str();
    headers->push_back({kept_name, kept_value});
  }
  out.status = result.status;
  out.headers = headers->data();
  out.header_count = headers->size();
  call.header_arrays.push_back(std::move(headers));
  const std::string& kept_body = call.keep(std::move(result.body));
  out.body = {kept_body.data(), kept_body.size()};
  return finish(SP_OK);
}

}  // namespace secpilot::plugin
