// Building Markdown from untrusted text: values from an export or a tool output are escaped so
// that they print as written and cannot add links, headings or table columns to a report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace incident::md {

// Plain text on one line, with Markdown's punctuation escaped.
std::string text(std::string_view value);

// An inline code span that holds `value` verbatim, whatever backticks it contains.
std::string code(std::string_view value);

// A fenced block that holds `value` verbatim (`language` may be "").
std::string block(std::string_view value, std::string_view language);

// A table: cells are already Markdown (use text() or code() on values); `|` in cells is escaped.
std::string table(const std::vector<std::string>& headers,
                  const std::vector<std::vector<std::string>>& rows);

// "- item" lines, or "1. item" lines when `numbered`.
std::string list(const std::vector<std::string>& items, bool numbered = false);

// Whitespace-separated words, for measuring a report's length.
std::size_t word_count(std::string_view markdown);

}  // namespace incident::md
