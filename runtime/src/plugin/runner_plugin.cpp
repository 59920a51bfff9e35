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
#include "plugin/runner_connection.hpp"
#include "plugin/runner_process.hpp"
#include "runner/channel.hpp"
#include "runner/frame_writer.hpp"
#include "secpilot/util/executable.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

using runner::message_number;
using runner::message_string;

std::filesystem::path default_program() {
  const auto here = executable_dir();
  return here.empty() ? std::filesystem::path("secpilot-runner") : here / "secpilot-runner";
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

}  // namespace

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
  auto process = std::make_shared<Process>(
      *child, environment,
      [owner = weak_from_this()](const Process* who, const std::string& why) {
        if (auto supervisor = owner.lock()) supervisor->died(who, why);
      },
      options.max_log_lines_per_second);
  process->start_background_reader();
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
  process->poke();
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
  bool others = false;
  const auto id = child.add_call(call, others);
  if (id == 0)
    return make_error(Status::upstream, full_name() + ": the plugin's runner stopped; try again");
  // Written straight into a reused buffer and sent with one syscall: this is every call's path.
  thread_local std::string frame;
  runner::FrameWriter writer(frame);
  writer.string("type", "invoke").number("id", id).string("skill", skill.name);
  writer.string("input", input);
  const bool bounded = control.deadline != Clock::time_point::max();
  if (bounded)
    writer.number("timeoutMs",
                  std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                control.deadline - Clock::now())
                                                .count()));
  child.channel.send_frame(writer.finish());
  if (others) child.poke();  // the runner may be busy with them, reading nothing
  if (frame.capacity() > 256 * 1024) std::string().swap(frame);  // a huge input's buffer

  const auto grace = supervisor_->options.stop_grace;
  const auto hard_deadline = bounded ? control.deadline + grace : Clock::time_point::max();
  std::optional<Clock::time_point> cancel_deadline;
  std::optional<Status> stopped;  // the runner was killed for this call: cancelled or timeout
  std::unique_lock lock(child.mutex);
  while (!call.done) {
    const auto now = Clock::now();
    if (!stopped && control.cancelled && control.cancelled->load() && !cancel_deadline) {
      cancel_deadline = now + grace;
      lock.unlock();
      child.channel.send({{"type", "cancel"}, {"id", id}});
      child.poke();  // the runner is most likely busy with this very call
      lock.lock();
      continue;
    }
    if (!stopped && (now >= hard_deadline || (cancel_deadline && now >= *cancel_deadline))) {
      stopped = cancel_deadline ? Status::cancelled : Status::timeout;
      lock.unlock();
      child.terminate(cancel_deadline
                          ? "was stopped: " + full_name() + " did not stop when cancelled"
                          : "was stopped: " + full_name() +
                                " ran past its timeout and did not stop");
      lock.lock();
      continue;  // until whoever reads sees the end and fails the call
    }
    // Cancellation is a flag, not an event: look at it every 50 ms.
    auto wake = now + std::chrono::milliseconds(50);
    if (!stopped && hard_deadline < wake) wake = hard_deadline;
    if (!stopped && cancel_deadline && *cancel_deadline < wake) wake = *cancel_deadline;
    child.wait_for(call, lock, wake);
  }
  if (stopped) {
    const bool cancelled = *stopped == Status::cancelled;
    return make_error(*stopped,
                      full_name() + (cancelled ? " was cancelled" : " ran past its timeout") +
                          "; it did not stop, so its runner was stopped and is started again");
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
