#include "log_hunt/text.hpp"

#include <algorithm>
#include <cstring>

namespace log_hunt {

std::string to_lower_copy(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = ascii_lower(c);
  return out;
}

std::string to_upper_copy(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view text, std::string_view lower_needle) noexcept {
  if (text.size() < lower_needle.size()) return false;
  for (size_t i = 0; i < lower_needle.size(); ++i)
    if (ascii_lower(text[i]) != lower_needle[i]) return false;
  return true;
}

bool iends_with(std::string_view text, std::string_view lower_needle) noexcept {
  if (text.size() < lower_needle.size()) return false;
  return istarts_with(text.substr(text.size() - lower_needle.size()), lower_needle);
}

size_t ifind(std::string_view text, std::string_view lower_needle, size_t from) noexcept {
  if (lower_needle.empty()) return from <= text.size() ? from : std::string_view::npos;
  if (text.size() < lower_needle.size() || from > text.size() - lower_needle.size())
    return std::string_view::npos;
  const char first = lower_needle[0];
  const bool first_is_letter = first >= 'a' && first <= 'z';
  const char first_upper = first_is_letter ? static_cast<char>(first - ('a' - 'A')) : first;
  const char* base = text.data();
  const char* limit = base + (text.size() - lower_needle.size()) + 1;  // last start + 1
  // The next candidate start of each case, found with memchr and kept until passed.
  auto next = [limit](const char* from_ptr, char c) -> const char* {
    if (from_ptr >= limit) return nullptr;
    return static_cast<const char*>(
        std::memchr(from_ptr, c, static_cast<size_t>(limit - from_ptr)));
  };
  const char* lower_hit = next(base + from, first);
  const char* upper_hit = first_is_letter ? next(base + from, first_upper) : nullptr;
  while (lower_hit || upper_hit) {
    const char* hit =
        !lower_hit ? upper_hit : (!upper_hit ? lower_hit : std::min(lower_hit, upper_hit));
    size_t k = 1;
    while (k < lower_needle.size() && ascii_lower(hit[k]) == lower_needle[k])
      ++k;
    if (k == lower_needle.size()) return static_cast<size_t>(hit - base);
    if (hit == lower_hit) lower_hit = next(hit + 1, first);
    if (hit == upper_hit) upper_hit = next(hit + 1, first_upper);
  }
  return std::string_view::npos;
}

TermMatcher::TermMatcher(std::string_view needle, bool case_sensitive)
    : needle_(case_sensitive ? std::string(needle) : to_lower_copy(needle)),
      case_sensitive_(case_sensitive),
      term_start_(!needle.empty() && is_term_char(needle.front())),
      term_end_(!needle.empty() && is_term_char(needle.back())) {}

size_t TermMatcher::find(std::string_view text, size_t from) const noexcept {
  return case_sensitive_ ? text.find(needle_, from) : ifind(text, needle_, from);
}

bool TermMatcher::has(std::string_view text) const noexcept {
  if (needle_.empty()) return true;
  for (size_t at = find(text, 0); at != std::string_view::npos; at = find(text, at + 1)) {
    const size_t end = at + needle_.size();
    const bool starts_ok = !term_start_ || at == 0 || !is_term_char(text[at - 1]);
    const bool ends_ok = !term_end_ || end == text.size() || !is_term_char(text[end]);
    if (starts_ok && ends_ok) return true;
  }
  return false;
}

bool TermMatcher::has_prefix(std::string_view text) const noexcept {
  if (needle_.empty()) return true;
  for (size_t at = find(text, 0); at != std::string_view::npos; at = find(text, at + 1))
    if (!term_start_ || at == 0 || !is_term_char(text[at - 1])) return true;
  return false;
}

bool TermMatcher::has_suffix(std::string_view text) const noexcept {
  if (needle_.empty()) return true;
  for (size_t at = find(text, 0); at != std::string_view::npos; at = find(text, at + 1)) {
    const size_t end = at + needle_.size();
    if (!term_end_ || end == text.size() || !is_term_char(text[end])) return true;
  }
  return false;
}

bool TermMatcher::contains(std::string_view text) const noexcept {
  return find(text, 0) != std::string_view::npos;
}

bool TermMatcher::starts_with(std::string_view text) const noexcept {
  return case_sensitive_ ? text.substr(0, needle_.size()) == needle_ : istarts_with(text, needle_);
}

bool TermMatcher::ends_with(std::string_view text) const noexcept {
  if (case_sensitive_)
    return text.size() >= needle_.size() && text.substr(text.size() - needle_.size()) == needle_;
  return iends_with(text, needle_);
}

}  // namespace log_hunt
