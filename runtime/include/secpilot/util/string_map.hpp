// Hash maps keyed by std::string that are looked up by std::string_view, without building a key.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace secpilot {

// std::hash of the text, for std::string and std::string_view alike (heterogeneous lookup).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace secpilot
