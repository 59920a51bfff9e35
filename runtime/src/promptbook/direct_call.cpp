#include "promptbook/direct_call.hpp"

#include <algorithm>
#include <cctype>

namespace secpilot::promptbook::detail {
namespace {

// The same test the parser splits tokens with.
bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

bool is_direct_input_name(std::string_view name) noexcept {
  return !name.empty() &&
         std::none_of(name.begin(), name.end(), [](char c) { return c == '=' || is_space(c); });
}

std::string quote_direct_value(std::string_view value) {
  const bool bare = !value.empty() && value.front() != '"' && value.front() != '\'' &&
                    std::none_of(value.begin(), value.end(), is_space);
  if (bare) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string format_direct_call(std::string_view skill,
                               const std::vector<std::pair<std::string, std::string>>& inputs) {
  std::string out = "/" + std::string(skill);
  for (const auto& [name, value] : inputs)
    out += " " + name + "=" + quote_direct_value(value);
  return out;
}

}  // namespace secpilot::promptbook::detail
