// KQL's datetime and timespan as integer ticks (100 ns), with ISO 8601 and KQL text forms: the
// one implementation shared by the lexer, the parser, explanations, executors and LogHunt.
//
// A datetime is ticks since 1970-01-01T00:00:00Z (negative before it), a timespan a signed tick
// count: integer arithmetic keeps `bin()`, comparisons and sums exact, which doubles would not.
#ifndef KQL_LITERALS_HPP
#define KQL_LITERALS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kql {

// 100-nanosecond units: KQL's tick, the resolution of its datetime and timespan.
inline constexpr int64_t kTicksPerMicrosecond = 10;
inline constexpr int64_t kTicksPerMillisecond = 10'000;
inline constexpr int64_t kTicksPerSecond = 10'000'000;
inline constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
inline constexpr int64_t kTicksPerHour = 60 * kTicksPerMinute;
inline constexpr int64_t kTicksPerDay = 24 * kTicksPerHour;

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t fraction_ticks = 0;  // 0..9'999'999
};

int64_t days_from_civil(int year, int month, int day) noexcept;
CivilTime civil_from_ticks(int64_t ticks) noexcept;
int64_t ticks_from_civil(const CivilTime& time) noexcept;

// Floor division that rounds toward minus infinity, as bin() needs for times before 1970.
inline int64_t floor_div(int64_t value, int64_t divisor) noexcept {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

// Ticks in one unit of a timespan literal, case-insensitively (`d`, `day`, `days`, `h`, `hr`,
// `hrs`, `hour`, `hours`, `m`, `min`, `mins`, `minute`, `minutes`, `s`, `sec`, `second`,
// `seconds`, `ms`, `milli`, `millis`, `millisecond`, `milliseconds`, `microsecond`,
// `microseconds`, `tick`, `ticks`), or nullopt.
std::optional<int64_t> timespan_unit_ticks(std::string_view unit) noexcept;

// ISO 8601 datetimes in data: "2026-11-20", "2026-11-20T08:15:00Z",
// "2026-11-20 08:15:00.1234567", "2026-11-20T08:15:00+02:00". Nullopt when it is none of them.
// Fast enough for a per-row scanner.
std::optional<int64_t> parse_datetime(std::string_view text) noexcept;

// The content of `datetime(...)`: the forms above plus optional quotes around them, `2024/01/31`,
// a zone after a bare date and a leap second. Ticks since the Unix epoch, UTC.
std::optional<int64_t> parse_datetime_text(std::string_view text) noexcept;

// "2026-11-20T08:15:00Z", with a fraction of a second only when there is one.
std::string format_datetime(int64_t ticks);

// KQL timespan text in data: "1.02:03:04.5", "02:03:04", "-00:00:01" and literals such as "30m",
// "1.5h", "2d", "100ms", "10microseconds", "7tick". Nullopt when it is none of them.
std::optional<int64_t> parse_timespan(std::string_view text) noexcept;

// The content of `timespan(...)` / `time(...)`: a literal like `1d`/`2.5h`, a number of days
// (`2`), or `[d.]hh:mm[:ss[.fffffff]]`, optionally negative.
std::optional<int64_t> parse_timespan_text(std::string_view text) noexcept;

// KQL's own rendering: "[-][d.]hh:mm:ss[.fffffff]".
std::string format_timespan(int64_t ticks);

// The shortest literal that reads back the same: `1d`, `36h`, `90m`, `1500ms`, `7d`.
std::string format_timespan_literal(int64_t ticks);

// In words, for explanations: `24 hours`, `7 days`, `30 minutes`, `1 hour 30 minutes`.
std::string describe_timespan(int64_t ticks);

}  // namespace kql

#endif  // KQL_LITERALS_HPP
