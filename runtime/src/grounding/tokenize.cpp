#include "grounding/tokenize.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "grounding/security_lexicon.hpp"
#include "grounding/stem.hpp"

namespace secpilot::grounding {
namespace {

constexpr std::size_t kMaxWordLength = 40;

// Character classes, one table lookup each: the splitter looks at every byte several times.
enum : std::uint8_t { kDigit = 1, kUpper = 2, kLower = 4, kJoiner = 8 };
constexpr std::array<std::uint8_t, 256> kClasses = [] {
  std::array<std::uint8_t, 256> classes{};
  for (int c = '0'; c <= '9'; ++c)
    classes[c] = kDigit;
  for (int c = 'A'; c <= 'Z'; ++c)
    classes[c] = kUpper;
  for (int c = 'a'; c <= 'z'; ++c)
    classes[c] = kLower;
  // Characters that hold a value together (addresses, paths, host names, dates, defanged forms).
  for (const char c : std::string_view("-._:/\\@[]"))
    classes[static_cast<unsigned char>(c)] = kJoiner;
  return classes;
}();
constexpr bool is(char c, std::uint8_t classes) noexcept {
  return (kClasses[static_cast<unsigned char>(c)] & classes) != 0;
}
constexpr bool is_digit(char c) noexcept {
  return is(c, kDigit);
}
constexpr bool is_upper(char c) noexcept {
  return is(c, kUpper);
}
constexpr bool is_lower(char c) noexcept {
  return is(c, kLower);
}
constexpr bool is_joiner(char c) noexcept {
  return is(c, kJoiner);
}

// U+00C0..U+00FF (UTF-8 C3 80..C3 BF) folded to ASCII; empty for the two symbols among them.
constexpr std::array<std::string_view, 64> kLatin1Folds = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",  //
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",  //
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Letters, digits and joiners kept, Latin letters folded, anything else a space; into `cased`
// as written (to split on case) and into `lower` lower-cased. Never longer than `text`: a fold
// is at most as long as its UTF-8 sequence.
void fold(std::string_view text, std::string& cased, std::string& lower) {
  cased.resize(text.size());
  lower.resize(text.size());
  // Raw pointers: through std::string the compiler reloads them after every byte written.
  char* const cased_out = cased.data();
  char* const lower_out = lower.data();
  std::size_t n = 0;
  const auto put = [&](char c) {
    cased_out[n] = c;
    lower_out[n++] = is_upper(c) ? static_cast<char>(c | 0x20) : c;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is(c, kDigit | kUpper | kLower | kJoiner)) {
      put(c);
    } else if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      const auto folded = kLatin1Folds[static_cast<unsigned char>(text[++i]) - 0x80];
      for (const char f : folded.empty() ? std::string_view(" ") : folded)
        put(f);
    } else {
      put(' ');
    }
  }
  cased.resize(n);
  lower.resize(n);
}

// Where a new word starts inside an identifier: lookupIndicator, IPAddress (not IPv4), Base64Decode.
bool starts_subword(std::string_view part, std::size_t i) noexcept {
  const char before = part[i - 1];
  const char here = part[i];
  if (!is_upper(here)) return false;
  if (is_lower(before) || is_digit(before)) return true;
  return is_upper(before) && i + 2 < part.size() && is_lower(part[i + 1]) && is_lower(part[i + 2]);
}

bool all_letters(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), [](char c) { return is_upper(c) || is_lower(c); });
}
bool all_digits(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), is_digit);
}

}  // namespace

std::span<const std::string_view> WordSplitter::split(std::string_view text) {
  words_.clear();
  fold(text, cased_, lower_);
  const std::string_view cased(cased_);
  for (std::size_t i = 0; i < cased.size();) {
    while (i < cased.size() && cased[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < cased.size() && cased[i] != ' ')
      ++i;
    if (i > start) split_compound(start, i);
  }
  return words_;
}

void WordSplitter::split_compound(std::size_t begin, std::size_t end) {
  parts_.clear();
  const std::string_view cased(cased_);
  bool value = false;  // an address, a host or file name, a date, a version, an id
  bool dot = false;    // a dot or an @ after a part: a value if another part follows (not a
                       // full stop, not .NET)
  for (std::size_t i = begin; i < end;) {
    if (is_joiner(cased[i])) {
      dot = dot || ((cased[i] == '.' || cased[i] == '@') && !parts_.empty());
      ++i;
      continue;
    }
    value = value || dot;
    const std::size_t start = i;
    for (; i < end && !is_joiner(cased[i]); ++i)
      value = value || is_digit(cased[i]);
    parts_.emplace_back(start, i);
  }
  if (parts_.size() == 1 || !value) {
    for (const auto& [start, stop] : parts_)
      split_part(start, stop);
    return;
  }
  // Only "letters-digits" (SHA-256, SHA-1) is a word: its digits move up to its letters.
  if (parts_.size() != 2) return;
  const auto [letters_begin, letters_end] = parts_[0];
  const auto [digits_begin, digits_end] = parts_[1];
  if (!all_letters(cased.substr(letters_begin, letters_end - letters_begin)) ||
      !all_digits(cased.substr(digits_begin, digits_end - digits_begin)))
    return;
  std::copy(lower_.begin() + static_cast<std::ptrdiff_t>(digits_begin),
            lower_.begin() + static_cast<std::ptrdiff_t>(digits_end),
            lower_.begin() + static_cast<std::ptrdiff_t>(letters_end));
  add_word(letters_begin, letters_end + (digits_end - digits_begin));
}

void WordSplitter::split_part(std::size_t begin, std::size_t end) {
  if (end - begin > kMaxWordLength) return;  // base64 and the like, even if its case varies
  const std::string_view part = std::string_view(cased_).substr(begin, end - begin);
  std::size_t start = 0;
  bool split = false;
  for (std::size_t i = 1; i < part.size(); ++i) {
    if (!starts_subword(part, i)) continue;
    add_word(begin + start, begin + i);
    start = i;
    split = true;
  }
  add_word(begin + start, end);
  if (split) add_word(begin, end);
}

void WordSplitter::add_word(std::size_t begin, std::size_t end) {
  if (end - begin < 2 || end - begin > kMaxWordLength || is_digit(lower_[begin])) return;
  words_.push_back(std::string_view(lower_).substr(begin, end - begin));
}

std::string normalise_word(std::string_view word) {
  if (is_stopword(word)) return {};
  const std::string stemmed = stem(word);
  return std::string(canonical_term(stemmed));
}

void tokenize(std::string_view text, std::vector<std::string>& terms) {
  WordSplitter splitter;
  for (const auto word : splitter.split(text))
    if (auto term = normalise_word(word); !term.empty()) terms.push_back(std::move(term));
}

}  // namespace secpilot::grounding
