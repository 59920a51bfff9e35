// Tolerant reads of Red Canary's nested JSON ({type, attributes: {...}} all the way down): a
// missing or null member, or one of another type, reads as absent instead of throwing, so that a
// field Red Canary leaves out costs that field only.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace red_canary::detail {

// The value at root.k1.k2..., or nullptr when a step is missing or not an object.
inline const boost::json::value* find(const boost::json::object& root,
                                      std::initializer_list<std::string_view> keys) {
  const boost::json::value* at = nullptr;
  const boost::json::object* object = &root;
  for (auto key : keys) {
    if (!object) return nullptr;
    at = object->if_contains(key);
    if (!at) return nullptr;
    object = at->if_object();
  }
  return at;
}
inline const boost::json::value* find(const boost::json::value& root,
                                      std::initializer_list<std::string_view> keys) {
  if (keys.size() == 0) return &root;
  const auto* object = root.if_object();
  return object ? find(*object, keys) : nullptr;
}

template <class Root>
std::optional<std::string> string_at(const Root& root,
                                     std::initializer_list<std::string_view> keys) {
  const auto* value = find(root, keys);
  if (!value || !value->is_string() || value->get_string().empty()) return std::nullopt;
  return std::string(value->get_string());
}

// A non-negative decimal number written as text ("4127"), or nullopt.
inline std::optional<long> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long number = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + (c - '0');
  }
  return number;
}

// An integer, also when sent as a string of digits (ids sometimes are).
template <class Root>
std::optional<long> integer_at(const Root& root, std::initializer_list<std::string_view> keys) {
  const auto* value = find(root, keys);
  if (!value) return std::nullopt;
  if (value->is_int64()) return static_cast<long>(value->get_int64());
  if (value->is_uint64()) return static_cast<long>(value->get_uint64());
  if (const auto* text = value->if_string()) return parse_number(*text);
  return std::nullopt;
}

template <class Root>
std::optional<bool> bool_at(const Root& root, std::initializer_list<std::string_view> keys) {
  const auto* value = find(root, keys);
  if (!value || !value->is_bool()) return std::nullopt;
  return value->get_bool();
}

// The string as a JSON value, or null.
inline boost::json::value or_null(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}
inline boost::json::value or_null(const std::optional<long>& number) {
  return number ? boost::json::value(*number) : boost::json::value(nullptr);
}

}  // namespace red_canary::detail
