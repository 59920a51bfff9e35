// Character classes and short-word helpers shared by the entity scanners: a byte-class table for
// their per-byte loops, constant hash sets for their per-word look-ups, bounded look-backs.
// Nothing here allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "secpilot/util/ascii.hpp"
#include "util/entity_syntax.hpp"

namespace secpilot::grounding::detail {

using entity_syntax::is_alnum;
using entity_syntax::is_alpha;
using entity_syntax::is_digit;
using entity_syntax::is_hex_digit;

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_lower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}

// Byte classes for the scanners' per-byte loops: one table load instead of a chain of compares.
enum ByteClass : std::uint8_t {
  kTokenByte = 1,        // letters, digits and . - _ : (see is_token_char)
  kPathStartByte = 2,    // : \ % / ~ (where a path or DOMAIN\user can show itself)
  kRefangStartByte = 4,  // [ ( { h H f F (where a defanged marker or scheme can start)
  kCodeMarkByte = 8,     // $ { } & : ( | (what code punctuation starts with)
  kBreakByte = 16,       // white space, quotes, backtick (what separates command-line words)
  kPathSepByte = 32,     // \ / ( = : (what can stand before a program name inside a word)
  kLetterByte = 64,      // A-Z a-z
};

inline constexpr std::array<std::uint8_t, 256> kByteClasses = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    if (is_alnum(ch) || ch == '.' || ch == '-' || ch == '_' || ch == ':') table[c] |= kTokenByte;
    if (ch == ':' || ch == '\\' || ch == '%' || ch == '/' || ch == '~') table[c] |= kPathStartByte;
    if (ch == '[' || ch == '(' || ch == '{' || ch == 'h' || ch == 'H' || ch == 'f' || ch == 'F')
      table[c] |= kRefangStartByte;
    if (ch == '$' || ch == '{' || ch == '}' || ch == '&' || ch == ':' || ch == '(' || ch == '|')
      table[c] |= kCodeMarkByte;
    if (is_space(ch) || ch == '"' || ch == '\'' || ch == '`') table[c] |= kBreakByte;
    if (ch == '\\' || ch == '/' || ch == '(' || ch == '=' || ch == ':') table[c] |= kPathSepByte;
    if (is_alpha(ch)) table[c] |= kLetterByte;
  }
  return table;
}();

constexpr bool has_byte_class(char c, ByteClass cls) noexcept {
  return (kByteClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

// Characters of a "word" in the word scanner: IPs, hashes, domains, ids, host and user names.
constexpr bool is_token_char(char c) noexcept {
  return has_byte_class(c, kTokenByte);
}

// Characters of a word as the cue look-up sees it ("sign-ins", "e-mail", "user_name").
constexpr bool is_word_char(char c) noexcept {
  return is_alnum(c) || c == '-' || c == '_';
}

// A short word lower-cased into a fixed buffer, for table look-ups; longer words do not fit
// and match nothing.
class ShortLower {
 public:
  static constexpr std::size_t capacity = 32;
  explicit ShortLower(std::string_view word) noexcept {
    if (word.size() > capacity) return;
    for (std::size_t i = 0; i < word.size(); ++i)
      buffer_[i] = to_lower_ascii(word[i]);
    size_ = word.size();
  }
  std::string_view view() const noexcept { return {buffer_, size_}; }

 private:
  char buffer_[capacity] = {};
  std::size_t size_ = 0;
};

constexpr std::string_view word_of(std::string_view word) noexcept {
  return word;
}

// A constant open-addressing hash set of lower-case words (or of entries with a word, found
// through word_of()), looked up case-insensitively with one hash and, on a hit, one compare:
// the scanners' per-word look-ups (cues, stop words, launchers, TLDs) cost no binary search.
template <class T, std::size_t N>
class WordIndex {
 public:
  constexpr explicit WordIndex(const T (&items)[N]) : items_(items) {
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t pair = start_pair(word_of(items[i]));
      starts_[pair / 64] |= std::uint64_t{1} << (pair % 64);
      std::size_t slot = hash(word_of(items[i])) & (kSlots - 1);
      while (slots_[slot] != 0)
        slot = (slot + 1) & (kSlots - 1);
      slots_[slot] = static_cast<unsigned short>(i + 1);
    }
  }

  // Whether some word starts like `word` (its first two characters, any case): a test that
  // rules most words out before any hashing.
  constexpr bool may_contain(std::string_view word) const noexcept {
    const std::size_t pair = start_pair(word);
    return (starts_[pair / 64] >> (pair % 64)) & 1;
  }

  // The entry whose word is `word` in any case, or nullptr.
  constexpr const T* find(std::string_view word) const noexcept {
    if (word.empty() || word.size() > kMaxWord || !may_contain(word)) return nullptr;
    for (std::size_t slot = hash(word) & (kSlots - 1); slots_[slot] != 0;
         slot = (slot + 1) & (kSlots - 1)) {
      const T& item = items_[slots_[slot] - 1];
      if (iequals_ascii(word_of(item), word)) return &item;
    }
    return nullptr;
  }
  constexpr bool contains(std::string_view word) const noexcept { return find(word) != nullptr; }

 private:
  static constexpr std::size_t kMaxWord = 64;
  static constexpr std::size_t kSlots = [] {
    std::size_t slots = 1;
    while (slots < 2 * N)
      slots *= 2;
    return slots;
  }();

  static constexpr std::uint32_t hash(std::string_view word) noexcept {
    std::uint32_t h = 2166136261u;  // FNV-1a over the lower-cased bytes
    for (char c : word)
      h = (h ^ static_cast<unsigned char>(to_lower_ascii(c))) * 16777619u;
    return h;
  }

  // Letters a-z are 0-25, anything else 26, the end of the word 27.
  static constexpr std::size_t bucket(std::string_view word, std::size_t i) noexcept {
    if (i >= word.size()) return 27;
    const char c = to_lower_ascii(word[i]);
    return c >= 'a' && c <= 'z' ? static_cast<std::size_t>(c - 'a') : 26;
  }
  static constexpr std::size_t start_pair(std::string_view word) noexcept {
    return bucket(word, 0) * 28 + bucket(word, 1);
  }

  const T* items_;
  unsigned short slots_[kSlots] = {};
  std::uint64_t starts_[(28 * 28 + 63) / 64] = {};  // which first two characters occur
};

// The end of an entity in [start, end) without what ends the sentence around it: trailing
// characters `droppable(c, length)` says are punctuation, and closing brackets that close
// nothing opened inside ("(see https://x.example/a)"). Linear: brackets are counted once.
template <class Droppable>
std::size_t trim_trailing(std::string_view text, std::size_t start, std::size_t end,
                          Droppable droppable) noexcept {
  long parens = 0;  // opened minus closed in [start, end)
  long brackets = 0;
  for (std::size_t i = start; i < end; ++i) {
    const char c = text[i];
    parens += (c == '(') - (c == ')');
    brackets += (c == '[') - (c == ']');
  }
  while (end > start) {
    const char last = text[end - 1];
    if (droppable(last, end - start)) {
      --end;
    } else if (last == ')' && parens < 0) {
      ++parens;
      --end;
    } else if (last == ']' && brackets < 0) {
      ++brackets;
      --end;
    } else {
      break;
    }
  }
  return end;
}

struct WordSpan {
  std::size_t start = 0;
  std::size_t end = 0;
};

// Up to `max` words before `pos`, nearest first, stopping at a line break or the end of a
// sentence; each gap and word is bounded, so the cost does not depend on the text.
inline std::size_t previous_words(std::string_view text, std::size_t pos, WordSpan* out,
                                  std::size_t max) noexcept {
  std::size_t found = 0;
  while (found < max) {
    std::size_t gap = 0;
    while (pos > 0 && !is_word_char(text[pos - 1])) {
      const char c = text[pos - 1];
      if (c == '\n' || c == '!' || c == '?' || c == ';' || ++gap > 8) return found;
      // A period followed by a space ends a sentence; inside a name ("corp.example") it does not.
      if (c == '.' && (pos == text.size() || is_space(text[pos]))) return found;
      --pos;
    }
    const std::size_t end = pos;
    while (pos > 0 && is_word_char(text[pos - 1]) && end - pos < 40)
      --pos;
    if (pos == end) return found;
    out[found++] = {pos, end};
  }
  return found;
}

}  // namespace secpilot::grounding::detail
