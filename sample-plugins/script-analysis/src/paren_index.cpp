#include "paren_index.hpp"

#include <algorithm>

namespace script_analysis {

ParenIndex::ParenIndex(std::string_view text, Syntax syntax) {
  std::vector<size_t> open;
  for (size_t i = 0; i < text.size();) {
    size_t skipped = skip_literal_or_comment(text, i, syntax);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (text[i] == '(') {
      open.push_back(i);
    } else if (text[i] == ')' && !open.empty()) {
      by_open_.emplace_back(open.back(), i);
      open.pop_back();
    }
    ++i;
  }
  std::sort(by_open_.begin(), by_open_.end());
  by_close_.reserve(by_open_.size());
  for (const auto& [o, c] : by_open_)
    by_close_.emplace_back(c, o);
  std::sort(by_close_.begin(), by_close_.end());
}

std::optional<size_t> ParenIndex::close_of(size_t open) const {
  auto it = std::lower_bound(by_open_.begin(), by_open_.end(), std::make_pair(open, size_t{0}));
  if (it == by_open_.end() || it->first != open) return std::nullopt;
  return it->second;
}

std::optional<size_t> ParenIndex::open_of(size_t close) const {
  auto it = std::lower_bound(by_close_.begin(), by_close_.end(), std::make_pair(close, size_t{0}));
  if (it == by_close_.end() || it->first != close) return std::nullopt;
  return it->second;
}

std::optional<std::pair<size_t, size_t>> ParenIndex::enclosing(size_t begin, size_t end) const {
  // Pairs opening before `begin`, nearest first; the first that closes at or after `end` is the
  // innermost (pairs nest, so a nearer one that closes earlier lies entirely before the span).
  auto it = std::lower_bound(by_open_.begin(), by_open_.end(), std::make_pair(begin, size_t{0}));
  size_t steps = 0;
  while (it != by_open_.begin() && steps++ < 4096) {
    --it;
    if (it->second >= end) return *it;
  }
  return std::nullopt;
}

}  // namespace script_analysis
