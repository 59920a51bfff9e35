// Tool names as a model sees them. OpenAI-style function names must match
// ^[a-zA-Z0-9_-]{1,64}$, so a skill "ThreatIntel.IpReputation" is advertised as
// "ThreatIntel__IpReputation" and mapped back when the model calls it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secpilot::model {

inline constexpr std::size_t kMaxFunctionNameLength = 64;

bool is_valid_function_name(std::string_view name) noexcept;

// '.' becomes "__", any other character outside [A-Za-z0-9_-] becomes '_', and a name longer
// than 64 is cut and ends in '_' and 8 hex digits of its SHA-256, so that it stays distinct.
std::string to_function_name(std::string_view tool_name);
// The inverse of the '.' mapping: "__" becomes '.'.
std::string from_function_name(std::string_view function_name);

// The function names of one set of tools, both ways. Two tools that map to the same function
// name (e.g. "a.b" and "a__b") both stay callable: the later one gets a hash suffix.
class FunctionNames {
 public:
  // Adds a tool (in order, from index 0) and returns its function name.
  std::string add(std::string_view tool_name);

  const std::string& function_name(std::size_t index) const { return functions_.at(index); }
  std::size_t size() const noexcept { return functions_.size(); }

  // The index of the tool a model's call names: by its function name, or (for models that
  // ignore the mapping) by the tool's own name.
  std::optional<std::size_t> find(std::string_view name) const;

 private:
  std::vector<std::string> tools_;
  std::vector<std::string> functions_;
  std::map<std::string, std::size_t, std::less<>> by_function_;
  std::map<std::string, std::size_t, std::less<>> by_tool_;
};

}  // namespace secpilot::model
