// Small text helpers shared by the manifest parser and lint: case-insensitive comparison, edit
// distance for "did you mean", character counts and {{placeholder}} scanning.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace secpilot::manifest::detail {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string lower(std::string_view text);

// Edit distance (insertions, deletions, substitutions, swaps of neighbours), ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of `candidates` to `word` when it is a plausible typo of it; empty otherwise.
std::string_view nearest(std::string_view word, std::span<const std::string_view> candidates);

// Unicode code points in UTF-8 text: what the manifest limits ("100 characters") count.
std::size_t utf8_length(std::string_view text) noexcept;

// Names (of plugins, skills, settings, promptbooks) are identifiers: what is wrong with `name` as
// one ("contains whitespace", "contains '.'"), or empty when nothing is. Length is checked apart,
// against kNameLimit, with its own fix.
std::string name_problem(std::string_view name);
inline constexpr std::string_view kNameFix =
    "use letters, digits, '_' or '-': names cannot contain whitespace, '.', '/', '\\', '?', '#' "
    "or '@' (a friendly name goes in DisplayName)";
inline constexpr std::size_t kNameLimit = 100;  // characters

// "a, b, c"
std::string join(std::span<const std::string_view> items, std::string_view separator = ", ");

// A {{name}} in a template: the name, trimmed, and the offset of its "{{".
struct Placeholder {
  std::string name;
  std::size_t offset = 0;
};
std::vector<Placeholder> placeholders(std::string_view text);

// Whole, optionally signed, decimal number.
bool parse_int(std::string_view text, long long& out) noexcept;

}  // namespace secpilot::manifest::detail
