#include "daemon/daemon_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

#include "support/files.hpp"
#include "support/run.hpp"

extern char** environ;

namespace secpilot::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

// Daemons running now, so that a test that crashes (or is interrupted) does not leave them behind:
// a fatal signal kills them before the test dies. Slots are claimed and freed with atomics only,
// as the handler may run at any time.
constexpr std::size_t kMaxDaemons = 64;
std::atomic<pid_t> g_running[kMaxDaemons];

void kill_running_daemons(int signal) {
  for (auto& slot : g_running)
    if (const pid_t pid = slot.load(); pid > 0) ::kill(pid, SIGKILL);
  ::raise(signal);  // the handler was reset to the default: die as the signal would have us
}

void install_crash_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = kill_running_daemons;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGINT, SIGHUP})
      ::sigaction(signal, &action, nullptr);
  });
}

void track(pid_t pid) {
  for (auto& slot : g_running) {
    pid_t free = 0;
    if (slot.compare_exchange_strong(free, pid)) return;
  }
}

void untrack(pid_t pid) {
  for (auto& slot : g_running) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::filesystem::path secpilotd_binary() {
  return std::filesystem::path(SECPILOT_BINARY_DIR) / "bin" / "secpilotd";
}
std::filesystem::path threat_intel_plugins() {
  return std::filesystem::path(SECPILOT_BINARY_DIR) / "plugins";
}
std::filesystem::path misbehaving_plugin() {
  return std::filesystem::path(SECPILOT_BINARY_DIR) / "test-plugins" / "misbehaving";
}

DaemonProcess::DaemonProcess(DaemonOptions options) : options_(std::move(options)) {
  if (!options_.config.empty()) write_file(config_path(), options_.config);
  keys_.owner = create_key("owner-key", "owner", kOwnerUser);
  keys_.contributor = create_key("contributor-key", "contributor", kAliceUser);
  keys_.reader = create_key("reader-key", "reader", kAliceUser);
  keys_.bob = create_key("bob-key", "contributor", kBobUser);
}

DaemonProcess::~DaemonProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    untrack(pid_);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::string DaemonProcess::create_key(const std::string& name, const std::string& role,
                                      const std::string& user) {
  auto result = run({secpilotd_binary().string(), "--store", store_path().string(), "--create-key",
                     name, "--role", role, "--user", user});
  const std::string secret = trim(result.out);
  if (result.exit_code != 0 || secret.rfind("sp_", 0) != 0)
    throw std::runtime_error("secpilotd --create-key " + name + " failed (exit " +
                             std::to_string(result.exit_code) + "): " + result.err);
  return secret;
}

std::string DaemonProcess::log() const {
  return read_file(temp_.path() / "secpilotd.log");
}

void DaemonProcess::start() {
  if (running()) throw std::runtime_error("secpilotd is already running");
  std::vector<std::string> args = {secpilotd_binary().string(), "--store", store_path().string(),
                                   "--listen", "127.0.0.1:0"};
  if (!options_.config.empty()) {
    args.push_back("--config");
    args.push_back(config_path().string());
  }
  for (const auto& dir : options_.plugin_dirs) {
    args.push_back("--plugins-dir");
    args.push_back(dir.string());
  }
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  const std::string log_path = (temp_.path() / "secpilotd.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  // Not in the test's own signal mask or dispositions: a fresh process group of signals.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  install_crash_handlers();
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    throw std::runtime_error("cannot spawn " + args[0] + ": " + std::strerror(spawned));
  }
  pid_ = pid;
  track(pid);
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = out[0];

  // Waits for "secpilotd: listening on port N": an event, not a sleep.
  static const std::regex ready(R"(secpilotd: listening on port (\d+)\n)");
  const auto deadline = Clock::now() + kStartWait;
  std::string printed;
  std::smatch match;
  while (!std::regex_search(printed, match, ready)) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    const int polled = ::poll(&fd, 1, remaining_ms(deadline));
    if (polled < 0 && errno == EINTR) continue;
    char buffer[512];
    const ssize_t got = polled > 0 ? ::read(stdout_fd_, buffer, sizeof buffer) : 0;
    if (got <= 0) {
      const bool timed_out = polled == 0;
      kill();
      throw std::runtime_error(
          std::string("secpilotd ") +
          (timed_out ? "did not report its port in time" : "exited before it was ready") +
          "; stdout: " + printed + "\nlog:\n" + log());
    }
    printed.append(buffer, static_cast<std::size_t>(got));
  }
  port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
}

void DaemonProcess::signal(int signal) {
  if (!running()) throw std::runtime_error("secpilotd is not running");
  if (::kill(pid_, signal) != 0)
    throw std::runtime_error(std::string("kill: ") + std::strerror(errno));
}

int DaemonProcess::wait_exit(std::chrono::milliseconds wait) {
  if (!running()) throw std::runtime_error("secpilotd is not running");
  int status = 0;
  // A pidfd becomes readable when the process exits: wait on that, with a deadline.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd >= 0) {
    pollfd fd{pidfd, POLLIN, 0};
    int polled = 0;
    const auto deadline = Clock::now() + wait;
    do {
      polled = ::poll(&fd, 1, remaining_ms(deadline));
    } while (polled < 0 && errno == EINTR);
    ::close(pidfd);
    if (polled == 0)
      throw std::runtime_error("secpilotd did not exit within " + std::to_string(wait.count()) +
                               " ms; log:\n" + log());
    ::waitpid(pid_, &status, 0);
  } else {  // no pidfd (old kernel): reap with a bounded poll
    const auto deadline = Clock::now() + wait;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() >= deadline)
        throw std::runtime_error("secpilotd did not exit within " + std::to_string(wait.count()) +
                                 " ms; log:\n" + log());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  untrack(pid_);
  pid_ = -1;
  port_ = 0;
  return exit_code(status);
}

int DaemonProcess::terminate(std::chrono::milliseconds wait) {
  signal(SIGTERM);
  return wait_exit(wait);
}

void DaemonProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  wait_exit(kStopWait);
}

void DaemonProcess::hangup() {
  signal(SIGHUP);
}

}  // namespace secpilot::testing
