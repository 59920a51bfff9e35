#include "secpilot/skills/kql_template.hpp"

#include <boost/json/serialize.hpp>
#include <cctype>

#include "secpilot/util/ascii.hpp"

namespace secpilot::skills {
namespace {

// Where a placeholder sits in the query text.
enum class Context { code, quoted, verbatim, comment };

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// 7d, 1.5h, 30m, 10s, 100ms, 5microsecond, 3tick: a KQL timespan literal, nothing else.
bool is_timespan_literal(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i]))
    ++i;
  if (i == 0) return false;
  if (i < text.size() && text[i] == '.') {
    const auto start = ++i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    if (i == start) return false;
  }
  const std::string unit = to_lower_ascii(text.substr(i));
  for (std::string_view known :
       {"d",     "h",      "m",           "s",           "ms",  "microsecond", "microseconds",
        "tick",  "ticks",  "day",         "days",        "hr",  "hrs",         "hour",
        "hours", "min",    "minute",      "minutes",     "sec", "second",      "seconds",
        "milli", "millis", "millisecond", "milliseconds"})
    if (unit == known) return true;
  return false;
}

// 2026-11-20, 2026-11-20T10:00, 2026-11-20 10:00:00.123Z: safe inside datetime(...).
bool is_datetime_literal(std::string_view text) {
  auto digits = [&](std::size_t at, std::size_t count) {
    if (at + count > text.size()) return false;
    for (std::size_t i = at; i < at + count; ++i)
      if (!is_digit(text[i])) return false;
    return true;
  };
  if (!digits(0, 4) || text.size() < 10 || text[4] != '-' || !digits(5, 2) || text[7] != '-' ||
      !digits(8, 2))
    return false;
  for (std::size_t i = 10; i < text.size(); ++i) {
    const char c = text[i];
    if (!is_digit(c) && c != ':' && c != '.' && c != 'T' && c != ' ' && c != 'Z' && c != '+' &&
        c != '-')
      return false;
  }
  return text.size() == 10 || text[10] == 'T' || text[10] == ' ';
}

bool is_number_literal(std::string_view text) {
  std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
  const std::size_t start = i;
  bool dot = false;
  for (; i < text.size(); ++i) {
    if (text[i] == '.' && !dot) {
      dot = true;
    } else if (!is_digit(text[i])) {
      return false;
    }
  }
  return i > start && text.back() != '.';
}

// String content for a '...' or "..." literal.
void append_quoted_content(std::string& out, std::string_view value, char quote) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c == quote) {
          out += '\\';
          out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';  // other control characters have no escape in KQL
        } else {
          out += c;
        }
    }
  }
}

// Content for a verbatim @'...' literal: the quote doubles, and the literal cannot hold a line
// break.
void append_verbatim_content(std::string& out, std::string_view value, char quote) {
  for (const char c : value) {
    if (c == quote) {
      out += c;
      out += c;
    } else {
      out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
}

void append_code_literal(std::string& out, const boost::json::value& value) {
  if (value.is_null()) {
    out += "\"\"";
    return;
  }
  if (value.is_bool() || value.is_number()) {
    out += boost::json::serialize(value);
    return;
  }
  const std::string text =
      value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
  if (is_number_literal(text) || is_timespan_literal(text) || iequals_ascii(text, "true") ||
      iequals_ascii(text, "false")) {
    out += text;
  } else if (is_datetime_literal(text)) {
    out += "datetime(" + text + ")";
  } else {
    out += '"';
    append_quoted_content(out, text, '"');
    out += '"';
  }
}

std::string value_text(const boost::json::value& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return std::string(value.as_string());
  return boost::json::serialize(value);
}

const boost::json::value* find_input(const boost::json::object& inputs, std::string_view name) {
  for (const auto& [key, value] : inputs)
    if (iequals_ascii(key, name)) return &value;
  return nullptr;
}

}  // namespace

Expected<std::string> render_kql_template(std::string_view query_template,
                                          const boost::json::object& inputs) {
  static const boost::json::value absent;
  std::string out;
  out.reserve(query_template.size() + 64);
  Context context = Context::code;
  char quote = 0;
  for (std::size_t i = 0; i < query_template.size();) {
    if (query_template.compare(i, 2, "{{") == 0) {
      const auto close = query_template.find("}}", i + 2);
      if (close == std::string_view::npos)
        return make_error(
            Status::invalid_input,
            "the query template has a '{{' without its '}}' at offset " + std::to_string(i));
      const std::string_view name = trim_space(query_template.substr(i + 2, close - i - 2));
      const boost::json::value* value = find_input(inputs, name);
      if (name.empty())
        return make_error(Status::invalid_input, "the query template has an empty {{}}");
      if (!value) value = &absent;
      switch (context) {
        case Context::code:
          append_code_literal(out, *value);
          break;
        case Context::quoted:
          append_quoted_content(out, value_text(*value), quote);
          break;
        case Context::verbatim:
          append_verbatim_content(out, value_text(*value), quote);
          break;
        case Context::comment:
          append_verbatim_content(out, value_text(*value), 0);
          break;
      }
      i = close + 2;
      continue;
    }
    const char c = query_template[i];
    out += c;
    ++i;
    switch (context) {
      case Context::code:
        if (c == '/' && i < query_template.size() && query_template[i] == '/') {
          context = Context::comment;
        } else if (c == '\'' || c == '"') {
          const bool verbatim =
              out.size() >= 2 && (out[out.size() - 2] == '@') &&
              (out.size() < 3 || !std::isalnum(static_cast<unsigned char>(out[out.size() - 3])));
          context = verbatim ? Context::verbatim : Context::quoted;
          quote = c;
        }
        break;
      case Context::quoted:
        if (c == '\\' && i < query_template.size()) {
          out += query_template[i++];  // the escaped character, whatever it is
        } else if (c == quote) {
          context = Context::code;
        }
        break;
      case Context::verbatim:
        if (c == quote) {
          if (i < query_template.size() && query_template[i] == quote) {
            out += query_template[i++];  // a doubled quote stays inside
          } else {
            context = Context::code;
          }
        }
        break;
      case Context::comment:
        if (c == '\n') context = Context::code;
        break;
    }
  }
  return out;
}

}  // namespace secpilot::skills
