#include "mcp/stdio_peer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "mcp/peer_messages.hpp"

namespace secpilot::mcp {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxStderrLine = 2000;
constexpr auto kCancelPoll = std::chrono::milliseconds(50);
constexpr auto kExitGrace = std::chrono::milliseconds(1000);

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads lines from `fd` until it closes; false from `line` stops early.
template <class OnLine>
void read_lines(int fd, std::size_t max_line, OnLine&& line) {
  std::string buffer;
  char chunk[65536];
  for (;;) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string_view text(buffer.data() + start, end - start);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (!line(text)) return;
    }
    buffer.erase(0, start);
    if (buffer.size() > max_line && !line(std::string_view(buffer))) return;
    if (buffer.size() > max_line) buffer.clear();
  }
  if (!buffer.empty()) line(std::string_view(buffer));
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("was killed by ") + strsignal(WTERMSIG(status));
  return "ended";
}

}  // namespace

Expected<std::unique_ptr<StdioPeer>> StdioPeer::start(const StdioCommand& command,
                                                      std::shared_ptr<spdlog::logger> log,
                                                      OnNotification on_notification) {
  if (command.argv.empty() || command.argv.front().empty())
    return make_error(Status::invalid_input, "no command to start");
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return make_error(Status::internal, "pipe: failed");
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]);
    return make_error(Status::internal, "pipe: failed");
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    return make_error(Status::internal, "pipe: failed");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  if (!command.directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, command.directory.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so that whatever it starts is stopped with it; default signals.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGHUP);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> environment;
  for (const char* name : {"PATH", "HOME", "LANG"})
    if (const char* value = std::getenv(name))
      environment.push_back(std::string(name) + "=" + value);
  for (const auto& [name, value] : command.environment)
    environment.push_back(name + "=" + value);
  std::vector<char*> envp, argv;
  for (auto& entry : environment)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = command.argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  // posix_spawnp searches PATH of this process; the child gets `envp`.
  const int failed = ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(in[0]), ::close(out[1]), ::close(err[1]);
  if (failed != 0) {
    ::close(in[1]), ::close(out[0]), ::close(err[0]);
    return make_error(Status::unsupported,
                      "cannot start " + command.argv.front() + ": " + std::strerror(failed));
  }

  std::unique_ptr<StdioPeer> peer(new StdioPeer);
  peer->pid_ = pid;
  peer->stdin_fd_ = in[1];
  peer->stdout_fd_ = out[0];
  peer->stderr_fd_ = err[0];
  peer->log_ = std::move(log);
  peer->on_notification_ = std::move(on_notification);
  peer->program_ = command.argv.front();
  peer->stdout_reader_ = std::thread([raw = peer.get()] { raw->read_stdout(); });
  peer->stderr_reader_ = std::thread([raw = peer.get()] { raw->read_stderr(); });
  return peer;
}

StdioPeer::~StdioPeer() {
  // Closing stdin is the protocol's way to ask a stdio server to stop.
  close_fd(stdin_fd_);
  int status = 0;
  bool reaped = reaped_;
  const auto give_up = Clock::now() + kExitGrace;
  for (int signal : {0, SIGTERM, SIGKILL}) {
    if (signal != 0) ::kill(-pid_, signal);
    const auto until = signal == SIGKILL ? Clock::now() + kExitGrace : give_up;
    while (!reaped && !reaped_ && Clock::now() < until) {
      reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (reaped || reaped_) break;
  }
  ::kill(-pid_, SIGKILL);  // anything it started and left behind
  if (stdout_reader_.joinable()) stdout_reader_.join();
  if (!reaped && !reaped_) ::waitpid(pid_, &status, 0);
  if (stderr_reader_.joinable()) stderr_reader_.join();
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

bool StdioPeer::alive() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

Outcome StdioPeer::write_line(const std::string& line) {
  std::lock_guard lock(write_mutex_);
  // A server that exited leaves a pipe without a reader, and writing to it raises SIGPIPE, which
  // would end this whole process: the signal is blocked on this thread while writing, and one it
  // raised is taken back before it is unblocked.
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  std::string_view rest = line;
  bool broken = false;
  while (!rest.empty()) {
    const ssize_t wrote = ::write(stdin_fd_, rest.data(), rest.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      broken = true;
      break;
    }
    rest.remove_prefix(static_cast<std::size_t>(wrote));
  }
  if (broken && errno == EPIPE) {
    const timespec now{};
    ::sigtimedwait(&pipe_signal, nullptr, &now);
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (broken)
    return make_error(Status::upstream, "the MCP server " + program_ + " stopped reading");
  return Done{};
}

Expected<StdioPeer::Answer> StdioPeer::request(
    std::string_view method, json::object params, Clock::time_point deadline,
    const std::shared_ptr<const std::atomic<bool>>& cancelled) {
  auto pending = std::make_shared<Pending>();
  std::int64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    if (!alive_)
      return make_error(Status::upstream, "the MCP server " + program_ + " " + exit_reason_);
    id = next_id_++;
    pending_[id] = pending;
  }
  if (auto sent = write_line(peer_messages::request_text(id, method, std::move(params)) + "\n");
      !sent) {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
    return sent.error();
  }
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto wake = cancelled ? std::min(deadline, Clock::now() + kCancelPoll) : deadline;
    if (answered_.wait_until(lock, wake, [&] { return pending->done || !alive_; })) break;
    const bool timed_out = Clock::now() >= deadline;
    if (!timed_out && !(cancelled && cancelled->load())) continue;
    pending_.erase(id);
    lock.unlock();
    (void)notify("notifications/cancelled",
                 {{"requestId", id}, {"reason", timed_out ? "timed out" : "cancelled"}});
    if (timed_out)
      return make_error(Status::timeout, "the MCP server " + program_ + " did not answer " +
                                             std::string(method) + " in time");
    return make_error(Status::cancelled, std::string(method) + " was cancelled");
  }
  pending_.erase(id);
  if (!alive_ && !pending->done)
    return make_error(Status::upstream, "the MCP server " + program_ + " " + exit_reason_);
  return std::move(pending->answer);
}

Outcome StdioPeer::notify(std::string_view method, json::object params) {
  return write_line(peer_messages::notification_text(method, std::move(params)) + "\n");
}

void StdioPeer::dispatch(std::string_view line) {
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  auto incoming = peer_messages::read(line);
  if (std::holds_alternative<peer_messages::Unreadable>(incoming)) {
    log_->warn("MCP server {} wrote a line that is not a JSON-RPC message; ignored: {:.200}",
               program_, line);
  } else if (auto* notification = std::get_if<peer_messages::Notification>(&incoming)) {
    if (on_notification_) on_notification_(notification->method);
  } else if (auto* asked = std::get_if<peer_messages::ServerRequest>(&incoming)) {
    (void)write_line(asked->refusal + "\n");
  } else if (auto* response = std::get_if<peer_messages::Response>(&incoming)) {
    std::lock_guard lock(mutex_);
    auto found = pending_.find(response->id);
    if (found == pending_.end()) return;  // answered after a timeout: dropped
    found->second->answer = std::move(response->answer);
    found->second->done = true;
    answered_.notify_all();
  }
}

void StdioPeer::fail_all(const std::string& why) {
  std::lock_guard lock(mutex_);
  alive_ = false;
  exit_reason_ = why;
  answered_.notify_all();
}

void StdioPeer::read_stdout() {
  read_lines(stdout_fd_, peer_messages::kMaxMessageBytes, [this](std::string_view line) {
    dispatch(line);
    return true;
  });
  // Its stdout closed: it exited, or will not answer again.
  int status = 0;
  std::string why = "closed its output";
  // It usually exits as its output closes: give it a moment, to tell how it ended.
  for (int i = 0; i < 20 && !reaped_; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      why = describe_exit(status);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  fail_all(why);
}

void StdioPeer::read_stderr() {
  read_lines(stderr_fd_, kMaxStderrLine, [this](std::string_view line) {
    if (!line.empty()) log_->info("{} (stderr): {:.2000}", program_, line);
    return true;
  });
}

}  // namespace secpilot::mcp
