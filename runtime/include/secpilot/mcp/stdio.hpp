// The MCP stdio transport: newline-delimited JSON-RPC messages on stdin, answers on stdout, one
// per line; nothing else may reach stdout. Messages are answered by a few workers at once, so a
// slow tool call holds up nothing else; answers come in the order they are ready (a client
// matches them by id, as JSON-RPC says). notifications/cancelled stops the call it names.
#pragma once

#include <functional>
#include <string_view>

#include "secpilot/mcp/server.hpp"

namespace secpilot::mcp {

// How many messages are answered at once by default.
inline constexpr unsigned kStdioWorkers = 8;

// Answers each line read from the file descriptor `in` through `write` (a response without its
// newline, called by one worker at a time) until `in` ends and every message read is answered,
// or `write` returns false (the client went away).
void serve_lines(const Server& server, int in,
                 const std::function<bool(std::string_view line)>& write,
                 unsigned workers = kStdioWorkers);

// serve_lines over this process's stdin and stdout. File descriptor 1 is pointed at stderr
// first, so that whatever else writes to stdout (a plugin, a library) cannot corrupt the
// stream; the answers go to a private copy of the original stdout. Returns when stdin ends.
void serve_stdio(const Server& server, unsigned workers = kStdioWorkers);

}  // namespace secpilot::mcp
