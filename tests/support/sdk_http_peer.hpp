// The test MCP server built on the official TypeScript SDK (tests/mcp/peers/sdk-server.mjs),
// served over Streamable HTTP by node: started on a port of its choosing (or a given one, to come
// back where it was), waited for until it says it listens, killed on demand or at the end.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace secpilot::testing {

class SdkHttpPeer {
 public:
  // `arguments` after `--http PORT`, e.g. {"--legacy-only"}. Throws when it does not start.
  explicit SdkHttpPeer(std::vector<std::string> arguments = {}, unsigned port = 0)
      : arguments_(std::move(arguments)) {
    start(port);
  }
  ~SdkHttpPeer() { kill(); }
  SdkHttpPeer(const SdkHttpPeer&) = delete;
  SdkHttpPeer& operator=(const SdkHttpPeer&) = delete;

  unsigned port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }

  // Ends the server at once (SIGKILL) and reaps it: the port is free when this returns.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    ::close(out_);
    out_ = -1;
  }
  // Starts it again on the same port.
  void restart() {
    kill();
    start(port_);
  }

  // Waits for a line of its stdout that contains `text`; false after `timeout`.
  bool wait_for_line(const std::string& text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      for (auto end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n')) {
        const std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        if (line.find(text) != std::string::npos) {
          last_line_ = line;
          return true;
        }
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          give_up - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd readable{out_, POLLIN, 0};
      if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) return false;
      char chunk[4096];
      const ssize_t got = ::read(out_, chunk, sizeof chunk);
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

 private:
  void start(unsigned port) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<std::string> args = {
        "node", std::string(SECPILOT_SOURCE_DIR) + "/tests/mcp/peers/sdk-server.mjs", "--http",
        std::to_string(port)};
    args.insert(args.end(), arguments_.begin(), arguments_.end());
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int failed = ::posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    out_ = out[0];
    buffer_.clear();
    if (failed != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start node (is it installed? scripts/setup.sh)");
    }
    if (!wait_for_line("listening on port")) {
      kill();
      throw std::runtime_error("the SDK's HTTP server did not say it listens");
    }
    port_ = static_cast<unsigned>(std::stoul(last_line_.substr(last_line_.rfind(' ') + 1)));
  }

  std::vector<std::string> arguments_;
  pid_t pid_ = -1;
  int out_ = -1;
  unsigned port_ = 0;
  std::string buffer_, last_line_;
};

}  // namespace secpilot::testing
