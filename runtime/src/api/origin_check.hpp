// Which browser origins may reach an endpoint of the daemon (MCP's defence against DNS
// rebinding: a page on evil.example whose name now resolves to 127.0.0.1 still sends its own
// Origin).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace secpilot::api {

// True for an origin (scheme://host[:port], as a browser sends it) whose host is this machine's
// loopback (localhost, 127.0.0.0/8, [::1]), or that equals one of `allowed` (case-insensitively).
bool origin_allowed(std::string_view origin, std::span<const std::string> allowed);

}  // namespace secpilot::api
