// Matching parentheses of a text, found once per pass with strings and comments skipped, so that a
// decoder can ask "which call encloses this span?" or "where does this group open?" without
// rescanning (which would make a pass quadratic).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "literal.hpp"

namespace script_analysis {

class ParenIndex {
 public:
  ParenIndex(std::string_view text, Syntax syntax);

  // The ')' matching the '(' at `open`, or nullopt.
  std::optional<size_t> close_of(size_t open) const;
  // The '(' matching the ')' at `close`, or nullopt.
  std::optional<size_t> open_of(size_t close) const;
  // The innermost pair (open, close) with open < begin and close >= end, or nullopt.
  std::optional<std::pair<size_t, size_t>> enclosing(size_t begin, size_t end) const;

 private:
  std::vector<std::pair<size_t, size_t>> by_open_;   // sorted by open
  std::vector<std::pair<size_t, size_t>> by_close_;  // (close, open), sorted by close
};

}  // namespace script_analysis
