#include "jamf/timestamp.hpp"

#include <cstdio>

namespace jamf {
namespace {

using namespace std::chrono;

// Reads exactly `count` digits at `at`.
bool read_number(std::string_view text, std::size_t& at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  at += count;
  return true;
}

bool expect(std::string_view text, std::size_t& at, char wanted) {
  if (at >= text.size() || text[at] != wanted) return false;
  ++at;
  return true;
}

// "Z", "+HH:MM", "+HHMM", "-HH:MM", or nothing; the offset to subtract to get UTC.
std::optional<seconds> read_zone(std::string_view text, std::size_t& at) {
  if (at == text.size()) return seconds{0};
  if (text[at] == 'Z' || text[at] == 'z') {
    ++at;
    return seconds{0};
  }
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  const int sign = text[at] == '-' ? -1 : 1;
  ++at;
  int hours = 0;
  int minutes = 0;
  if (!read_number(text, at, 2, hours)) return std::nullopt;
  if (at < text.size() && text[at] == ':') ++at;
  if (!read_number(text, at, 2, minutes)) return std::nullopt;
  if (hours > 23 || minutes > 59) return std::nullopt;
  return seconds{sign * (hours * 3600 + minutes * 60)};
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  std::size_t at = 0;
  int y = 0;
  int m = 0;
  int d = 0;
  if (!read_number(text, at, 4, y) || !expect(text, at, '-') || !read_number(text, at, 2, m) ||
      !expect(text, at, '-') || !read_number(text, at, 2, d))
    return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  Timestamp when = sys_days{date};
  if (at == text.size()) return when;
  if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return std::nullopt;
  ++at;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!read_number(text, at, 2, hh) || !expect(text, at, ':') || !read_number(text, at, 2, mm))
    return std::nullopt;
  if (at < text.size() && text[at] == ':') {
    ++at;
    if (!read_number(text, at, 2, ss)) return std::nullopt;
    if (at < text.size() && text[at] == '.') {
      ++at;
      const std::size_t digits_from = at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9')
        ++at;
      if (at == digits_from) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  const auto zone = read_zone(text, at);
  if (!zone || at != text.size()) return std::nullopt;
  return when + hours{hh} + minutes{mm} + seconds{ss} - *zone;
}

std::string format_timestamp(Timestamp when) {
  const auto day_start = floor<days>(when);
  const year_month_day date{day_start};
  const hh_mm_ss time{when - day_start};
  char out[48];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return out;
}

}  // namespace jamf
