#include "secpilot/mcp/stdio.hpp"

#include "mcp/in_flight.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace secpilot::mcp {

namespace {

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t wrote = ::write(fd, text.data(), text.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(wrote));
  }
  return true;
}

// The messages read and not yet answered, the cancellation flags of the requests among them
// (keyed by id alone: one client per process), and the workers that answer them.
class Dispatcher {
 public:
  Dispatcher(const Server& server, const std::function<bool(std::string_view)>& write,
             unsigned workers)
      : server_(server), write_(write) {
    for (unsigned i = 0; i < std::max(1u, workers); ++i)
      workers_.emplace_back([this] { work(); });
  }
  // Lets the queued messages be answered, then stops the workers.
  ~Dispatcher() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    work_.notify_all();
    for (auto& worker : workers_)
      worker.join();
  }

  // False once the client went away (a write failed): stop reading.
  bool take(std::string line) {
    const MessageIds ids = message_ids(line);
    if (!ids.cancels.empty()) {
      in_flight_.cancel(ids.cancels);
      return !gone_;  // a notification: nothing to answer
    }
    std::unique_lock lock(mutex_);
    // A bounded backlog: a client that floods is read no faster than it is answered.
    room_.wait(lock, [this] { return queue_.size() < kBacklog || gone_; });
    if (gone_) return false;
    InFlight::Flag cancelled = ids.id.empty() ? nullptr : in_flight_.begin(ids.id);
    queue_.push_back({std::move(line), ids.id, std::move(cancelled)});
    lock.unlock();
    work_.notify_one();
    return true;
  }

 private:
  static constexpr std::size_t kBacklog = 64;

  struct Message {
    std::string line, id;
    InFlight::Flag cancelled;
  };

  void work() {
    for (;;) {
      Message message;
      {
        std::unique_lock lock(mutex_);
        work_.wait(lock, [this] { return !queue_.empty() || closing_; });
        if (queue_.empty()) return;
        message = std::move(queue_.front());
        queue_.pop_front();
        if (queue_.size() + 1 == kBacklog) room_.notify_one();
      }
      const std::string answer = server_.handle(message.line, message.cancelled);
      if (!message.id.empty()) in_flight_.end(message.id, message.cancelled);
      // A cancelled request is not answered (the MCP specification: the client has moved on).
      if (message.cancelled && message.cancelled->load()) {
        spdlog::info("MCP over stdio: request {} was cancelled by the client; not answered",
                     message.id);
        continue;
      }
      if (answer.empty()) continue;
      // One writer at a time: answers are whole lines, in the order they are ready.
      std::lock_guard writing(write_mutex_);
      if (!gone_ && !write_(answer)) {
        std::lock_guard lock(mutex_);
        gone_ = true;
        room_.notify_all();
      }
    }
  }

  const Server& server_;
  const std::function<bool(std::string_view)>& write_;
  std::mutex mutex_;                     // the queue and the flags
  std::condition_variable work_, room_;  // for the workers; for the reader, when the queue is full
  std::mutex write_mutex_;
  std::deque<Message> queue_;
  InFlight in_flight_;
  bool closing_ = false;
  std::atomic<bool> gone_{false};     // read without mutex_ by the writing worker
  std::vector<std::thread> workers_;  // last: started once the rest is ready
};

}  // namespace

void serve_lines(const Server& server, int in,
                 const std::function<bool(std::string_view line)>& write, unsigned workers) {
  Dispatcher dispatcher(server, write, workers);
  // Read in large pieces straight from the descriptor (std::cin, tied to C's stdio, reads a
  // character at a time); a last line without its newline counts too.
  std::string pending;
  char chunk[64 * 1024];
  for (bool open = true; open;) {
    const ssize_t got = ::read(in, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    open = got > 0;
    if (open)
      pending.append(chunk, static_cast<std::size_t>(got));
    else if (!pending.empty())
      pending.push_back('\n');
    std::size_t start = 0;
    for (auto end = pending.find('\n'); end != std::string::npos;
         start = end + 1, end = pending.find('\n', start)) {
      std::string line = pending.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      if (!dispatcher.take(std::move(line))) return;
    }
    pending.erase(0, start);
  }
}

void serve_stdio(const Server& server, unsigned workers) {
  std::fflush(stdout);
  const int out = ::dup(STDOUT_FILENO);
  if (out < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("secpilotd: cannot set up stdout for MCP");
    return;
  }
  serve_lines(
      server, STDIN_FILENO,
      [out](std::string_view answer) {
        std::string line;
        line.reserve(answer.size() + 1);
        line.append(answer).push_back('\n');
        return write_all(out, line);
      },
      workers);
  ::close(out);
}

}  // namespace secpilot::mcp
