// KQL regular expressions (RE2 syntax) on std::regex: ECMAScript covers what hunting queries
// use; a leading `(?i)` becomes the icase flag, since ECMAScript has no inline flags.
#pragma once

#include <regex>
#include <string>
#include <string_view>

namespace log_hunt {

// Throws QueryError(InvalidQuery) naming the pattern when it does not compile.
std::regex compile_kql_regex(const std::string& pattern);

// libstdc++'s matcher recurses per character and backtracks without bound, so a huge text could
// exhaust even the query's deep stack (deep_stack.hpp) or take minutes on a pattern such as
// `A+ b`: regular expressions see at most the first 16 KiB of a value, which bounds both
// (nearly every command line is shorter; use has/contains for text beyond it).
inline constexpr size_t kMaxRegexInput = 16 * 1024;
inline std::string_view regex_input(std::string_view text) {
  return text.substr(0, kMaxRegexInput);
}

}  // namespace log_hunt
