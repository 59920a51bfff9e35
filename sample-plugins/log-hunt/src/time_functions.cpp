// Time: now, ago, bin/floor (numbers, datetimes, timespans), startof*/endof*, dayofweek,
// hourofday, dayofmonth, getmonth, getyear, datetime_add, datetime_diff, datetime_part,
// unixtime_*_todatetime, format_datetime.
#include <cmath>
#include <cstdio>

#include "functions.hpp"
#include "log_hunt/query_error.hpp"
#include "log_hunt/text.hpp"
#include "log_hunt/time.hpp"

namespace log_hunt {
namespace {

FunctionSpec spec(size_t min, size_t max, const char* signature,
                  std::function<ExpressionPtr(Args&, const FunctionContext&)> build) {
  return FunctionSpec{min, max, signature, std::move(build)};
}

void bin_value(const Value& value, const Value& size, Value& out) {
  if (value.is_null || size.is_null) {
    out.set_null(value.type);
    return;
  }
  if ((value.type == Type::DateTime || value.type == Type::TimeSpan) &&
      (size.type == Type::TimeSpan || size.is_integral())) {
    const int64_t step = size.integer;
    if (step <= 0) {
      out.set_null(value.type);
      return;
    }
    out.set_long(floor_div(value.integer, step) * step, value.type);
    return;
  }
  if (value.is_integral() && size.is_integral()) {
    if (size.integer <= 0) {
      out.set_null(Type::Long);
      return;
    }
    out.set_long(floor_div(value.integer, size.integer) * size.integer, value.type);
    return;
  }
  double x = 0, step = 0;
  if (real_arg(value, x) && real_arg(size, step) && step > 0) {
    out.set_real(std::floor(x / step) * step);
    return;
  }
  out.set_null(value.type);
}

// A datetime function of one datetime argument (and an optional offset in units).
FunctionSpec datetime_map(const char* signature, Type type,
                          int64_t (*map)(int64_t ticks, int64_t offset)) {
  return spec(1, 2, signature, [type, map](Args& args, const FunctionContext&) {
    return make_call(type, std::move(args), [type, map](auto v, Value& out) {
      int64_t offset = 0;
      if (v[0]->type != Type::DateTime || v[0]->is_null) {
        out.set_null(type);
        return;
      }
      if (v.size() > 1 && !long_arg(*v[1], offset)) offset = 0;
      out.set_long(map(v[0]->integer, offset), type);
    });
  });
}

int64_t add_months(int64_t ticks, int64_t months) {
  CivilTime time = civil_from_ticks(ticks);
  int64_t month_index = time.year * 12 + (time.month - 1) + months;
  time.year = static_cast<int>(floor_div(month_index, 12));
  time.month = static_cast<int>(month_index - int64_t{time.year} * 12 + 1);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = kDays[time.month - 1];
  if (time.month == 2 && ((time.year % 4 == 0 && time.year % 100 != 0) || time.year % 400 == 0))
    last = 29;
  if (time.day > last) time.day = last;
  return ticks_from_civil(time);
}

// Ticks per unit of datetime_add / datetime_diff's part names; 0 for month-based parts.
int64_t part_ticks(std::string_view part, int64_t& months) {
  const std::string p = to_lower_copy(part);
  months = 0;
  if (p == "year") months = 12;
  if (p == "quarter") months = 3;
  if (p == "month") months = 1;
  if (months) return 0;
  if (p == "week") return 7 * kTicksPerDay;
  if (p == "day") return kTicksPerDay;
  if (p == "hour") return kTicksPerHour;
  if (p == "minute") return kTicksPerMinute;
  if (p == "second") return kTicksPerSecond;
  if (p == "millisecond") return kTicksPerMillisecond;
  if (p == "microsecond") return kTicksPerMicrosecond;
  if (p == "nanosecond") return 1;
  return -1;
}

std::string format_with(int64_t ticks, std::string_view format) {
  const CivilTime t = civil_from_ticks(ticks);
  std::string out;
  char buffer[16];
  for (size_t i = 0; i < format.size();) {
    size_t run = 1;
    while (i + run < format.size() && format[i + run] == format[i])
      ++run;
    const char c = format[i];
    auto put = [&](int value, size_t width) {
      std::snprintf(buffer, sizeof buffer, "%0*d", static_cast<int>(width), value);
      out += buffer;
    };
    if (c == 'y') {
      put(run <= 2 ? t.year % 100 : t.year, run <= 2 ? 2 : 4);
    } else if (c == 'M') {
      put(t.month, run);
    } else if (c == 'd') {
      put(t.day, run);
    } else if (c == 'H') {
      put(t.hour, run);
    } else if (c == 'h') {
      put(t.hour % 12 == 0 ? 12 : t.hour % 12, run);
    } else if (c == 'm') {
      put(t.minute, run);
    } else if (c == 's') {
      put(t.second, run);
    } else if (c == 'f' || c == 'F') {
      std::snprintf(buffer, sizeof buffer, "%07lld", static_cast<long long>(t.fraction_ticks));
      out.append(buffer, std::min<size_t>(run, 7));
    } else if (c == 't') {
      out += t.hour < 12 ? "AM" : "PM";
    } else {
      out.append(run, c);
    }
    i += run;
  }
  return out;
}

}  // namespace

void add_time_functions(FunctionTable& t) {
  t["now"] = spec(0, 1, "now([offset])", [](Args& args, const FunctionContext& context) {
    const int64_t now = context.now;
    return make_call(Type::DateTime, std::move(args), [now](auto v, Value& out) {
      out.set_long(now + (v.empty() || v[0]->is_null ? 0 : v[0]->integer), Type::DateTime);
    });
  });
  t["ago"] = spec(1, 1, "ago(timespan)", [](Args& args, const FunctionContext& context) {
    const int64_t now = context.now;
    return make_call(Type::DateTime, std::move(args), [now](auto v, Value& out) {
      if (v[0]->is_null || v[0]->type != Type::TimeSpan)
        out.set_null(Type::DateTime);
      else
        out.set_long(now - v[0]->integer, Type::DateTime);
    });
  });
  auto bin_spec = [](const char* signature) {
    return spec(2, 2, signature, [](Args& args, const FunctionContext&) {
      Type type = args[0]->type();
      return make_call(type, std::move(args),
                       [](auto v, Value& out) { bin_value(*v[0], *v[1], out); });
    });
  };
  t["bin"] = bin_spec("bin(value, roundTo)");
  t["floor"] = bin_spec("floor(value, roundTo)");
  t["bin_at"] =
      spec(3, 3, "bin_at(value, bin_size, fixed_point)", [](Args& args, const FunctionContext&) {
        Type type = args[0]->type();
        return make_call(type, std::move(args), [](auto v, Value& out) {
          if (v[0]->is_null || v[1]->is_null || v[2]->is_null || v[1]->integer <= 0) {
            out.set_null(v[0]->type);
            return;
          }
          const int64_t step = v[1]->integer;
          const int64_t anchor = v[2]->integer;
          out.set_long(anchor + floor_div(v[0]->integer - anchor, step) * step, v[0]->type);
        });
      });
  t["startofday"] = datetime_map(
      "startofday(date [, offset])", Type::DateTime,
      [](int64_t x, int64_t o) { return (floor_div(x, kTicksPerDay) + o) * kTicksPerDay; });
  t["endofday"] = datetime_map(
      "endofday(date [, offset])", Type::DateTime,
      [](int64_t x, int64_t o) { return (floor_div(x, kTicksPerDay) + o + 1) * kTicksPerDay - 1; });
  t["startofweek"] =
      datetime_map("startofweek(date [, offset])", Type::DateTime, [](int64_t x, int64_t o) {
        // 1970-01-01 was a Thursday; weeks start on Sunday.
        const int64_t days = floor_div(x, kTicksPerDay);
        const int64_t sunday = days - ((days + 4) % 7 + 7) % 7;
        return (sunday + 7 * o) * kTicksPerDay;
      });
  t["startofmonth"] =
      datetime_map("startofmonth(date [, offset])", Type::DateTime, [](int64_t x, int64_t o) {
        CivilTime time = civil_from_ticks(x);
        return add_months(days_from_civil(time.year, time.month, 1) * kTicksPerDay, o);
      });
  t["endofmonth"] =
      datetime_map("endofmonth(date [, offset])", Type::DateTime, [](int64_t x, int64_t o) {
        CivilTime time = civil_from_ticks(x);
        return add_months(days_from_civil(time.year, time.month, 1) * kTicksPerDay, o + 1) - 1;
      });
  t["startofyear"] =
      datetime_map("startofyear(date [, offset])", Type::DateTime, [](int64_t x, int64_t o) {
        CivilTime time = civil_from_ticks(x);
        return days_from_civil(time.year + static_cast<int>(o), 1, 1) * kTicksPerDay;
      });
  t["dayofweek"] = datetime_map("dayofweek(date)", Type::TimeSpan, [](int64_t x, int64_t) {
    const int64_t days = floor_div(x, kTicksPerDay);
    return ((days + 4) % 7 + 7) % 7 * kTicksPerDay;
  });
  t["hourofday"] = datetime_map("hourofday(date)", Type::Int, [](int64_t x, int64_t) {
    return int64_t{civil_from_ticks(x).hour};
  });
  t["dayofmonth"] = datetime_map("dayofmonth(date)", Type::Int, [](int64_t x, int64_t) {
    return int64_t{civil_from_ticks(x).day};
  });
  t["getmonth"] = datetime_map("getmonth(date)", Type::Int, [](int64_t x, int64_t) {
    return int64_t{civil_from_ticks(x).month};
  });
  t["getyear"] = datetime_map("getyear(date)", Type::Int,
                              [](int64_t x, int64_t) { return int64_t{civil_from_ticks(x).year}; });
  t["datetime_add"] =
      spec(3, 3, "datetime_add(part, amount, datetime)", [](Args& args, const FunctionContext&) {
        return make_call(Type::DateTime, std::move(args), [](auto v, Value& out) {
          int64_t amount = 0, months = 0;
          const int64_t unit = part_ticks(to_text(*v[0]), months);
          if (unit < 0 || !long_arg(*v[1], amount) || v[2]->type != Type::DateTime ||
              v[2]->is_null) {
            out.set_null(Type::DateTime);
            return;
          }
          out.set_long(
              months ? add_months(v[2]->integer, amount * months) : v[2]->integer + amount * unit,
              Type::DateTime);
        });
      });
  t["datetime_diff"] = spec(
      3, 3, "datetime_diff(part, datetime1, datetime2)", [](Args& args, const FunctionContext&) {
        return make_call(Type::Long, std::move(args), [](auto v, Value& out) {
          int64_t months = 0;
          const int64_t unit = part_ticks(to_text(*v[0]), months);
          if (unit < 0 || v[1]->type != Type::DateTime || v[2]->type != Type::DateTime ||
              v[1]->is_null || v[2]->is_null) {
            out.set_null(Type::Long);
            return;
          }
          if (months) {
            CivilTime a = civil_from_ticks(v[1]->integer), b = civil_from_ticks(v[2]->integer);
            out.set_long(((a.year - b.year) * 12 + (a.month - b.month)) / months);
          } else {
            out.set_long(floor_div(v[1]->integer, unit) - floor_div(v[2]->integer, unit));
          }
        });
      });
  t["datetime_part"] =
      spec(2, 2, "datetime_part(part, datetime)", [](Args& args, const FunctionContext&) {
        return make_call(Type::Int, std::move(args), [](auto v, Value& out) {
          if (v[1]->type != Type::DateTime || v[1]->is_null) {
            out.set_null(Type::Int);
            return;
          }
          const CivilTime time = civil_from_ticks(v[1]->integer);
          const std::string part = to_lower_copy(to_text(*v[0]));
          int64_t result = -1;
          if (part == "year") result = time.year;
          if (part == "month") result = time.month;
          if (part == "day") result = time.day;
          if (part == "hour") result = time.hour;
          if (part == "minute") result = time.minute;
          if (part == "second") result = time.second;
          if (result < 0)
            out.set_null(Type::Int);
          else
            out.set_long(result, Type::Int);
        });
      });
  auto from_unix = [](const char* signature, int64_t ticks_per_unit) {
    return spec(1, 1, signature, [ticks_per_unit](Args& args, const FunctionContext&) {
      return make_call(Type::DateTime, std::move(args), [ticks_per_unit](auto v, Value& out) {
        double units = 0;
        if (!real_arg(*v[0], units))
          out.set_null(Type::DateTime);
        else
          out.set_long(
              static_cast<int64_t>(std::llround(units * static_cast<double>(ticks_per_unit))),
              Type::DateTime);
      });
    });
  };
  t["unixtime_seconds_todatetime"] =
      from_unix("unixtime_seconds_todatetime(seconds)", kTicksPerSecond);
  t["unixtime_milliseconds_todatetime"] =
      from_unix("unixtime_milliseconds_todatetime(milliseconds)", kTicksPerMillisecond);
  t["format_datetime"] =
      spec(2, 2, "format_datetime(datetime, format)", [](Args& args, const FunctionContext&) {
        return make_call(Type::String, std::move(args), [](auto v, Value& out) {
          if (v[0]->type != Type::DateTime || v[0]->is_null)
            out.set_string("");
          else
            out.set_string(format_with(v[0]->integer, to_text(*v[1])));
        });
      });
}

}  // namespace log_hunt
