// Hash maps keyed by short terms, looked up by string_view without a copy.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace secpilot::grounding {

// FNV-1a: terms are a few bytes long, where it beats std::hash's general-purpose hash.
struct TermHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : text)
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<std::size_t>(hash);
  }
};

template <class Value>
using TermMap = std::unordered_map<std::string, Value, TermHash, std::equal_to<>>;

}  // namespace secpilot::grounding
