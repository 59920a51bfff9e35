// KQL's datetime and timespan as integer ticks (100 ns), with ISO 8601 and KQL text forms.
//
// A datetime is ticks since 1970-01-01T00:00:00Z (negative before it), a timespan a signed tick
// count: integer arithmetic keeps `bin()`, comparisons and sums exact, which doubles would not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace log_hunt {

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

// ISO 8601 and the forms KQL's datetime() accepts: "2026-11-20", "2026-11-20T08:15:00Z",
// "2026-11-20 08:15:00.1234567", "2026-11-20T08:15:00+02:00". Nullopt when it is none of them.
std::optional<int64_t> parse_datetime(std::string_view text) noexcept;

// "2026-11-20T08:15:00Z", with a fraction of a second only when there is one.
std::string format_datetime(int64_t ticks);

// KQL timespan text: "1.02:03:04.5", "02:03:04", "-00:00:01" and literals such as "30m",
// "1.5h", "2d", "100ms", "10microseconds", "7tick". Nullopt when it is none of them.
std::optional<int64_t> parse_timespan(std::string_view text) noexcept;

// KQL's own rendering: "[-][d.]hh:mm:ss[.fffffff]".
std::string format_timespan(int64_t ticks);

// Floor division that rounds toward minus infinity, as bin() needs for times before 1970.
inline int64_t floor_div(int64_t value, int64_t divisor) noexcept {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

}  // namespace log_hunt
