// Small text helpers shared by the core's sources.
#pragma once

#include <string>
#include <string_view>

namespace red_canary::detail {

// ASCII lower case: Red Canary's names and the inputs compared with them are ASCII.
inline std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace red_canary::detail
