// One secpilot-runner child as the daemon talks to it: its socket, who reads it, the calls in
// flight and how it ended.
//
// Reading costs a call no thread hand-off: a caller waiting for its result reads the socket
// itself while nobody else does, and routes whatever comes (its own result, other calls'
// results, the plugin's logs, progress and requests for settings and HTTP). A background thread
// reads only when no caller waits, so that a runner's death, its logs and init's requests are
// still handled; it takes the role after the socket was left alone for kIdleHandOver (so that
// back-to-back calls keep it among callers) and gives it back when a caller wakes it (eventfd).
#pragma once

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "plugin/runner_process.hpp"
#include "runner/channel.hpp"
#include "secpilot/plugin/runner_plugin.hpp"

namespace secpilot::plugin {

struct PendingCall {
  bool done = false;
  std::optional<Expected<std::string>> outcome;
  const std::function<void(double, std::string_view)>* on_progress = nullptr;
};

struct RunnerPlugin::Process : std::enable_shared_from_this<Process> {
  using Clock = std::chrono::steady_clock;
  // How long the socket must be left unread, with no caller waiting, before the background
  // thread reads it.
  static constexpr auto kIdleHandOver = std::chrono::milliseconds(2);

  // `on_end` hears once why the child ended, before the calls in flight fail.
  Process(RunnerChild child, std::shared_ptr<const PluginEnvironment> environment,
          std::function<void(const Process*, const std::string&)> on_end, unsigned max_log_lines);
  ~Process();  // closes the socket and the eventfds
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  const pid_t pid;
  const int fd;
  runner::Channel channel;
  const std::shared_ptr<const PluginEnvironment> environment;
  const std::function<void(const Process*, const std::string&)> on_end;
  const unsigned max_log_lines;
  const int wake_fd;  // eventfd: a caller asks the background reader for the role
  const int poke_fd;  // eventfd shared with the child: wakes its watcher (runner_host.hpp)

  std::mutex mutex;
  // A call finished, the handshake came, the child was reaped, or the reading role came free.
  std::condition_variable changed;
  std::optional<boost::json::object> handshake;
  std::map<std::uint64_t, PendingCall*> calls;
  std::uint64_t next_id = 1;
  bool dead = false, reaped = false;
  std::string death;  // why it stopped, once it has

  void start_background_reader();
  // Kills the child (its whole process group); whoever reads reaps it and fails what is in
  // flight.
  void terminate(const std::string& why);
  // Registers a call; 0 when the child is already gone. `others` tells whether other calls are
  // in flight, so that the invoke must poke().
  std::uint64_t add_call(PendingCall& call, bool& others);
  // Wakes the runner's watcher to read: for a frame sent while the runner may be busy running a
  // call and have nobody reading (a concurrent invoke, a cancel, shutdown).
  void poke() const;
  void wait_reaped();
  // With `lock` held on `mutex`: returns once `call` is done or at `until`, reading the socket
  // meanwhile whenever nobody else does.
  void wait_for(const PendingCall& call, std::unique_lock<std::mutex>& lock,
                Clock::time_point until);

 private:
  // The reading role: at most one thread reads the socket; `ended` once the stream is over.
  bool reading_ = false, background_reading_ = false, background_asked_ = false;
  bool background_parked_ = false;  // waiting for a vacate: one caller has read throughout
  bool ended_ = false;
  Clock::time_point vacated_{};  // when the role last came free
  std::condition_variable background_;

  void background_loop();
  // Gives the role up (lock held) and wakes whoever should take it next.
  void vacate();
  // Reads and routes one message (role held, lock not); anything but Wait::message is the
  // reason it stopped waiting, Wait::ended once the stream is over and handled.
  runner::Channel::Wait read_one(Clock::time_point until, int wake);
  // A message from the runner to whoever it concerns; false when the runner must be stopped.
  bool route(boost::json::object message);
  // The child's end: kill what is left, reap it, tell the owner, fail the calls in flight. Runs
  // once, by the thread that saw the stream end.
  void end_of_stream();

  Clock::time_point log_window_{};
  unsigned logged_in_window_ = 0, dropped_logs_ = 0;

  void finish_call(const boost::json::object& message, bool ok);
  void log(const boost::json::object& message);
  void answer_setting(const boost::json::object& message);
  void answer_http(boost::json::object message);
};

}  // namespace secpilot::plugin
