#include "planner/input_values.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>

#include "planner/text.hpp"
#include "secpilot/grounding/entities.hpp"

namespace secpilot::planner {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// A larger count is not a look-back ("99999999999h" in a prompt): reading it would overflow.
constexpr int kMaxSpanCount = 100000;

struct UnitWord {
  std::string_view word;
  char unit;
};
constexpr std::array kUnits{
    UnitWord{"minute", 'm'}, UnitWord{"minutes", 'm'}, UnitWord{"min", 'm'},
    UnitWord{"mins", 'm'},   UnitWord{"hour", 'h'},    UnitWord{"hours", 'h'},
    UnitWord{"hrs", 'h'},    UnitWord{"day", 'd'},     UnitWord{"days", 'd'},
    UnitWord{"week", 'w'},   UnitWord{"weeks", 'w'},   UnitWord{"month", 'M'},
    UnitWord{"months", 'M'},
};

constexpr std::array<std::pair<std::string_view, int>, 12> kNumberWords{{
    {"one", 1},
    {"two", 2},
    {"three", 3},
    {"four", 4},
    {"five", 5},
    {"six", 6},
    {"seven", 7},
    {"ten", 10},
    {"fourteen", 14},
    {"thirty", 30},
    {"ninety", 90},
    {"a", 1},
}};

// "7d", "24h", "2w" as written, or "7 days", "two weeks" -> (count, unit).
std::optional<std::pair<int, char>> span_at(std::string_view text) {
  std::size_t i = 0;
  int count = 0;
  while (i < text.size() && is_digit(text[i])) {
    count = count * 10 + (text[i++] - '0');
    if (count > kMaxSpanCount) return std::nullopt;
  }
  if (i == 0) {
    for (const auto& [word, value] : kNumberWords)
      if (text.starts_with(word) && text.size() > word.size() && text[word.size()] == ' ') {
        count = value;
        i = word.size() + 1;
        break;
      }
    if (i == 0) return std::nullopt;
  }
  if (i < text.size() && text[i] == ' ') ++i;
  std::size_t end = i;
  while (end < text.size() && text::is_word_char(text[end]))
    ++end;
  const auto word = text.substr(i, end - i);
  if (word == "d" || word == "h" || word == "m" || word == "w") return std::pair{count, word[0]};
  for (const auto& unit : kUnits)
    if (word == unit.word) return std::pair{count, unit.unit};
  return std::nullopt;
}

std::string span_text(int count, char unit) {
  if (unit == 'M') return std::to_string(count * 30) + "d";
  if (unit == 'w') return std::to_string(count * 7) + "d";
  return std::to_string(count) + unit;
}

}  // namespace

std::vector<std::string> accepted_kinds(const manifest::Input& input) {
  if (!input.accepts.empty()) return input.accepts;
  std::string type = input.type;
  if (!manifest::is_entity_type(type)) type = manifest::canonical_input_type(input.name);
  if (type.empty() || !manifest::is_entity_type(type)) return {};
  if (type == "hash") return {"hash", "md5", "sha1", "sha256"};
  return {type};
}

bool accepts(const std::vector<std::string>& kinds, std::string_view kind) {
  if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return true;
  // "hash" takes every hash type.
  const bool is_hash = kind == "md5" || kind == "sha1" || kind == "sha256";
  return is_hash && std::find(kinds.begin(), kinds.end(), "hash") != kinds.end();
}

std::optional<std::string> find_timespan(std::string_view lower) {
  for (std::string_view lead : {"last ", "past ", "previous ", "within ", "for ", "in "}) {
    for (auto at = text::find_words(lower, text::trim(lead)); at != std::string_view::npos;
         at = text::find_words(lower, text::trim(lead), at + 1)) {
      if (at + lead.size() > lower.size()) break;
      auto rest = lower.substr(at + lead.size());
      if (rest.starts_with("the ")) rest.remove_prefix(4);
      if (auto span = span_at(rest)) return span_text(span->first, span->second);
      // "the last day", "past hour", "last week"
      for (const auto& unit : kUnits)
        if (rest.starts_with(unit.word) &&
            (rest.size() == unit.word.size() || !text::is_word_char(rest[unit.word.size()])))
          return span_text(1, unit.unit);
    }
  }
  // "24h", "7d" standing alone
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (!is_digit(lower[i]) || (i > 0 && text::is_word_char(lower[i - 1]))) continue;
    std::size_t j = i;
    while (j < lower.size() && is_digit(lower[j]))
      ++j;
    int count = 0;
    if (j < lower.size() && (lower[j] == 'd' || lower[j] == 'h' || lower[j] == 'w') &&
        (j + 1 == lower.size() || !text::is_word_char(lower[j + 1])) &&
        std::from_chars(lower.data() + i, lower.data() + j, count).ec == std::errc() &&
        count <= kMaxSpanCount)
      return span_text(count, lower[j]);
    i = j;
  }
  if (text::has_words(lower, "today") || text::has_words(lower, "this morning")) return "1d";
  if (text::has_words(lower, "yesterday")) return "2d";
  if (text::has_words(lower, "this week")) return "7d";
  if (text::has_words(lower, "this month")) return "30d";
  return std::nullopt;
}

std::optional<std::string> find_datetime(std::string_view text) {
  for (std::size_t i = 0; i + 10 <= text.size(); ++i) {
    if (i > 0 && (text::is_word_char(text[i - 1]) || text[i - 1] == '-')) continue;
    const auto s = text.substr(i);
    const bool date = is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
                      s[4] == '-' && is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' &&
                      is_digit(s[8]) && is_digit(s[9]);
    if (!date) continue;
    std::size_t end = 10;
    if (end < s.size() && s[end] == 'T')
      while (end < s.size() && (is_digit(s[end]) || s[end] == 'T' || s[end] == ':' ||
                                s[end] == 'Z' || s[end] == '+' || s[end] == '-' || s[end] == '.'))
        ++end;
    // "... as of 2026-11-20T12:00:00Z." ends a sentence, not the time.
    while (end > 10 && (s[end - 1] == '.' || s[end - 1] == ':' || s[end - 1] == '-' ||
                        s[end - 1] == '+' || s[end - 1] == 'T'))
      --end;
    return std::string(s.substr(0, end));
  }
  return std::nullopt;
}

std::optional<std::string> find_named_value(std::string_view text, std::string_view name,
                                            bool number) {
  const std::string lower = to_lower_ascii(text);
  const std::string key = to_lower_ascii(name);
  for (auto at = text::find_words(lower, key); at != std::string_view::npos;
       at = text::find_words(lower, key, at + 1)) {
    std::size_t i = at + key.size();
    bool colon = false;
    while (i < text.size() && (text[i] == ' ' || text[i] == ':' || text[i] == '=')) {
      colon = colon || text[i] == ':';
      ++i;
    }
    if (i >= text.size()) continue;
    if (text.substr(i).starts_with("is ")) i += 3;
    if (i >= text.size()) continue;
    const char quote = text[i];
    if (quote == '\'' || quote == '"') {
      // To the last matching quote on the line, so that "IT's" inside stays.
      const auto line_end = text.find('\n', i);
      const auto line = text.substr(
          i + 1, line_end == std::string_view::npos ? std::string_view::npos : line_end - i - 1);
      const auto close = line.rfind(quote);
      if (close != std::string_view::npos && close > 0) return std::string(line.substr(0, close));
    }
    if (number) {
      std::size_t end = i;
      while (end < text.size() && is_digit(text[end]))
        ++end;
      if (end > i) return std::string(text.substr(i, end - i));
      continue;
    }
    if (colon) {
      // "message: Locked by IT Security, call the SOC on x0100": the rest of the line.
      const auto line_end = text.find('\n', i);
      auto value = text::trim(text.substr(
          i, line_end == std::string_view::npos ? std::string_view::npos : line_end - i));
      while (!value.empty() && (value.back() == '.' || value.back() == ','))
        value.remove_suffix(1);
      if (!value.empty()) return std::string(value);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !text::is_space(text[end]) && text[end] != ',')
      ++end;
    auto value = text.substr(i, end - i);
    while (!value.empty() && (value.back() == '.' || value.back() == '?' || value.back() == ')'))
      value.remove_suffix(1);
    // A value has a digit or is code-like ("PIN 482913", "now=2026-..."); a plain word after the
    // name ("the pin of the Mac") is prose.
    if (std::any_of(value.begin(), value.end(), is_digit)) return std::string(value);
  }
  return std::nullopt;
}

std::optional<std::string> find_acceptable_value(std::string_view lower,
                                                 const manifest::Input& input) {
  std::size_t best_at = std::string_view::npos;
  std::string best;
  const auto consider = [&](std::string_view phrase, const std::string& value) {
    const auto at = text::find_words(lower, phrase);
    if (at < best_at) {
      best_at = at;
      best = value;
    }
  };
  for (const auto& value : input.acceptable_values) {
    const std::string written = to_lower_ascii(value);
    std::string spoken = written;
    std::replace(spoken.begin(), spoken.end(), '_', ' ');
    consider(written, value);
    if (spoken != written) consider(spoken, value);
  }
  for (const auto& [value, words] : input.synonyms)
    for (const auto& word : words)
      consider(to_lower_ascii(word), value);
  if (best_at == std::string_view::npos) return std::nullopt;
  return best;
}

}  // namespace secpilot::planner
