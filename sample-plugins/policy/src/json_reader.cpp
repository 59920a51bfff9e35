#include "json_reader.hpp"

#include <strings.h>
#include <boost/json/stream_parser.hpp>

namespace policy::detail {

void fail(const std::string& message) {
  throw InputError(message);
}

std::string kind_name(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

ObjectReader::ObjectReader(const boost::json::object& object, std::string path)
    : object_(&object), path_(std::move(path)) {}

const boost::json::value* ObjectReader::find(std::string_view key) const {
  if (const auto* exact = object_->if_contains(key)) return exact;
  for (const auto& entry : *object_)
    if (entry.key().size() == key.size() &&
        strncasecmp(entry.key().data(), key.data(), key.size()) == 0)
      return &entry.value();
  return nullptr;
}

bool ObjectReader::has(std::string_view key) const {
  const auto* value = find(key);
  return value && !value->is_null();
}

std::string ObjectReader::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::optional<std::string> ObjectReader::string(std::string_view key) const {
  const auto* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_string()) fail(path(key) + " must be a string, got " + kind_name(*value));
  return std::string(value->as_string());
}

std::vector<std::string> ObjectReader::strings(std::string_view key) const {
  const auto* value = find(key);
  if (!value || value->is_null()) return {};
  if (!value->is_array())
    fail(path(key) + " must be an array of strings, got " + kind_name(*value) +
         (value->is_string() ? " — write [\"" + std::string(value->as_string()) + "\"]" : ""));
  std::vector<std::string> out;
  size_t index = 0;
  for (const auto& item : value->as_array()) {
    if (!item.is_string())
      fail(path(key) + "[" + std::to_string(index) + "] must be a string, got " + kind_name(item));
    out.emplace_back(item.as_string());
    ++index;
  }
  return out;
}

std::optional<bool> ObjectReader::boolean(std::string_view key) const {
  const auto* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_bool()) fail(path(key) + " must be true or false, got " + kind_name(*value));
  return value->as_bool();
}

std::optional<double> ObjectReader::number(std::string_view key) const {
  const auto* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_number()) fail(path(key) + " must be a number, got " + kind_name(*value));
  return value->to_number<double>();
}

std::optional<ObjectReader> ObjectReader::object(std::string_view key) const {
  const auto* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_object()) fail(path(key) + " must be an object, got " + kind_name(*value));
  return ObjectReader(value->as_object(), path(key));
}

std::vector<std::string> ObjectReader::keys() const {
  std::vector<std::string> out;
  for (const auto& entry : *object_)
    out.emplace_back(entry.key());
  return out;
}

boost::json::value parse_json(std::string_view text, std::string_view what) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // PowerShell 5 writes a BOM
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    fail("the input '" + std::string(what) + "' is empty");
  boost::json::stream_parser parser;
  boost::system::error_code error;
  size_t used = parser.write(text.data(), text.size(), error);
  if (!error) {
    parser.finish(error);
    if (error) used = text.size();
  }
  if (error) {
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < used && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    fail("the input '" + std::string(what) + "' is not valid JSON: " + error.message() +
         " at line " + std::to_string(line) + ", column " + std::to_string(column) +
         " — pass the JSON text itself, complete (for Entra, the body Microsoft Graph returns "
         "for GET /identity/conditionalAccess/policies)");
  }
  return parser.release();
}

}  // namespace policy::detail
