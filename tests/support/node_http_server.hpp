// An MCP server run by node over Streamable HTTP, for the tests that host one as a plugin: our own
// peer on the official TypeScript SDK (tests/mcp/peers/*.mjs) or a server from npm as published
// (server-everything). Started on a free loopback port (or a given one, to come back where it
// was), waited for until it says it listens, killed on demand or at the end. Its stdout and stderr
// are read all the time by a thread of its own, so a server that logs every request never blocks
// on a full pipe.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/run.hpp"

namespace secpilot::testing {

class NodeHttpServer {
 public:
  // Runs `node script arguments...`, where an argument "{port}" becomes the port, which is also
  // in the environment as PORT (how server-everything is told). Throws when it does not start.
  NodeHttpServer(std::string script, std::vector<std::string> arguments, unsigned port = 0)
      : script_(std::move(script)), arguments_(std::move(arguments)) {
    start(port);
  }
  ~NodeHttpServer() { kill(); }
  NodeHttpServer(const NodeHttpServer&) = delete;
  NodeHttpServer& operator=(const NodeHttpServer&) = delete;

  unsigned port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }

  // Ends the server at once (SIGKILL) and reaps it: the port is free when this returns.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    if (reader_.joinable()) reader_.join();  // the pipe's end came with the process's
  }
  // Starts it again on the same port.
  void restart() {
    kill();
    start(port_);
  }

  // Waits for a line of its output (stdout or stderr) that contains `text`, and takes the lines up
  // to it; false after `timeout` or when the server is gone.
  bool wait_for_line(const std::string& text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    bool found = false;
    changed_.wait_for(lock, timeout, [&] {
      for (auto end = output_.find('\n'); end != std::string::npos; end = output_.find('\n')) {
        const std::string line = output_.substr(0, end);
        output_.erase(0, end + 1);
        if (line.find(text) != std::string::npos) {
          found = true;
          return true;
        }
      }
      return ended_;
    });
    return found;
  }

 private:
  // A port nobody listens on now: the kernel's choice for a socket bound to port 0.
  static unsigned free_port() {
    const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (probe < 0 || ::bind(probe, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("no free loopback port");
    ::close(probe);
    return ntohs(address.sin_port);
  }

  void start(unsigned port) {
    port_ = port == 0 ? free_port() : port;
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    std::vector<std::string> args = {"node", script_};
    for (const auto& argument : arguments_)
      args.push_back(argument == "{port}" ? std::to_string(port_) : argument);
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    auto environment = changed_environment({"PORT=" + std::to_string(port_)});
    std::vector<char*> envp;
    for (auto& entry : environment)
      envp.push_back(entry.data());
    envp.push_back(nullptr);
    const int failed = ::posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    {
      std::lock_guard lock(mutex_);
      output_.clear();
      ended_ = false;
    }
    if (failed != 0) {
      ::close(out[0]);
      pid_ = -1;
      throw std::runtime_error("cannot start node (is it installed? scripts/setup.sh)");
    }
    reader_ = std::thread([this, fd = out[0]] { read_output(fd); });
    if (!wait_for_line("listening on port")) {
      kill();
      throw std::runtime_error("the MCP server " + script_ + " did not say it listens");
    }
  }

  void read_output(int fd) {
    char chunk[4096];
    for (;;) {
      const ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      std::lock_guard lock(mutex_);
      if (got <= 0) {
        ended_ = true;
        changed_.notify_all();
        break;
      }
      output_.append(chunk, static_cast<std::size_t>(got));
      changed_.notify_all();
    }
    ::close(fd);
  }

  std::string script_;
  std::vector<std::string> arguments_;
  pid_t pid_ = -1;
  unsigned port_ = 0;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool ended_ = false;
};

inline const std::string kMcpPeers = std::string(SECPILOT_SOURCE_DIR) + "/tests/mcp/peers/";
inline const std::string kMcpNodeModules =
    std::string(SECPILOT_SOURCE_DIR) + "/tests/mcp/node_modules/";

// Our peer on the official SDK (tests/mcp/peers/sdk-server.mjs) with `arguments` after `--http
// PORT`, e.g. {"--legacy-only"}.
class SdkHttpPeer : public NodeHttpServer {
 public:
  explicit SdkHttpPeer(std::vector<std::string> arguments = {})
      : NodeHttpServer(kMcpPeers + "sdk-server.mjs", with_port(std::move(arguments))) {}

 private:
  static std::vector<std::string> with_port(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--http", "{port}"});
    return arguments;
  }
};

}  // namespace secpilot::testing
