// Shell words as sh reads them: runs of bare characters, quoted strings and backslash escapes
// glued together ("cu"'r'l is one word, "curl"). The shell decoders use it to see what a word
// evaluates to and whether its quoting only serves to split a name.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace script_analysis {

struct ShellWord {
  size_t begin = 0;
  size_t end = 0;
  std::string value;     // after quote removal; meaningful when constant
  bool constant = true;  // no $expansion or `command` inside
  bool spliced = false;  // quotes or escapes cut through letters or digits: c''url, "cu"rl, \c\url
  bool quoted = false;   // any quoting or escaping at all
};

// Characters that end a word outside quotes.
bool is_shell_separator(char c) noexcept;

// The word starting at pos (which should not be a separator), or nullopt when a quote is not
// closed.
std::optional<ShellWord> parse_shell_word(std::string_view text, size_t pos);

// True when pos starts a word: at the start, or after a blank, newline or separator.
bool at_shell_word_start(std::string_view text, size_t pos) noexcept;

// Safe to write unquoted: letters, digits and _ . / : = @ % + , -
bool is_plain_shell_word(std::string_view value) noexcept;

// The value written as one shell word: bare when plain, else single-quoted.
std::string shell_word(std::string_view value);

// One past the here-document body that an operator "<<WORD" at pos introduces (the line after
// the terminator), or pos when none starts there.
size_t skip_heredoc(std::string_view text, size_t pos);

}  // namespace script_analysis
