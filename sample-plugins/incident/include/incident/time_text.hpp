// ISO 8601 times as the exports write them, to and from seconds since the epoch (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace incident {

// Reads "2026-11-20T09:14:03Z", "...03.1234567Z", "...03+02:00", "2026-11-20 09:14:03" (taken as
// UTC) and "2026-11-20" (midnight UTC); nullopt for anything else, including impossible dates.
std::optional<std::int64_t> parse_time(std::string_view text);

// "2026-11-20T09:14:03Z".
std::string format_time(std::int64_t seconds);

// "2026-11-20 09:14" (UTC, to the minute), for sentences.
std::string format_minute(std::int64_t seconds);

// "20 November 2026".
std::string format_long_date(std::int64_t seconds);

// "at 2026-11-20 09:14 UTC", "from 2026-11-20 09:02 to 09:20 UTC", or with both dates when the
// span crosses midnight.
std::string format_span(std::int64_t first, std::int64_t last);

}  // namespace incident
