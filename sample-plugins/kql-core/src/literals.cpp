// datetime and timespan values: KQL's literal spellings to ticks and back.
#include "kql/literals.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "kql/ast.hpp"
#include "text.hpp"

namespace kql {
namespace {

constexpr int64_t kTicksPerMillisecond = 10'000;
constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
constexpr int64_t kTicksPerHour = 60 * kTicksPerMinute;
constexpr int64_t kTicksPerDay = 24 * kTicksPerHour;

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool leap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at `pos`.
bool read_digits(std::string_view text, size_t& pos, size_t count, int64_t& out) {
  if (pos + count > text.size()) return false;
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!is_ascii_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

// Reads 1 to 7 fractional digits as ticks (more digits are read and ignored).
int64_t read_fraction_ticks(std::string_view text, size_t& pos) {
  int64_t ticks = 0;
  int digits = 0;
  while (pos < text.size() && is_ascii_digit(text[pos])) {
    if (digits < 7) {
      ticks = ticks * 10 + (text[pos] - '0');
      ++digits;
    }
    ++pos;
  }
  for (; digits < 7; ++digits)
    ticks *= 10;
  return ticks;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::string two_digits(int64_t value) {
  return value < 10 ? "0" + std::to_string(value) : std::to_string(value);
}

}  // namespace

std::optional<int64_t> timespan_unit_ticks(std::string_view unit) {
  static constexpr std::array<std::pair<std::string_view, int64_t>, 26> kUnits{{
      {"d", kTicksPerDay},
      {"day", kTicksPerDay},
      {"days", kTicksPerDay},
      {"h", kTicksPerHour},
      {"hr", kTicksPerHour},
      {"hrs", kTicksPerHour},
      {"hour", kTicksPerHour},
      {"hours", kTicksPerHour},
      {"m", kTicksPerMinute},
      {"min", kTicksPerMinute},
      {"minute", kTicksPerMinute},
      {"minutes", kTicksPerMinute},
      {"s", kTicksPerSecond},
      {"sec", kTicksPerSecond},
      {"second", kTicksPerSecond},
      {"seconds", kTicksPerSecond},
      {"ms", kTicksPerMillisecond},
      {"milli", kTicksPerMillisecond},
      {"millis", kTicksPerMillisecond},
      {"millisecond", kTicksPerMillisecond},
      {"milliseconds", kTicksPerMillisecond},
      {"microsecond", 10},
      {"microseconds", 10},
      {"tick", 1},
      {"ticks", 1},
      {"mins", kTicksPerMinute},
  }};
  for (const auto& [name, ticks] : kUnits)
    if (name == unit) return ticks;
  return std::nullopt;
}

std::optional<int64_t> parse_datetime_text(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front())
    text = trim(text.substr(1, text.size() - 2));
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, fraction = 0;
  if (!read_digits(text, pos, 4, year)) return std::nullopt;
  if (pos >= text.size() || (text[pos] != '-' && text[pos] != '/')) return std::nullopt;
  const char separator = text[pos++];
  if (!read_digits(text, pos, 2, month)) return std::nullopt;
  if (pos >= text.size() || text[pos] != separator) return std::nullopt;
  ++pos;
  if (!read_digits(text, pos, 2, day)) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      day > static_cast<int64_t>(days_in_month(year, static_cast<unsigned>(month))))
    return std::nullopt;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    if (!read_digits(text, pos, 2, hour)) return std::nullopt;
    if (pos >= text.size() || text[pos] != ':') return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, minute)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, second)) return std::nullopt;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        fraction = read_fraction_ticks(text, pos);
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t offset_hours = 0, offset_mins = 0;
    if (!read_digits(text, pos, 2, offset_hours)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!read_digits(text, pos, 2, offset_mins)) return std::nullopt;
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * kTicksPerDay + hour * kTicksPerHour + minute * kTicksPerMinute +
         second * kTicksPerSecond + fraction - offset_minutes * kTicksPerMinute;
}

std::optional<int64_t> parse_timespan_text(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  int sign = 1;
  if (text.front() == '-') {
    sign = -1;
    text.remove_prefix(1);
  }
  // A literal with a unit: 1d, 2.5h, 100ms.
  size_t number_end = 0;
  while (number_end < text.size() && (is_ascii_digit(text[number_end]) || text[number_end] == '.'))
    ++number_end;
  if (number_end == 0) return std::nullopt;
  if (number_end < text.size() && is_ascii_alpha(text[number_end])) {
    const auto unit = timespan_unit_ticks(to_lower(text.substr(number_end)));
    if (!unit) return std::nullopt;
    const double value = std::strtod(std::string(text.substr(0, number_end)).c_str(), nullptr);
    return sign * static_cast<int64_t>(std::llround(value * static_cast<double>(*unit)));
  }
  if (text.find(':') == std::string_view::npos) {  // a plain number counts days
    if (number_end != text.size()) return std::nullopt;
    const double days = std::strtod(std::string(text).c_str(), nullptr);
    return sign * static_cast<int64_t>(std::llround(days * static_cast<double>(kTicksPerDay)));
  }
  // [d.]hh:mm[:ss[.fffffff]]
  size_t pos = 0;
  int64_t days = 0;
  const size_t colon = text.find(':');
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos && dot < colon) {
    for (; pos < dot; ++pos) {
      if (!is_ascii_digit(text[pos])) return std::nullopt;
      days = days * 10 + (text[pos] - '0');
    }
    ++pos;
  }
  int64_t hours = 0, minutes = 0, seconds = 0, fraction = 0;
  if (!read_digits(text, pos, 2, hours)) return std::nullopt;
  if (pos >= text.size() || text[pos] != ':') return std::nullopt;
  ++pos;
  if (!read_digits(text, pos, 2, minutes)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!read_digits(text, pos, 2, seconds)) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      fraction = read_fraction_ticks(text, pos);
    }
  }
  if (pos != text.size() || hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;
  return sign * (days * kTicksPerDay + hours * kTicksPerHour + minutes * kTicksPerMinute +
                 seconds * kTicksPerSecond + fraction);
}

std::string format_datetime(int64_t ticks) {
  int64_t days = ticks / kTicksPerDay;
  int64_t rest = ticks % kTicksPerDay;
  if (rest < 0) {
    rest += kTicksPerDay;
    --days;
  }
  const Civil date = civil_from_days(days);
  std::string out = std::to_string(date.year) + "-" + two_digits(date.month) + "-" +
                    two_digits(date.day) + "T" + two_digits(rest / kTicksPerHour) + ":" +
                    two_digits(rest % kTicksPerHour / kTicksPerMinute) + ":" +
                    two_digits(rest % kTicksPerMinute / kTicksPerSecond);
  if (const int64_t fraction = rest % kTicksPerSecond; fraction != 0) {
    std::string digits = std::to_string(fraction + kTicksPerSecond).substr(1);
    while (!digits.empty() && digits.back() == '0')
      digits.pop_back();
    out += "." + digits;
  }
  return out + "Z";
}

std::string format_timespan_literal(int64_t ticks) {
  const std::string sign = ticks < 0 ? "-" : "";
  const int64_t magnitude = ticks < 0 ? -ticks : ticks;
  static constexpr std::array<std::pair<int64_t, std::string_view>, 6> kUnits{{
      {kTicksPerDay, "d"},
      {kTicksPerHour, "h"},
      {kTicksPerMinute, "m"},
      {kTicksPerSecond, "s"},
      {kTicksPerMillisecond, "ms"},
      {1, "tick"},
  }};
  if (magnitude == 0) return "0s";
  for (const auto& [unit, name] : kUnits)
    if (magnitude % unit == 0) return sign + std::to_string(magnitude / unit) + std::string(name);
  return sign + std::to_string(magnitude) + "tick";
}

std::string describe_timespan(int64_t ticks) {
  const int64_t magnitude = ticks < 0 ? -ticks : ticks;
  if (magnitude == 0) return "0 seconds";
  struct Unit {
    int64_t ticks;
    std::string_view singular;
  };
  static constexpr std::array<Unit, 5> kUnits{{
      {kTicksPerDay, "day"},
      {kTicksPerHour, "hour"},
      {kTicksPerMinute, "minute"},
      {kTicksPerSecond, "second"},
      {kTicksPerMillisecond, "millisecond"},
  }};
  auto amount = [](int64_t count, std::string_view singular) {
    return std::to_string(count) + " " + std::string(singular) + (count == 1 ? "" : "s");
  };
  // Whole days stay days unless they are a whole number of weeks of interest: 7d reads "7 days".
  std::string out;
  int64_t rest = magnitude;
  int parts = 0;
  for (const auto& unit : kUnits) {
    if (rest >= unit.ticks && parts < 2) {
      // 36 hours reads better than 1 day 12 hours.
      if (unit.ticks == kTicksPerDay && rest % kTicksPerDay != 0 && rest < 3 * kTicksPerDay) {
        continue;
      }
      const int64_t count = rest / unit.ticks;
      rest %= unit.ticks;
      out += (out.empty() ? "" : " ") + amount(count, unit.singular);
      ++parts;
    } else if (parts > 0) {
      ++parts;  // keep the two most significant adjacent units only
    }
  }
  if (out.empty()) out = std::to_string(magnitude) + " ticks";
  return (ticks < 0 ? "minus " : "") + out;
}

}  // namespace kql
