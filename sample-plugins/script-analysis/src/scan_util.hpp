// Small parsing steps the decoders share: keywords at a position, integer expressions as
// obfuscators write character codes (73, 0x49, &H49, 80+32), and lists of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "literal.hpp"
#include "text_util.hpp"

namespace script_analysis {

// True when no name character (letter, digit, '_', '-', '$', '.', ':') precedes pos, so that a
// keyword found there is a whole word: "iex" in "x; iex" but not in "$iex" or "Get-iex".
inline bool starts_word(std::string_view text, size_t pos) noexcept {
  if (pos == 0) return true;
  char c = text[pos - 1];
  return !(is_word(c) || c == '-' || c == '$' || c == '.' || c == ':');
}

// One past `word` (case-insensitive) at pos when it is there and not followed by a name
// character; npos otherwise.
inline size_t match_word(std::string_view text, size_t pos, std::string_view word) noexcept {
  if (!imatch_at(text, pos, word)) return std::string_view::npos;
  size_t end = pos + word.size();
  if (end < text.size() && (is_word(text[end]) || text[end] == '-')) return std::string_view::npos;
  return end;
}

struct IntegerParse {
  int64_t value = 0;
  size_t end = 0;
};

// A number (decimal, 0x hex, VBScript's &H hex, optional sign) or a sum/difference/product of
// them, with blanks around operators: 73, 0x49, &H49, 80+32, 3*24+1. Values stay within ±2^31.
std::optional<IntegerParse> parse_integer_expression(std::string_view text, size_t pos);

struct IntegerList {
  std::vector<int64_t> values;
  size_t end = 0;
};

// Comma-separated integer expressions (at least one), blanks and newlines allowed around commas.
std::optional<IntegerList> parse_integer_list(std::string_view text, size_t pos,
                                              size_t max_items = 100000);

}  // namespace script_analysis
