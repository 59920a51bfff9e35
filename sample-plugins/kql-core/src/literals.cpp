// datetime and timespan values: ISO 8601 and KQL's spellings to ticks and back.
#include "kql/literals.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace kql {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads exactly `count` digits at `text[pos]`.
bool read_digits(std::string_view text, size_t& pos, size_t count, int& out) noexcept {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
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
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// One datetime reader for both spellings. `Literal` is the content of KQL's `datetime(...)`,
// which also takes quotes, `/` separators, a zone after a bare date, an empty fraction and a leap
// second; otherwise the stricter ISO 8601 of data (with a lower-case `t`), read per row.
template <bool Literal>
std::optional<int64_t> parse_datetime_impl(std::string_view text) noexcept {
  text = trim(text);
  if constexpr (Literal) {
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
        text.back() == text.front())
      text = trim(text.substr(1, text.size() - 2));
  }
  CivilTime time;
  size_t pos = 0;
  if (!read_digits(text, pos, 4, time.year)) return std::nullopt;
  if (pos >= text.size()) return std::nullopt;
  const char separator = text[pos++];
  if (separator != '-' && !(Literal && separator == '/')) return std::nullopt;
  if (!read_digits(text, pos, 2, time.month) || time.month < 1 || time.month > 12)
    return std::nullopt;
  if (pos >= text.size() || text[pos++] != separator) return std::nullopt;
  if (!read_digits(text, pos, 2, time.day) || time.day < 1 ||
      time.day > days_in_month(time.year, time.month))
    return std::nullopt;
  int64_t offset_ticks = 0;
  if (pos < text.size()) {
    const char mark = text[pos];
    if (mark == 'T' || mark == ' ' || (!Literal && mark == 't')) {
      ++pos;
      if (!read_digits(text, pos, 2, time.hour) || time.hour > 23) return std::nullopt;
      if (pos >= text.size() || text[pos++] != ':') return std::nullopt;
      if (!read_digits(text, pos, 2, time.minute) || time.minute > 59) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        constexpr int kMaxSecond = Literal ? 60 : 59;
        if (!read_digits(text, pos, 2, time.second) || time.second > kMaxSecond)
          return std::nullopt;
        if (pos < text.size() && text[pos] == '.') {
          ++pos;
          if (!Literal && (pos >= text.size() || !is_digit(text[pos]))) return std::nullopt;
          time.fraction_ticks = read_fraction(text, pos);
        }
      }
    } else if constexpr (!Literal) {
      return std::nullopt;
    }
    if (pos < text.size()) {
      const char zone = text[pos];
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

// One timespan reader for both spellings. `Literal` is the content of KQL's `timespan(...)`: a
// bare number counts days, `+` is not a sign, a day part may be empty and hours are exactly two
// digits up to 23; otherwise data's spelling, where hours are one or two digits.
template <bool Literal>
std::optional<int64_t> parse_timespan_impl(std::string_view text) noexcept {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '-' || (!Literal && text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  int64_t ticks = 0;
  if (text.find(':') != std::string_view::npos) {
    // [d.]hh:mm[:ss[.fffffff]]
    size_t pos = 0;
    int64_t days = 0;
    const size_t dot = text.find('.');
    const size_t colon = text.find(':');
    if (dot != std::string_view::npos && dot < colon) {
      if (!Literal && dot == 0) return std::nullopt;
      for (; pos < dot; ++pos) {
        if (!is_digit(text[pos])) return std::nullopt;
        days = days * 10 + (text[pos] - '0');
      }
      ++pos;
    }
    int hours = 0, minutes = 0, seconds = 0;
    if constexpr (Literal) {
      if (!read_digits(text, pos, 2, hours) || hours > 23) return std::nullopt;
    } else {
      const size_t start = pos;
      while (pos < text.size() && is_digit(text[pos]))
        ++pos;
      if (pos == start || pos - start > 2) return std::nullopt;
      std::from_chars(text.data() + start, text.data() + pos, hours);
    }
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
    // <number><unit>, e.g. 1.5h; in a literal a bare number counts days.
    size_t pos = 0;
    while (pos < text.size() && (is_digit(text[pos]) || text[pos] == '.'))
      ++pos;
    if (pos == 0) return std::nullopt;
    std::optional<int64_t> unit;
    if (Literal && pos == text.size())
      unit = kTicksPerDay;
    else
      unit = timespan_unit_ticks(text.substr(pos));
    if (!unit) return std::nullopt;
    const std::string_view number = text.substr(0, pos);
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

std::optional<int64_t> timespan_unit_ticks(std::string_view unit) noexcept {
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
                                    {"mins", kTicksPerMinute},
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
  // Names are lower-case letters, so `| 0x20` compares letters case-insensitively and nothing
  // else matches.
  for (const auto& candidate : kUnits)
    if (candidate.name.size() == unit.size()) {
      bool same = true;
      for (size_t i = 0; i < unit.size() && same; ++i)
        same = (unit[i] | 0x20) == candidate.name[i];
      if (same) return candidate.ticks;
    }
  return std::nullopt;
}

std::optional<int64_t> parse_datetime(std::string_view text) noexcept {
  return parse_datetime_impl<false>(text);
}

std::optional<int64_t> parse_datetime_text(std::string_view text) noexcept {
  return parse_datetime_impl<true>(text);
}

std::optional<int64_t> parse_timespan(std::string_view text) noexcept {
  return parse_timespan_impl<false>(text);
}

std::optional<int64_t> parse_timespan_text(std::string_view text) noexcept {
  return parse_timespan_impl<true>(text);
}

std::string format_datetime(int64_t ticks) {
  const CivilTime time = civil_from_ticks(ticks);
  char buffer[48];
  const int length =
      std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", time.year, time.month,
                    time.day, time.hour, time.minute, time.second);
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

std::string format_timespan(int64_t ticks) {
  std::string out;
  const uint64_t magnitude =
      ticks < 0 ? 0 - static_cast<uint64_t>(ticks) : static_cast<uint64_t>(ticks);
  if (ticks < 0) out += '-';
  const auto day = static_cast<uint64_t>(kTicksPerDay);
  const uint64_t days = magnitude / day;
  const uint64_t rest = magnitude % day;
  char buffer[64];
  if (days > 0) out += std::to_string(days) + ".";
  std::snprintf(buffer, sizeof buffer, "%02llu:%02llu:%02llu",
                static_cast<unsigned long long>(rest / kTicksPerHour),
                static_cast<unsigned long long>(rest % kTicksPerHour / kTicksPerMinute),
                static_cast<unsigned long long>(rest % kTicksPerMinute / kTicksPerSecond));
  out += buffer;
  if (const uint64_t fraction = rest % kTicksPerSecond; fraction != 0) {
    std::snprintf(buffer, sizeof buffer, ".%07llu", static_cast<unsigned long long>(fraction));
    out += buffer;
  }
  return out;
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
