// ASCII case folding: names of plugins, skills, settings and keys match case-insensitively.
#pragma once

#include <string>
#include <string_view>

namespace secpilot {

constexpr char to_lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = to_lower_ascii(c);
  return out;
}

constexpr bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
  return true;
}

}  // namespace secpilot
