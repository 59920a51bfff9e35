// A plugin whose skills attack the process they run in, on purpose: each proves one guarantee of
// secpilot-runner (tests/runner). It only makes sense with `Isolation: Process`.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <secpilot/sdk.hpp>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string errno_result(const char* what, int result) {
  return std::string("{\"") + what + "\": " + std::to_string(result) + ", \"errno\": \"" +
         (result < 0 ? std::strerror(errno) : "") + "\"}";
}

}  // namespace

class Hostile {
 public:
  // Reads its secret during init: the runner must be answered before it has said "loaded".
  explicit Hostile(secpilot::sdk::InitContext& ctx) : init_token_(ctx.setting_or("ApiToken", "")) {}

  std::string init_token(secpilot::sdk::Context&) {
    return "{\"length\": " + std::to_string(init_token_.size()) + "}";
  }
  // Returns once `party` (input {"party": N}, one digit) calls have arrived since the runner
  // started and are inside at once; fails after 10 s if they never are, which calls run one
  // after another would not be.
  std::string meet(secpilot::sdk::Context& ctx) {
    const auto digit = ctx.input().find_first_of("123456789");
    const int party = digit == std::string_view::npos ? 2 : ctx.input()[digit] - '0';
    std::unique_lock lock(meeting_);
    ++inside_;
    everyone_.notify_all();
    const bool met = everyone_.wait_for(lock, std::chrono::seconds(10),
                                        [&] { return inside_ >= party || ctx.cancelled(); });
    if (!met || inside_ < party) throw secpilot::sdk::Error(SP_ERR_TIMEOUT, "nobody came");
    return "{\"met\": " + std::to_string(party) + "}";
  }
  // Waits until the host cancels the call (cancellation is a flag: look at it often).
  std::string await_cancel(secpilot::sdk::Context& ctx) {
    while (!ctx.cancelled())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return "{}";
  }

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

 private:
  std::string init_token_;
  std::mutex meeting_;
  std::condition_variable everyone_;
  int inside_ = 0;
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
                secpilot::sdk::skill<&Hostile::secrets>("Secrets"),
                secpilot::sdk::skill<&Hostile::init_token>("InitToken"),
                secpilot::sdk::skill<&Hostile::meet>("Meet", SP_SKILL_THREAD_SAFE),
                secpilot::sdk::skill<&Hostile::await_cancel>("AwaitCancel", SP_SKILL_THREAD_SAFE));
