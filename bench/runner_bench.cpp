// The "out-of-process call round trip" budget of DESIGN.md: a small skill call through
// secpilot-runner (frames over a socket pair, the runner's thread, the plugin) against a bare
// socket-pair ping-pong of the same frame sizes, and beside the same call in process. All run in
// one process, interleaved, so the ratio holds on a noisy machine. Real time is what counts here:
// a round trip is mostly waiting for the other side. See docs/performance.md.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "collecting_reporter.hpp"
#include "runner/frames.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "summarise.hpp"

namespace secpilot {
namespace {

constexpr std::string_view kSkill = bench::kSummariseSkill;
constexpr std::string_view kInput = bench::kSummariseInput;

bool write_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + sent, bytes.size() - sent);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool read_exactly(int fd, std::string& buffer, std::size_t size) {
  buffer.resize(size);
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, buffer.data() + got, size - got);
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

// The peer's side of a ping-pong: read one request, answer one reply, until the socket closes.
void answer_until_closed(int fd, std::size_t request_size, std::size_t reply_size) {
  std::string in(request_size, '\0');
  const std::string out(reply_size, 'r');
  while (read_exactly(fd, in, request_size) && write_all(fd, out)) {
  }
}

// Where the ping-pong's peer runs: a thread of this process, or a process of its own, as a
// runner is (a switch between processes also changes the address space, which a switch
// between threads does not).
enum class Peer { thread, process };

// The reference: one frame out, one frame back, of the sizes a runner call exchanges, with a
// peer on the other end that only reads and answers.
void ping_pong(benchmark::State& state, std::size_t request_size, std::size_t reply_size,
               Peer where) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    state.SkipWithError("socketpair failed");
    return;
  }
  std::thread peer_thread;
  pid_t peer_process = -1;
  if (where == Peer::thread) {
    peer_thread = std::thread([&] { answer_until_closed(pair[1], request_size, reply_size); });
  } else if ((peer_process = ::fork()) == 0) {
    ::close(pair[0]);
    answer_until_closed(pair[1], request_size, reply_size);
    ::_exit(0);
  } else if (peer_process < 0) {
    state.SkipWithError("fork failed");
    return;
  }
  const std::string request(request_size, 'q');
  std::string reply;
  for (auto _ : state) {
    if (!write_all(pair[0], request) || !read_exactly(pair[0], reply, reply_size)) {
      state.SkipWithError("the ping-pong peer went away");
      break;
    }
    benchmark::DoNotOptimize(reply.data());
  }
  ::shutdown(pair[0], SHUT_RDWR);
  if (peer_thread.joinable()) peer_thread.join();
  if (peer_process > 0) ::waitpid(peer_process, nullptr, 0);
  ::close(pair[0]);
  ::close(pair[1]);
}

void call(benchmark::State& state, const plugin::PluginHost& host) {
  const skills::SkillEntry* entry = host.catalog().find(kSkill);
  skills::InvokeOptions options;
  options.validate_input = options.validate_output = false;
  for (auto _ : state) {
    auto result = skills::invoke_inline(*entry, kInput, options);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result->data());
  }
}

int run(int argc, char** argv) {
  std::vector<char*> args = bench::with_defaults(argc, argv);
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 2;

  auto make_host = [](bool isolated) {
    plugin::HostOptions options;
    options.plugin_dirs = {SECPILOT_BENCH_PLUGIN_DIR};
    options.runner.program = SECPILOT_RUNNER_PROGRAM;
    if (isolated) {
      auto settings = config::Settings::parse(
          "security: {isolation_overrides: {BenchEcho: process}}\n", "runner_bench");
      if (settings) options.settings = std::move(*settings);
    }
    return std::make_unique<plugin::PluginHost>(std::move(options));
  };
  const auto in_process = make_host(false);
  const auto isolated = make_host(true);
  for (const auto* host : {in_process.get(), isolated.get()}) {
    const auto* record = host->plugin("BenchEcho");
    if (!record || record->state != plugin::PluginState::Loaded) {
      std::fprintf(stderr, "BenchEcho did not load: %s\n",
                   record ? record->error.c_str() : "no manifest (build target bench-echo)");
      return 1;
    }
  }
  const auto placement = isolated->plugin("BenchEcho")->libraries.front()->placement();
  if (placement != plugin::Placement::runner) {
    std::fprintf(stderr, "BenchEcho did not go to a runner\n");
    return 1;
  }

  // The frames a call exchanges: the invoke message and the result message.
  skills::InvokeOptions options;
  options.validate_input = options.validate_output = false;
  const auto result = skills::invoke_inline(*in_process->catalog().find(kSkill), kInput, options);
  if (!result) {
    std::fprintf(stderr, "the call failed: %s\n", result.error().message.c_str());
    return 1;
  }
  const std::size_t request_size = runner::encode_frame(boost::json::object{{"type", "invoke"},
                                                                            {"id", 1},
                                                                            {"skill", "Summarise"},
                                                                            {"input", kInput},
                                                                            {"timeoutMs", 30000}})
                                       .size();
  const std::size_t reply_size =
      runner::encode_frame(boost::json::object{{"type", "result"}, {"id", 1}, {"result", *result}})
          .size();
  std::printf("frames: request %zu bytes, reply %zu bytes\n", request_size, reply_size);

  benchmark::RegisterBenchmark("BM_SocketpairPingPong", [&](benchmark::State& state) {
    ping_pong(state, request_size, reply_size, Peer::thread);
  })->UseRealTime();
  benchmark::RegisterBenchmark("BM_SocketpairPingPongProcess", [&](benchmark::State& state) {
    ping_pong(state, request_size, reply_size, Peer::process);
  })->UseRealTime();
  benchmark::RegisterBenchmark("BM_RunnerCall", [&](benchmark::State& state) {
    call(state, *isolated);
  })->UseRealTime();
  benchmark::RegisterBenchmark("BM_InProcessCall", [&](benchmark::State& state) {
    call(state, *in_process);
  })->UseRealTime();

  bench::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const bench::Sample* pong = reporter.find("BM_SocketpairPingPong");
  const bench::Sample* runner_call = reporter.find("BM_RunnerCall");
  const bench::Sample* local = reporter.find("BM_InProcessCall");
  if (!pong || !runner_call) return 0;  // filtered: nothing to compare
  const double ratio = runner_call->real_ns / pong->real_ns;
  std::printf("\nout-of-process call budget (DESIGN.md), median real time per round trip:\n");
  std::printf("ratio runner/ping-pong = %.2f (budget <= 1.50) %s [%.1f us vs %.1f us]\n", ratio,
              ratio <= 1.5 ? "OK" : "OVER BUDGET", runner_call->real_ns / 1e3, pong->real_ns / 1e3);
  if (const bench::Sample* process_pong = reporter.find("BM_SocketpairPingPongProcess"))
    std::printf(
        "with the ping-pong's peer in a process of its own: runner/ping-pong = %.2f [%.1f us]\n",
        runner_call->real_ns / process_pong->real_ns, process_pong->real_ns / 1e3);
  if (local)
    std::printf("in-process call (reference) = %.1f us; runner/in-process = %.1f\n",
                local->real_ns / 1e3, runner_call->real_ns / local->real_ns);
  return 0;  // timings are reported, never asserted
}

}  // namespace
}  // namespace secpilot

int main(int argc, char** argv) {
  return secpilot::run(argc, argv);
}
