// Text hidden behind escapes the shell resolves: $'\x63\x75\x72\x6c' (bash's ANSI-C quoting,
// also octal \143), and the arguments of echo -e "\x63..." and printf '\143...'. A literal that
// uses hex or octal escapes becomes the text it stands for; $'\n' and other ordinary escapes in
// everyday scripts are left alone.
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "shell_words.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

// Does a literal's source use \xHH or \NNN escapes?
bool uses_code_escapes(std::string_view source) {
  for (size_t i = 0; i + 1 < source.size(); ++i) {
    if (source[i] != '\\') continue;
    char next = source[i + 1];
    if ((next == 'x' && i + 2 < source.size() && is_hex(source[i + 2])) ||
        (next >= '0' && next <= '7'))
      return true;
    ++i;
  }
  return false;
}

// Resolves the escapes echo -e and printf understand (\xHH, \NNN, \0NNN, \n, \t, \\).
std::string resolve_echo_escapes(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 >= value.size()) {
      out.push_back(value[i]);
      continue;
    }
    char next = value[i + 1];
    if (next == 'x') {
      int digits = 0, code = 0;
      while (digits < 2 && i + 2 + static_cast<size_t>(digits) < value.size() &&
             is_hex(value[i + 2 + static_cast<size_t>(digits)]))
        code = code * 16 + hex_value(value[i + 2 + static_cast<size_t>(digits++)]);
      if (digits == 0) {
        out.push_back('\\');
        continue;
      }
      out.push_back(static_cast<char>(code));
      i += 1 + static_cast<size_t>(digits);
    } else if (next >= '0' && next <= '7') {
      size_t start = i + 1 + (next == '0' ? 1 : 0);
      int digits = 0, code = 0;
      while (digits < 3 && start + static_cast<size_t>(digits) < value.size() &&
             value[start + static_cast<size_t>(digits)] >= '0' &&
             value[start + static_cast<size_t>(digits)] <= '7')
        code = code * 8 + (value[start + static_cast<size_t>(digits++)] - '0');
      out.push_back(static_cast<char>(code & 0xff));
      i = start + static_cast<size_t>(digits) - 1;
    } else if (next == 'n') {
      out.push_back('\n');
      ++i;
    } else if (next == 't') {
      out.push_back('\t');
      ++i;
    } else if (next == '\\') {
      out.push_back('\\');
      ++i;
    } else {
      out.push_back('\\');
    }
  }
  return out;
}

// echo -e / echo -ne / printf at pos: where its first argument starts, or npos.
size_t escape_command_argument(std::string_view text, size_t pos) {
  if (!at_shell_word_start(text, pos)) return std::string_view::npos;
  if (size_t after = match_word(text, pos, "printf"); after != std::string_view::npos)
    return skip_blanks(text, after);
  size_t after = match_word(text, pos, "echo");
  if (after == std::string_view::npos) return std::string_view::npos;
  size_t at = skip_blanks(text, after);
  bool interprets = false;
  while (at < text.size() && text[at] == '-') {
    size_t end = at + 1;
    while (end < text.size() && is_alpha(text[end]))
      ++end;
    std::string_view flags = text.substr(at + 1, end - at - 1);
    if (flags.empty() || flags.find_first_not_of("neE") != std::string_view::npos) break;
    interprets |= flags.find('e') != std::string_view::npos;
    at = skip_blanks(text, end);
  }
  return interprets ? at : std::string_view::npos;
}

}  // namespace

std::optional<Rewrite> decode_shell_escapes(const TransformInput& input) {
  const std::string_view text = input.text;
  if (text.find('\\') == std::string_view::npos) return std::nullopt;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, Syntax::Shell)) {
      i = skip_literal_or_comment(text, i, Syntax::Shell);
      continue;
    }
    const char c = text[i];
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '\'') {
      auto literal = parse_literal(text, i, Syntax::Shell);
      if (!literal) {
        i = line_end(text, i);
        continue;
      }
      if (uses_code_escapes(text.substr(i, literal->end - i)) &&
          literal->value.find('\0') == std::string::npos)
        out.replace(i, literal->end, shell_word(literal->value));
      i = literal->end;
      continue;
    }
    if (c == 'e' || c == 'p') {
      size_t argument = escape_command_argument(text, i);
      if (argument != std::string_view::npos && argument < text.size() &&
          (text[argument] == '\'' || text[argument] == '"')) {
        auto literal = parse_literal(text, argument, Syntax::Shell);
        if (literal && literal->constant && uses_code_escapes(literal->value)) {
          std::string value = resolve_echo_escapes(literal->value);
          bool is_printf = text[i] == 'p';
          if (value.find('\\') == std::string::npos &&
              (!is_printf || value.find('%') == std::string::npos)) {
            out.replace(argument, literal->end, quote_literal(value, Syntax::Shell));
            i = literal->end;
            continue;
          }
        }
      }
    }
    size_t skipped = skip_literal_or_comment(text, i, Syntax::Shell);
    i = skipped > i ? skipped : i + 1;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis
