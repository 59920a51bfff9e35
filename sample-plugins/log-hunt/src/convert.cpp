#include "log_hunt/convert.hpp"

#include <charconv>
#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "log_hunt/time.hpp"

namespace log_hunt {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool looks_like_json_container(std::string_view text) {
  text = trim_spaces(text);
  return text.size() >= 2 && ((text.front() == '{' && text.back() == '}') ||
                              (text.front() == '[' && text.back() == ']'));
}

void set_dynamic_from_text(std::string_view text, Value& out) {
  boost::system::error_code error;
  boost::json::value parsed =
      boost::json::parse(boost::json::string_view(text.data(), text.size()), error);
  if (error) parsed = boost::json::string(text.data(), text.size());
  out = Value::of_json(std::move(parsed));
}

}  // namespace

std::optional<int64_t> parse_integer(std::string_view text) noexcept {
  text = trim_spaces(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return number;
  // "12.0" and "1e3" are whole numbers too.
  if (auto real = parse_real(text); real && std::isfinite(*real) && std::fabs(*real) < 9.2e18)
    return static_cast<int64_t>(std::trunc(*real));
  return std::nullopt;
}

std::optional<double> parse_real(std::string_view text) noexcept {
  text = trim_spaces(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return number;
  return std::nullopt;
}

void value_from_text(std::string_view text, Type type, Value& out) {
  switch (type) {
    case Type::String:
    case Type::Guid:
    case Type::Unknown:
      out.set_string(text);
      out.type = type == Type::Guid ? Type::Guid : Type::String;
      return;
    case Type::Int:
    case Type::Long:
      if (auto number = parse_integer(text))
        out.set_long(*number, type);
      else
        out.set_null(type);
      return;
    case Type::Real:
    case Type::Decimal:
      if (auto number = parse_real(text))
        out.set_real(*number);
      else
        out.set_null(Type::Real);
      return;
    case Type::Bool: {
      std::string_view t = trim_spaces(text);
      if (t == "true" || t == "True" || t == "TRUE" || t == "1")
        out.set_bool(true);
      else if (t == "false" || t == "False" || t == "FALSE" || t == "0")
        out.set_bool(false);
      else
        out.set_null(Type::Bool);
      return;
    }
    case Type::DateTime:
      if (auto ticks = parse_datetime(text))
        out.set_long(*ticks, Type::DateTime);
      else
        out.set_null(Type::DateTime);
      return;
    case Type::TimeSpan:
      if (auto ticks = parse_timespan(text))
        out.set_long(*ticks, Type::TimeSpan);
      else
        out.set_null(Type::TimeSpan);
      return;
    case Type::Dynamic:
      if (trim_spaces(text).empty())
        out = Value::null_of(Type::Dynamic);
      else
        set_dynamic_from_text(text, out);
      return;
  }
  out.set_null(type);
}

void value_from_json_field(const RawField& field, Type type, Value& out, std::string& scratch) {
  switch (field.kind) {
    case RawField::Absent:
    case RawField::Null:
      out.set_null(type == Type::Unknown ? Type::String : type);
      return;
    case RawField::String: {
      std::string_view text = field.text();
      if (field.has_escapes()) {
        decode_json_string(text, scratch);
        text = scratch;
      }
      if (type == Type::Dynamic) {
        // A JSON document stored as a string (Defender's AdditionalFields often is) is read as
        // the document.
        if (looks_like_json_container(text))
          set_dynamic_from_text(text, out);
        else
          out = Value::of_json(boost::json::string(text.data(), text.size()));
        return;
      }
      value_from_text(text, type, out);
      return;
    }
    case RawField::True:
    case RawField::False:
      if (type == Type::Bool) {
        out.set_bool(field.kind == RawField::True);
      } else if (type == Type::Int || type == Type::Long) {
        out.set_long(field.kind == RawField::True ? 1 : 0, type);
      } else if (type == Type::Dynamic) {
        out = Value::of_json(boost::json::value(field.kind == RawField::True));
      } else {
        value_from_text(field.text(), type, out);
      }
      return;
    case RawField::Number:
      if (type == Type::Dynamic) {
        set_dynamic_from_text(field.text(), out);
        return;
      }
      value_from_text(field.text(), type, out);
      return;
    case RawField::Object:
    case RawField::Array:
      if (type == Type::String || type == Type::Unknown)
        out.set_string(field.text());
      else if (type == Type::Dynamic)
        set_dynamic_from_text(field.text(), out);
      else
        out.set_null(type);
      return;
  }
  out.set_null(type);
}

void value_from_json(const boost::json::value& json, Type type, Value& out) {
  if (type == Type::Dynamic) {
    out = Value::of_json(json);
    return;
  }
  switch (json.kind()) {
    case boost::json::kind::null:
      out.set_null(type);
      return;
    case boost::json::kind::string:
      value_from_text(json.as_string(), type, out);
      return;
    case boost::json::kind::bool_:
      if (type == Type::Bool)
        out.set_bool(json.as_bool());
      else
        value_from_text(json.as_bool() ? "true" : "false", type, out);
      return;
    default:
      value_from_text(boost::json::serialize(json), type, out);
      return;
  }
}

}  // namespace log_hunt
