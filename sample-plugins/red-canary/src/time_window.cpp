// std::chrono's calendar types do the date arithmetic; GCC 12 has them but not chrono::parse, so
// the few accepted forms are read by hand.
#include "red_canary/time_window.hpp"

#include <cstdio>
#include <optional>

#include "red_canary/errors.hpp"

namespace red_canary {
namespace {

using namespace std::chrono;

Error bad_since(std::string_view text) {
  return Error(ErrorKind::invalid_input,
               "the input 'since' is '" + std::string(text) +
                   "': use an ISO 8601 date or time (2026-11-20, 2026-11-20T09:00:00Z, "
                   "2026-11-20T10:00:00+01:00) or a look-back such as 30m, 24h, 7d or 2w");
}

// Reads `count` digits at `at`, or returns -1.
int number(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<sys_seconds> look_back(std::string_view text, system_clock::time_point now) {
  if (text.size() < 2 || text.size() > 6) return std::nullopt;
  const int amount = number(text, 0, text.size() - 1);
  if (amount <= 0) return std::nullopt;
  seconds unit{0};
  switch (text.back()) {
    case 'm':
      unit = minutes(1);
      break;
    case 'h':
      unit = hours(1);
      break;
    case 'd':
      unit = days(1);
      break;
    case 'w':
      unit = weeks(1);
      break;
    default:
      return std::nullopt;
  }
  return floor<seconds>(now) - amount * unit;
}

std::optional<sys_seconds> iso_time(std::string_view text) {
  const int y = number(text, 0, 4);
  const int mo = number(text, 5, 2);
  const int d = number(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || text.size() < 10 || text[4] != '-' || text[7] != '-')
    return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  sys_seconds time = sys_days{date};
  if (text.size() == 10) return time;

  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  const int h = number(text, 11, 2);
  const int mi = number(text, 14, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || text.size() < 16 || text[13] != ':')
    return std::nullopt;
  std::size_t at = 16;
  int s = 0;
  if (at < text.size() && text[at] == ':') {
    s = number(text, at + 1, 2);
    if (s < 0 || s > 60) return std::nullopt;
    at += 3;
    if (at < text.size() && text[at] == '.') {  // fractions of a second are dropped
      ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9')
        ++at;
    }
  }
  time += hours(h) + minutes(mi) + seconds(s);
  const std::string_view zone = text.substr(at);
  if (zone.empty() || zone == "Z" || zone == "z") return time;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return std::nullopt;
  const int zh = number(zone, 1, 2);
  const int zm = number(zone, 4, 2);
  if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return std::nullopt;
  const auto offset = hours(zh) + minutes(zm);
  return zone[0] == '+' ? time - offset : time + offset;
}

}  // namespace

std::string format_utc(sys_seconds time) {
  const auto day_start = floor<days>(time);
  const year_month_day date{day_start};
  const hh_mm_ss clock{time - day_start};
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

std::string parse_since(std::string_view text, system_clock::time_point now) {
  if (auto time = look_back(text, now)) return format_utc(*time);
  if (auto time = iso_time(text)) return format_utc(*time);
  throw bad_since(text);
}

}  // namespace red_canary
