// ASCII text helpers used across the front end (KQL keywords and names are ASCII).
#ifndef KQL_SRC_TEXT_HPP
#define KQL_SRC_TEXT_HPP

#include <string>
#include <string_view>

namespace kql {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

inline std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = ascii_lower(c);
  return out;
}

inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_identifier_start(char c) {
  return is_ascii_alpha(c) || c == '_';
}
inline bool is_identifier_char(char c) {
  return is_identifier_start(c) || is_ascii_digit(c);
}

// `text` quoted for a message: 'text', cut at 60 characters.
inline std::string quote_for_message(std::string_view text) {
  if (text.size() > 60) return "'" + std::string(text.substr(0, 57)) + "...'";
  return "'" + std::string(text) + "'";
}

// `Device*` matches DeviceInfo, DeviceProcessEvents, ...: `*` matches any run of characters.
inline bool wildcard_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

}  // namespace kql

#endif  // KQL_SRC_TEXT_HPP
