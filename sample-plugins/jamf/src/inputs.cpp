#include "jamf/inputs.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "jamf/error.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

Error invalid(const char* name, const std::string& why) {
  return Error(ErrorKind::invalid_input, std::string("the input '") + name + "' " + why);
}

}  // namespace

std::optional<std::string> Inputs::text(const char* name) const {
  const json::value* value = object_.if_contains(name);
  if (!value || value->is_null()) return std::nullopt;
  std::string text;
  if (value->is_string()) {
    text = std::string(value->get_string());
  } else if (value->is_number()) {
    text = json::serialize(*value);
  } else {
    throw invalid(name, "must be a string");
  }
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      throw invalid(name, "contains a control character (a line break or tab?): pass one line");
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

std::optional<std::int64_t> Inputs::integer(const char* name, std::int64_t low,
                                            std::int64_t high) const {
  const json::value* value = object_.if_contains(name);
  if (!value || value->is_null()) return std::nullopt;
  std::int64_t number = 0;
  bool ok = false;
  if (value->is_int64()) {
    number = value->get_int64();
    ok = true;
  } else if (value->is_uint64()) {
    ok = false;  // beyond any range this plugin takes
  } else if (value->is_double()) {
    const double d = value->get_double();
    ok = d == static_cast<double>(static_cast<std::int64_t>(d));
    number = static_cast<std::int64_t>(d);
  } else if (value->is_string()) {
    const auto& s = value->get_string();
    auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), number);
    ok = error == std::errc() && end == s.data() + s.size() && !s.empty();
  }
  if (!ok || number < low || number > high)
    throw invalid(name, "must be a whole number from " + std::to_string(low) + " to " +
                            std::to_string(high) + ", got " + json::serialize(*value));
  return number;
}

std::optional<Timestamp> Inputs::time(const char* name) const {
  auto value = text(name);
  if (!value) return std::nullopt;
  auto parsed = parse_timestamp(*value);
  if (!parsed)
    throw invalid(name, "is '" + *value +
                            "': use a date (2026-11-20) or a UTC date-time (2026-11-20T09:14:03Z)");
  return parsed;
}

std::optional<std::string> Inputs::computer_id(const char* name) const {
  auto number = integer(name, 1, 999'999'999'999);
  if (!number) return std::nullopt;
  return std::to_string(*number);
}

}  // namespace jamf
