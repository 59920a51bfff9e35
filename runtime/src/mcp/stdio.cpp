#include "secpilot/mcp/stdio.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <string>

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

}  // namespace

void serve_lines(const Server& server, std::istream& in,
                 const std::function<bool(std::string_view line)>& write) {
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string answer = server.handle(line);
    if (!answer.empty() && !write(answer)) return;
  }
}

void serve_stdio(const Server& server) {
  std::fflush(stdout);
  const int out = ::dup(STDOUT_FILENO);
  if (out < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("secpilotd: cannot set up stdout for MCP");
    return;
  }
  serve_lines(server, std::cin, [out](std::string_view answer) {
    std::string line;
    line.reserve(answer.size() + 1);
    line.append(answer).push_back('\n');
    return write_all(out, line);
  });
  ::close(out);
}

}  // namespace secpilot::mcp
