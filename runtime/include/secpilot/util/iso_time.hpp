// Milliseconds since the epoch as ISO 8601 UTC text, the way the API and answers show times.
#pragma once

#include <cstdint>
#include <string>

namespace secpilot {

// "2026-11-28T09:11:13.034Z"; "" for 0 (never set).
std::string iso_time(std::int64_t epoch_ms);

}  // namespace secpilot
