// The MCP stdio transport: newline-delimited JSON-RPC messages on stdin, answers on stdout, one
// per line, in order; nothing else may reach stdout.
#pragma once

#include <functional>
#include <istream>
#include <string_view>

#include "secpilot/mcp/server.hpp"

namespace secpilot::mcp {

// Answers each line of `in` through `write` (a response without its newline) until `in` ends or
// `write` returns false (the client went away).
void serve_lines(const Server& server, std::istream& in,
                 const std::function<bool(std::string_view line)>& write);

// serve_lines over this process's stdin and stdout. File descriptor 1 is pointed at stderr
// first, so that whatever else writes to stdout (a plugin, a library) cannot corrupt the
// stream; the answers go to a private copy of the original stdout. Returns when stdin ends.
void serve_stdio(const Server& server);

}  // namespace secpilot::mcp
