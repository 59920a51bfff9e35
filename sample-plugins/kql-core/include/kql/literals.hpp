// Reading and writing KQL's datetime and timespan values (in ticks of 100 ns), shared by the
// lexer, the parser, explanations and executors.
#ifndef KQL_LITERALS_HPP
#define KQL_LITERALS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kql {

// Ticks in one unit of a timespan literal (`d`, `day`, `days`, `h`, `hr`, `hrs`, `hour`, `hours`,
// `m`, `min`, `minute`, `minutes`, `s`, `sec`, `second`, `seconds`, `ms`, `milli`, `millis`,
// `millisecond`, `milliseconds`, `microsecond`, `microseconds`, `tick`, `ticks`), or nullopt.
std::optional<int64_t> timespan_unit_ticks(std::string_view unit);

// The content of `datetime(...)`: ISO 8601 dates with optional time, fraction and zone
// (`2024-01-31`, `2024-01-31 10:00`, `2024-01-31T10:00:00.5Z`, `...+02:00`), also
// `2024/01/31`. Ticks since the Unix epoch, UTC; nullopt when not a date.
std::optional<int64_t> parse_datetime_text(std::string_view text);

// The content of `timespan(...)` / `time(...)`: a literal like `1d`/`2.5h`, a number of days
// (`2`), or `[d.]hh:mm[:ss[.fffffff]]`, optionally negative.
std::optional<int64_t> parse_timespan_text(std::string_view text);

// `2024-01-31T10:00:00Z` (with a fraction only when there is one).
std::string format_datetime(int64_t ticks);

// The shortest literal that reads back the same: `1d`, `36h`, `90m`, `1500ms`, `7d`.
std::string format_timespan_literal(int64_t ticks);

// In words, for explanations: `24 hours`, `7 days`, `30 minutes`, `1 hour 30 minutes`.
std::string describe_timespan(int64_t ticks);

}  // namespace kql

#endif  // KQL_LITERALS_HPP
