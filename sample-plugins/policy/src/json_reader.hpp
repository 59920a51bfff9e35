// Reads JSON objects with errors that say where and what was expected. Keys match without regard
// to case: Graph returns camelCase, PowerShell exports (Get-MgIdentityConditionalAccessPolicy |
// ConvertTo-Json) PascalCase.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace policy::detail {

// A problem with the input; the message says what is wrong and how to fix it.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& message);

// "a string", "an array", ... for messages.
std::string kind_name(const boost::json::value& value);

class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, std::string path);

  const boost::json::value* find(std::string_view key) const;  // null when absent
  bool has(std::string_view key) const;                        // present and not null
  std::optional<std::string> string(std::string_view key) const;
  std::vector<std::string> strings(std::string_view key) const;  // absent or null: empty
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<double> number(std::string_view key) const;
  std::optional<ObjectReader> object(std::string_view key) const;  // absent or null: none
  // The keys present, as spelled.
  std::vector<std::string> keys() const;

  // "conditions.users.includeUsers" for messages.
  std::string path(std::string_view key) const;
  const std::string& path() const noexcept { return path_; }

 private:
  const boost::json::object* object_;
  std::string path_;
};

// Parses JSON text; a syntax error names the line and column.
boost::json::value parse_json(std::string_view text, std::string_view what);

}  // namespace policy::detail
