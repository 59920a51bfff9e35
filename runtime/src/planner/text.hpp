// Small text helpers the planner's readers share: trimming, word characters, finding whole words.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "secpilot/util/ascii.hpp"

namespace secpilot::planner::text {

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr bool is_word_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '\'' || static_cast<unsigned char>(c) >= 0x80;
}

std::string_view trim(std::string_view text) noexcept;

// Where `phrase` (lower-case) occurs in `lower_text` as whole words, from `from`; npos if not.
std::size_t find_words(std::string_view lower_text, std::string_view phrase, std::size_t from = 0);
inline bool has_words(std::string_view lower_text, std::string_view phrase) {
  return find_words(lower_text, phrase) != std::string_view::npos;
}

}  // namespace secpilot::planner::text
