#include "plugin/runner_connection.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <cerrno>
#include <thread>

#include "plugin/call_state.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;
using runner::message_number;
using runner::message_string;
using Wait = runner::Channel::Wait;

}  // namespace

RunnerPlugin::Process::Process(RunnerChild child,
                               std::shared_ptr<const PluginEnvironment> environment,
                               std::function<void(const Process*, const std::string&)> on_end,
                               unsigned max_log_lines)
    : pid(child.pid),
      fd(child.fd),
      channel(child.fd),
      environment(std::move(environment)),
      on_end(std::move(on_end)),
      max_log_lines(max_log_lines),
      wake_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      poke_fd(child.poke_fd) {}

// The socket stays open until nobody can use it any more: closed earlier, its number could be
// reused by another file while a late send() still holds it.
RunnerPlugin::Process::~Process() {
  ::close(fd);
  if (wake_fd >= 0) ::close(wake_fd);
  ::close(poke_fd);
}

void RunnerPlugin::Process::start_background_reader() {
  std::thread([self = shared_from_this()] { self->background_loop(); }).detach();
}

void RunnerPlugin::Process::terminate(const std::string& why) {
  std::lock_guard lock(mutex);
  if (reaped) return;
  if (death.empty()) death = why;
  dead = true;
  ::kill(-pid, SIGKILL);
}

std::uint64_t RunnerPlugin::Process::add_call(PendingCall& call, bool& others) {
  std::lock_guard lock(mutex);
  if (dead) return 0;
  others = !calls.empty();
  const auto id = next_id++;
  calls[id] = &call;
  return id;
}

void RunnerPlugin::Process::poke() const {
  const std::uint64_t one = 1;
  (void)!::write(poke_fd, &one, sizeof one);
}

void RunnerPlugin::Process::wait_reaped() {
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return reaped; });
}

// ---- who reads -------------------------------------------------------------------------------

void RunnerPlugin::Process::wait_for(const PendingCall& call, std::unique_lock<std::mutex>& lock,
                                     Clock::time_point until) {
  while (!call.done) {
    if (!reading_ && !ended_) {
      reading_ = true;
      lock.unlock();
      Wait got = Wait::message;
      for (;;) {
        got = read_one(until, -1);
        lock.lock();
        if (call.done || got != Wait::message) break;
        lock.unlock();
      }
      vacate();
      if (got == Wait::timed_out) return;
      continue;
    }
    if (background_reading_ && !background_asked_) {
      background_asked_ = true;
      const std::uint64_t one = 1;
      (void)!::write(wake_fd, &one, sizeof one);
    }
    if (changed.wait_until(lock, until) == std::cv_status::timeout) return;
  }
}

void RunnerPlugin::Process::vacate() {
  reading_ = false;
  vacated_ = Clock::now();
  changed.notify_all();  // a waiting caller takes the role
  if (background_parked_) background_.notify_one();
}

// While calls come and go, this thread looks every kIdleHandOver whether the role has been free
// that long with no call in flight, and takes it then; it is woken by a vacate only when it has
// parked, which it does while one caller has held the role throughout (a long call). Back-to-back
// calls therefore cost it one wake-up per kIdleHandOver, not one per call.
void RunnerPlugin::Process::background_loop() {
  std::unique_lock lock(mutex);
  auto seen = vacated_;
  while (!ended_) {
    const auto now = Clock::now();
    if (!reading_ && calls.empty() && now >= vacated_ + kIdleHandOver) {
      reading_ = background_reading_ = true;
      lock.unlock();
      Wait got = Wait::message;
      while (got == Wait::message)
        got = read_one(Clock::time_point::max(), wake_fd);
      std::uint64_t count = 0;
      if (got == Wait::woken) (void)!::read(wake_fd, &count, sizeof count);
      lock.lock();
      background_reading_ = background_asked_ = false;
      vacate();
      seen = vacated_;
    } else if (reading_ && vacated_ == seen) {
      background_parked_ = true;
      background_.wait(lock);
      background_parked_ = false;
    } else {
      seen = vacated_;
      background_.wait_until(lock, std::max(now, vacated_) + kIdleHandOver);
    }
  }
}

runner::Channel::Wait RunnerPlugin::Process::read_one(Clock::time_point until, int wake) {
  std::optional<json::object> message;
  const Wait got = channel.receive(message, until, wake);
  if (got == Wait::ended || (got == Wait::message && !route(std::move(*message)))) {
    end_of_stream();
    return Wait::ended;
  }
  return got;
}

void RunnerPlugin::Process::end_of_stream() {
  {
    std::lock_guard lock(mutex);
    if (ended_) return;
    ended_ = true;
  }
  const std::string garbage = channel.error();
  if (!garbage.empty()) terminate("sent garbage on its socket (" + garbage + ")");
  ::kill(-pid, SIGKILL);  // whatever is left of the group: threads stuck, children
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string why;
  {
    std::lock_guard lock(mutex);
    dead = reaped = true;
    if (death.empty()) death = describe_exit(status);
    why = death;
    changed.notify_all();  // a start waiting for this child's answer sees it ended
    background_.notify_all();
  }
  // Counted before the calls hear of it, so that a caller who sees its call fail also sees the
  // failure in the plugin's health.
  if (on_end) on_end(this, why);
  std::lock_guard lock(mutex);
  for (auto& [id, call] : calls) {
    call->outcome = make_error(
        Status::upstream, "the plugin's runner " + why + " during the call; it is started again");
    call->done = true;
  }
  calls.clear();
  changed.notify_all();
}

// ---- what the runner sends -------------------------------------------------------------------

bool RunnerPlugin::Process::route(json::object message) {
  const std::string type = message_string(message, "type");
  if (type == "result" || type == "error") {
    finish_call(message, type == "result");
  } else if (type == "log") {
    log(message);
  } else if (type == "progress") {
    std::lock_guard lock(mutex);
    auto found = calls.find(static_cast<std::uint64_t>(message_number(message, "id")));
    if (found != calls.end() && found->second->on_progress && *found->second->on_progress) {
      const auto* fraction = message.if_contains("fraction");
      (*found->second->on_progress)(
          fraction && fraction->is_number() ? fraction->to_number<double>() : 0.0,
          message_string(message, "message"));
    }
  } else if (type == "setting") {
    answer_setting(message);
  } else if (type == "http") {
    answer_http(std::move(message));
  } else if (type == "loaded" || type == "failed") {
    std::lock_guard lock(mutex);
    handshake.emplace(std::move(message));
    changed.notify_all();
  } else {
    terminate("sent a message of unknown type '" + type + "'");
    return false;
  }
  return true;
}

void RunnerPlugin::Process::finish_call(const json::object& message, bool ok) {
  std::lock_guard lock(mutex);
  auto found = calls.find(static_cast<std::uint64_t>(message_number(message, "id")));
  if (found == calls.end()) return;  // a call we gave up on
  PendingCall& call = *found->second;
  if (ok) {
    call.outcome = message_string(message, "result");
  } else {
    const auto status = static_cast<sp_status>(message_number(message, "status"));
    const Status code = status_from_abi(status == SP_OK ? SP_ERR_INTERNAL : status);
    std::string text = environment->redact(message_string(message, "message"));
    call.outcome = make_error(code, std::move(text));
  }
  call.done = true;
  calls.erase(found);
  changed.notify_all();
}

void RunnerPlugin::Process::log(const json::object& message) {
  const auto& logger = environment->logger;
  if (!logger) return;
  const auto now = Clock::now();
  unsigned dropped = 0;
  {
    std::lock_guard lock(mutex);
    if (now - log_window_ >= std::chrono::seconds(1)) {
      dropped = dropped_logs_;
      log_window_ = now;
      logged_in_window_ = dropped_logs_ = 0;
    }
    if (++logged_in_window_ > max_log_lines) {
      ++dropped_logs_;
      return;
    }
  }
  if (dropped)
    logger->warn("{} log lines of this plugin were dropped (more than {} a second)", dropped,
                 max_log_lines);
  const auto level = to_spdlog(static_cast<sp_log_level>(message_number(message, "level")));
  if (logger->should_log(level))
    logger->log(level, "{}", environment->redact(message_string(message, "message")));
}

// Only this plugin's own settings and secrets are ever answered.
void RunnerPlugin::Process::answer_setting(const json::object& message) {
  json::object reply{{"type", "reply"}, {"id", message_number(message, "id")}};
  if (auto value = environment->setting(message_string(message, "name"))) {
    reply["status"] = SP_OK;
    reply["value"] = *value;
  } else {
    reply["status"] = SP_ERR_NOT_FOUND;
  }
  channel.send(reply);
}

void RunnerPlugin::Process::answer_http(json::object message) {
  // An HTTP request may take seconds: the reader must keep reading meanwhile.
  std::thread([self = shared_from_this(), message = std::move(message)] {
    json::object reply{{"type", "reply"}, {"id", message_number(message, "id")}};
    auto fail = [&](sp_status status, std::string text) {
      reply["status"] = status;
      reply["error"] = std::move(text);
      self->channel.send(reply);
    };
    const auto& env = *self->environment;
    if (!env.http) return fail(SP_ERR_UNSUPPORTED, "this host has no HTTP client configured");
    net::HttpRequest http;
    http.method = message_string(message, "method");
    http.url = message_string(message, "url");
    if (const auto* headers = message.if_contains("headers"); headers && headers->is_array())
      for (const auto& pair : headers->get_array())
        if (pair.is_array() && pair.get_array().size() == 2 && pair.get_array()[0].is_string() &&
            pair.get_array()[1].is_string())
          http.headers.emplace_back(std::string(pair.get_array()[0].get_string()),
                                    std::string(pair.get_array()[1].get_string()));
    auto body = base64_decode(message_string(message, "body"));
    if (!body) return fail(SP_ERR_INVALID_INPUT, "the request body is not base64");
    http.body = std::move(*body);
    const auto* follow = message.if_contains("followRedirects");
    http.follow_redirects = follow && follow->is_bool() && follow->get_bool();
    http.timeout = std::chrono::milliseconds(message_number(message, "timeoutMs"));
    auto result = env.http->request(http, env.egress, [&] {
      std::lock_guard lock(self->mutex);
      return self->dead;
    });
    if (!result) return fail(static_cast<sp_status>(result.error().status), result.error().message);
    json::array headers;
    for (auto& [name, value] : result->headers)
      headers.push_back(json::array{json::string(name), json::string(value)});
    reply["status"] = SP_OK;
    reply["httpStatus"] = result->status;
    reply["headers"] = std::move(headers);
    reply["body"] = base64_encode(result->body);
    self->channel.send(reply);
  }).detach();
}

}  // namespace secpilot::plugin
