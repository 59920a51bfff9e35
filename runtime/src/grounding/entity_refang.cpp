#include "grounding/entity_refang.hpp"

#include <algorithm>

#include "grounding/entity_chars.hpp"

namespace secpilot::grounding::detail {
namespace {

constexpr std::size_t kMaxMarker = 9;  // "[ dot ]" and friends, with a little room
constexpr std::size_t kMaxSpaces = 2;  // around "[.]" in "evil [.] com"

// What the inside of a bracket (trimmed, lower-cased) stands for, or empty.
std::string_view bracket_meaning(std::string_view inside) noexcept {
  if (inside == "." || inside == "dot") return ".";
  if (inside == "@" || inside == "at") return "@";
  if (inside == ":") return ":";
  if (inside == "://") return "://";
  if (inside == "/") return "/";
  if (inside == "//") return "//";
  return {};
}

std::string_view scheme_meaning(std::string_view word) noexcept {
  if (word == "hxxp" || word == "hxtp" || word == "hxxxp") return "http";
  if (word == "hxxps" || word == "hxtps" || word == "hxxxps") return "https";
  if (word == "fxp") return "ftp";
  if (word == "fxps") return "ftps";
  return {};
}

std::string_view trim_spaces(std::string_view text) noexcept {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return text;
}

}  // namespace

RefangedText::RefangedText(std::string_view original) : original_(original) {
  const std::size_t n = original.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = original[i];
    if (!has_byte_class(c, kRefangStartByte)) {
      ++i;
      continue;
    }
    if (c == '[' || c == '(' || c == '{') {
      const char close = c == '[' ? ']' : c == '(' ? ')' : '}';
      std::size_t j = i + 1;
      while (j < n && j - i <= kMaxMarker && original[j] != close)
        ++j;
      if (j < n && original[j] == close) {
        const std::string_view meaning =
            bracket_meaning(ShortLower(trim_spaces(original.substr(i + 1, j - i - 1))).view());
        std::size_t left = i;
        std::size_t right = j + 1;
        bool fits = false;
        if (meaning == "." || meaning == "@") {
          while (left > copied_ && i - left < kMaxSpaces && original[left - 1] == ' ')
            --left;
          while (right < n && right - (j + 1) < kMaxSpaces && original[right] == ' ')
            ++right;
          fits = left > 0 && is_alnum(original[left - 1]) && right < n && is_alnum(original[right]);
        } else if (!meaning.empty()) {
          fits = i > 0 && is_alnum(original[i - 1]);
        }
        if (fits) {
          replace(left, right, meaning);
          i = right;
          continue;
        }
      }
    } else if ((c == 'h' || c == 'H' || c == 'f' || c == 'F') && i + 1 < n &&
               (original[i + 1] == 'x' || original[i + 1] == 'X') &&
               (i == 0 || !is_alnum(original[i - 1]))) {
      std::size_t j = i;
      while (j < n && j - i < 7 && is_alpha(original[j]))
        ++j;
      const std::string_view scheme = scheme_meaning(ShortLower(original.substr(i, j - i)).view());
      if (!scheme.empty() && j < n && (original[j] == ':' || original[j] == '[')) {
        replace(i, j, scheme);
        i = j;
        continue;
      }
    }
    ++i;
  }
  if (!changes_.empty()) buffer_.append(original_.substr(copied_));
}

void RefangedText::replace(std::size_t original_begin, std::size_t original_end,
                           std::string_view with) {
  if (changes_.empty()) buffer_.reserve(original_.size());
  buffer_.append(original_.substr(copied_, original_begin - copied_));
  const std::size_t begin = buffer_.size();
  buffer_.append(with);
  changes_.push_back({begin, buffer_.size(), original_begin, original_end});
  copied_ = original_end;
}

std::pair<std::size_t, std::size_t> RefangedText::to_original(std::size_t start,
                                                              std::size_t end) const {
  if (changes_.empty()) return {start, end};
  // The last change beginning at or before `start`; a start inside a change maps to its start.
  auto after_start =
      std::upper_bound(changes_.begin(), changes_.end(), start,
                       [](std::size_t pos, const Change& c) { return pos < c.begin; });
  std::size_t original_start = start;
  if (after_start != changes_.begin()) {
    const Change& c = *std::prev(after_start);
    original_start = start >= c.end ? c.original_end + (start - c.end) : c.original_begin;
  }
  // The last change beginning before `end`; an end inside a change maps to its end.
  auto after_end = std::lower_bound(changes_.begin(), changes_.end(), end,
                                    [](const Change& c, std::size_t pos) { return c.begin < pos; });
  std::size_t original_end = end;
  if (after_end != changes_.begin()) {
    const Change& c = *std::prev(after_end);
    original_end = end >= c.end ? c.original_end + (end - c.end) : c.original_end;
  }
  return {original_start, original_end};
}

bool RefangedText::defanged_in(std::size_t start, std::size_t end) const {
  auto first = std::upper_bound(changes_.begin(), changes_.end(), start,
                                [](std::size_t pos, const Change& c) { return pos < c.end; });
  return first != changes_.end() && first->begin < end;
}

}  // namespace secpilot::grounding::detail
