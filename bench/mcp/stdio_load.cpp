// Load generator for MCP over stdio (bench/mcp/run.sh): starts a server command, then keeps
// CONCURRENCY tools/call requests in flight for SECONDS, in the modern era (no handshake, _meta on
// each request), and prints one line like wrk's script does:
//   RESULT requests=N seconds=S rps=R p50_us=.. p90_us=.. p99_us=.. max_us=.. errors=E non2xx=0
// The client is secpilot's own (mcp::StdioPeer): one reader thread matches answers to requests.
// usage: mcp_stdio_load SECONDS CONCURRENCY TOOL ARGUMENTS_JSON -- COMMAND [ARGS...]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "mcp/stdio_peer.hpp"

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 7 || std::string_view(argv[5]) != "--") {
    std::fprintf(stderr, "usage: %s SECONDS CONCURRENCY TOOL ARGUMENTS_JSON -- COMMAND [ARGS...]\n",
                 argv[0]);
    return 2;
  }
  const double seconds = std::atof(argv[1]);
  const int concurrency = std::max(1, std::atoi(argv[2]));
  const std::string tool = argv[3];
  const json::value arguments = json::parse(argv[4]);
  secpilot::mcp::StdioCommand command;
  for (int i = 6; i < argc; ++i)
    command.argv.emplace_back(argv[i]);
  spdlog::set_level(spdlog::level::warn);
  auto started = secpilot::mcp::StdioPeer::start(command, spdlog::default_logger());
  if (!started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }
  auto& peer = **started;
  const json::object meta{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                          {"io.modelcontextprotocol/clientCapabilities", json::object{}}};
  const json::object params{{"name", tool}, {"arguments", arguments}, {"_meta", meta}};

  // One warm-up call, which also shows that the tool answers.
  auto first = peer.request("tools/call", params, Clock::now() + std::chrono::seconds(30));
  if (!first || first->failed()) {
    std::fprintf(stderr, "tools/call %s failed: %s\n", tool.c_str(),
                 first ? first->error_message.c_str() : first.error().message.c_str());
    return 1;
  }

  std::mutex mutex;
  std::vector<std::int64_t> latencies_us;
  std::atomic<long> errors{0};
  const auto begin = Clock::now();
  const auto end =
      begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> callers;
  for (int i = 0; i < concurrency; ++i)
    callers.emplace_back([&] {
      std::vector<std::int64_t> mine;
      while (Clock::now() < end) {
        const auto sent = Clock::now();
        auto answer = peer.request("tools/call", params, sent + std::chrono::seconds(30));
        const bool tool_error =
            answer && answer->result.contains("isError") && answer->result.at("isError") == true;
        if (!answer || answer->failed() || tool_error) ++errors;
        mine.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count());
      }
      std::lock_guard lock(mutex);
      latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
    });
  for (auto& caller : callers)
    caller.join();
  const double took = std::chrono::duration<double>(Clock::now() - begin).count();
  std::sort(latencies_us.begin(), latencies_us.end());
  auto percentile = [&](double p) -> std::int64_t {
    if (latencies_us.empty()) return 0;
    return latencies_us[std::min(latencies_us.size() - 1,
                                 static_cast<std::size_t>(p / 100.0 * latencies_us.size()))];
  };
  std::printf(
      "RESULT requests=%zu seconds=%.3f rps=%.1f p50_us=%lld p90_us=%lld p99_us=%lld max_us=%lld "
      "errors=%ld non2xx=0\n",
      latencies_us.size(), took, latencies_us.size() / took, static_cast<long long>(percentile(50)),
      static_cast<long long>(percentile(90)), static_cast<long long>(percentile(99)),
      static_cast<long long>(latencies_us.empty() ? 0 : latencies_us.back()), errors.load());
  return 0;
}
