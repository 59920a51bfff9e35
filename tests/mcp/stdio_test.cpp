// `secpilotd --mcp-stdio` as an MCP client runs it: a child process whose stdin and stdout are
// pipes, one JSON-RPC message per line, each answer read before the next request is sent.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "support/files.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace secpilot::mcp {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class StdioServer {
 public:
  // With the ThreatIntel plugin, and the Misbehaving test plugin when `misbehaving`.
  explicit StdioServer(const secpilot::testing::TempDir& temp, bool misbehaving = false)
      : err_path_(temp / "stderr") {
    const auto build = std::filesystem::path(SECPILOT_BINARY_DIR);
    std::vector<std::string> args = {
        (build / "bin" / "secpilotd").string(), "--mcp-stdio", "--plugins-dir",
        (build / "plugins" / "threat-intel").string(),
        // No store is created in the client's folder: this one must stay absent.
        "--store", (temp / "absent.db").string()};
    if (misbehaving)
      args.insert(args.end(), {"--plugins-dir", (build / "test-plugins" / "misbehaving").string()});
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<char*> argv;
    for (const auto& arg : args)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    to_child_ = in[1];
    from_child_ = out[0];
    if (spawned != 0) throw std::runtime_error("cannot start secpilotd");
  }
  ~StdioServer() {
    close_stdin();
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(from_child_);
  }

  void send(std::string_view line) {
    std::string framed(line);
    framed.push_back('\n');
    ASSERT_EQ(::write(to_child_, framed.data(), framed.size()), ssize_t(framed.size()));
  }
  // The next line the server writes, or "" when none comes within `wait` (or stdout closed).
  std::string read_line(std::chrono::milliseconds wait = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (true) {
      if (const auto end = buffer_.find('\n'); end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return "";
      pollfd ready{from_child_, POLLIN, 0};
      if (::poll(&ready, 1, int(left.count())) <= 0) continue;
      char chunk[65536];
      const ssize_t got = ::read(from_child_, chunk, sizeof chunk);
      if (got <= 0) return "";
      buffer_.append(chunk, std::size_t(got));
    }
  }
  json::object request(std::string_view line) {
    send(line);
    const std::string answer = read_line();
    EXPECT_FALSE(answer.empty()) << "no answer to " << line << "; stderr:\n" << stderr_text();
    return answer.empty() ? json::object{} : json::parse(answer).as_object();
  }
  void close_stdin() {
    if (to_child_ >= 0) ::close(to_child_);
    to_child_ = -1;
  }
  // Waits for the exit after stdin closed; the exit code, or -1 when it did not exit in time.
  int wait_exit(std::chrono::milliseconds wait = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    // Reading to EOF is the event: the server closes stdout when it exits.
    while (std::chrono::steady_clock::now() < deadline &&
           !read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now()))
                .empty()) {
    }
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      pollfd none{-1, 0, 0};
      ::poll(&none, 0, 10);
    }
    return -1;
  }
  std::string stderr_text() const { return secpilot::testing::read_file(err_path_); }

 private:
  std::filesystem::path err_path_;
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  bool exited_ = false;
  std::string buffer_;
};

TEST(McpStdio, AnswersEachMessageAsItComesAndExitsWhenStdinCloses) {
  secpilot::testing::TempDir temp;
  StdioServer server(temp);

  auto initialized = server.request(
      R"({"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},)"
      R"("clientInfo":{"name":"test","version":"1"}},"jsonrpc":"2.0","id":0})");
  EXPECT_EQ(initialized["id"], 0);
  EXPECT_EQ(initialized["result"].at("protocolVersion"), "2025-11-25");
  server.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");

  auto listed = server.request(R"({"method":"tools/list","jsonrpc":"2.0","id":1})");
  ASSERT_TRUE(listed.contains("result")) << json::serialize(listed);
  bool lookup_listed = false;
  for (const auto& tool : listed["result"].at("tools").as_array())
    lookup_listed = lookup_listed || tool.at("name") == "ThreatIntel.LookupIndicator";
  EXPECT_TRUE(lookup_listed) << json::serialize(listed);

  auto called =
      server.request(R"({"method":"tools/call","params":{"name":"ThreatIntel.LookupIndicator",)"
                     R"("arguments":{"indicator":"203.0.113.45"}},"jsonrpc":"2.0","id":2})");
  ASSERT_TRUE(called.contains("result")) << json::serialize(called);
  EXPECT_EQ(called["result"].at("isError"), false);
  EXPECT_EQ(called["result"].at("structuredContent").at("verdict"), "malicious");

  auto unknown = server.request(
      R"({"method":"tools/call","params":{"name":"ThreatIntel.Nope"},"jsonrpc":"2.0","id":3})");
  EXPECT_EQ(unknown["id"], 3);
  EXPECT_EQ(unknown["error"].at("code"), -32602);

  server.close_stdin();
  EXPECT_EQ(server.wait_exit(), 0);
  // The logs went to stderr (stdout carried only the answers read above).
  EXPECT_NE(server.stderr_text().find("MCP over stdio"), std::string::npos) << server.stderr_text();
  EXPECT_FALSE(std::filesystem::exists(temp / "absent.db"));
}

TEST(McpStdio, ABrokenLineGetsAParseErrorAndTheSessionGoesOn) {
  secpilot::testing::TempDir temp;
  StdioServer server(temp);
  auto broken = server.request("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
  EXPECT_EQ(broken["error"].at("code"), -32700);
  auto ping = server.request(R"({"jsonrpc":"2.0","id":"after","method":"ping"})");
  EXPECT_EQ(ping["id"], "after");
  EXPECT_EQ(ping["result"], json::object{});
}

// Messages are answered by several workers: a slow call holds up no other, and a call the client
// cancels (notifications/cancelled) is stopped and not answered.
TEST(McpStdio, ASlowCallHoldsUpNothingAndACancelledCallIsNotAnswered) {
  secpilot::testing::TempDir temp;
  StdioServer server(temp, true);
  server.send(R"({"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":)"
              R"("Misbehaving.Overrun","arguments":{"ms":1500},)"
              R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
              R"("io.modelcontextprotocol/clientCapabilities":{}}}})");
  server.send(R"({"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":)"
              R"("ThreatIntel.LookupIndicator","arguments":{"indicator":"203.0.113.45"},)"
              R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
              R"("io.modelcontextprotocol/clientCapabilities":{}}}})");
  const auto first = json::parse(server.read_line());
  EXPECT_EQ(first.at("id"), 11) << "the quick call first; stderr:\n" << server.stderr_text();
  const auto second = json::parse(server.read_line());
  EXPECT_EQ(second.at("id"), 10);
  EXPECT_EQ(second.at("result").at("structuredContent").at("late"), true);

  server.send(R"({"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"name":)"
              R"("Misbehaving.UntilCancelled","arguments":{},)"
              R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",)"
              R"("io.modelcontextprotocol/clientCapabilities":{}}}})");
  server.send(R"({"jsonrpc":"2.0","method":"notifications/cancelled",)"
              R"("params":{"requestId":20,"reason":"the user moved on"}})");
  server.send(R"({"jsonrpc":"2.0","id":21,"method":"ping"})");
  EXPECT_EQ(json::parse(server.read_line()).at("id"), 21);
  // Left to run, the call would end at its 1 s time limit with an error result for id 20.
  EXPECT_EQ(server.read_line(3s), "") << "the cancelled call was answered";
  EXPECT_NE(server.stderr_text().find("request 20 was cancelled by the client"), std::string::npos)
      << server.stderr_text();
}

}  // namespace
}  // namespace secpilot::mcp
