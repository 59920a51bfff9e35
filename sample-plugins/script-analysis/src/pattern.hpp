// Case-insensitive literal patterns for the language and behaviour tables: a pattern is written in
// lower case, and a '~' at its start, or at its end after a letter or digit, asks for a word
// boundary there ("~iex~" matches "IEX" and "iex(" but not "appendix"; ":~" is a literal ":~"). Matching is plain substring search over a lower-cased copy of
// the text: linear, no regular expressions.
#pragma once

#include <string_view>

#include "text_util.hpp"

namespace script_analysis {

struct Pattern {
  std::string_view text;
  bool word_start = false;
  bool word_end = false;
};

constexpr Pattern make_pattern(std::string_view spec) noexcept {
  Pattern pattern;
  if (!spec.empty() && spec.front() == '~') {
    pattern.word_start = true;
    spec.remove_prefix(1);
  }
  if (spec.size() >= 2 && spec.back() == '~' && is_word(spec[spec.size() - 2])) {
    pattern.word_end = true;
    spec.remove_suffix(1);
  }
  pattern.text = spec;
  return pattern;
}

// First match of `pattern` in `lowered` (a lower-cased text) at or after `from`, or npos.
inline size_t find_pattern(std::string_view lowered, const Pattern& pattern, size_t from = 0) {
  if (pattern.text.empty()) return std::string_view::npos;
  for (size_t at = lowered.find(pattern.text, from); at != std::string_view::npos;
       at = lowered.find(pattern.text, at + 1)) {
    if (pattern.word_start && at > 0 && is_word(lowered[at - 1])) continue;
    size_t end = at + pattern.text.size();
    if (pattern.word_end && end < lowered.size() && is_word(lowered[end])) continue;
    return at;
  }
  return std::string_view::npos;
}

}  // namespace script_analysis
