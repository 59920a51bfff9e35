// Reads a "since" input: an ISO 8601 date or time, or a look-back such as 24h or 7d.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace red_canary {

// "2026-11-20" → "2026-11-20T00:00:00Z"; "2026-11-20T10:14:03+01:00" → "2026-11-20T09:14:03Z";
// "24h", "7d", "90m", "2w" → that long before `now`. A time without a zone is UTC. Throws
// Error(invalid_input) with the accepted forms otherwise.
std::string parse_since(std::string_view text, std::chrono::system_clock::time_point now);

// "YYYY-MM-DDTHH:MM:SSZ"
std::string format_utc(std::chrono::sys_seconds time);

}  // namespace red_canary
