// String literals and comments of each scripting language: reading a literal's value (escapes
// resolved), skipping literals and comments while scanning code, and writing a value back as a
// literal. Every decoder that rewrites constants builds on these.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "script_analysis/language.hpp"

namespace script_analysis {

enum class Syntax { PowerShell, Shell, Batch, JavaScript, VBScript, Generic };

Syntax syntax_of(Language language) noexcept;

struct Literal {
  size_t begin = 0;      // the opening quote ('$' of $'..', '@' of a here-string, '(' of a group)
  size_t end = 0;        // one past the closing quote (or parenthesis)
  std::string value;     // the string it evaluates to
  bool constant = true;  // false when it interpolates: "$x" in PowerShell or sh, `${x}` in JS
};

// The literal whose opening quote is at text[pos], or nullopt when none starts there or it is
// not closed.
//   PowerShell: '...' ('' escapes a quote), "..." (`-escapes, ""), @'...'@ and @"..."@
//   Shell:      '...', "..." (\\ \" \$ \`), $'...' (ANSI-C escapes: \xHH, \NNN, \n, ...)
//   JavaScript: '...', "..." (\xHH, \uHHHH, \u{...}, \n, ...) and `...` templates
//   VBScript:   "..." ("" escapes a quote)
//   Batch, Generic: "..." (Generic also '...'), no escapes
std::optional<Literal> parse_literal(std::string_view text, size_t pos, Syntax syntax);

// A literal, possibly inside grouping parentheses: ('abc'), (("abc")), and PowerShell's $('abc').
// begin/end include them.
std::optional<Literal> parse_operand(std::string_view text, size_t pos, Syntax syntax);

// One past the literal or comment that starts at pos, or pos when none starts there; an unclosed
// literal runs to the end of its line. For scanners that must not look inside strings.
size_t skip_literal_or_comment(std::string_view text, size_t pos, Syntax syntax);

// True when a comment starts at pos (`#` in PowerShell and sh, `//` and `/*` in JavaScript, `'`
// and `Rem` in VBScript, `rem` and `::` in batch).
bool comment_starts(std::string_view text, size_t pos, Syntax syntax) noexcept;

// A literal that evaluates to `value`: '...' in PowerShell and sh, "..." elsewhere.
std::string quote_literal(std::string_view value, Syntax syntax);

}  // namespace script_analysis
