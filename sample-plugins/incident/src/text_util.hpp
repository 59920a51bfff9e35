// Small string helpers shared by the readers and the writers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace incident {

std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b) noexcept;
bool icontains(std::string_view text, std::string_view part) noexcept;
std::string_view trim(std::string_view text) noexcept;

// Letters and digits only, lower-cased: "Command-And Control" -> "commandandcontrol".
std::string compact_key(std::string_view text);

// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& items, std::string_view last = " and ");
std::string join(const std::vector<std::string>& items, std::string_view separator);

// At most `limit` bytes of `text`, cut at a UTF-8 character boundary.
std::string utf8_prefix(std::string_view text, std::size_t limit);

// The same with "…" when cut.
std::string shorten(std::string_view text, std::size_t limit);

// "1 host", "2 hosts".
std::string count_of(std::size_t count, std::string_view singular, std::string_view plural);

// Appends `value` unless an equal string is already there.
void add_unique(std::vector<std::string>& items, const std::string& value);

// Up to `limit` items joined as words, then "and N more": "a, b, c and 4 more".
std::string join_some(const std::vector<std::string>& items, std::size_t limit = 5);

}  // namespace incident
