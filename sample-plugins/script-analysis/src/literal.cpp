#include "literal.hpp"

#include "script_analysis/text_encoding.hpp"
#include "text_util.hpp"

namespace script_analysis {
namespace {

constexpr size_t kMaxGroupingDepth = 16;

// Reads up to `max_digits` digits of `base` at text[pos]; returns how many were read.
size_t read_number(std::string_view text, size_t pos, int base, size_t max_digits,
                   uint32_t& value) {
  size_t count = 0;
  value = 0;
  while (count < max_digits && pos + count < text.size()) {
    char c = text[pos + count];
    int digit = base == 16 ? hex_value(c) : (c >= '0' && c <= '7' ? c - '0' : -1);
    if (digit < 0) break;
    value = value * static_cast<uint32_t>(base) + static_cast<uint32_t>(digit);
    ++count;
  }
  return count;
}

std::optional<Literal> powershell_single(std::string_view text, size_t pos) {
  Literal literal{pos, 0, {}, true};
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] != '\'') {
      literal.value.push_back(text[i]);
    } else if (i + 1 < text.size() && text[i + 1] == '\'') {
      literal.value.push_back('\'');
      ++i;
    } else {
      literal.end = i + 1;
      return literal;
    }
  }
  return std::nullopt;
}

bool starts_interpolation(std::string_view text, size_t pos) noexcept {
  if (pos + 1 >= text.size()) return false;
  char next = text[pos + 1];
  return is_word(next) || next == '{' || next == '(' || next == ':' || next == '?';
}

std::optional<Literal> powershell_double(std::string_view text, size_t pos) {
  Literal literal{pos, 0, {}, true};
  for (size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '`' && i + 1 < text.size()) {
      char e = text[++i];
      switch (e) {
        case '0':
          literal.value.push_back('\0');
          break;
        case 'a':
          literal.value.push_back('\a');
          break;
        case 'b':
          literal.value.push_back('\b');
          break;
        case 'e':
          literal.value.push_back('\x1b');
          break;
        case 'f':
          literal.value.push_back('\f');
          break;
        case 'n':
          literal.value.push_back('\n');
          break;
        case 'r':
          literal.value.push_back('\r');
          break;
        case 't':
          literal.value.push_back('\t');
          break;
        case 'v':
          literal.value.push_back('\v');
          break;
        default:
          literal.value.push_back(e);
      }
    } else if (c == '"') {
      if (i + 1 < text.size() && text[i + 1] == '"') {
        literal.value.push_back('"');
        ++i;
      } else {
        literal.end = i + 1;
        return literal;
      }
    } else {
      if (c == '$' && starts_interpolation(text, i)) literal.constant = false;
      literal.value.push_back(c);
    }
  }
  return std::nullopt;
}

// @'<newline>...<newline>'@ and the same with double quotes. The body is read line by line and
// the search gives up at the next line that opens another here-string of the same kind (a body
// cannot hold one), so a text full of unterminated openers still costs one pass, not one per
// opener.
std::optional<Literal> powershell_here_string(std::string_view text, size_t pos) {
  const char quote = text[pos + 1];
  size_t first = skip_blanks(text, pos + 2);
  if (first < text.size() && text[first] == '\r') ++first;
  if (first >= text.size() || text[first] != '\n') return std::nullopt;
  const char opener[] = {'@', quote};
  for (size_t line = first + 1; line < text.size();) {
    size_t end = line_end(text, line);
    if (end - line >= 2 && text[line] == quote && text[line + 1] == '@') {
      size_t body_end = line - 1;  // the newline before the terminator
      if (body_end > first && text[body_end - 1] == '\r') --body_end;
      Literal literal{
          pos, line + 2,
          std::string(text.substr(first + 1, body_end > first + 1 ? body_end - first - 1 : 0)),
          true};
      if (quote == '"')
        for (size_t i = 0; i < literal.value.size(); ++i)
          if (literal.value[i] == '$' && starts_interpolation(literal.value, i))
            literal.constant = false;
      return literal;
    }
    std::string_view content = text.substr(line, end - line);
    while (!content.empty() && is_space(content.back()))
      content.remove_suffix(1);
    if (content.size() >= 2 && content.substr(content.size() - 2) == std::string_view(opener, 2))
      return std::nullopt;
    line = end + 1;
  }
  return std::nullopt;
}

std::optional<Literal> raw_until(std::string_view text, size_t pos, char quote, bool newline_ends) {
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == quote)
      return Literal{pos, i + 1, std::string(text.substr(pos + 1, i - pos - 1)), true};
    if (newline_ends && text[i] == '\n') return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Literal> shell_double(std::string_view text, size_t pos) {
  Literal literal{pos, 0, {}, true};
  for (size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (next == '$' || next == '`' || next == '"' || next == '\\') {
        literal.value.push_back(next);
        ++i;
      } else if (next == '\n') {
        ++i;
      } else {
        literal.value.push_back(c);
      }
    } else if (c == '"') {
      literal.end = i + 1;
      return literal;
    } else {
      if ((c == '$' && starts_interpolation(text, i)) || c == '`') literal.constant = false;
      literal.value.push_back(c);
    }
  }
  return std::nullopt;
}

// Bash's $'...': C-style escapes.
std::optional<Literal> shell_ansi_c(std::string_view text, size_t pos) {
  Literal literal{pos, 0, {}, true};
  for (size_t i = pos + 2; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      literal.end = i + 1;
      return literal;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      literal.value.push_back(c);
      continue;
    }
    char e = text[++i];
    uint32_t value = 0;
    size_t digits = 0;
    switch (e) {
      case 'a':
        literal.value.push_back('\a');
        break;
      case 'b':
        literal.value.push_back('\b');
        break;
      case 'e':
      case 'E':
        literal.value.push_back('\x1b');
        break;
      case 'f':
        literal.value.push_back('\f');
        break;
      case 'n':
        literal.value.push_back('\n');
        break;
      case 'r':
        literal.value.push_back('\r');
        break;
      case 't':
        literal.value.push_back('\t');
        break;
      case 'v':
        literal.value.push_back('\v');
        break;
      case 'x':
        digits = read_number(text, i + 1, 16, 2, value);
        if (digits == 0) {
          literal.value += "\\x";
        } else {
          literal.value.push_back(static_cast<char>(value));
          i += digits;
        }
        break;
      case 'u':
      case 'U':
        digits = read_number(text, i + 1, 16, e == 'u' ? 4 : 8, value);
        if (digits == 0) {
          literal.value.push_back('\\');
          literal.value.push_back(e);
        } else {
          append_utf8(literal.value, value);
          i += digits;
        }
        break;
      default:
        if (e >= '0' && e <= '7') {
          digits = read_number(text, i, 8, 3, value);
          literal.value.push_back(static_cast<char>(value & 0xff));
          i += digits - 1;
        } else if (e == '\\' || e == '\'' || e == '"' || e == '?') {
          literal.value.push_back(e);
        } else {
          literal.value.push_back('\\');
          literal.value.push_back(e);
        }
    }
  }
  return std::nullopt;
}

std::optional<Literal> javascript(std::string_view text, size_t pos) {
  const char quote = text[pos];
  Literal literal{pos, 0, {}, true};
  for (size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == quote) {
      literal.end = i + 1;
      return literal;
    }
    if (c == '\n' && quote != '`') return std::nullopt;
    if (quote == '`' && c == '$' && i + 1 < text.size() && text[i + 1] == '{')
      literal.constant = false;
    if (c != '\\' || i + 1 >= text.size()) {
      literal.value.push_back(c);
      continue;
    }
    char e = text[++i];
    uint32_t value = 0;
    size_t digits = 0;
    switch (e) {
      case 'n':
        literal.value.push_back('\n');
        break;
      case 'r':
        literal.value.push_back('\r');
        break;
      case 't':
        literal.value.push_back('\t');
        break;
      case 'b':
        literal.value.push_back('\b');
        break;
      case 'f':
        literal.value.push_back('\f');
        break;
      case 'v':
        literal.value.push_back('\v');
        break;
      case '0':
        literal.value.push_back('\0');
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        break;
      case '\n':
        break;
      case 'x':
        digits = read_number(text, i + 1, 16, 2, value);
        if (digits == 2) {
          append_utf8(literal.value, value);
          i += 2;
        } else {
          literal.value.push_back('x');
        }
        break;
      case 'u':
        if (i + 1 < text.size() && text[i + 1] == '{') {
          digits = read_number(text, i + 2, 16, 6, value);
          if (digits > 0 && i + 2 + digits < text.size() && text[i + 2 + digits] == '}') {
            append_utf8(literal.value, value);
            i += digits + 2;
            break;
          }
        }
        digits = read_number(text, i + 1, 16, 4, value);
        if (digits == 4) {
          // A surrogate pair written as two escapes.
          if (value >= 0xD800 && value <= 0xDBFF && i + 10 < text.size() && text[i + 5] == '\\' &&
              text[i + 6] == 'u') {
            uint32_t low = 0;
            if (read_number(text, i + 7, 16, 4, low) == 4 && low >= 0xDC00 && low <= 0xDFFF) {
              append_utf8(literal.value, 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00));
              i += 10;
              break;
            }
          }
          append_utf8(literal.value, value);
          i += 4;
        } else {
          literal.value.push_back('u');
        }
        break;
      default:
        literal.value.push_back(e);
    }
  }
  return std::nullopt;
}

std::optional<Literal> vbscript(std::string_view text, size_t pos) {
  Literal literal{pos, 0, {}, true};
  for (size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') return std::nullopt;
    if (c != '"') {
      literal.value.push_back(c);
    } else if (i + 1 < text.size() && text[i + 1] == '"') {
      literal.value.push_back('"');
      ++i;
    } else {
      literal.end = i + 1;
      return literal;
    }
  }
  return std::nullopt;
}

bool at_line_start(std::string_view text, size_t pos) noexcept {
  while (pos > 0) {
    char c = text[pos - 1];
    if (c == '\n') return true;
    if (!is_blank(c) && c != '@') return false;
    --pos;
  }
  return true;
}

size_t comment_end(std::string_view text, size_t pos, Syntax syntax) {
  if (syntax == Syntax::PowerShell && text.substr(pos, 2) == "<#") {
    size_t close = text.find("#>", pos + 2);
    return close == std::string_view::npos ? text.size() : close + 2;
  }
  if (syntax == Syntax::JavaScript && text.substr(pos, 2) == "/*") {
    size_t close = text.find("*/", pos + 2);
    return close == std::string_view::npos ? text.size() : close + 2;
  }
  return line_end(text, pos);
}

}  // namespace

Syntax syntax_of(Language language) noexcept {
  switch (language) {
    case Language::PowerShell:
      return Syntax::PowerShell;
    case Language::Shell:
      return Syntax::Shell;
    case Language::Batch:
      return Syntax::Batch;
    case Language::JavaScript:
      return Syntax::JavaScript;
    case Language::VBScript:
      return Syntax::VBScript;
    case Language::Unknown:
      break;
  }
  return Syntax::Generic;
}

std::optional<Literal> parse_literal(std::string_view text, size_t pos, Syntax syntax) {
  if (pos >= text.size()) return std::nullopt;
  const char c = text[pos];
  switch (syntax) {
    case Syntax::PowerShell:
      if (c == '\'') return powershell_single(text, pos);
      if (c == '"') return powershell_double(text, pos);
      if (c == '@' && pos + 1 < text.size() && (text[pos + 1] == '\'' || text[pos + 1] == '"'))
        return powershell_here_string(text, pos);
      return std::nullopt;
    case Syntax::Shell:
      if (c == '\'') return raw_until(text, pos, '\'', false);
      if (c == '"') return shell_double(text, pos);
      if (c == '$' && pos + 1 < text.size() && text[pos + 1] == '\'')
        return shell_ansi_c(text, pos);
      return std::nullopt;
    case Syntax::JavaScript:
      if (c == '\'' || c == '"' || c == '`') return javascript(text, pos);
      return std::nullopt;
    case Syntax::VBScript:
      if (c == '"') return vbscript(text, pos);
      return std::nullopt;
    case Syntax::Batch:
      if (c == '"') return raw_until(text, pos, '"', true);
      return std::nullopt;
    case Syntax::Generic:
      if (c == '"' || c == '\'') return raw_until(text, pos, c, true);
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

std::optional<Literal> parse_operand_at(std::string_view text, size_t pos, Syntax syntax,
                                        size_t depth) {
  if (pos >= text.size()) return std::nullopt;
  // PowerShell's subexpression $( ) around a constant is a grouping too.
  const size_t open = syntax == Syntax::PowerShell && text[pos] == '$' && pos + 1 < text.size() &&
                              text[pos + 1] == '('
                          ? pos + 1
                          : pos;
  if (text[open] != '(') return parse_literal(text, pos, syntax);
  if (depth >= kMaxGroupingDepth || syntax == Syntax::Shell || syntax == Syntax::Batch)
    return std::nullopt;
  auto inner = parse_operand_at(text, skip_spaces(text, open + 1), syntax, depth + 1);
  if (!inner) return std::nullopt;
  size_t close = skip_spaces(text, inner->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  inner->begin = pos;
  inner->end = close + 1;
  return inner;
}

}  // namespace

std::optional<Literal> parse_operand(std::string_view text, size_t pos, Syntax syntax) {
  return parse_operand_at(text, pos, syntax, 0);
}

bool comment_starts(std::string_view text, size_t pos, Syntax syntax) noexcept {
  if (pos >= text.size()) return false;
  const char c = text[pos];
  const char before = pos > 0 ? text[pos - 1] : '\n';
  switch (syntax) {
    case Syntax::PowerShell:
      if (c == '<' && pos + 1 < text.size() && text[pos + 1] == '#') return true;
      return c == '#' && (is_space(before) || before == ';' || before == '(' || before == '{' ||
                          before == '}' || before == '|');
    case Syntax::Shell:
      return c == '#' &&
             (is_space(before) || before == ';' || before == '(' || before == '&' || before == '|');
    case Syntax::JavaScript:
      return c == '/' && pos + 1 < text.size() && (text[pos + 1] == '/' || text[pos + 1] == '*');
    case Syntax::VBScript:
      if (c == '\'') return true;
      return (c == 'r' || c == 'R') && imatch_at(text, pos, "rem") &&
             (pos + 3 >= text.size() || is_space(text[pos + 3])) && at_line_start(text, pos);
    case Syntax::Batch:
      if (c == ':' && pos + 1 < text.size() && text[pos + 1] == ':')
        return at_line_start(text, pos);
      return (c == 'r' || c == 'R') && imatch_at(text, pos, "rem") &&
             (pos + 3 >= text.size() || is_space(text[pos + 3])) && at_line_start(text, pos);
    case Syntax::Generic:
      return false;
  }
  return false;
}

size_t skip_literal_or_comment(std::string_view text, size_t pos, Syntax syntax) {
  if (pos >= text.size()) return pos;
  if (comment_starts(text, pos, syntax)) return comment_end(text, pos, syntax);
  const char c = text[pos];
  const bool may_quote = c == '\'' || c == '"' || c == '`' || c == '@' || c == '$';
  if (!may_quote) return pos;
  if (auto literal = parse_literal(text, pos, syntax)) return literal->end;
  // An unclosed quote: the rest of its line cannot be code worth rewriting.
  bool is_quote = c == '"' ||
                  (c == '\'' && syntax != Syntax::Batch && syntax != Syntax::VBScript) ||
                  (c == '`' && syntax == Syntax::JavaScript);
  return is_quote ? line_end(text, pos) : pos;
}

std::string quote_literal(std::string_view value, Syntax syntax) {
  std::string out;
  out.reserve(value.size() + 2);
  switch (syntax) {
    case Syntax::PowerShell:
      out.push_back('\'');
      for (char c : value) {
        if (c == '\'') out.push_back('\'');
        out.push_back(c);
      }
      out.push_back('\'');
      return out;
    case Syntax::Shell:
      out.push_back('\'');
      for (char c : value) {
        if (c == '\'')
          out += "'\\''";
        else
          out.push_back(c);
      }
      out.push_back('\'');
      return out;
    case Syntax::JavaScript:
      out.push_back('"');
      for (char c : value) {
        switch (c) {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\t':
            out += "\\t";
            break;
          default:
            if (static_cast<unsigned char>(c) < 0x20) {
              static constexpr char kHex[] = "0123456789abcdef";
              out += "\\x";
              out.push_back(kHex[(c >> 4) & 0xF]);
              out.push_back(kHex[c & 0xF]);
            } else {
              out.push_back(c);
            }
        }
      }
      out.push_back('"');
      return out;
    case Syntax::VBScript:
      out.push_back('"');
      for (char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
      return out;
    case Syntax::Batch:
    case Syntax::Generic:
      break;
  }
  out.push_back('"');
  out.append(value);
  out.push_back('"');
  return out;
}

}  // namespace script_analysis
