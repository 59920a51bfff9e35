#include "runner_host.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#include "plugin/http_call.hpp"
#include "plugin/library_loading.hpp"
#include "runner/frame_writer.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::runner {
namespace {

namespace json = boost::json;

using runner::message_number;
using runner::message_string;

// A thread keeps its frame buffer for the next call, up to this size.
constexpr std::size_t kKeptFrameBytes = 256 * 1024;

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
  // Credentials and egress stay in the daemon: the request goes there, and so does its answer.
  return plugin::serve_http_request(
      call, raw_request, response,
      [&call](const plugin::HttpCallRequest& request)
          -> std::variant<plugin::HttpCallResponse, plugin::HttpCallFailure> {
        json::array headers;
        for (const auto& [name, value] : request.headers)
          headers.push_back(json::array{json::string(name), json::string(value)});
        auto reply = call.host->ask({{"type", "http"},
                                     {"call", call.id},
                                     {"method", request.method},
                                     {"url", request.url},
                                     {"headers", std::move(headers)},
                                     {"body", base64_encode(request.body)},
                                     {"timeoutMs", request.timeout.count()},
                                     {"followRedirects", request.follow_redirects}});
        if (!reply) return plugin::HttpCallFailure{SP_ERR_INTERNAL, "the daemon did not answer"};
        if (auto status = message_number(*reply, "status"); status != SP_OK)
          return plugin::HttpCallFailure{static_cast<sp_status>(status),
                                         message_string(*reply, "error")};
        auto body = base64_decode(message_string(*reply, "body"));
        if (!body)
          return plugin::HttpCallFailure{SP_ERR_INTERNAL,
                                         "the daemon sent a body that is not base64"};
        plugin::HttpCallResponse out;
        out.status = static_cast<int>(message_number(*reply, "httpStatus"));
        if (const auto* list = reply->if_contains("headers"); list && list->is_array())
          for (const auto& pair : list->get_array()) {
            if (!pair.is_array() || pair.get_array().size() != 2) continue;
            const auto& name = pair.get_array()[0];
            const auto& value = pair.get_array()[1];
            if (name.is_string() && value.is_string())
              out.headers.emplace_back(name.get_string(), value.get_string());
          }
        out.body = std::move(*body);
        return out;
      });
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
  const bool unread = !reading_;
  lock.unlock();
  if (unread) poke();  // nobody reads: the watcher will, for the reply
  request["id"] = id;
  if (!channel_.send(request)) {
    lock.lock();
    waiting_.erase(id);
    return std::nullopt;
  }
  lock.lock();
  waiter.ready.wait(lock, [&] { return waiter.done; });
  waiting_.erase(id);
  return std::move(waiter.reply);
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
  try {
    // Someone must read while init runs: it may ask the daemon for settings.
    std::lock_guard lock(mutex_);
    reading_ = true;
    std::thread(&RunnerHost::work, this, Duty::lead, false).detach();
  } catch (const std::system_error&) {
    return failed(SP_ERR_INTERNAL, "the runner could not start a thread");
  }
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

[[noreturn]] void RunnerHost::serve() {
  work(Duty::any, true);
  ::_exit(0);  // not reached: a permanent thread never returns
}

void RunnerHost::work(Duty duty, bool permanent) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (duty == Duty::any) {
      if (!reading_) {
        reading_ = true;
        duty = Duty::lead;
      } else if (!watching_) {
        watching_ = true;
        duty = Duty::watch;
      } else if (!permanent && parked_ >= kMaxParked) {
        return;
      } else {
        ++parked_;
        parked_threads_.wait(lock, [&] { return appointed_; });
        appointed_ = false;
        --parked_;
        duty = Duty::watch;  // watching_ was set when this thread was appointed
      }
      continue;
    }
    if (duty == Duty::watch) {
      lock.unlock();
      wait_for_poke();
      lock.lock();
      if (!reading_) {
        watching_ = false;
        reading_ = true;
        duty = Duty::lead;
      } else {
        missed_poke_ = true;  // the reader may be about to leave: it pokes again if so
      }
      continue;
    }
    // Leading: read and route until an invoke comes.
    lock.unlock();
    std::optional<json::object> message;
    for (;;) {
      auto next = channel_.receive();
      // The daemon is gone or sent garbage: calls in flight have nobody to answer to.
      if (!next) ::_exit(0);
      if (const auto* type = next->if_contains("type"); type && type->as_string() == "invoke") {
        message.emplace(std::move(*next));
        break;
      }
      route(*next);
    }
    RunnerCall call;
    call.host = this;
    call.id = static_cast<std::uint64_t>(message_number(*message, "id"));
    call.max_result_bytes = max_result_bytes_;
    if (auto timeout = message_number(*message, "timeoutMs"); timeout > 0)
      call.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout);
    lock.lock();
    if (!ensure_watcher()) {
      lock.unlock();
      send_error(call.id, SP_ERR_INTERNAL, "the plugin's runner could not start a thread");
      lock.lock();
      continue;  // still leading
    }
    // Registered before the role is left, so that the next reader finds it for a cancel.
    calls_[call.id] = &call;
    reading_ = false;
    // Someone must read on while this call runs when a frame is already waiting (buffered, or
    // poked for while this thread still read) or a reply is awaited by another call's ask().
    const bool read_on = missed_poke_ || channel_.buffered() || !waiting_.empty();
    missed_poke_ = false;
    lock.unlock();
    if (read_on) poke();
    run_call(call, *message);
    lock.lock();
    duty = Duty::any;  // most often: the role is still free, and this thread reads again
  }
}

bool RunnerHost::ensure_watcher() {
  if (watching_) return true;
  watching_ = true;  // on behalf of the thread appointed here
  if (parked_ > 0) {
    appointed_ = true;
    parked_threads_.notify_one();
    return true;
  }
  try {
    std::thread(&RunnerHost::work, this, Duty::watch, false).detach();
    return true;
  } catch (const std::system_error&) {
    watching_ = false;
    return false;
  }
}

void RunnerHost::poke() const {
  const std::uint64_t one = 1;
  (void)!::write(poke_fd_, &one, sizeof one);
}

void RunnerHost::wait_for_poke() {
  pollfd poke{poke_fd_, POLLIN, 0};
  while (::poll(&poke, 1, -1) < 0 && errno == EINTR) {
  }
  std::uint64_t count = 0;
  (void)!::read(poke_fd_, &count, sizeof count);  // non-blocking: another may have drained it
}

void RunnerHost::route(json::object& message) {
  const std::string type = message_string(message, "type");
  if (type == "cancel") {
    std::lock_guard lock(mutex_);
    if (auto found = calls_.find(static_cast<std::uint64_t>(message_number(message, "id")));
        found != calls_.end())
      found->second->cancelled = true;
  } else if (type == "reply") {
    std::lock_guard lock(mutex_);
    if (auto found = waiting_.find(static_cast<std::uint64_t>(message_number(message, "id")));
        found != waiting_.end()) {
      found->second->reply = std::move(message);
      found->second->done = true;
      found->second->ready.notify_one();
    }
  } else if (type == "shutdown") {
    ::_exit(0);
  }
}

void RunnerHost::send_error(std::uint64_t id, sp_status status, std::string_view text) {
  thread_local std::string frame;
  FrameWriter writer(frame);
  writer.string("type", "error")
      .number("id", id)
      .number("status", static_cast<std::int64_t>(status));
  channel_.send_frame(writer.string("message", text).finish());
}

void RunnerHost::run_call(RunnerCall& call, const json::object& invoke) {
  auto error = [&](sp_status status, std::string_view text) {
    {
      std::lock_guard lock(mutex_);
      calls_.erase(call.id);
    }
    send_error(call.id, status, text);
  };
  const auto* skill_value = invoke.if_contains("skill");
  const std::string_view skill_name =
      skill_value && skill_value->is_string() ? std::string_view(skill_value->get_string()) : "";
  const auto found = std::find_if(skills_.begin(), skills_.end(),
                                  [&](const sp_skill& s) { return skill_name == s.name; });
  const std::string full_name = plugin_name_ + "." + std::string(skill_name);
  if (found == skills_.end()) return error(SP_ERR_NOT_FOUND, "no skill named " + full_name);
  // The input as the daemon sent it, NUL-terminated (json::string keeps a terminator).
  static const json::string kNoInput;
  const auto* input_value = invoke.if_contains("input");
  const json::string& input =
      input_value && input_value->is_string() ? input_value->get_string() : kNoInput;
  std::unique_lock<std::mutex> turn(serial_, std::defer_lock);
  if (!(found->flags & SP_SKILL_THREAD_SAFE)) turn.lock();
  sp_status status = SP_ERR_INTERNAL;
  try {
    status = found->invoke(instance_, handle(call), input.c_str(), input.size());
  } catch (...) {
    call.error_message = "an exception escaped the skill";
  }
  if (turn.owns_lock()) turn.unlock();

  std::lock_guard lock(call.mutex);
  if (call.stopped())
    return error(call.cancelled ? SP_ERR_CANCELLED : SP_ERR_TIMEOUT,
                 full_name + (call.cancelled ? " was cancelled"
                                             : " ran past its timeout; its result was discarded"));
  if (call.rejected_result_size)
    return error(SP_ERR_TOO_LARGE, full_name + " produced a result of " +
                                       std::to_string(call.rejected_result_size) +
                                       " bytes, over the limit of " +
                                       std::to_string(call.max_result_bytes) + " bytes");
  if (status != SP_OK) return error(status, call.error_message);
  if (!call.has_result)
    return error(SP_ERR_INTERNAL,
                 full_name +
                     " returned success without setting a result — a plugin bug: call set_result "
                     "before returning SP_OK");
  {
    std::lock_guard calls_lock(mutex_);
    calls_.erase(call.id);
  }
  thread_local std::string frame;
  FrameWriter writer(frame);
  writer.string("type", "result").number("id", call.id).string("result", call.result);
  channel_.send_frame(writer.finish());
  if (frame.capacity() > kKeptFrameBytes) std::string().swap(frame);  // a huge result's buffer
}

}  // namespace secpilot::runner
