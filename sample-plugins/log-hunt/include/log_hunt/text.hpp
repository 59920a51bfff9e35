// KQL's string predicates on bytes: ASCII case folding, and the term semantics of `has`.
//
// KQL splits text into terms, maximal runs of ASCII letters and digits (bytes of multi-byte UTF-8
// characters count as term characters too). `has "x"` is true when "x" occurs where it starts
// and ends on term boundaries: an alphanumeric first (last) character of "x" must not be preceded
// (followed) by another alphanumeric one. So "powershell -enc AAA" has "enc" and "-enc", but
// not "en"; "FileName.exe" has "filename.exe", "filename" and "exe".
#pragma once

#include <string>
#include <string_view>

namespace log_hunt {

inline char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
inline bool is_term_char(char c) noexcept {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') || u >= 0x80;
}

std::string to_lower_copy(std::string_view text);
std::string to_upper_copy(std::string_view text);
bool iequals(std::string_view a, std::string_view b) noexcept;
// `lower_needle` must already be lower-case.
bool istarts_with(std::string_view text, std::string_view lower_needle) noexcept;
bool iends_with(std::string_view text, std::string_view lower_needle) noexcept;
// Position of the first case-insensitive occurrence, or npos. `lower_needle` lower-case.
size_t ifind(std::string_view text, std::string_view lower_needle, size_t from = 0) noexcept;

// A needle prepared once per query for repeated searches.
class TermMatcher {
 public:
  TermMatcher(std::string_view needle, bool case_sensitive);
  bool has(std::string_view text) const noexcept;          // has / has_cs
  bool has_prefix(std::string_view text) const noexcept;   // hasprefix: a term starts with it
  bool has_suffix(std::string_view text) const noexcept;   // hassuffix: a term ends with it
  bool contains(std::string_view text) const noexcept;     // contains / contains_cs
  bool starts_with(std::string_view text) const noexcept;  // startswith
  bool ends_with(std::string_view text) const noexcept;    // endswith
  const std::string& needle() const { return needle_; }

 private:
  size_t find(std::string_view text, size_t from) const noexcept;
  std::string needle_;  // lower-cased unless case-sensitive
  bool case_sensitive_;
  bool term_start_;  // the needle begins with a term character
  bool term_end_;    // the needle ends with a term character
};

}  // namespace log_hunt
