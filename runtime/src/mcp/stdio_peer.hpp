// An MCP server started as a child process and spoken to over its stdin and stdout (the stdio
// transport, a Peer): one JSON-RPC message per line each way. Requests may overlap: a reader thread hands each response to the
// request with its id. What the server sends unasked is handled here: a notification is passed
// to a callback, a request of its own (sampling, roots) is answered "method not found". Its
// stderr goes to the plugin's log. The child has its own process group and an environment of
// its own (PATH, HOME, LANG and what the manifest gives), never the daemon's.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcp/peer.hpp"

namespace spdlog {
class logger;
}

namespace secpilot::mcp {

struct StdioCommand {
  std::vector<std::string> argv;    // the program (found on PATH when it has no '/') and arguments
  std::filesystem::path directory;  // where it runs
  std::vector<std::pair<std::string, std::string>> environment;  // added to PATH, HOME, LANG
};

class StdioPeer final : public Peer {
 public:
  // Starts the program; an error when it cannot be started.
  static Expected<std::unique_ptr<StdioPeer>> start(const StdioCommand& command,
                                                    std::shared_ptr<spdlog::logger> log,
                                                    OnNotification on_notification = {});
  ~StdioPeer() override;  // closes stdin, then SIGTERM and SIGKILL to its group if it lingers
  StdioPeer(const StdioPeer&) = delete;
  StdioPeer& operator=(const StdioPeer&) = delete;

  // Upstream errors: the server exited or wrote to a closed pipe.
  Expected<Answer> request(
      std::string_view method, boost::json::object params, Clock::time_point deadline,
      const std::shared_ptr<const std::atomic<bool>>& cancelled = nullptr) override;
  Outcome notify(std::string_view method, boost::json::object params = {}) override;

  // False once the server exited or closed its stdout.
  bool alive() const override;

 private:
  struct Pending {
    bool done = false;
    Answer answer;
  };
  StdioPeer() = default;
  Outcome write_line(const std::string& line);
  void read_stdout();
  void read_stderr();
  void dispatch(std::string_view line);
  void fail_all(const std::string& why);

  pid_t pid_ = -1;
  std::atomic<bool> reaped_{false};  // by the stdout reader, once its output closed
  int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
  std::shared_ptr<spdlog::logger> log_;
  OnNotification on_notification_;
  std::string program_;
  std::thread stdout_reader_, stderr_reader_;

  std::mutex write_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable answered_;
  std::map<std::int64_t, std::shared_ptr<Pending>> pending_;
  std::int64_t next_id_ = 1;
  bool alive_ = true;
  std::string exit_reason_;
};

}  // namespace secpilot::mcp
