#include "runner_host.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <cstring>
#include <thread>

#include "plugin/library_loading.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::runner {
namespace {

namespace json = boost::json;

using runner::message_number;
using runner::message_string;

// ---- plugin.h's host services, over the channel ----------------------------------------------

void log(sp_call* handle, sp_log_level level, const char* message, std::size_t size) {
  if (!handle || !message) return;
  auto& call = RunnerHost::call(handle);
  call.host->channel().send(
      {{"type", "log"},
       {"level", level},
       {"message", std::string_view(message, std::min<std::size_t>(size, 16 * 1024))}});
}

sp_status get_setting(sp_call* handle, const char* name, sp_bytes* value) {
  if (!handle || !name || !value) return SP_ERR_INVALID_INPUT;
  auto& call = RunnerHost::call(handle);
  auto reply = call.host->ask({{"type", "setting"}, {"name", name}});
  if (!reply) return SP_ERR_INTERNAL;
  if (message_number(*reply, "status") != SP_OK)
    return static_cast<sp_status>(message_number(*reply, "status"));
  std::lock_guard lock(call.mutex);
  const std::string& kept = call.keep(message_string(*reply, "value"));
  *value = {kept.data(), kept.size()};
  return SP_OK;
}

sp_status http_request(sp_call* handle, const sp_http_request* raw_request,
                       sp_http_response* response) {
  if (!handle || !raw_request || !response) return SP_ERR_INVALID_INPUT;
  auto& call = RunnerHost::call(handle);
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
  json::array headers;
  for (std::size_t i = 0; i < request.header_count && request.headers; ++i)
    if (request.headers[i].name && request.headers[i].value)
      headers.push_back(json::array{request.headers[i].name, request.headers[i].value});
  std::int64_t timeout_ms = request.timeout_ms;
  if (call.deadline != std::chrono::steady_clock::time_point::max()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    call.deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return fail(SP_ERR_TIMEOUT, "the call's deadline has passed");
    if (timeout_ms == 0 || timeout_ms > left) timeout_ms = left;
  }
  auto reply = call.host->ask(
      {{"type", "http"},
       {"call", call.id},
       {"method", request.method},
       {"url", request.url},
       {"headers", std::move(headers)},
       {"body",
        base64_encode(request.body.data ? std::string_view(request.body.data, request.body.size)
                                        : std::string_view())},
       {"timeoutMs", timeout_ms},
       {"followRedirects", (request.flags & SP_HTTP_FOLLOW_REDIRECTS) != 0}});
  if (!reply) return fail(SP_ERR_INTERNAL, "the daemon did not answer");
  if (auto status = message_number(*reply, "status"); status != SP_OK)
    return fail(static_cast<sp_status>(status), message_string(*reply, "error"));
  auto body = base64_decode(message_string(*reply, "body"));
  if (!body) return fail(SP_ERR_INTERNAL, "the daemon sent a body that is not base64");
  std::lock_guard lock(call.mutex);
  auto kept_headers = std::make_unique<std::vector<sp_header>>();
  if (const auto* list = reply->if_contains("headers"); list && list->is_array())
    for (const auto& pair : list->get_array()) {
      if (!pair.is_array() || pair.get_array().size() != 2) continue;
      const auto& name = pair.get_array()[0];
      const auto& value = pair.get_array()[1];
      if (!name.is_string() || !value.is_string()) continue;
      kept_headers->push_back({call.keep(std::string(name.get_string())).c_str(),
                               call.keep(std::string(value.get_string())).c_str()});
    }
  out.status = static_cast<int32_t>(message_number(*reply, "httpStatus"));
  out.headers = kept_headers->data();
  out.header_count = kept_headers->size();
  call.header_arrays.push_back(std::move(kept_headers));
  const std::string& kept_body = call.keep(std::move(*body));
  out.body = {kept_body.data(), kept_body.size()};
  return finish(SP_OK);
}

void progress(sp_call* handle, double fraction, const char* message) {
  if (!handle) return;
  auto& call = RunnerHost::call(handle);
  if (call.is_init) return;
  call.host->channel().send({{"type", "progress"},
                             {"id", call.id},
                             {"fraction", fraction},
                             {"message", message ? message : ""}});
}

int is_cancelled(sp_call* handle) {
  return handle && RunnerHost::call(handle).stopped() ? 1 : 0;
}

sp_status set_result(sp_call* handle, const char* text, std::size_t size) {
  if (!handle || (!text && size)) return SP_ERR_INVALID_INPUT;
  auto& call = RunnerHost::call(handle);
  if (call.is_init) return SP_ERR_INVALID_INPUT;
  std::lock_guard lock(call.mutex);
  if (size > call.max_result_bytes) {
    call.rejected_result_size = size;
    call.has_result = false;
    call.result.clear();
    return SP_ERR_TOO_LARGE;
  }
  call.result.assign(text ? text : "", size);
  call.has_result = true;
  call.rejected_result_size = 0;
  return SP_OK;
}

void set_error(sp_call* handle, sp_status code, const char* message, std::size_t size) {
  if (!handle) return;
  auto& call = RunnerHost::call(handle);
  std::lock_guard lock(call.mutex);
  call.error_code = code == SP_OK ? SP_ERR_INTERNAL : code;
  call.error_message.assign(message ? message : "",
                            message ? std::min<std::size_t>(size, 4096) : 0);
}

constexpr sp_host_api kHostApi = {
    sizeof(sp_host_api), SP_ABI_MAJOR, SP_ABI_MINOR,  &log,        &get_setting,
    &http_request,       &progress,    &is_cancelled, &set_result, &set_error,
};

}  // namespace

const sp_host_api* RunnerHost::api() const noexcept {
  return &kHostApi;
}

std::optional<json::object> RunnerHost::ask(json::object request) {
  Waiter waiter;
  std::unique_lock lock(mutex_);
  if (closed_) return std::nullopt;
  const auto id = next_request_++;
  waiting_[id] = &waiter;
  lock.unlock();
  request["id"] = id;
  if (!channel_.send(request)) {
    lock.lock();
    waiting_.erase(id);
    return std::nullopt;
  }
  lock.lock();
  while (!waiter.done) {
    if (serving_ || load_reading_) {  // someone reads: the reply comes through deliver_reply
      waiter.ready.wait(lock);
      continue;
    }
    // While the library loads nobody reads yet (a plugin asks for settings in its init): read
    // for ourselves, handing over any other message, until our reply is in.
    load_reading_ = true;
    lock.unlock();
    auto message = channel_.receive();
    if (message && !dispatch(std::move(*message))) ::_exit(0);  // "shutdown"
    lock.lock();
    load_reading_ = false;
    if (!message) closed_ = true;
    for (auto& [other_id, other] : waiting_) {  // the reader role is free, or the daemon gone
      if (!message) other->done = true;
      other->ready.notify_one();
    }
    reader_free_.notify_all();
  }
  waiting_.erase(id);
  return std::move(waiter.reply);
}

void RunnerHost::deliver_reply(json::object message) {
  std::lock_guard lock(mutex_);
  if (auto found = waiting_.find(static_cast<std::uint64_t>(message_number(message, "id")));
      found != waiting_.end()) {
    found->second->reply = std::move(message);
    found->second->done = true;
    found->second->ready.notify_one();
  }
}

bool RunnerHost::load(const json::object& message) {
  auto failed = [&](sp_status status, std::string text) {
    channel_.send({{"type", "failed"}, {"status", status}, {"message", std::move(text)}});
    return false;
  };
  plugin_name_ = message_string(message, "plugin");
  const std::string library = message_string(message, "library");
  const std::string file = message_string(message, "file");
  std::vector<std::string> declared;
  if (const auto* skills = message.if_contains("skills"); skills && skills->is_array())
    for (const auto& name : skills->get_array())
      if (name.is_string()) declared.emplace_back(name.get_string());
  if (auto limit = message_number(message, "maxResultBytes"); limit > 0)
    max_result_bytes_ = static_cast<std::size_t>(limit);

  auto opened = plugin::open_library(library, file, plugin_name_, declared);
  if (!opened) return failed(SP_ERR_UNSUPPORTED, opened.error().message);
  descriptor_ = opened->descriptor;
  skills_ = std::move(opened->skills);

  const std::string config = message_string(message, "config");
  if (auto checked = plugin::check_config(descriptor_.config_schema, config, file); !checked)
    return failed(SP_ERR_INVALID_INPUT, checked.error().message);
  RunnerCall init;
  init.host = this;
  init.is_init = true;
  const std::string manifest_dir = message_string(message, "manifestDir");
  sp_init_args args{sizeof(sp_init_args),
                    api(),
                    handle(init),
                    {config.data(), config.size()},
                    manifest_dir.c_str()};
  sp_status status = SP_ERR_INTERNAL;
  try {
    status = descriptor_.init(&args, &instance_);
  } catch (...) {
    init.error_message = "an exception escaped the plugin's init";
  }
  if (status != SP_OK)
    return failed(status == SP_OK ? SP_ERR_INTERNAL : status,
                  init.error_message.empty() ? "no message given" : init.error_message);

  json::array skills;
  for (const auto& skill : skills_)
    skills.push_back({{"name", skill.name}, {"flags", skill.flags}});
  json::array warnings;
  for (const auto& warning : opened->identity.warnings)
    warnings.emplace_back(warning);
  return channel_.send({{"type", "loaded"},
                        {"version", opened->identity.version},
                        {"sdkVersion", opened->identity.sdk_version},
                        {"abiVersion", opened->identity.abi_version},
                        {"skills", std::move(skills)},
                        {"warnings", std::move(warnings)}});
}

void RunnerHost::serve() {
  {
    // A plugin thread started by init may be reading for its reply: serve once it is done.
    std::unique_lock lock(mutex_);
    serving_ = true;
    reader_free_.wait(lock, [&] { return !load_reading_; });
  }
  while (auto message = channel_.receive())
    if (!dispatch(std::move(*message))) break;
  // The daemon is gone or wants us gone: calls in flight have nobody to answer to.
  ::_exit(0);
}

bool RunnerHost::dispatch(json::object message) {
  const std::string type = message_string(message, "type");
  if (type == "invoke") {
    start_call(message);
  } else if (type == "cancel") {
    std::lock_guard lock(mutex_);
    if (auto found = calls_.find(static_cast<std::uint64_t>(message_number(message, "id")));
        found != calls_.end())
      found->second->cancelled = true;
  } else if (type == "reply") {
    deliver_reply(std::move(message));
  } else if (type == "shutdown") {
    return false;
  }
  return true;
}

void RunnerHost::start_call(const json::object& message) {
  auto call = std::make_shared<RunnerCall>();
  call->host = this;
  call->id = static_cast<std::uint64_t>(message_number(message, "id"));
  call->max_result_bytes = max_result_bytes_;
  if (auto timeout = message_number(message, "timeoutMs"); timeout > 0)
    call->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout);
  {
    std::lock_guard lock(mutex_);
    calls_[call->id] = call;
  }
  std::thread(&RunnerHost::run_call, this, std::move(call), message_string(message, "skill"),
              message_string(message, "input"))
      .detach();
}

void RunnerHost::run_call(std::shared_ptr<RunnerCall> call, std::string skill_name,
                          std::string input) {
  auto finish = [&](json::object answer) {
    {
      std::lock_guard lock(mutex_);
      calls_.erase(call->id);
    }
    answer["id"] = call->id;
    channel_.send(answer);
  };
  auto error = [&](sp_status status, std::string text) {
    finish({{"type", "error"}, {"status", status}, {"message", std::move(text)}});
  };
  const auto found = std::find_if(skills_.begin(), skills_.end(),
                                  [&](const sp_skill& s) { return skill_name == s.name; });
  const std::string full_name = plugin_name_ + "." + skill_name;
  if (found == skills_.end()) return error(SP_ERR_NOT_FOUND, "no skill named " + full_name);
  std::unique_lock<std::mutex> turn(serial_, std::defer_lock);
  if (!(found->flags & SP_SKILL_THREAD_SAFE)) turn.lock();
  sp_status status = SP_ERR_INTERNAL;
  try {
    status = found->invoke(instance_, handle(*call), input.c_str(), input.size());
  } catch (...) {
    call->error_message = "an exception escaped the skill";
  }
  if (turn.owns_lock()) turn.unlock();

  std::lock_guard lock(call->mutex);
  if (call->stopped())
    return error(call->cancelled ? SP_ERR_CANCELLED : SP_ERR_TIMEOUT,
                 full_name + (call->cancelled ? " was cancelled"
                                              : " ran past its timeout; its result was discarded"));
  if (call->rejected_result_size)
    return error(SP_ERR_TOO_LARGE, full_name + " produced a result of " +
                                       std::to_string(call->rejected_result_size) +
                                       " bytes, over the limit of " +
                                       std::to_string(call->max_result_bytes) + " bytes");
  if (status != SP_OK) return error(status, call->error_message);
  if (!call->has_result)
    return error(SP_ERR_INTERNAL,
                 full_name +
                     " returned success without setting a result — a plugin bug: call set_result "
                     "before returning SP_OK");
  finish({{"type", "result"}, {"result", std::move(call->result)}});
}

}  // namespace secpilot::runner
