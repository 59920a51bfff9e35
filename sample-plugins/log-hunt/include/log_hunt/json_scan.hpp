// A JSON Lines fast path: finds the members a query needs in one line of JSON text without
// building a document. Values are located, not decoded; members nobody asked for are skipped with
// memchr over strings and bracket counting over nested values.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace log_hunt {

// Where one member's value sits in the line. For strings, [begin, end) is inside the quotes.
struct RawField {
  enum Kind : char {
    Absent = 0,
    String = '"',
    Number = '0',
    True = 't',
    False = 'f',
    Null = 'n',
    Object = '{',
    Array = '[',
  };
  const char* begin = nullptr;
  const char* end = nullptr;
  Kind kind = Absent;

  std::string_view text() const { return {begin, static_cast<size_t>(end - begin)}; }
  // Strings only: whether decoding is needed (a backslash escape inside).
  bool has_escapes() const { return std::memchr(begin, '\\', static_cast<size_t>(end - begin)); }
};

namespace json_scan {

inline const char* skip_space(const char* p, const char* end) noexcept {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    ++p;
  return p;
}

// `p` is just after an opening quote; returns the closing quote, or nullptr when unterminated.
// (glibc's memchr beats an inline loop even on short keys: measured.)
inline const char* string_end(const char* p, const char* end) noexcept {
  const char* start = p;
  while (p < end) {
    const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (!quote) return nullptr;
    const char* back = quote;
    while (back > start && back[-1] == '\\')
      --back;
    if (((quote - back) & 1) == 0) return quote;
    p = quote + 1;
  }
  return nullptr;
}

// `p` is at the first byte of a value; fills `field` and returns the byte after the value, or
// nullptr when the value is malformed or runs past `end`.
const char* read_value(const char* p, const char* end, RawField& field) noexcept;

}  // namespace json_scan

// Extracts chosen top-level members from JSON object lines. Build once per query and table.
class JsonFieldScanner {
 public:
  explicit JsonFieldScanner(const std::vector<std::string>& keys);

  // Fills `fields` (one per key, in the constructor's order; Absent when missing). Stops reading
  // the line once every key is found. False when the line is not a JSON object: not starting
  // with '{', a value that does not parse, or text that ends before the object does.
  bool scan(std::string_view line, RawField* fields) const noexcept;

  size_t key_count() const { return keys_.size(); }

 private:
  int lookup(const char* key, size_t size) const noexcept;
  static size_t hash(const char* key, size_t size) noexcept;

  std::vector<std::string> keys_;
  std::vector<int16_t> slots_;  // open addressing: index into keys_, -1 empty
  size_t mask_ = 0;
};

// Calls `visit(key, field)` for every top-level member of a JSON object line (keys decoded);
// false when the line is not a JSON object. For type inference and wide reads.
template <class Visit>
bool for_each_member(std::string_view line, Visit&& visit);

// Decodes a JSON string's inside (escapes, \uXXXX and surrogate pairs to UTF-8) into `out`.
// False when an escape is malformed (what could be decoded is still in `out`).
bool decode_json_string(std::string_view raw, std::string& out);

template <class Visit>
bool for_each_member(std::string_view line, Visit&& visit) {
  const char* p = line.data();
  const char* end = p + line.size();
  p = json_scan::skip_space(p, end);
  if (p >= end || *p != '{') return false;
  p = json_scan::skip_space(p + 1, end);
  if (p < end && *p == '}') return true;
  std::string key;
  while (p < end) {
    if (*p != '"') return false;
    const char* key_end = json_scan::string_end(p + 1, end);
    if (!key_end) return false;
    key.clear();
    decode_json_string(std::string_view(p + 1, static_cast<size_t>(key_end - p - 1)), key);
    p = json_scan::skip_space(key_end + 1, end);
    if (p >= end || *p != ':') return false;
    p = json_scan::skip_space(p + 1, end);
    RawField field;
    p = json_scan::read_value(p, end, field);
    if (!p) return false;
    visit(std::string_view(key), field);
    p = json_scan::skip_space(p, end);
    if (p >= end) return false;
    if (*p == '}') return true;
    if (*p != ',') return false;
    p = json_scan::skip_space(p + 1, end);
  }
  return false;
}

}  // namespace log_hunt
