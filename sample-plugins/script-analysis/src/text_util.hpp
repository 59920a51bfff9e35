// Small ASCII helpers shared by the scanners and decoders (locale-independent, so results never
// depend on the process's locale).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace script_analysis {

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_alnum(char c) noexcept {
  return is_digit(c) || is_alpha(c);
}
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr int hex_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
// Spaces and tabs only: what separates words on one line.
constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}
// Letters, digits and '_': what a variable or command name is made of.
constexpr bool is_word(char c) noexcept {
  return is_alnum(c) || c == '_';
}
constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

inline std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = lower(c);
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Case-insensitive: does text continue with `word` at pos?
inline bool imatch_at(std::string_view text, size_t pos, std::string_view word) noexcept {
  return pos <= text.size() && text.size() - pos >= word.size() &&
         iequals(text.substr(pos, word.size()), word);
}

// Case-insensitive find of an ASCII needle; npos when absent.
inline size_t ifind(std::string_view text, std::string_view needle, size_t from = 0) noexcept {
  if (needle.empty()) return from <= text.size() ? from : std::string_view::npos;
  const char first = lower(needle[0]);
  for (size_t i = from; i + needle.size() <= text.size(); ++i)
    if (lower(text[i]) == first && iequals(text.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

inline size_t skip_blanks(std::string_view text, size_t pos) noexcept {
  while (pos < text.size() && is_blank(text[pos]))
    ++pos;
  return pos;
}

inline size_t skip_spaces(std::string_view text, size_t pos) noexcept {
  while (pos < text.size() && is_space(text[pos]))
    ++pos;
  return pos;
}

// Index of the last non-space character before pos, or npos when there is none.
inline size_t previous_non_space(std::string_view text, size_t pos) noexcept {
  while (pos > 0) {
    --pos;
    if (!is_space(text[pos])) return pos;
  }
  return std::string_view::npos;
}

inline std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

// Start and end of the line holding pos (the end excludes the newline).
inline size_t line_start(std::string_view text, size_t pos) noexcept {
  size_t at = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  return (at == std::string_view::npos || pos == 0) ? 0 : at + 1;
}
inline size_t line_end(std::string_view text, size_t pos) noexcept {
  size_t at = text.find('\n', pos);
  return at == std::string_view::npos ? text.size() : at;
}

}  // namespace script_analysis
