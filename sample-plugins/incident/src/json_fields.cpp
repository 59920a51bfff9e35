#include "json_fields.hpp"

#include "text_util.hpp"

namespace incident {
namespace {

std::string scalar_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return std::string(trim(value.get_string()));
    case boost::json::kind::int64:
      return std::to_string(value.get_int64());
    case boost::json::kind::uint64:
      return std::to_string(value.get_uint64());
    case boost::json::kind::double_:
      return boost::json::serialize(value);
    case boost::json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    default:
      return {};
  }
}

}  // namespace

const boost::json::value* member(const boost::json::object& object, std::string_view key) {
  if (const auto* exact = object.if_contains(key)) return exact;
  for (const auto& item : object)
    if (iequals(item.key(), key)) return &item.value();
  return nullptr;
}

std::string text(const boost::json::object& object, std::string_view key) {
  const auto* value = member(object, key);
  return value ? scalar_text(*value) : std::string();
}

std::string first_text(const boost::json::object& object,
                       std::initializer_list<std::string_view> keys) {
  for (auto key : keys)
    if (auto value = text(object, key); !value.empty()) return value;
  return {};
}

const boost::json::object* object_member(const boost::json::object& object, std::string_view key) {
  const auto* value = member(object, key);
  return value ? value->if_object() : nullptr;
}

const boost::json::array* array_member(const boost::json::object& object, std::string_view key) {
  const auto* value = member(object, key);
  return value ? value->if_array() : nullptr;
}

std::vector<std::string> text_list(const boost::json::object& object, std::string_view key) {
  std::vector<std::string> out;
  const auto* value = member(object, key);
  if (!value) return out;
  if (const auto* items = value->if_array()) {
    for (const auto& item : *items)
      if (auto entry = scalar_text(item); !entry.empty()) out.push_back(std::move(entry));
  } else if (auto single = scalar_text(*value); !single.empty()) {
    out.push_back(std::move(single));
  }
  return out;
}

std::string member_names(const boost::json::object& object, std::size_t limit) {
  std::vector<std::string> names;
  for (const auto& item : object) {
    if (names.size() == limit) {
      names.push_back("...");
      break;
    }
    names.emplace_back(item.key());
  }
  return names.empty() ? "no members" : join(names, ", ");
}

}  // namespace incident
