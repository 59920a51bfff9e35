#include "inputs.hpp"

#include <boost/json/serialize.hpp>

#include "json_access.hpp"
#include "red_canary/errors.hpp"

namespace red_canary::detail {
namespace json = boost::json;

std::optional<std::string> optional_text(const json::object& input, std::string_view name) {
  const auto* value = input.if_contains(name);
  if (!value || value->is_null()) return std::nullopt;
  std::string text =
      value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

long detection_id_input(const json::object& input, std::string_view name) {
  auto text = optional_text(input, name);
  if (!text)
    throw Error(ErrorKind::invalid_input, "the input '" + std::string(name) +
                                              "' is missing: give a Red Canary detection id "
                                              "such as 4127");
  std::string_view id = *text;
  if (id.size() >= 2 && id.front() == '[' && id.back() == ']') id = id.substr(1, id.size() - 2);
  if (const auto dash = id.rfind('-'); dash != std::string_view::npos && dash > 0)
    id = id.substr(dash + 1);  // "CORP-4127", "THREAT-4127"
  if (auto number = parse_number(id); number && *number > 0) return *number;
  throw Error(ErrorKind::invalid_input,
              "the input '" + std::string(name) + "' is '" + *text +
                  "': give a Red Canary detection id such as 4127 (or CORP-4127, as in a "
                  "detection's headline)");
}

std::size_t limit_input(const json::object& input, std::size_t fallback, std::size_t max) {
  const auto* value = input.if_contains("limit");
  if (!value || value->is_null()) return fallback;
  const auto limit = integer_at(*value, {});
  if (!limit || *limit < 1 || static_cast<std::size_t>(*limit) > max)
    throw Error(ErrorKind::invalid_input, "the input 'limit' is " + json::serialize(*value) +
                                              ": give a whole number from 1 to " +
                                              std::to_string(max));
  return static_cast<std::size_t>(*limit);
}

}  // namespace red_canary::detail
