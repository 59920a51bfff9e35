#include "secpilot/plugin/runner_plugin.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/value.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "plugin/call_state.hpp"
#include "plugin/library_checks.hpp"
#include "plugin/library_loading.hpp"
#include "plugin/runner_process.hpp"
#include "runner/channel.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

using runner::message_number;
using runner::message_string;

std::filesystem::path default_program() {
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path("secpilot-runner") : self.parent_path() / "secpilot-runner";
}

// What one runner needs to load its library again after a restart.
struct LoadRequest {
  std::string plugin, file;
  std::filesystem::path map_path;
  std::optional<std::string> sha256;
  std::vector<std::string> declared;
  std::string manifest_dir, config;
  std::size_t max_result_bytes = 0;
};

struct PendingCall {
  bool done = false;
  std::optional<Expected<std::string>> outcome;
  const std::function<void(double, std::string_view)>* on_progress = nullptr;
};

}  // namespace

struct RunnerPlugin::Process : std::enable_shared_from_this<Process> {
  Process(RunnerChild child, std::shared_ptr<const PluginEnvironment> environment,
          std::weak_ptr<Supervisor> supervisor, unsigned max_log_lines)
      : pid(child.pid),
        fd(child.fd),
        channel(child.fd),
        environment(std::move(environment)),
        supervisor(std::move(supervisor)),
        max_log_lines(max_log_lines) {}

  const pid_t pid;
  const int fd;
  runner::Channel channel;
  const std::shared_ptr<const PluginEnvironment> environment;
  const std::weak_ptr<Supervisor> supervisor;
  const unsigned max_log_lines;

  std::mutex mutex;
  std::condition_variable changed;
  std::optional<json::object> handshake;
  std::map<std::uint64_t, PendingCall*> calls;
  std::uint64_t next_id = 1;
  bool dead = false, reaped = false;
  std::string death;  // why it stopped, once it has
  Clock::time_point log_window{};
  unsigned logged_in_window = 0, dropped_logs = 0;

  void start_reader() {
    std::thread([self = shared_from_this()] { self->read_loop(); }).detach();
  }

  // Kills the child (its whole process group); the reader reaps it and fails what is in flight.
  void terminate(const std::string& why) {
    std::lock_guard lock(mutex);
    if (reaped) return;
    if (death.empty()) death = why;
    dead = true;
    ::kill(-pid, SIGKILL);
  }

  // Registers a call; 0 when the child is already gone.
  std::uint64_t add_call(PendingCall& call) {
    std::lock_guard lock(mutex);
    if (dead) return 0;
    const auto id = next_id++;
    calls[id] = &call;
    return id;
  }

  void wait_reaped() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return reaped; });
  }

  void read_loop();
  void finish_call(const json::object& message, bool ok);
  void log(const json::object& message);
  void answer_setting(const json::object& message);
  void answer_http(json::object message);
};

struct RunnerPlugin::Supervisor : std::enable_shared_from_this<Supervisor> {
  RunnerOptions options;
  std::filesystem::path program;
  LoadRequest load;
  std::shared_ptr<const PluginEnvironment> environment;

  mutable std::mutex mutex;
  std::shared_ptr<Process> current;
  unsigned failures = 0;  // in a row
  Clock::time_point next_start{};
  std::string last_failure;
  bool stopping = false;

  Expected<std::shared_ptr<Process>> running();
  Expected<std::shared_ptr<Process>> launch();
  void died(const Process* who, const std::string& why);
  void succeeded() {
    std::lock_guard lock(mutex);
    failures = 0;
  }
  void stop();
  std::vector<std::string> arguments() const;
};

// ---- the reader: everything the runner sends, and its end ------------------------------------

void RunnerPlugin::Process::read_loop() {
  while (auto message = channel.receive()) {
    const std::string type = message_string(*message, "type");
    if (type == "result" || type == "error") {
      finish_call(*message, type == "result");
    } else if (type == "log") {
      log(*message);
    } else if (type == "progress") {
      std::lock_guard lock(mutex);
      auto found = calls.find(static_cast<std::uint64_t>(message_number(*message, "id")));
      if (found != calls.end() && found->second->on_progress && *found->second->on_progress) {
        const auto* fraction = message->if_contains("fraction");
        (*found->second->on_progress)(
            fraction && fraction->is_number() ? fraction->to_number<double>() : 0.0,
            message_string(*message, "message"));
      }
    } else if (type == "setting") {
      answer_setting(*message);
    } else if (type == "http") {
      answer_http(std::move(*message));
    } else if (type == "loaded" || type == "failed") {
      std::lock_guard lock(mutex);
      handshake = std::move(*message);
      changed.notify_all();
    } else {
      terminate("sent a message of unknown type '" + type + "'");
      break;
    }
  }
  const std::string garbage = channel.error();
  if (!garbage.empty()) terminate("sent garbage on its socket (" + garbage + ")");
  ::kill(-pid, SIGKILL);  // whatever is left of the group: threads stuck, children
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(fd);
  std::string why;
  {
    std::lock_guard lock(mutex);
    dead = reaped = true;
    if (death.empty()) death = describe_exit(status);
    why = death;
    changed.notify_all();  // a start waiting for this child's answer sees it ended
  }
  // Counted before the calls hear of it, so that a caller who sees its call fail also sees the
  // failure in the plugin's health.
  if (auto owner = supervisor.lock()) owner->died(this, why);
  std::lock_guard lock(mutex);
  for (auto& [id, call] : calls) {
    call->outcome = make_error(
        Status::upstream, "the plugin's runner " + why + " during the call; it is started again");
    call->done = true;
  }
  calls.clear();
  changed.notify_all();
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
    if (now - log_window >= std::chrono::seconds(1)) {
      dropped = dropped_logs;
      log_window = now;
      logged_in_window = dropped_logs = 0;
    }
    if (++logged_in_window > max_log_lines) {
      ++dropped_logs;
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

// ---- supervision ------------------------------------------------------------------------------

std::vector<std::string> RunnerPlugin::Supervisor::arguments() const {
  std::vector<std::string> args{"--parent",     std::to_string(::getpid()),
                                "--memory-mb",  std::to_string(options.memory_mb),
                                "--open-files", std::to_string(options.open_files)};
  if (options.cpu_seconds) {
    args.push_back("--cpu-seconds");
    args.push_back(std::to_string(options.cpu_seconds));
  }
  if (options.allow_network) args.push_back("--allow-network");
  if (options.allow_processes) args.push_back("--allow-processes");
  if (options.user) {
    args.push_back("--user");
    args.push_back(*options.user);
  }
  return args;
}

Expected<std::shared_ptr<RunnerPlugin::Process>> RunnerPlugin::Supervisor::launch() {
  // The file may have changed since it was checked: the pin is checked before every start.
  if (auto pinned = check_pinned_sha256(load.map_path, load.sha256); !pinned) return pinned.error();
  auto child = spawn_runner(program, arguments());
  if (!child) return child.error();
  auto process = std::make_shared<Process>(*child, environment, weak_from_this(),
                                           options.max_log_lines_per_second);
  process->start_reader();
  json::array declared;
  for (const auto& name : load.declared)
    declared.emplace_back(name);
  process->channel.send({{"type", "load"},
                         {"plugin", load.plugin},
                         {"file", load.file},
                         {"library", load.map_path.string()},
                         {"skills", std::move(declared)},
                         {"manifestDir", load.manifest_dir},
                         {"config", load.config},
                         {"maxResultBytes", load.max_result_bytes}});
  std::unique_lock lock(process->mutex);
  const bool answered = process->changed.wait_for(lock, options.load_timeout, [&] {
    return process->handshake.has_value() || process->reaped;
  });
  if (answered && process->handshake && message_string(*process->handshake, "type") == "loaded")
    return process;
  std::string why;
  if (process->handshake) {
    const auto status = static_cast<sp_status>(message_number(*process->handshake, "status"));
    why = message_string(*process->handshake, "message");
    lock.unlock();
    process->terminate("stopped after a failed load");
    process->wait_reaped();
    if (status == SP_ERR_UNSUPPORTED) return make_error(Status::unsupported, why);
    return make_error(
        status_from_abi(status),
        "plugin init failed (" + std::string(status_name(status_from_abi(status))) + "): " + why);
  }
  why = process->reaped
            ? process->death
            : "did not answer within " + std::to_string(options.load_timeout.count()) + " ms";
  lock.unlock();
  process->terminate("stopped: it did not load in time");
  process->wait_reaped();
  return make_error(Status::upstream, "the plugin's runner " + why + " while loading " + load.file);
}

Expected<std::shared_ptr<RunnerPlugin::Process>> RunnerPlugin::Supervisor::running() {
  std::unique_lock lock(mutex);
  if (current) {
    {
      std::lock_guard inner(current->mutex);
      if (!current->dead) return current;
    }
    // Never two children at once: the old one is reaped first.
    auto old = current;
    lock.unlock();
    old->wait_reaped();
    lock.lock();
    if (current == old)
      current.reset();
    else if (current)
      return current;
  }
  if (stopping) return make_error(Status::cancelled, "the plugin is being unloaded");
  const auto now = Clock::now();
  if (now < next_start) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_start - now).count();
    return make_error(Status::rate_limited, "the plugin's runner " + last_failure + " (" +
                                                std::to_string(failures) +
                                                " failures in a row); it is started again in " +
                                                std::to_string(wait) + " ms");
  }
  auto launched = launch();  // under the lock: one start at a time
  if (!launched) {
    ++failures;
    last_failure = launched.error().message;
    return launched.error();
  }
  current = *launched;
  return current;
}

void RunnerPlugin::Supervisor::died(const Process* who, const std::string& why) {
  std::lock_guard lock(mutex);
  // A child that never finished loading is counted by running(); one being unloaded, not at all.
  if (stopping || current.get() != who) return;
  ++failures;
  last_failure = why;
  // The first failure restarts at once; repeated ones wait longer and longer.
  auto backoff = std::chrono::milliseconds(0);
  if (failures > 1) {
    backoff = options.restart_backoff;
    for (unsigned i = 2; i < failures && backoff < options.max_restart_backoff; ++i)
      backoff *= 2;
    backoff = std::min(backoff, options.max_restart_backoff);
  }
  next_start = Clock::now() + backoff;
  if (environment->logger)
    environment->logger->warn("runner {}; {} failures in a row; next start in {} ms", why, failures,
                              backoff.count());
}

void RunnerPlugin::Supervisor::stop() {
  std::shared_ptr<Process> process;
  {
    std::lock_guard lock(mutex);
    stopping = true;
    process = std::move(current);
  }
  if (!process) return;
  process->channel.send({{"type", "shutdown"}});
  ::shutdown(process->fd, SHUT_WR);
  std::unique_lock lock(process->mutex);
  if (!process->changed.wait_for(lock, std::chrono::seconds(2), [&] { return process->reaped; })) {
    lock.unlock();
    process->terminate("stopped: the plugin was unloaded");
    process->wait_reaped();
  }
}

// ---- RunnerPlugin -----------------------------------------------------------------------------

Expected<std::shared_ptr<RunnerPlugin>> RunnerPlugin::start(
    const manifest::Manifest& manifest, const manifest::SkillGroup& group,
    std::shared_ptr<const PluginEnvironment> environment, const LoadOptions& options,
    const RunnerOptions& runner) {
  auto checked = check_library(manifest, group, options);
  if (!checked) return checked.error();
  auto supervisor = std::make_shared<Supervisor>();
  supervisor->options = runner;
  supervisor->program = runner.program.empty() ? default_program() : runner.program;
  supervisor->environment = environment;
  supervisor->load = {.plugin = manifest.descriptor.name,
                      .file = checked->path.filename().string(),
                      .map_path = checked->map_path,
                      .sha256 = checked->sha256,
                      .declared = declared_skill_names(group),
                      .manifest_dir = manifest.directory().string(),
                      .config = environment->config_json(),
                      .max_result_bytes = environment->max_result_bytes};
  auto process = supervisor->running();
  if (!process) return process.error();

  const json::object& loaded = *(*process)->handshake;
  LibraryIdentity identity;
  identity.library_path = checked->path;
  identity.version = message_string(loaded, "version");
  identity.sdk_version = message_string(loaded, "sdkVersion");
  identity.abi_version = message_string(loaded, "abiVersion");
  if (const auto* warnings = loaded.if_contains("warnings"); warnings && warnings->is_array())
    for (const auto& warning : warnings->get_array())
      if (warning.is_string()) identity.warnings.emplace_back(warning.get_string());
  auto plugin = std::shared_ptr<RunnerPlugin>(new RunnerPlugin(environment, std::move(identity)));
  plugin->supervisor_ = std::move(supervisor);
  if (const auto* skills = loaded.if_contains("skills"); skills && skills->is_array())
    for (const auto& item : skills->get_array()) {
      if (!item.is_object()) continue;
      const auto& skill = item.get_object();
      plugin->skill_names_.push_back(std::make_unique<std::string>(message_string(skill, "name")));
      sp_skill entry{};
      entry.struct_size = sizeof entry;
      entry.name = plugin->skill_names_.back()->c_str();
      const auto* flags = skill.if_contains("flags");
      entry.flags = flags && flags->is_number() ? flags->to_number<std::uint64_t>() : 0;
      plugin->skills_.push_back(entry);
    }
  for (const auto& warning : plugin->warnings())
    if (environment->logger) environment->logger->warn("{}", warning);
  return plugin;
}

RunnerPlugin::~RunnerPlugin() {
  if (supervisor_) supervisor_->stop();
}

pid_t RunnerPlugin::pid() const {
  std::lock_guard lock(supervisor_->mutex);
  return supervisor_->current ? supervisor_->current->pid : -1;
}

std::string RunnerPlugin::health() const {
  std::lock_guard lock(supervisor_->mutex);
  if (supervisor_->failures < supervisor_->options.unhealthy_after) return "healthy";
  return "unhealthy: the runner " + supervisor_->last_failure + " (" +
         std::to_string(supervisor_->failures) + " failures in a row)";
}

Expected<std::string> RunnerPlugin::invoke(const sp_skill& skill, const std::string& input,
                                           const CallControl& control) const {
  auto full_name = [&] { return environment_->name + "." + skill.name; };
  auto process = supervisor_->running();
  if (!process)
    return make_error(process.error().status, full_name() + ": " + process.error().message);
  Process& child = **process;
  PendingCall call;
  call.on_progress = control.on_progress ? &control.on_progress : nullptr;
  const auto id = child.add_call(call);
  if (id == 0)
    return make_error(Status::upstream, full_name() + ": the plugin's runner stopped; try again");
  json::object message{{"type", "invoke"}, {"id", id}, {"skill", skill.name}, {"input", input}};
  const bool bounded = control.deadline != Clock::time_point::max();
  if (bounded)
    message["timeoutMs"] = std::max<std::int64_t>(
        1, std::chrono::duration_cast<std::chrono::milliseconds>(control.deadline - Clock::now())
               .count());
  child.channel.send(message);

  const auto grace = supervisor_->options.stop_grace;
  const auto hard_deadline = bounded ? control.deadline + grace : Clock::time_point::max();
  std::optional<Clock::time_point> cancel_deadline;
  std::unique_lock lock(child.mutex);
  while (!call.done) {
    const auto now = Clock::now();
    if (control.cancelled && control.cancelled->load() && !cancel_deadline) {
      cancel_deadline = now + grace;
      lock.unlock();
      child.channel.send({{"type", "cancel"}, {"id", id}});
      lock.lock();
      continue;
    }
    if (now >= hard_deadline || (cancel_deadline && now >= *cancel_deadline)) {
      const bool cancelled = cancel_deadline.has_value();
      lock.unlock();
      child.terminate(cancelled ? "was stopped: " + full_name() + " did not stop when cancelled"
                                : "was stopped: " + full_name() +
                                      " ran past its timeout and did not stop");
      lock.lock();
      child.changed.wait(lock, [&] { return call.done; });
      return make_error(cancelled ? Status::cancelled : Status::timeout,
                        full_name() + (cancelled ? " was cancelled" : " ran past its timeout") +
                            "; it did not stop, so its runner was stopped and is started again");
    }
    // Cancellation is a flag, not an event: look at it every 50 ms.
    auto wake = now + std::chrono::milliseconds(50);
    if (hard_deadline < wake) wake = hard_deadline;
    child.changed.wait_until(lock, wake);
  }
  lock.unlock();
  auto outcome = std::move(*call.outcome);
  if (!outcome) {
    auto error = std::move(outcome).error();
    if (error.message.empty())
      error.message = full_name() + " failed with status " +
                      std::string(status_name(error.status)) + " and no message";
    else if (error.status == Status::upstream && error.message.rfind("the plugin's runner", 0) == 0)
      error.message = full_name() + ": " + error.message;
    return error;
  }
  supervisor_->succeeded();
  return outcome;
}

}  // namespace secpilot::plugin
