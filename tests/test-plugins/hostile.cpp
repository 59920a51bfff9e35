// A plugin whose skills attack the process they run in, on purpose: each proves one guarantee of
// secpilot-runner (tests/runner). It only makes sense with `Isolation: Process`.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <secpilot/sdk.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::string errno_result(const char* what, int result) {
  return std::string("{\"") + what + "\": " + std::to_string(result) + ", \"errno\": \"" +
         (result < 0 ? std::strerror(errno) : "") + "\"}";
}

}  // namespace

class Hostile {
 public:
  explicit Hostile(secpilot::sdk::InitContext&) {}

  std::string echo(secpilot::sdk::Context& ctx) { return std::string(ctx.input()); }
  std::string pid(secpilot::sdk::Context&) {
    return "{\"pid\": " + std::to_string(::getpid()) + "}";
  }
  std::string segfault(secpilot::sdk::Context&) {
    std::raise(SIGSEGV);
    return "{}";
  }
  std::string abort_now(secpilot::sdk::Context&) { std::abort(); }
  std::string spin(secpilot::sdk::Context&) {
    volatile unsigned long spins = 0;
    for (;;)
      spins = spins + 1;
  }
  // Allocates and touches memory until something gives.
  std::string allocate(secpilot::sdk::Context&) {
    std::vector<char*> blocks;
    for (;;) {
      char* block = static_cast<char*>(std::malloc(64 * 1024 * 1024));
      if (!block) return "{\"allocated\": " + std::to_string(blocks.size() * 64) + "}";
      std::memset(block, 1, 64 * 1024 * 1024);
      blocks.push_back(block);
    }
  }
  std::string flood_stdout(secpilot::sdk::Context&) {
    std::string line(4096, 'x');
    line.back() = '\n';
    for (int i = 0; i < 20'000; ++i) {
      (void)!::write(STDOUT_FILENO, line.data(), line.size());
      (void)!::write(STDERR_FILENO, line.data(), line.size());
    }
    return "{\"written\": true}";
  }
  std::string flood_log(secpilot::sdk::Context& ctx) {
    for (int i = 0; i < 10'000; ++i)
      ctx.info("line " + std::to_string(i));
    return "{\"logged\": 10000}";
  }
  std::string exit_now(secpilot::sdk::Context&) { std::_Exit(3); }
  std::string spawn_child(secpilot::sdk::Context&) {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    if (child > 0) ::waitpid(child, nullptr, 0);
    return errno_result("fork", child);
  }
  std::string open_socket(secpilot::sdk::Context&) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0) ::close(fd);
    return errno_result("socket", fd);
  }
  // Writes a frame header announcing 4 GB on the runner's socket (fd 3).
  std::string garbage(secpilot::sdk::Context&) {
    const unsigned char bogus[] = {0xff, 0xff, 0xff, 0xff, '{', '}'};
    (void)!::write(3, bogus, sizeof bogus);
    return "{}";
  }
  // Its own secret, and another plugin's secret name.
  std::string secrets(secpilot::sdk::Context& ctx) {
    auto own = ctx.setting("ApiToken");
    auto other = ctx.setting("OtherToken");
    return std::string("{\"ownLength\": ") + std::to_string(own ? own->size() : 0) +
           ", \"other\": " + (other ? "true" : "false") + "}";
  }
};

SECPILOT_PLUGIN(Hostile, "Hostile", "1.0.0",
                secpilot::sdk::skill<&Hostile::echo>("Echo", SP_SKILL_THREAD_SAFE),
                secpilot::sdk::skill<&Hostile::pid>("Pid", SP_SKILL_THREAD_SAFE),
                secpilot::sdk::skill<&Hostile::segfault>("Segfault"),
                secpilot::sdk::skill<&Hostile::abort_now>("Abort"),
                secpilot::sdk::skill<&Hostile::spin>("Spin", SP_SKILL_THREAD_SAFE),
                secpilot::sdk::skill<&Hostile::allocate>("Allocate"),
                secpilot::sdk::skill<&Hostile::flood_stdout>("FloodStdout"),
                secpilot::sdk::skill<&Hostile::flood_log>("FloodLog"),
                secpilot::sdk::skill<&Hostile::exit_now>("Exit"),
                secpilot::sdk::skill<&Hostile::spawn_child>("SpawnChild"),
                secpilot::sdk::skill<&Hostile::open_socket>("OpenSocket"),
                secpilot::sdk::skill<&Hostile::garbage>("Garbage"),
                secpilot::sdk::skill<&Hostile::secrets>("Secrets"));
