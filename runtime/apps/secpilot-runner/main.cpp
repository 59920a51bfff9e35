// secpilot-runner: runs one Native plugin library for secpilotd in a process of its own, so that a
// plugin that crashes, hangs, leaks or misbehaves costs a call, never the daemon. Started only by
// the daemon (plugin/runner_process.cpp), with the socket on fd 3 and the poke eventfd on fd 4
// (runner_host.hpp says what it is for):
//   secpilot-runner --parent PID [--memory-mb N] [--cpu-seconds N] [--open-files N]
//                   [--allow-network] [--allow-processes] [--user NAME]
// Order matters: confine the process, read what to load, install the syscall filter, and only
// then map the library, so that no plugin code (not even its constructors) runs unconfined.
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "runner/channel.hpp"
#include "runner_host.hpp"
#include "sandbox.hpp"
#include "secpilot/util/sanitizers.hpp"

namespace {

constexpr int kSocketFd = 3;
constexpr int kPokeFd = 4;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "secpilot-runner: %s\n", message.c_str());
  std::_Exit(2);
}

std::uint64_t number(const char* text, std::string_view flag) {
  char* end = nullptr;
  const auto value = std::strtoull(text, &end, 10);
  if (!end || *end) die(std::string(flag) + " takes a number, not '" + text + "'");
  return value;
}

// Everything but stdin/stdout/stderr, the socket and the poke eventfd is closed; stdin and stdout
// read and write nothing, so a plugin that prints cannot flood anyone.
void settle_descriptors() {
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) die("cannot open /dev/null");
  ::dup2(null, STDIN_FILENO);
  ::dup2(null, STDOUT_FILENO);
  if (null > kPokeFd) ::close(null);
  ::close_range(kPokeFd + 1, ~0U, 0);
  ::fcntl(kSocketFd, F_SETFD, FD_CLOEXEC);
  ::fcntl(kPokeFd, F_SETFD, FD_CLOEXEC);
}

}  // namespace

// A plugin that crashes must end its runner by the signal, as in a release build, so that the
// daemon says what happened ("crashed with SIGSEGV"): a sanitizer's own handler would report and
// exit with its own status. The runner's environment is empty, so ASAN_OPTIONS or TSAN_OPTIONS
// cannot say it; these defaults can.
#if SECPILOT_ASAN || SECPILOT_TSAN
static constexpr const char* kLeaveSignalsAlone =
    "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_abort=0";
#endif
#if SECPILOT_ASAN
extern "C" const char* __asan_default_options() {
  return kLeaveSignalsAlone;
}
#endif
#if SECPILOT_TSAN
extern "C" const char* __tsan_default_options() {
  return kLeaveSignalsAlone;
}
#endif

int main(int argc, char** argv) {
  pid_t parent = 0;
  secpilot::runner::SandboxOptions sandbox;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) die(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (flag == "--parent")
      parent = static_cast<pid_t>(number(value(), flag));
    else if (flag == "--memory-mb")
      sandbox.memory_mb = number(value(), flag);
    else if (flag == "--cpu-seconds")
      sandbox.cpu_seconds = number(value(), flag);
    else if (flag == "--open-files")
      sandbox.open_files = number(value(), flag);
    else if (flag == "--allow-network")
      sandbox.allow_network = true;
    else if (flag == "--allow-processes")
      sandbox.allow_processes = true;
    else if (flag == "--user")
      sandbox.user = value();
    else
      die("unknown argument " + std::string(flag) + " (this program is started by secpilotd)");
  }
  if (parent <= 0) die("--parent PID is required (this program is started by secpilotd)");
  // Die with the daemon, even when it is killed; and if it already died, do not start.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != parent) return 1;
  if (::fcntl(kSocketFd, F_GETFD) < 0 || ::fcntl(kPokeFd, F_GETFD) < 0)
    die("no socket on fd 3 or eventfd on fd 4 (this program is started by secpilotd)");
  settle_descriptors();
  std::signal(SIGPIPE, SIG_IGN);

  if (auto failed = secpilot::runner::confine_process(sandbox); !failed.empty()) die(failed);
  secpilot::runner::Channel channel(kSocketFd);
  auto load = channel.receive();
  if (!load) return 1;
  if (auto failed = secpilot::runner::install_syscall_filter(sandbox); !failed.empty()) die(failed);
  // From here on, plugin code may write anything to stderr: it goes nowhere.
  ::dup2(STDIN_FILENO, STDERR_FILENO);

  secpilot::runner::RunnerHost host(channel, kPokeFd);
  // _exit: a reader thread may be running by now, and must not see `host` destroyed under it.
  if (!host.load(*load)) ::_exit(1);
  host.serve();
}
