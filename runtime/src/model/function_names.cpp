#include "secpilot/model/function_names.hpp"

#include <algorithm>

#include "secpilot/util/sha256.hpp"

namespace secpilot::model {
namespace {

constexpr std::size_t kHashSuffixLength = 9;  // '_' and 8 hex digits

bool is_function_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// `name` cut so that it ends in "_<8 hex digits of SHA-256(tool_name)>" within 64 characters.
std::string with_hash_suffix(std::string name, std::string_view tool_name) {
  name.resize(std::min(name.size(), kMaxFunctionNameLength - kHashSuffixLength));
  return name + "_" + sha256_hex(tool_name).substr(0, 8);
}

}  // namespace

bool is_valid_function_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= kMaxFunctionNameLength &&
         std::all_of(name.begin(), name.end(), is_function_char);
}

std::string to_function_name(std::string_view tool_name) {
  std::string out;
  out.reserve(tool_name.size() + 2);
  for (const char c : tool_name) {
    if (c == '.')
      out += "__";
    else
      out += is_function_char(c) ? c : '_';
  }
  if (out.empty()) out = "_";
  if (out.size() > kMaxFunctionNameLength) out = with_hash_suffix(std::move(out), tool_name);
  return out;
}

std::string from_function_name(std::string_view function_name) {
  std::string out;
  out.reserve(function_name.size());
  for (std::size_t i = 0; i < function_name.size(); ++i) {
    if (function_name[i] == '_' && i + 1 < function_name.size() && function_name[i + 1] == '_') {
      out += '.';
      ++i;
    } else {
      out += function_name[i];
    }
  }
  return out;
}

std::string FunctionNames::add(std::string_view tool_name) {
  std::string function = to_function_name(tool_name);
  if (by_function_.contains(function)) function = with_hash_suffix(function, tool_name);
  const std::size_t index = tools_.size();
  tools_.emplace_back(tool_name);
  functions_.push_back(function);
  by_function_.emplace(std::move(function), index);
  by_tool_.emplace(std::string(tool_name), index);
  return functions_.back();
}

std::optional<std::size_t> FunctionNames::find(std::string_view name) const {
  if (auto it = by_function_.find(name); it != by_function_.end()) return it->second;
  if (auto it = by_tool_.find(name); it != by_tool_.end()) return it->second;
  return std::nullopt;
}

}  // namespace secpilot::model
