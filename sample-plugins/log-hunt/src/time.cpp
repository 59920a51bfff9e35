#include "log_hunt/time.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace log_hunt {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads exactly `count` digits at `text[pos]`.
bool read_digits(std::string_view text, size_t& pos, size_t count, int& out) noexcept {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

// Reads up to 7 digits of a fraction of a second as ticks; further digits are ignored.
int64_t read_fraction(std::string_view text, size_t& pos) noexcept {
  int64_t ticks = 0;
  int digits = 0;
  while (pos < text.size() && is_digit(text[pos])) {
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

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

int days_in_month(int year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// A unit suffix of a timespan literal, as ticks per unit.
std::optional<int64_t> unit_ticks(std::string_view unit) noexcept {
  struct Unit {
    std::string_view name;
    int64_t ticks;
  };
  static constexpr Unit kUnits[] = {{"d", kTicksPerDay},
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
                                    {"microsecond", kTicksPerMicrosecond},
                                    {"microseconds", kTicksPerMicrosecond},
                                    {"tick", 1},
                                    {"ticks", 1}};
  for (const auto& candidate : kUnits)
    if (candidate.name.size() == unit.size()) {
      bool same = true;
      for (size_t i = 0; i < unit.size() && same; ++i)
        same = (unit[i] | 0x20) == candidate.name[i];
      if (same) return candidate.ticks;
    }
  return std::nullopt;
}

}  // namespace

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
int64_t days_from_civil(int year, int month, int day) noexcept {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilTime civil_from_ticks(int64_t ticks) noexcept {
  CivilTime out;
  int64_t days = floor_div(ticks, kTicksPerDay);
  int64_t rest = ticks - days * kTicksPerDay;
  out.hour = static_cast<int>(rest / kTicksPerHour);
  rest %= kTicksPerHour;
  out.minute = static_cast<int>(rest / kTicksPerMinute);
  rest %= kTicksPerMinute;
  out.second = static_cast<int>(rest / kTicksPerSecond);
  out.fraction_ticks = rest % kTicksPerSecond;

  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  out.day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  out.month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  out.year = static_cast<int>(year_of_era + era * 400 + (out.month <= 2));
  return out;
}

int64_t ticks_from_civil(const CivilTime& time) noexcept {
  return days_from_civil(time.year, time.month, time.day) * kTicksPerDay +
         time.hour * kTicksPerHour + time.minute * kTicksPerMinute + time.second * kTicksPerSecond +
         time.fraction_ticks;
}

std::optional<int64_t> parse_datetime(std::string_view text) noexcept {
  text = trim(text);
  CivilTime time;
  size_t pos = 0;
  if (!read_digits(text, pos, 4, time.year)) return std::nullopt;
  if (pos >= text.size() || text[pos++] != '-') return std::nullopt;
  if (!read_digits(text, pos, 2, time.month) || time.month < 1 || time.month > 12)
    return std::nullopt;
  if (pos >= text.size() || text[pos++] != '-') return std::nullopt;
  if (!read_digits(text, pos, 2, time.day) || time.day < 1 ||
      time.day > days_in_month(time.year, time.month))
    return std::nullopt;
  int64_t offset_ticks = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, time.hour) || time.hour > 23) return std::nullopt;
    if (pos >= text.size() || text[pos++] != ':') return std::nullopt;
    if (!read_digits(text, pos, 2, time.minute) || time.minute > 59) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, time.second) || time.second > 59) return std::nullopt;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        if (pos >= text.size() || !is_digit(text[pos])) return std::nullopt;
        time.fraction_ticks = read_fraction(text, pos);
      }
    }
    if (pos < text.size()) {
      char zone = text[pos];
      if (zone == 'Z' || zone == 'z') {
        ++pos;
      } else if (zone == '+' || zone == '-') {
        ++pos;
        int hours = 0, minutes = 0;
        if (!read_digits(text, pos, 2, hours)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!read_digits(text, pos, 2, minutes)) return std::nullopt;
        offset_ticks = (hours * kTicksPerHour + minutes * kTicksPerMinute) * (zone == '+' ? 1 : -1);
      }
    }
    if (pos != text.size()) return std::nullopt;
  }
  return ticks_from_civil(time) - offset_ticks;
}

std::string format_datetime(int64_t ticks) {
  CivilTime time = civil_from_ticks(ticks);
  char buffer[48];
  int length = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", time.year,
                             time.month, time.day, time.hour, time.minute, time.second);
  std::string out(buffer, static_cast<size_t>(length));
  if (time.fraction_ticks != 0) {
    std::snprintf(buffer, sizeof buffer, ".%07lld", static_cast<long long>(time.fraction_ticks));
    std::string fraction(buffer);
    while (fraction.back() == '0')
      fraction.pop_back();
    out += fraction;
  }
  out += 'Z';
  return out;
}

std::optional<int64_t> parse_timespan(std::string_view text) noexcept {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  int64_t ticks = 0;
  if (text.find(':') != std::string_view::npos) {
    // [d.]hh:mm[:ss[.fffffff]]
    size_t pos = 0;
    int64_t days = 0;
    size_t dot = text.find('.');
    size_t colon = text.find(':');
    if (dot != std::string_view::npos && dot < colon) {
      auto [end, error] = std::from_chars(text.data(), text.data() + dot, days);
      if (error != std::errc() || end != text.data() + dot) return std::nullopt;
      pos = dot + 1;
    }
    int hours = 0, minutes = 0, seconds = 0;
    size_t start = pos;
    while (pos < text.size() && is_digit(text[pos]))
      ++pos;
    if (pos == start || pos - start > 2) return std::nullopt;
    std::from_chars(text.data() + start, text.data() + pos, hours);
    if (pos >= text.size() || text[pos++] != ':') return std::nullopt;
    if (!read_digits(text, pos, 2, minutes) || minutes > 59) return std::nullopt;
    int64_t fraction = 0;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, seconds) || seconds > 59) return std::nullopt;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        fraction = read_fraction(text, pos);
      }
    }
    if (pos != text.size()) return std::nullopt;
    ticks = days * kTicksPerDay + hours * kTicksPerHour + minutes * kTicksPerMinute +
            seconds * kTicksPerSecond + fraction;
  } else {
    // <number><unit>, e.g. 1.5h
    size_t pos = 0;
    while (pos < text.size() && (is_digit(text[pos]) || text[pos] == '.'))
      ++pos;
    if (pos == 0) return std::nullopt;
    auto unit = unit_ticks(text.substr(pos));
    if (!unit) return std::nullopt;
    std::string_view number = text.substr(0, pos);
    if (number.find('.') == std::string_view::npos) {
      int64_t count = 0;
      auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), count);
      if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
      ticks = count * *unit;
    } else {
      double count = 0;
      auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), count);
      if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
      ticks = static_cast<int64_t>(std::llround(count * static_cast<double>(*unit)));
    }
  }
  return negative ? -ticks : ticks;
}

std::string format_timespan(int64_t ticks) {
  std::string out;
  uint64_t magnitude = ticks < 0 ? 0 - static_cast<uint64_t>(ticks) : static_cast<uint64_t>(ticks);
  if (ticks < 0) out += '-';
  const uint64_t day = static_cast<uint64_t>(kTicksPerDay);
  uint64_t days = magnitude / day;
  uint64_t rest = magnitude % day;
  char buffer[64];
  if (days > 0) out += std::to_string(days) + ".";
  std::snprintf(buffer, sizeof buffer, "%02llu:%02llu:%02llu",
                static_cast<unsigned long long>(rest / kTicksPerHour),
                static_cast<unsigned long long>(rest % kTicksPerHour / kTicksPerMinute),
                static_cast<unsigned long long>(rest % kTicksPerMinute / kTicksPerSecond));
  out += buffer;
  if (uint64_t fraction = rest % kTicksPerSecond; fraction != 0) {
    std::snprintf(buffer, sizeof buffer, ".%07llu", static_cast<unsigned long long>(fraction));
    out += buffer;
  }
  return out;
}

}  // namespace log_hunt
