// Points in time as Jamf Pro writes them (ISO 8601 / RFC 3339: 2026-11-12T16:42:10.512Z) and as
// people pass them to the skills (also a bare date, 2026-11-12, meaning midnight UTC).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jamf {

using Timestamp = std::chrono::sys_seconds;

// "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by "Z", "+HH:MM", "+HHMM" or
// nothing (UTC). A lower-case 't' or a space may separate date and time. Fractions are dropped.
// Returns nullopt for anything else, including impossible dates such as 2026-02-30.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// "2026-11-12T16:42:10Z".
std::string format_timestamp(Timestamp when);

}  // namespace jamf
