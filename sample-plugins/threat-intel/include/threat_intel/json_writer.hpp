// A minimal JSON text writer: appends members and values to a string in the order they are
// given, with commas where JSON needs them. It builds no document, so an answer costs one string
// and its appends (a boost::json document costs an allocation per member and its
// serialization). The caller keeps the nesting right; keys and values are escaped here.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace threat_intel {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { open("{", ",{"); }
  void end_object() { close('}'); }
  void begin_array() { open("[", ",["); }
  void end_array() { close(']'); }

  // A member's key; its value follows.
  void key(std::string_view name) {
    raw(need_comma_ ? std::string_view(",\"") : std::string_view("\""));
    escaped(name);
    raw("\":");
    need_comma_ = false;
  }

  void string(std::string_view text) {
    raw(need_comma_ ? std::string_view(",\"") : std::string_view("\""));
    escaped(text);
    out_ += '"';
    need_comma_ = true;
  }
  // An empty text is written as null (an absent date, family or reference).
  void string_or_null(std::string_view text) {
    if (text.empty())
      literal("null");
    else
      string(text);
  }
  void number(std::int64_t value) {
    char digits[24];
    char* end = digits + sizeof digits;
    char* at = end;
    // Negated as unsigned, so that the lowest int64 has its magnitude too.
    auto magnitude =
        value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    do {
      *--at = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) *--at = '-';
    if (need_comma_) *--at = ',';
    raw(std::string_view(at, static_cast<std::size_t>(end - at)));
    need_comma_ = true;
  }
  void boolean(bool value) { literal(value ? "true" : "false"); }
  void null() { literal("null"); }

  // Shorthands for a member and its value.
  void member(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  void member_or_null(std::string_view name, std::string_view text) {
    key(name);
    string_or_null(text);
  }
  template <std::integral Integer>
  requires(!std::same_as<Integer, bool>) void member(std::string_view name, Integer value) {
    key(name);
    number(static_cast<std::int64_t>(value));
  }
  // A template, so that a string literal never converts to bool here.
  template <std::same_as<bool> Bool>
  void member(std::string_view name, Bool value) {
    key(name);
    boolean(value);
  }

 private:
  // Few, whole appends: a std::string append per character costs more than the text itself.
  void raw(std::string_view text) { out_.append(text.data(), text.size()); }

  void open(std::string_view first, std::string_view later) {
    raw(need_comma_ ? later : first);
    need_comma_ = false;
  }
  void close(char bracket) {
    out_ += bracket;
    need_comma_ = true;
  }
  void literal(std::string_view word) {
    if (need_comma_) out_ += ',';
    raw(word);
    need_comma_ = true;
  }

  // RFC 8259: quotes, backslashes and control characters escaped; other bytes (UTF-8 included)
  // copied as they are, in runs.
  void escaped(std::string_view text) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      // Eight bytes at a time while none of them needs escaping (nearly all text).
      while (i + 8 <= text.size() && !any_needs_escape(text.data() + i))
        i += 8;
      if (i >= text.size()) break;
      const auto c = static_cast<unsigned char>(text[i]);
      if (!kNeedsEscape[c]) continue;
      raw(text.substr(run, i - run));
      run = i + 1;
      char escape[6] = {'\\', static_cast<char>(c), 0, 0, 0, 0};
      std::size_t length = 2;
      switch (c) {
        case '"':
        case '\\':
          break;
        case '\n':
          escape[1] = 'n';
          break;
        case '\r':
          escape[1] = 'r';
          break;
        case '\t':
          escape[1] = 't';
          break;
        case '\b':
          escape[1] = 'b';
          break;
        case '\f':
          escape[1] = 'f';
          break;
        default:
          escape[1] = 'u';
          escape[2] = '0';
          escape[3] = '0';
          escape[4] = kHex[c >> 4];
          escape[5] = kHex[c & 0xf];
          length = 6;
      }
      raw(std::string_view(escape, length));
    }
    raw(text.substr(run));
  }

  // Whether any of the 8 bytes at `at` is a control character, a quote or a backslash: the
  // classic SWAR tests for "some byte below n" and "some byte equal to c". A hit only sends
  // these bytes through the byte-by-byte check.
  static bool any_needs_escape(const char* at) noexcept {
    std::uint64_t word;
    std::memcpy(&word, at, sizeof word);
    constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
    auto zero_byte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighs; };
    const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighs;
    return (control | zero_byte(word ^ (kOnes * '"')) | zero_byte(word ^ (kOnes * '\\'))) != 0;
  }

  static constexpr char kHex[] = "0123456789abcdef";
  // One look-up per byte in the scan above.
  static constexpr auto kNeedsEscape = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c)
      table[c] = true;
    table['"'] = table['\\'] = true;
    return table;
  }();
  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace threat_intel
