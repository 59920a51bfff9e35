// PowerShell's escape character, the backtick, before a letter with no escape meaning is just
// that letter, so obfuscators sprinkle ticks to break signatures: I`E`X, N`ew-Ob`je`ct,
// "Do`wnl`oadString". Removed in code and in double-quoted strings; ticks that form real escapes
// inside double quotes (`n, `t, `0, `", ...) and everything in single-quoted strings and comments
// stay.
#include "rewriter.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

bool is_escape_letter(char c) noexcept {
  switch (c) {
    case '0':
    case 'a':
    case 'b':
    case 'e':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'u':
    case 'v':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<Rewrite> remove_powershell_ticks(const TransformInput& input) {
  const std::string_view text = input.text;
  if (text.find('`') == std::string_view::npos) return std::nullopt;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (comment_starts(text, i, Syntax::PowerShell) || c == '\'' ||
        (c == '@' && i + 1 < text.size() && text[i + 1] == '\'')) {
      size_t skipped = skip_literal_or_comment(text, i, Syntax::PowerShell);
      i = skipped > i ? skipped : i + 1;
      continue;
    }
    if (c == '"') {
      // Inside a double-quoted string, up to its closing quote.
      size_t j = i + 1;
      for (; j < text.size(); ++j) {
        if (text[j] == '`' && j + 1 < text.size()) {
          if (is_alnum(text[j + 1]) && !is_escape_letter(text[j + 1])) out.replace(j, j + 1, "");
          ++j;
        } else if (text[j] == '"') {
          if (j + 1 < text.size() && text[j + 1] == '"') {
            ++j;
          } else {
            break;
          }
        }
      }
      i = j + 1;
      continue;
    }
    if (c == '`' && i + 1 < text.size()) {
      if (is_alnum(text[i + 1]) || text[i + 1] == '-') out.replace(i, i + 1, "");
      i += 2;
      continue;
    }
    ++i;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis
