#include "plugin/runner_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace secpilot::plugin {
namespace {

Expected<RunnerChild> spawn_now(const std::filesystem::path& program,
                                const std::vector<std::string>& arguments) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return make_error(Status::internal, std::string("cannot create the runner's socket pair: ") +
                                            std::strerror(errno));
  int poke = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (poke >= 0 && poke < 5) {  // fd 3 would be overwritten by the socket's dup2 below
    const int moved = ::fcntl(poke, F_DUPFD_CLOEXEC, 5);
    ::close(poke);
    poke = moved;
  }
  if (poke < 0) {
    ::close(pair[0]);
    ::close(pair[1]);
    return make_error(Status::internal,
                      std::string("cannot create the runner's eventfd: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawnattr_init(&attributes);
  // dup2 onto fds 3 and 4 clears close-on-exec there; everything above is closed.
  ::posix_spawn_file_actions_adddup2(&actions, pair[1], 3);
  ::posix_spawn_file_actions_adddup2(&actions, poke, 4);
  ::posix_spawn_file_actions_addclosefrom_np(&actions, 5);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  ::posix_spawnattr_setsigmask(&attributes, &none);
  ::posix_spawnattr_setsigdefault(&attributes, &all);
  ::posix_spawnattr_setpgroup(&attributes, 0);
  ::posix_spawnattr_setflags(
      &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> storage;
  storage.push_back(program.string());
  storage.insert(storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : storage)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  char* environment[] = {nullptr};
  pid_t pid = -1;
  const int error =
      ::posix_spawn(&pid, program.c_str(), &actions, &attributes, argv.data(), environment);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attributes);
  ::close(pair[1]);
  if (error != 0) {
    ::close(pair[0]);
    ::close(poke);
    return make_error(Status::unsupported, "cannot start " + program.string() + ": " +
                                               std::strerror(error) +
                                               " — install secpilot-runner beside secpilotd");
  }
  return RunnerChild{pid, pair[0], poke};
}

// The one thread that starts runners, for the life of the process.
class Spawner {
 public:
  Spawner() {
    std::thread([this] { run(); }).detach();
  }

  Expected<RunnerChild> spawn(const std::filesystem::path& program,
                              const std::vector<std::string>& arguments) {
    std::optional<Expected<RunnerChild>> result;
    std::unique_lock lock(mutex_);
    jobs_.push_back([&] {
      auto child = spawn_now(program, arguments);
      std::lock_guard inner(mutex_);
      result.emplace(std::move(child));
      done_.notify_all();
    });
    work_.notify_one();
    done_.wait(lock, [&] { return result.has_value(); });
    return std::move(*result);
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      work_.wait(lock, [&] { return !jobs_.empty(); });
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::deque<std::function<void()>> jobs_;
};

}  // namespace

Expected<RunnerChild> spawn_runner(const std::filesystem::path& program,
                                   const std::vector<std::string>& arguments) {
  // Process-wide by nature (see the header), and never destroyed: its thread waits on its
  // condition variable until the process ends, and destroying one with a waiter blocks exit().
  static Spawner& spawner = *new Spawner;
  return spawner.spawn(program, arguments);
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    const char* name = sigabbrev_np(signal);
    const char* text = sigdescr_np(signal);
    return "crashed with SIG" + std::string(name ? name : std::to_string(signal).c_str()) + " (" +
           (text ? text : "unknown signal") + ")";
  }
  return "stopped (status " + std::to_string(wait_status) + ")";
}

}  // namespace secpilot::plugin
