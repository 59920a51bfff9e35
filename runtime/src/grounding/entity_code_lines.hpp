// What one line of a prompt looks like: prose, code, the start or continuation of a KQL query,
// a command line. The code scanner (entity_code.cpp) groups lines with these answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace secpilot::grounding::detail {

enum class LineKind {
  blank,
  other,        // prose or anything not clearly code
  weak_code,    // could be code ("echo x", "cd /tmp", "# comment"): counts only beside strong lines
  strong_code,  // clearly code ("$x = ...", "Invoke-Expression", "#!/bin/bash", "... {", "...;")
};

LineKind classify_line(std::string_view line) noexcept;

// Whether the line reads as English prose (enough function words, no code punctuation).
bool is_prose(std::string_view line) noexcept;

// The offset in `line` of the table of a one-line KQL query ("SigninLogs | where ..."): an
// identifier starting with a capital letter, then "|" and a KQL operator.
std::optional<std::size_t> kql_query_start(std::string_view line) noexcept;
// "| where ...": a line continuing a KQL query.
bool is_kql_pipe_line(std::string_view line) noexcept;
// A line holding only a capitalised identifier: a KQL table when the next line is a pipe line.
bool is_kql_table_line(std::string_view line) noexcept;
// "let x = ...;": a KQL statement that can precede the query.
bool is_kql_let_line(std::string_view line) noexcept;

// A command line in `line` ("powershell -nop -enc ...", "cmd.exe /c ...", "rundll32 x.dll,Y"):
// [start, end) in the line, from the launcher to the end of the line or the closing backtick.
std::optional<std::pair<std::size_t, std::size_t>> find_command(std::string_view line) noexcept;

// What a fenced block's info string ("powershell", "kql", "json") says it holds.
enum class FenceTag { untagged, script, kql, data };
FenceTag fence_tag(std::string_view info) noexcept;

}  // namespace secpilot::grounding::detail
